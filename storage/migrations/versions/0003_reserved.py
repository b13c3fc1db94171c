"""respondent paths (issue 14): when an interview ended (declined, withdrawn, expired), and what a closed round interrupted

`interviews.ended_at` dates a decline (the "Changed my mind" button works for a set time after it) and an
expiry; `interviews.closed_from` keeps the status an interview had when `/cna close` expired it, so that
`/cna reopen` can give it back.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 23:00:00
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_from', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_column('closed_from')
        batch_op.drop_column('ended_at')
