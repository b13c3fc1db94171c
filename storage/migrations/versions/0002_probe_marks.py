"""probe marks: the lead's verdict on a probe decision (should have probed / needless follow-up)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 23:00:00
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'probe_marks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('verdict', sa.String(length=20), nullable=False),
        sa.Column('reviewer', sa.String(length=64), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_probe_marks_answer_id_answers'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_probe_marks')),
        sa.UniqueConstraint('answer_id', 'reviewer', name=op.f('uq_probe_marks_answer_id_reviewer')),
    )
    op.create_index(op.f('ix_probe_marks_answer_id'), 'probe_marks', ['answer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_probe_marks_answer_id'), table_name='probe_marks')
    op.drop_table('probe_marks')
