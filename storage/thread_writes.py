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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

from storage import sqlite_writes

T = TypeVar("T")
# The asyncio task that asked for the transaction, seen from the writer thread (bench/layers.py counts by it).
CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("cna_write_caller", default="")


class ThreadWriter:
    """One thread, one synchronous SQLite connection to the async engine's file, the async engine's write lock."""

    def __init__(self, engine: AsyncEngine, on_connect: Callable[[Any, Any], None]):
        url = engine.url.set(drivername="sqlite")
        # One connection, used only by the one writer thread (check_same_thread off: it is made on that thread
        # lazily, but StaticPool may hand it back from the loop's thread at dispose).
        self.engine: Engine = create_engine(url, poolclass=StaticPool,
                                            connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(self.engine, "connect", on_connect)
        self.lock = sqlite_writes.lock_of(engine.sync_engine)
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="cna-sqlite-writer")

    async def run(self, fn: Callable[[Connection], T], priority: bool = False) -> T:
        """fn(connection) inside BEGIN ... COMMIT on the writer thread (rolled back if it raises)."""
        owner = object()
        got = self.lock is None or await self.lock.acquire(owner, priority)
        task = asyncio.current_task()
        CALLER.set(task.get_name() if task is not None else "")
        ctx = contextvars.copy_context()
        cf = self.pool.submit(ctx.run, self._transaction, fn)
        if got and self.lock is not None:
            # Released when the thread is done, even if the caller is cancelled meanwhile: the SQL runs on.
            loop = asyncio.get_running_loop()
            cf.add_done_callback(lambda _f: loop.call_soon_threadsafe(self._release, owner))
        return await asyncio.shield(asyncio.wrap_future(cf))

    def _release(self, owner: object) -> None:
        assert self.lock is not None
        self.lock.release(owner)

    def _transaction(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.begin() as conn:
            return fn(conn)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.engine.dispose()


async def write_transaction(db: Any, fn: Callable[[Connection], T], priority: bool = False) -> T:
    """Run fn(sync connection) as one write transaction of `db` (a storage.uow.Database) and commit it."""
    writer: ThreadWriter | None = db.thread_writer()
    if writer is not None:
        return await writer.run(fn, priority)
    engine: AsyncEngine = db.engine
    async with engine.begin() as conn:
        return await conn.run_sync(fn)
