"""Reads as one function (storage/thread_reads.py): through the async connection, or (CNA_SQLITE_READER_THREAD=1)
a read-only SQLite thread of its own; either way the same rows, what was committed, nothing written there."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from bot.inbox_writer import InboxWriter
from storage.models import InboxEvent
from storage.thread_reads import read
from storage.thread_writes import write_transaction
from storage.uow import Database

pytestmark = pytest.mark.asyncio


def _row(key: str) -> dict[str, object]:
    return {"key": key, "kind": "message", "slack_user_id": "U1", "payload": {"k": key},
            "received_at": datetime(2026, 1, 1, tzinfo=UTC), "status": "pending", "attempts": 0}


def _keys(conn: Connection) -> tuple[list[str], str]:
    return list(conn.execute(select(InboxEvent.key).order_by(InboxEvent.key)).scalars()), \
        threading.current_thread().name


@pytest.mark.parametrize("thread", ["1", "0"])
async def test_a_read_sees_what_was_committed(db_url: str, thread: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNA_SQLITE_READER_THREAD", thread)
    db = await Database.open(db_url)
    try:
        await write_transaction(db, lambda conn: conn.execute(insert(InboxEvent), [_row("a"), _row("b")]))
        keys, where = await read(db, _keys)
        assert keys == ["a", "b"]
        on_thread = db.dialect == "sqlite" and thread == "1"  # PostgreSQL: always the async connection
        assert (db.thread_reader() is not None) == on_thread
        assert where.startswith("cna-sqlite-reader") == on_thread  # the whole function ran there, or not at all
        await write_transaction(db, lambda conn: conn.execute(insert(InboxEvent), [_row("c")]))
        assert (await read(db, _keys))[0] == ["a", "b", "c"]  # the next read sees the new commit
    finally:
        await db.close()


async def test_the_sqlite_reader_refuses_writes(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A write through the reader would not hold the process's write lock (storage/sqlite_writes.py): refused.
    monkeypatch.setenv("CNA_SQLITE_READER_THREAD", "1")
    db = await Database.open(sqlite_url)
    try:
        with pytest.raises(OperationalError, match="readonly"):
            await read(db, lambda conn: conn.execute(insert(InboxEvent), [_row("x")]))
        assert (await read(db, _keys))[0] == []
    finally:
        await db.close()


async def test_the_ack_paths_executemany_insert_gives_each_request_its_own_rows_id(db_url: str) -> None:
    # One statement for every group, run as an executemany: RETURNING promises no order, so ids go by key.
    db = await Database.open(db_url)
    try:
        writer = InboxWriter(db, gather=0.02)
        got: dict[str, int | None] = {}
        for size in (3, 1, 5):
            keys = [f"s{size}-{i}" for i in range(size)]
            ids = await asyncio.gather(*(writer.add(_row(k)) for k in reversed(keys)))
            got.update(zip(reversed(keys), ids, strict=True))
        stored = dict(await read(db, lambda conn: conn.execute(select(InboxEvent.key, InboxEvent.id)).all()))
        assert got == stored and len(set(got.values())) == 9
    finally:
        await db.close()
