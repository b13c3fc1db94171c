"""The in-process SQLite write queue: priority writes first, released on commit, rollback and cancellation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from storage.db import make_engine, priority_write
from storage.models import InboxEvent
from storage.sqlite_writes import WriteLock, lock_of
from storage.uow import Database


def _row(key: str) -> dict[str, object]:
    return {"key": key, "kind": "message", "slack_user_id": "U1", "payload": {},
            "received_at": datetime(2026, 1, 1, tzinfo=UTC)}


async def _until(cond: object) -> None:
    for _ in range(2000):
        if cond():  # type: ignore[operator]
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not reached")


@pytest.fixture
async def sqlite_db(sqlite_url: str):  # type: ignore[no-untyped-def]
    database = await Database.open(sqlite_url)
    yield database
    await database.close()


async def test_priority_write_goes_before_queued_writes(sqlite_db: Database) -> None:
    lock = lock_of(sqlite_db.engine.sync_engine)
    assert lock is not None
    release = asyncio.Event()

    async def holder() -> None:
        async with sqlite_db.engine.begin() as conn:
            await conn.execute(insert(InboxEvent).values(**_row("held")))
            await release.wait()

    async def writer(key: str, urgent: bool) -> None:
        stmt = insert(InboxEvent).values(**_row(key))
        async with sqlite_db.engine.begin() as conn:
            await conn.execute(priority_write(stmt) if urgent else stmt)

    held = asyncio.create_task(holder())
    await _until(lambda: lock.holder is not None)
    normal = asyncio.create_task(writer("normal", False))
    await _until(lambda: len(lock.normal) == 1)
    urgent = asyncio.create_task(writer("urgent", True))
    await _until(lambda: len(lock.priority) == 1)
    release.set()
    await asyncio.gather(held, normal, urgent)
    async with sqlite_db.engine.connect() as conn:
        keys = (await conn.execute(select(InboxEvent.key).order_by(InboxEvent.id))).scalars().all()
    assert keys == ["held", "urgent", "normal"]  # the ack's insert overtook the queued worker write
    assert lock.holder is None


async def test_rollback_and_cancelled_waiter_free_the_lock(sqlite_db: Database) -> None:
    lock = lock_of(sqlite_db.engine.sync_engine)
    assert lock is not None
    with pytest.raises(RuntimeError):
        async with sqlite_db.uow() as uow:
            await uow.session.execute(insert(InboxEvent).values(**_row("rolled back")))
            raise RuntimeError("boom")
    assert lock.holder is None

    release = asyncio.Event()

    async def holder() -> None:
        async with sqlite_db.uow() as uow:
            await uow.session.execute(insert(InboxEvent).values(**_row("a")))
            await release.wait()
            await uow.commit()

    async def writer() -> None:
        async with sqlite_db.uow() as uow:
            await uow.session.execute(insert(InboxEvent).values(**_row("cancelled")))
            await uow.commit()

    held = asyncio.create_task(holder())
    await _until(lambda: lock.holder is not None)
    waiting = asyncio.create_task(writer())
    await _until(lambda: len(lock.normal) == 1)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await held
    async with sqlite_db.uow() as uow:
        await uow.session.execute(insert(InboxEvent).values(**_row("after")))
        await uow.commit()
    assert lock.holder is None
    async with sqlite_db.engine.connect() as conn:
        keys = (await conn.execute(select(InboxEvent.key).order_by(InboxEvent.id))).scalars().all()
    assert keys == ["a", "after"]


async def test_lock_handed_over_in_order_and_timeout_falls_back() -> None:
    lock = WriteLock(wait_timeout=0.05)
    a, b, c = object(), object(), object()
    assert await lock.acquire(a, priority=False)
    assert not await lock.acquire(b, priority=False)  # timed out: goes ahead under SQLite's own busy timeout
    assert not lock.normal or all(f.cancelled() for f in lock.normal)
    waiter = asyncio.create_task(lock.acquire(c, priority=False))
    await _until(lambda: any(not f.done() for f in lock.normal))
    lock.release(a)
    assert await waiter
    assert lock.holder is c
    lock.release(c)
    assert lock.holder is None


def test_postgresql_engines_get_no_lock() -> None:
    engine = make_engine("postgresql://someone@localhost/cna")
    assert lock_of(engine.sync_engine) is None
