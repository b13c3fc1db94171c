"""Write transactions run whole on one thread (SQLite): one hand-off to the driver instead of one per statement.

Why: through aiosqlite every statement, and the commit, is a round trip between the event loop and the driver's
thread. A batch of six statements held SQLite's one write lock for six of them, and each waited for the loop to
come round (and for the GIL) on a busy process: 20-70 ms of lock held for 1-2 ms of SQL, while acks queued
behind it. Here the transaction is a plain function of a synchronous connection, run on one writer thread with
its own connection, under the same in-process write lock (storage/sqlite_writes.py, priority writers first):
the lock is held for the SQL, one hand-off, and the commit. On PostgreSQL the same function runs through the
async connection (`run_sync`): asyncpg has no such cost per statement worth a thread, and row locks, not one
writer, decide who waits.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

from storage import sqlite_writes

T = TypeVar("T")
# The asyncio task that asked for the transaction, seen from the writer thread (bench/layers.py records it).
CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("cna_write_caller", default="")


class ThreadWriter:
    """One thread, one synchronous SQLite connection to the async engine's file, the async engine's write lock.

    Transactions chain on the thread: one asked for while the thread already holds the lock for an earlier one
    (and no other writer of the process waits for it) is queued on the thread behind it, acks first, instead of
    waiting for the lock to be handed back through the event loop. That hand-back cost a turn of the loop per
    transaction, and on a busy loop a turn is tens of milliseconds that an ack waited with the database idle.
    """

    def __init__(self, engine: AsyncEngine, on_connect: Callable[[Any, Any], None]):
        url = engine.url.set(drivername="sqlite")
        # One connection, used only by the one writer thread (check_same_thread off: it is made on that thread
        # lazily, but StaticPool may hand it back from the loop's thread at dispose).
        self.engine: Engine = create_engine(url, poolclass=StaticPool,
                                            connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(self.engine, "connect", on_connect)
        self.lock = sqlite_writes.lock_of(engine.sync_engine)
        # (0 for acks, 1 for the rest; arrival order; the job): the thread takes acks first.
        self.jobs: queue.PriorityQueue[tuple[int, int, Any]] = queue.PriorityQueue()
        self.order = itertools.count()
        self.thread: threading.Thread | None = None
        self.owner: object | None = None  # what holds self.lock for the chain of queued transactions
        self.held = 0  # transactions queued or running under that hold

    async def run(self, fn: Callable[[Connection], T], priority: bool = False) -> T:
        """fn(connection) inside BEGIN ... COMMIT on the writer thread (rolled back if it raises)."""
        loop = asyncio.get_running_loop()
        lock = self.lock
        chained = lock is not None and self.held > 0 and not (lock.priority or lock.normal)
        if lock is not None and not chained:
            owner = object()
            if await lock.acquire(owner, priority):
                self.owner, chained = owner, True  # nothing else holds it: self.held was 0
        if chained:
            self.held += 1
        task = asyncio.current_task()
        CALLER.set(task.get_name() if task is not None else "")
        ctx = contextvars.copy_context()
        cf: Future[T] = Future()
        if self.thread is None:
            self.thread = threading.Thread(target=self._serve, name="cna-sqlite-writer", daemon=True)
            self.thread.start()
        self.jobs.put((0 if priority else 1, next(self.order), (ctx, fn, cf)))
        if chained:
            # Let go when the thread is done with it, even if the caller is cancelled meanwhile: the SQL runs on.
            cf.add_done_callback(lambda _f: loop.call_soon_threadsafe(self._done))
        return await asyncio.shield(asyncio.wrap_future(cf))

    def _done(self) -> None:
        self.held -= 1
        if self.held == 0 and self.lock is not None:
            owner, self.owner = self.owner, None
            self.lock.release(owner)

    def _serve(self) -> None:
        while True:
            _prio, _n, job = self.jobs.get()
            if job is None:
                return
            ctx, fn, cf = job
            if not cf.set_running_or_notify_cancel():
                continue
            try:
                cf.set_result(ctx.run(self._transaction, fn))
            except BaseException as exc:
                cf.set_exception(exc)

    def _transaction(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.begin() as conn:
            return fn(conn)

    def close(self) -> None:
        if self.thread is not None:
            self.jobs.put((2, next(self.order), None))  # after every queued transaction
            self.thread.join()
            self.thread = None
        self.engine.dispose()


async def write_transaction(db: Any, fn: Callable[[Connection], T], priority: bool = False) -> T:
    """Run fn(sync connection) as one write transaction of `db` (a storage.uow.Database) and commit it."""
    writer: ThreadWriter | None = db.thread_writer()
    if writer is not None:
        return await writer.run(fn, priority)
    engine: AsyncEngine = db.engine
    async with engine.begin() as conn:
        return await conn.run_sync(fn)
