"""Group commit of the ack path's inbox rows: one transaction for concurrent requests, ids only after commit,
duplicates (in the same group or from before) stored once, a bad row failing only its own request."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from bot.inbox_writer import InboxWriter
from storage.models import InboxEvent
from storage.uow import Database

pytestmark = pytest.mark.asyncio


def _row(key: str, payload: object = None) -> dict[str, object]:
    return {"key": key, "kind": "message", "slack_user_id": "U1", "payload": payload or {"k": key},
            "received_at": datetime(2026, 1, 1, tzinfo=UTC), "status": "pending", "attempts": 0}


async def test_concurrent_rows_share_one_transaction_and_duplicates_are_no_ops(db_url: str) -> None:
    db = await Database.open(db_url)
    try:
        writer = InboxWriter(db, gather=0.05)
        commits: list[int] = []
        event.listen(db.engine.sync_engine, "commit", lambda _c: commits.append(1))
        if (writer_thread := db.thread_writer()) is not None:  # SQLite: the writes run on the writer thread
            event.listen(writer_thread.engine, "commit", lambda _c: commits.append(1))
        first = await writer.add(_row("k0"))  # stored before: its retry below must be a no-op
        assert first is not None
        commits.clear()
        keys = ["k0", *(f"k{i}" for i in range(1, 20)), "k5", "k7"]
        ids = await asyncio.gather(*(writer.add(_row(k)) for k in keys))
        assert len(commits) == 1  # all of them in one transaction
        assert ids[0] is None and ids[-2:] == [None, None]  # the retry and the two in-group duplicates
        new = ids[1:-2]
        assert all(isinstance(i, int) for i in new) and len(set(new)) == 19
        async with db.engine.connect() as conn:
            stored = dict((await conn.execute(select(InboxEvent.key, InboxEvent.id))).all())
            assert await conn.scalar(select(func.count()).select_from(InboxEvent)) == 20
        assert [stored[k] for k in keys[1:-2]] == new
    finally:
        await db.close()


async def test_a_row_the_database_refuses_fails_only_its_own_request(sqlite_url: str) -> None:
    db = await Database.open(sqlite_url)
    try:
        writer = InboxWriter(db, gather=0.05)
        bad = _row("bad")
        bad["kind"] = None  # NOT NULL: the shared insert fails, then each row is tried on its own
        results = await asyncio.gather(writer.add(_row("a")), writer.add(bad), writer.add(_row("b")),
                                       return_exceptions=True)
        assert isinstance(results[0], int) and isinstance(results[2], int)
        assert isinstance(results[1], Exception)
        async with db.engine.connect() as conn:
            assert sorted((await conn.execute(select(InboxEvent.key))).scalars()) == ["a", "b"]
    finally:
        await db.close()


async def test_rows_that_arrive_while_the_write_waits_for_the_lock_go_into_that_same_transaction(
        sqlite_url: str) -> None:
    """The group is the rows waiting when the transaction starts, not when it was asked for: acks that come in
    while a worker batch holds SQLite's write lock share one insert after it, and none waits for an earlier
    group of acks to commit first."""
    from storage.sqlite_writes import lock_of

    db = await Database.open(sqlite_url)
    try:
        writer = InboxWriter(db)  # no gathering timer: the lock decides the group
        writer_thread = db.thread_writer()
        assert writer_thread is not None
        commits: list[int] = []
        event.listen(writer_thread.engine, "commit", lambda _c: commits.append(1))
        lock = lock_of(db.engine.sync_engine)
        assert lock is not None
        batch = object()
        assert await lock.acquire(batch, priority=False)  # a worker batch holds the write lock
        first = asyncio.create_task(writer.add(_row("a0")))
        await asyncio.sleep(0.05)  # its write is asked for and waits for the lock
        later = [asyncio.create_task(writer.add(_row(f"a{i}"))) for i in range(1, 10)]
        await asyncio.sleep(0.05)
        assert not first.done() and commits == []
        lock.release(batch)
        ids = await asyncio.gather(first, *later)
        assert len(commits) == 1  # all ten in the transaction that waited for the lock
        assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 10
        # With nothing in the way, a lone request is written at once, no timer first.
        commits.clear()
        assert isinstance(await asyncio.wait_for(writer.add(_row("b")), 5), int)
        assert len(commits) == 1
    finally:
        await db.close()
