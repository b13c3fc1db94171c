"""coder models: trained coder weights with their training data's size and date (issue 19)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 04:00:00
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'coder_models',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('model_id', sa.String(length=40), nullable=False),
        sa.Column('trained_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('examples', sa.Integer(), nullable=False),
        sa.Column('lead_answers', sa.Integer(), nullable=False),
        sa.Column('decisions', sa.Integer(), nullable=False),
        sa.Column('active_codes', storage.types.JSONType(), nullable=False),
        sa.Column('data', storage.types.JSONType(), nullable=False),
        sa.Column('trained_by', sa.String(length=64), nullable=True),
        sa.Column('trained_on', storage.types.JSONType(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coder_models')),
        sa.UniqueConstraint('model_id', name=op.f('uq_coder_models_model_id')),
    )


def downgrade() -> None:
    op.drop_table('coder_models')
