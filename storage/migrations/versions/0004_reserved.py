"""coding passages (issue 17): codings.span_start/span_end, whole-answer and passage codings unique apart

A code applied in a QDA tool to part of an answer is kept as that passage (characters of the answer's text)
instead of being widened to the whole answer. `(answer_id, code_id, source)` stays unique for whole-answer
codings (span NULL); passages are unique by their span. Both are partial unique indexes, which SQLite and
PostgreSQL support alike. Downgrading keeps one coding per (answer, code, source): the whole-answer one, else
the first passage, widened to the whole answer. A database that was stamped 0005 while this revision was
still reserved (a no-op) lacks the columns: `downgrade 0003` then `cna db upgrade` brings them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 23:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

WHOLE = "span_start IS NULL"
PASSAGE = "span_start IS NOT NULL"
SPAN_CHECK = "(span_start IS NULL AND span_end IS NULL) OR (span_start >= 0 AND span_end > span_start)"


def upgrade() -> None:
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('span_start', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('span_end', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_codings_answer_id_code_id_source', type_='unique')
        batch_op.create_check_constraint(op.f('ck_codings_span'), sa.text(SPAN_CHECK))
    # Outside the batch: SQLite's table copy would not carry a partial index's WHERE clause.
    op.create_index('uq_codings_whole', 'codings', ['answer_id', 'code_id', 'source'], unique=True,
                    sqlite_where=sa.text(WHOLE), postgresql_where=sa.text(WHOLE))
    op.create_index('uq_codings_passage', 'codings', ['answer_id', 'code_id', 'source', 'span_start', 'span_end'],
                    unique=True, sqlite_where=sa.text(PASSAGE), postgresql_where=sa.text(PASSAGE))


def downgrade() -> None:
    # A database stamped past 0004 while this revision was still a no-op has none of it: nothing to undo.
    if 'span_start' not in {c['name'] for c in sa.inspect(op.get_bind()).get_columns('codings')}:
        return
    op.drop_index('uq_codings_passage', table_name='codings')
    op.drop_index('uq_codings_whole', table_name='codings')
    op.execute(
        "DELETE FROM codings WHERE span_start IS NOT NULL AND EXISTS (SELECT 1 FROM codings c2 "
        "WHERE c2.answer_id = codings.answer_id AND c2.code_id = codings.code_id AND c2.source = codings.source "
        "AND (c2.span_start IS NULL OR c2.id < codings.id))")
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_codings_span'), type_='check')
        batch_op.drop_column('span_end')
        batch_op.drop_column('span_start')
        batch_op.create_unique_constraint(op.f('uq_codings_answer_id_code_id_source'),
                                          ['answer_id', 'code_id', 'source'])
