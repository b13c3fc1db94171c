"""memos: the lead's notes on answers, themes, opportunities and the round (issue 18)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 03:30:00
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'memos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('target_kind', sa.String(length=20), nullable=False),
        sa.Column('target_id', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('author', sa.String(length=64), nullable=False),
        sa.Column('in_report', sa.Boolean(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_memos_assessment_id_assessments'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_memos')),
        sa.UniqueConstraint('assessment_id', 'target_kind', 'target_id',
                            name=op.f('uq_memos_assessment_id_target_kind_target_id')),
    )
    op.create_index(op.f('ix_memos_assessment_id'), 'memos', ['assessment_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_memos_assessment_id'), table_name='memos')
    op.drop_table('memos')
