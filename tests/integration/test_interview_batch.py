"""app.interview_batch.write on both databases: the interviews of a batch updated together (PostgreSQL: one
UPDATE ... FROM (VALUES ...)), guarded by the version each decision was made on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from app.catalog import Catalog
from app.interview_batch import INTERVIEWS, StaleBatch, Stepped, load_scripts, write
from app.interviews import InterviewService
from bench.seed import open_round, scripts_mix, seed_interviews
from core.inputs import Reply
from storage.models import Answer
from storage.thread_writes import write_transaction
from storage.uow import Database

pytestmark = pytest.mark.asyncio


def load_scripts_of(conn: Any, service: InterviewService, ids: set[int]) -> None:
    load_scripts(service, conn, ids)


async def _decided(db: Database, catalog: Catalog, ids: list[int], tag: str) -> list[Stepped]:
    service = InterviewService(db, catalog)
    now = datetime.now(UTC)
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(INTERVIEWS).where(INTERVIEWS.c.id.in_(ids)).order_by(INTERVIEWS.c.id))).all()
        await conn.run_sync(load_scripts_of, service, {iv.script_version_id for iv in rows})
    out = []
    for iv in rows:
        script = service.cached_script(iv.script_version_id)
        assert script is not None
        out.append(Stepped(iv, script, service.decide(iv, script, Reply("1"), f"{tag}{iv.id}", now)))
    return out


async def test_a_batch_updates_every_interview_at_once_and_a_moved_one_writes_nothing(
        db_url: str, catalog: Catalog) -> None:
    aid = await open_round(db_url)
    seeded = await seed_interviews(db_url, aid, ["UB1", "UB2", "UB3"], scripts_mix(catalog)[:1], catalog,
                                   in_progress_every=1)
    ids = [s.interview_id for s in seeded]
    db = await Database.open(db_url, migrate=False)
    try:
        updates: list[str] = []

        def seen(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
            if statement.lstrip().upper().startswith("UPDATE INTERVIEWS"):
                updates.append(statement)

        steps = await _decided(db, catalog, ids, "first")
        assert all(st.changes_anything for st in steps)
        engines = [db.engine.sync_engine] + ([w.engine] if (w := db.thread_writer()) is not None else [])
        for e in engines:
            event.listen(e, "before_cursor_execute", seen)
        await write_transaction(db, lambda conn: write(conn, steps))
        assert len(updates) == 1  # one statement for the three interviews (an executemany on SQLite)
        async with db.engine.connect() as conn:
            rows = (await conn.execute(select(INTERVIEWS.c.id, INTERVIEWS.c.version, INTERVIEWS.c.state)
                                       .where(INTERVIEWS.c.id.in_(ids)).order_by(INTERVIEWS.c.id))).all()
            stored = (await conn.execute(select(Answer.interview_id))).scalars().all()
        assert [r.version for r in rows] == [st.interview.version + 1 for st in steps]
        assert [r.state for r in rows] == [st.decision.changes["state"] for st in steps]
        assert sorted(stored) == sorted(ids)

        # Decisions made on the old versions of two interviews and the new one of the third: the write of the
        # batch fails as a whole and changes nothing.
        stale = await _decided(db, catalog, ids, "second")
        old = {st.interview.id: st for st in steps}
        stale = [stale[0]] + [Stepped(old[st.interview.id].interview, st.script, st.decision) for st in stale[1:]]
        with pytest.raises(StaleBatch):
            await write_transaction(db, lambda conn: write(conn, stale))
        async with db.engine.connect() as conn:
            after = (await conn.execute(select(INTERVIEWS.c.id, INTERVIEWS.c.version)
                                        .where(INTERVIEWS.c.id.in_(ids)).order_by(INTERVIEWS.c.id))).all()
            count = len((await conn.execute(select(Answer.id))).all())
        assert [r.version for r in after] == [r.version for r in rows]
        assert count == len(ids)  # the rolled-back batch stored no answer
    finally:
        for e in engines:
            event.remove(e, "before_cursor_execute", seen)
        await db.close()
