"""plan marks (issue 20): what changed since the sweeper last planned it, written by triggers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The sweeper plans only the interviews marked here (app/schedule/plan_marks.py) instead of re-weighing every
# open interview each minute. Triggers, not application code, write the marks, so no code path (the worker's
# batch, the CLI, erasure, a raw UPDATE) can change what planning reads without marking it. A mark is upserted
# with a new token on every write; the planner deletes a mark only if its token is still the one it read, so
# a change committed after the planner read the data (in any commit order) keeps its mark for the next plan.
#
# What planning reads (app/schedule/plan.py): of an interview its status, round, person, mode, interviewer,
# last activity, nudges sent, snooze and segment; of a person opted_out and tz; of an identity its existence
# and Slack user; the interview's nudge items; of a round its status and settings ("a": the whole round is
# re-planned). Round-level items (refresh reminders, the next round) are few and re-planned every tick.
IV_COLUMNS = ("status", "assessment_id", "participant_id", "mode", "interviewer_slack_id", "last_activity_at",
              "nudges_sent", "snoozed_until", "segment")
PERSON_COLUMNS = ("opted_out", "tz")
IDENT_COLUMNS = ("participant_id", "slack_user_id")
ROUND_COLUMNS = ("status", "settings")

SQLITE_UPSERT = "ON CONFLICT (kind, ref_id) DO UPDATE SET token = excluded.token"
# The planner's own writes to schedule items mark nothing: the items then are what the plan worked out, and any
# later change to what it read marks as usual. Its write transactions hold a row of kind "w" that no other
# transaction sees (SQLite: one writer at a time; PostgreSQL: uncommitted), deleted before they commit.
NOT_PLANNING = "NOT EXISTS (SELECT 1 FROM plan_marks WHERE kind = 'w')"


def _changed(columns: tuple[str, ...], sqlite: bool) -> str:
    if sqlite:
        return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in columns)


def _sqlite_mark(kind: str, ref: str) -> str:
    return f"INSERT INTO plan_marks (kind, ref_id, token) VALUES ('{kind}', {ref}, random()) {SQLITE_UPSERT};"


def _sqlite_people(participant: str) -> str:
    return (f"INSERT INTO plan_marks (kind, ref_id, token) SELECT 'i', id, random() FROM interviews "
            f"WHERE participant_id = {participant} {SQLITE_UPSERT};")


SQLITE_TRIGGERS = {
    "plan_mark_interview_insert": f"AFTER INSERT ON interviews BEGIN {_sqlite_mark('i', 'NEW.id')} END",
    "plan_mark_interview_update": (f"AFTER UPDATE ON interviews WHEN {_changed(IV_COLUMNS, True)} "
                                   f"BEGIN {_sqlite_mark('i', 'NEW.id')} END"),
    "plan_mark_interview_delete": f"AFTER DELETE ON interviews BEGIN {_sqlite_mark('i', 'OLD.id')} END",
    "plan_mark_person_update": (f"AFTER UPDATE ON participants WHEN {_changed(PERSON_COLUMNS, True)} "
                                f"BEGIN {_sqlite_people('NEW.id')} END"),
    "plan_mark_identity_insert": f"AFTER INSERT ON identities BEGIN {_sqlite_people('NEW.participant_id')} END",
    "plan_mark_identity_update": (f"AFTER UPDATE ON identities WHEN {_changed(IDENT_COLUMNS, True)} "
                                  f"BEGIN {_sqlite_people('OLD.participant_id')} "
                                  f"{_sqlite_people('NEW.participant_id')} END"),
    "plan_mark_identity_delete": f"AFTER DELETE ON identities BEGIN {_sqlite_people('OLD.participant_id')} END",
    "plan_mark_item_insert": (f"AFTER INSERT ON schedule_items WHEN NEW.kind = 'nudge' AND NEW.interview_id IS "
                              f"NOT NULL AND {NOT_PLANNING} BEGIN {_sqlite_mark('i', 'NEW.interview_id')} END"),
    "plan_mark_item_update": (f"AFTER UPDATE ON schedule_items WHEN NEW.kind = 'nudge' AND NEW.interview_id IS "
                              f"NOT NULL AND {NOT_PLANNING} BEGIN {_sqlite_mark('i', 'NEW.interview_id')} END"),
    "plan_mark_item_delete": (f"AFTER DELETE ON schedule_items WHEN OLD.kind = 'nudge' AND OLD.interview_id IS "
                              f"NOT NULL AND {NOT_PLANNING} BEGIN {_sqlite_mark('i', 'OLD.interview_id')} END"),
    "plan_mark_round_update": (f"AFTER UPDATE ON assessments WHEN {_changed(ROUND_COLUMNS, True)} "
                               f"BEGIN {_sqlite_mark('a', 'NEW.id')} END"),
}

# PostgreSQL: tokens from a sequence (never reused); statement-level triggers with transition tables, so the
# worker's batch UPDATE of many interviews writes its marks in one INSERT, not one per row.
PG_UPSERT = "ON CONFLICT (kind, ref_id) DO UPDATE SET token = excluded.token"
PG_TOKEN = "nextval('plan_mark_token')"


def _pg_marks(kind: str, ids_sql: str) -> str:
    return (f"INSERT INTO plan_marks (kind, ref_id, token) SELECT '{kind}', ref, {PG_TOKEN} "
            f"FROM (SELECT DISTINCT ref FROM ({ids_sql}) AS x(ref) WHERE ref IS NOT NULL ORDER BY ref) AS y "
            f"{PG_UPSERT};")


def _pg_people(rows: str) -> str:
    return _pg_marks("i", f"SELECT iv.id FROM interviews iv JOIN {rows} r ON iv.participant_id = r.participant_id")


_ITEM = f"kind = 'nudge' AND {NOT_PLANNING}"
PG_FUNCTIONS = {
    # name: (table, event, transition tables, body)
    "plan_mark_interview_insert": ("interviews", "INSERT", "NEW TABLE AS n",
                                   _pg_marks("i", "SELECT id FROM n")),
    "plan_mark_interview_update": ("interviews", "UPDATE", "OLD TABLE AS o NEW TABLE AS n",
                                   _pg_marks("i", f"SELECT n.id FROM n JOIN o ON o.id = n.id "
                                                  f"WHERE {_changed(IV_COLUMNS, False)}")),
    "plan_mark_interview_delete": ("interviews", "DELETE", "OLD TABLE AS o", _pg_marks("i", "SELECT id FROM o")),
    "plan_mark_person_update": ("participants", "UPDATE", "OLD TABLE AS o NEW TABLE AS n",
                                _pg_people(f"(SELECT n.id AS participant_id FROM n JOIN o ON o.id = n.id "
                                           f"WHERE {_changed(PERSON_COLUMNS, False)})")),
    "plan_mark_identity_insert": ("identities", "INSERT", "NEW TABLE AS n", _pg_people("n")),
    "plan_mark_identity_update": ("identities", "UPDATE", "OLD TABLE AS o NEW TABLE AS n",
                                  _pg_people("(SELECT participant_id FROM o UNION SELECT participant_id FROM n)")),
    "plan_mark_identity_delete": ("identities", "DELETE", "OLD TABLE AS o", _pg_people("o")),
    "plan_mark_item_insert": ("schedule_items", "INSERT", "NEW TABLE AS n",
                              _pg_marks("i", f"SELECT interview_id FROM n WHERE {_ITEM}")),
    "plan_mark_item_update": ("schedule_items", "UPDATE", "NEW TABLE AS n",
                              _pg_marks("i", f"SELECT interview_id FROM n WHERE {_ITEM}")),
    "plan_mark_item_delete": ("schedule_items", "DELETE", "OLD TABLE AS o",
                              _pg_marks("i", f"SELECT interview_id FROM o WHERE {_ITEM}")),
    "plan_mark_round_update": ("assessments", "UPDATE", "OLD TABLE AS o NEW TABLE AS n",
                               _pg_marks("a", f"SELECT n.id FROM n JOIN o ON o.id = n.id "
                                              f"WHERE {_changed(ROUND_COLUMNS, False)}")),
}


def upgrade() -> None:
    op.create_table('plan_marks',
    sa.Column('kind', sa.String(length=1), nullable=False),
    sa.Column('ref_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'ref_id', name=op.f('pk_plan_marks'))
    )
    # Not in batch mode: a rebuilt table would lose its triggers. The scoped plan reads items by interview.
    op.create_index(op.f('ix_schedule_items_interview_id'), 'schedule_items', ['interview_id'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            bind.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    elif bind.dialect.name == "postgresql":
        bind.exec_driver_sql("CREATE SEQUENCE plan_mark_token")
        for name, (table, event, transition, body) in PG_FUNCTIONS.items():
            bind.exec_driver_sql(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                                 f"BEGIN {body} RETURN NULL; END $$")
            bind.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition} "
                                 f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    # Everything open now is planned by the sweeper's first (full) plan at start; no marks needed.


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    elif bind.dialect.name == "postgresql":
        for name, (table, *_rest) in PG_FUNCTIONS.items():
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        bind.exec_driver_sql("DROP SEQUENCE IF EXISTS plan_mark_token")
    op.drop_index(op.f('ix_schedule_items_interview_id'), table_name='schedule_items')
    op.drop_table('plan_marks')
