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
