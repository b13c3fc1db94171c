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


async def test_writer_thread_chains_transactions_acks_first_and_yields_to_other_writers(
        sqlite_db: Database) -> None:
    """Transactions asked of the writer thread while it holds the lock queue on the thread (acks before the
    rest) without the lock going back through the event loop; a writer of the process that waits for the lock
    (through aiosqlite) stops the chain, and the lock is free once the thread has nothing left."""
    import threading

    from storage.thread_writes import write_transaction

    lock = lock_of(sqlite_db.engine.sync_engine)
    assert lock is not None and sqlite_db.thread_writer() is not None
    order: list[str] = []
    go = threading.Event()
    running = threading.Event()  # the waiting job is inside its transaction (not just queued behind the lock)

    def job(key: str, wait: bool = False):  # type: ignore[no-untyped-def]
        def fn(conn):  # type: ignore[no-untyped-def]
            if wait:
                running.set()
                go.wait(10)
            conn.execute(insert(InboxEvent).values(**_row(key)))
            order.append(key)
            return key
        return fn

    first = asyncio.create_task(write_transaction(sqlite_db, job("first", wait=True)))
    # Wait for the job itself to run, not only for the lock to be held: on a loaded machine (CI once) the thread held
    # the lock with "first" not yet started, and the ack queued after it ran before it.
    await _until(lambda: lock.holder is not None and running.is_set())
    holder = lock.holder
    later = asyncio.create_task(write_transaction(sqlite_db, job("later")))
    ack = asyncio.create_task(write_transaction(sqlite_db, job("ack"), priority=True))
    await asyncio.sleep(0.05)
    assert lock.holder is holder and not lock.priority and not lock.normal  # chained, not queued on the lock
    go.set()
    assert await asyncio.gather(first, later, ack) == ["first", "later", "ack"]
    assert order == ["first", "ack", "later"]
    await _until(lambda: lock.holder is None)

    # Another writer waits for the lock: the next thread transaction queues on the lock behind it (it is an
    # ack: before normal waiters, after the transaction running now).
    go.clear()
    running.clear()
    order.clear()
    first = asyncio.create_task(write_transaction(sqlite_db, job("first2", wait=True)))
    await _until(lambda: lock.holder is not None and running.is_set())

    async def other() -> None:
        async with sqlite_db.engine.begin() as conn:
            await conn.execute(insert(InboxEvent).values(**_row("other")))
        order.append("other")

    waiting = asyncio.create_task(other())
    await _until(lambda: bool(lock.normal))
    ack = asyncio.create_task(write_transaction(sqlite_db, job("ack2"), priority=True))
    await _until(lambda: bool(lock.priority))
    go.set()
    await asyncio.gather(first, waiting, ack)
    assert order == ["first2", "ack2", "other"]
    await _until(lambda: lock.holder is None)
    async with sqlite_db.engine.connect() as conn:
        keys = set((await conn.execute(select(InboxEvent.key))).scalars())
    assert keys == {"first", "later", "ack", "first2", "ack2", "other"}
