"""Read-only work as one synchronous function: through the async engine's connection, or (opt-in) a reader thread.

`read(db, fn)` runs fn(sync connection) for the worker batch's reads and the sender's look at the outbox: one
function per read, so its statements run back to back. With CNA_SQLITE_READER_THREAD=1, on a SQLite file, it
runs whole on one thread with its own connection, opened `query_only` so nothing written through it can bypass
the process's write lock: one hand-off instead of aiosqlite's round trip per statement, cursor and fetch. That
took 0.1-0.2 ms of loop CPU per input off the event loop, but not off the process: the thread holds the GIL
for the rows' Python work while the loop waits, and in the same runs the service handled fewer inputs per
second (240 against 297, median of 3 alternating closed-load runs) with a worse ack p99 at 200/s (127 against
97 ms, median of 7 pairs, load 4-6; docs/performance.md, sixth round). So it is off unless asked for; the
switch stays for an A/B on a quiet machine (`python -m bench.latency --ab sqlite_reader_thread=1`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

T = TypeVar("T")
READER_THREAD_ENV = "CNA_SQLITE_READER_THREAD"


class ThreadReader:
    """One thread, one synchronous read-only SQLite connection to the async engine's file."""

    def __init__(self, engine: AsyncEngine, on_connect: Callable[[Any, Any], None]):
        url = engine.url.set(drivername="sqlite")
        # One connection, used only by the one reader thread (check_same_thread off: StaticPool may close it from
        # the loop's thread at dispose).
        self.engine: Engine = create_engine(url, poolclass=StaticPool,
                                            connect_args={"timeout": 30, "check_same_thread": False})

        def read_only(dbapi_conn: Any, record: Any) -> None:
            on_connect(dbapi_conn, record)
            dbapi_conn.execute("PRAGMA query_only=ON")  # a write here would not hold the process's write lock

        event.listen(self.engine, "connect", read_only)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cna-sqlite-reader")

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """fn(connection) on the reader thread; its connection is reset (rolled back) afterwards."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._read, fn)

    def _read(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            return fn(conn)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.engine.dispose()


def reader_wanted(engine: AsyncEngine) -> bool:
    """A reader thread when asked for (CNA_SQLITE_READER_THREAD=1) and the database is a SQLite file (not :memory:,
    which a second connection would not see)."""
    return os.environ.get(READER_THREAD_ENV) == "1" and engine.dialect.name == "sqlite" \
        and engine.url.database not in (None, "", ":memory:")


async def read(db: Any, fn: Callable[[Connection], T]) -> T:
    """Run fn(sync connection) as read-only work of `db` (a storage.uow.Database): through the async engine's
    connection, or in one hand-off to the reader thread when it is turned on."""
    reader: ThreadReader | None = db.thread_reader()
    if reader is not None:
        return await reader.run(fn)
    engine: AsyncEngine = db.engine
    async with engine.connect() as conn:
        return await conn.run_sync(fn)
