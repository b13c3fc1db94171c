"""answer search index (issue 18): SQLite FTS5 trigram table kept by triggers; PostgreSQL pg_trgm GIN index

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 07:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# SQLite: an external-content FTS5 table (it stores trigrams and answer ids, not a copy of the text) that triggers
# keep in step with answers.text. A later migration that rebuilds the answers table (batch mode copies it and
# drops the old one, triggers included) must create these triggers again: tests/integration/test_answer_search.py
# fails at head otherwise. storage/answer_search.py reads the table; erasure merges it (purge_deleted).
SQLITE_TABLE = ("CREATE VIRTUAL TABLE answer_search USING fts5(text, content='answers', content_rowid='id', "
                "tokenize='trigram case_sensitive 0')")
SQLITE_TRIGGERS = (
    "CREATE TRIGGER answers_search_insert AFTER INSERT ON answers BEGIN "
    "INSERT INTO answer_search(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER answers_search_delete AFTER DELETE ON answers BEGIN "
    "INSERT INTO answer_search(answer_search, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER answers_search_update AFTER UPDATE OF text ON answers BEGIN "
    "INSERT INTO answer_search(answer_search, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO answer_search(rowid, text) VALUES (new.id, new.text); END",
)
PG_INDEX = "ix_answers_text_trgm"


def _sqlite_has_trigram(bind: sa.engine.Connection) -> bool:
    """FTS5 with the trigram tokenizer (SQLite 3.34+, FTS5 compiled in); without it search stays a LIKE scan."""
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.cna_trigram_probe USING fts5(x, tokenize='trigram')")
    except DBAPIError:
        return False
    bind.exec_driver_sql("DROP TABLE temp.cna_trigram_probe")
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        if not _sqlite_has_trigram(bind):
            return
        bind.exec_driver_sql(SQLITE_TABLE)
        bind.exec_driver_sql("INSERT INTO answer_search(answer_search) VALUES ('rebuild')")
        for trigger in SQLITE_TRIGGERS:
            bind.exec_driver_sql(trigger)
    elif bind.dialect.name == "postgresql":
        # pg_trgm ships with PostgreSQL (contrib) and is a trusted extension (13+), so a database owner may create
        # it; where it is missing or not allowed, ILIKE simply scans as before.
        try:
            with bind.begin_nested():
                bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError:
            return
        bind.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON answers USING gin (text gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("answers_search_insert", "answers_search_delete", "answers_search_update"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        bind.exec_driver_sql("DROP TABLE IF EXISTS answer_search")
    elif bind.dialect.name == "postgresql":
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")  # the extension stays: others may use it
