"""Reads in one hand-off (storage/thread_reads.py): on SQLite a read-only thread of its own, elsewhere the async
connection; either way the same rows, what was committed, and nothing written through the reader."""

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


async def test_a_read_sees_what_was_committed_in_one_hand_off(db_url: str) -> None:
    db = await Database.open(db_url)
    try:
        await write_transaction(db, lambda conn: conn.execute(insert(InboxEvent), [_row("a"), _row("b")]))
        keys, thread = await read(db, _keys)
        assert keys == ["a", "b"]
        if db.dialect == "sqlite":
            assert thread.startswith("cna-sqlite-reader")  # the whole function ran there, not on the loop
            assert db.thread_reader() is not None
        else:
            assert db.thread_reader() is None  # PostgreSQL: the async connection, as before
        await write_transaction(db, lambda conn: conn.execute(insert(InboxEvent), [_row("c")]))
        assert (await read(db, _keys))[0] == ["a", "b", "c"]  # the next read sees the new commit
    finally:
        await db.close()


async def test_the_sqlite_reader_refuses_writes(sqlite_url: str) -> None:
    # A write through the reader would not hold the process's write lock (storage/sqlite_writes.py): refused.
    db = await Database.open(sqlite_url)
    try:
        with pytest.raises(OperationalError, match="readonly"):
            await read(db, lambda conn: conn.execute(insert(InboxEvent), [_row("x")]))
        assert (await read(db, _keys))[0] == []
    finally:
        await db.close()


async def test_the_reader_thread_can_be_turned_off(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNA_SQLITE_READER_THREAD", "0")
    db = await Database.open(sqlite_url)
    try:
        assert db.thread_reader() is None
        keys, thread = await read(db, _keys)
        assert keys == [] and not thread.startswith("cna-sqlite-reader")
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
        stored = dict((await read(db, lambda conn: conn.execute(select(InboxEvent.key, InboxEvent.id)).all())))
        assert got == stored and len(set(got.values())) == 9
    finally:
        await db.close()
