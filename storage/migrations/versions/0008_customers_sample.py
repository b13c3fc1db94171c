"""customers and samples (issue 21): the customer list, its contacts apart, a round's stratified sample

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06 03:30:00
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'customers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_digest', sa.String(length=64), nullable=False),
        sa.Column('segment', sa.String(length=20), nullable=False),
        sa.Column('attributes', storage.types.JSONType(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('imported_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
        sa.UniqueConstraint('key_digest', name=op.f('uq_customers_key_digest')),
    )
    op.create_index(op.f('ix_customers_segment'), 'customers', ['segment'], unique=False)
    op.create_table(
        'customer_contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=True),
        sa.Column('contact_name', sa.String(length=200), nullable=True),
        sa.Column('slack_user_id', sa.String(length=32), nullable=True),
        sa.Column('slack_channel_id', sa.String(length=32), nullable=True),
        sa.Column('email', sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                                name=op.f('fk_customer_contacts_customer_id_customers'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_contacts')),
        sa.UniqueConstraint('customer_id', name=op.f('uq_customer_contacts_customer_id')),
    )
    op.create_index(op.f('ix_customer_contacts_slack_user_id'), 'customer_contacts', ['slack_user_id'],
                    unique=False)
    op.create_table(
        'samples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('strata_by', storage.types.JSONType(), nullable=False),
        sa.Column('allocation', sa.String(length=20), nullable=False),
        sa.Column('share', sa.Float(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('min_per_stratum', sa.Integer(), nullable=False),
        sa.Column('neyman_by', sa.String(length=100), nullable=True),
        sa.Column('seed', sa.String(length=64), nullable=False),
        sa.Column('plan', storage.types.JSONType(), nullable=False),
        sa.Column('draws', storage.types.JSONType(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=True),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                                name=op.f('fk_samples_assessment_id_assessments'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_samples')),
        sa.UniqueConstraint('assessment_id', name=op.f('uq_samples_assessment_id')),
    )
    op.create_table(
        'sample_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sample_id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('stratum', sa.String(length=200), nullable=False),
        sa.Column('probability', sa.Float(), nullable=False),
        sa.Column('draw_no', sa.Integer(), nullable=False),
        sa.Column('drawn_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('interview_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['sample_id'], ['samples.id'],
                                name=op.f('fk_sample_members_sample_id_samples'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                                name=op.f('fk_sample_members_customer_id_customers'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_sample_members_participant_id_participants'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'],
                                name=op.f('fk_sample_members_interview_id_interviews'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sample_members')),
        sa.UniqueConstraint('sample_id', 'customer_id', name=op.f('uq_sample_members_sample_id_customer_id')),
    )
    op.create_index(op.f('ix_sample_members_sample_id'), 'sample_members', ['sample_id'], unique=False)
    op.create_index(op.f('ix_sample_members_customer_id'), 'sample_members', ['customer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sample_members_customer_id'), table_name='sample_members')
    op.drop_index(op.f('ix_sample_members_sample_id'), table_name='sample_members')
    op.drop_table('sample_members')
    op.drop_table('samples')
    op.drop_index(op.f('ix_customer_contacts_slack_user_id'), table_name='customer_contacts')
    op.drop_table('customer_contacts')
    op.drop_index(op.f('ix_customers_segment'), table_name='customers')
    op.drop_table('customers')
