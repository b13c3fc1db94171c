"""Many inputs stored at once: decisions of InterviewService.decide written with multi-row Core statements."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import DateTime, Integer, Table, Text, bindparam, func, insert, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Connection

from app.interviews import AnswerOp, Decision, InterviewService, Outcome
from core.script import Script
from storage.models import Answer, Coding, Interview, ScriptVersion

ANSWERS = cast(Table, Answer.__table__)
CODINGS = cast(Table, Coding.__table__)
INTERVIEWS = cast(Table, Interview.__table__)
# The columns a decision may change; an executemany UPDATE needs the same ones in every row.
CHANGED = ("state", "status", "last_activity_at", "started_at", "completed_at", "ended_at")


class StaleBatch(RuntimeError):
    """An interview changed between the batch's read and its write (its version moved): write nothing."""


@dataclass
class Stepped:
    """One input's decision against the interview row it was made on; answer ids are filled in by the write."""

    interview: Any  # a Core row of `interviews`
    script: Script
    decision: Decision
    answer_ids: list[int] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        status = self.decision.changes.get("status", self.interview.status)
        return Outcome(self.interview.id, self.script, status, self.decision.events, self.answer_ids)

    @property
    def changes_anything(self) -> bool:
        c = self.decision.changes
        iv = self.interview
        return any(c[k] != getattr(iv, k) for k in c)


def load_scripts(service: InterviewService, conn: Connection, version_ids: Iterable[int]) -> None:
    """Put the frozen scripts of these versions in the service's cache (one SELECT for those not there yet)."""
    missing = {v for v in version_ids if service.cached_script(v) is None}
    if not missing:
        return
    rows = conn.execute(select(ScriptVersion.id, ScriptVersion.body).where(ScriptVersion.id.in_(missing)))
    for sv_id, body in rows:
        service.keep_script(sv_id, body)


def write(conn: Connection, steps: Sequence[Stepped]) -> None:
    """Answers (one multi-row INSERT ... RETURNING), their codings (one executemany), the interviews (one
    executemany UPDATE guarded by the version each decision was made on; on PostgreSQL one UPDATE ... FROM
    unnest(arrays)). Raises StaleBatch when an interview
    moved meanwhile; the caller rolls the whole transaction back. Supersedes are not handled here: a decision
    that goes back takes the one-by-one path. Synchronous: it runs inside storage.thread_writes' transaction."""
    answer_rows: list[dict[str, Any]] = []
    owners: list[tuple[Stepped, AnswerOp]] = []
    for st in steps:
        for op in st.decision.ops:
            assert isinstance(op, AnswerOp), "supersedes take the one-by-one path"
            answer_rows.append(op.values)
            owners.append((st, op))
    if answer_rows:
        ids = (conn.execute(insert(ANSWERS).returning(ANSWERS.c.id, sort_by_parameter_order=True),
                                  answer_rows)).scalars().all()
        codings: list[dict[str, Any]] = []
        for (st, op), aid in zip(owners, ids, strict=True):
            st.answer_ids.append(aid)
            created = op.values["created_at"]
            codings.extend({"answer_id": aid, "code_id": h.code_id, "source": "auto", "status": "proposed",
                            "confidence": h.confidence, "rule": str(h.rule)[:200], "cue": str(h.cue)[:200],
                            "coder": "auto", "created_at": created} for h in op.hits)
        if codings:
            conn.execute(insert(CODINGS), codings)
    changed = [st for st in steps if st.changes_anything]
    if not changed:
        return
    rows = []
    for st in changed:
        iv, c = st.interview, st.decision.changes
        row = {f"n_{k}": c.get(k, getattr(iv, k)) for k in CHANGED}
        row.update(b_id=iv.id, b_version=iv.version, n_version=iv.version + 1)
        rows.append(row)
    if conn.dialect.name == "postgresql":
        _update_from_values(conn, rows)
        return
    stmt = (update(INTERVIEWS)
            .where(INTERVIEWS.c.id == bindparam("b_id"), INTERVIEWS.c.version == bindparam("b_version"))
            .values(version=bindparam("n_version"), **{k: bindparam(f"n_{k}") for k in CHANGED}))
    result = conn.execute(stmt, rows)
    if result.rowcount != len(rows):
        raise StaleBatch(f"{len(rows) - result.rowcount} interview(s) changed meanwhile")


def _update_from_values(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: every interview in one `UPDATE ... FROM unnest(<arrays>) RETURNING id`, one round trip to the
    server instead of one guarded UPDATE each (asyncpg's executemany reports no row counts). One array per
    column keeps the statement's text the same for any batch size, so it is compiled and prepared once (a
    VALUES list of rows is compiled anew for every batch: more CPU than the round trips it saved). The rows
    returned are the ones whose version still matched; one missing is a stale batch."""
    got = set(conn.execute(_UNNEST_UPDATE, {
        "b_id": [r["b_id"] for r in rows], "b_version": [r["b_version"] for r in rows],
        # JSON as text, cast to jsonb by the server (an array of the JSONB type has no bind processing here).
        "n_state": [json.dumps(r["n_state"]) for r in rows],
        **{f"n_{k}": [r[f"n_{k}"] for r in rows] for k in CHANGED if k != "state"}}).scalars())
    if len(got) != len(rows):
        missing = sorted({r["b_id"] for r in rows} - got)
        raise StaleBatch(f"interview(s) {missing} changed meanwhile")


def _unnest_update() -> Any:
    types = {"b_id": Integer(), "b_version": Integer(), "n_state": Text(), "n_status": Text(),
             **{f"n_{k}": DateTime(timezone=True) for k in CHANGED if k not in ("state", "status")}}
    names = list(types)
    v = func.unnest(*(bindparam(n, type_=ARRAY(t)) for n, t in types.items())).table_valued(*names) \
        .render_derived(name="v")
    new = {k: (sql_cast(v.c.n_state, JSONB) if k == "state" else v.c[f"n_{k}"]) for k in CHANGED}
    return (update(INTERVIEWS)
            .where(INTERVIEWS.c.id == v.c.b_id, INTERVIEWS.c.version == v.c.b_version)
            .values(version=INTERVIEWS.c.version + 1, **new)
            .returning(INTERVIEWS.c.id))


_UNNEST_UPDATE = _unnest_update()
