"""Read-only work run whole on one reader thread (SQLite): one hand-off instead of one per statement and fetch.

Why: through aiosqlite every statement, its cursor, its fetch and its close are each a round trip between the
event loop and the driver's thread. The worker batch's reads (its rows, the people's routes, the clicked
interviews, duplicates, scripts: five statements) cost the loop about a tenth of its samples in those hand-offs
alone under load (py-spy, docs/performance.md, sixth round). Here the reads are a plain function of a
synchronous connection, run on one thread with its own connection to the same file, opened `query_only` so
nothing written through it can bypass the process's write lock. WAL readers never wait for the writer, and each
SELECT sees what was committed when it started, exactly as through aiosqlite (which begins no transaction for a
SELECT either). On PostgreSQL, or with CNA_SQLITE_READER_THREAD=0, the function runs through the async engine's
connection (`run_sync`), as before.
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
    """A reader thread for a SQLite file (not :memory:, which a second connection would not see), unless turned off
    for the bench's A/B runs."""
    return os.environ.get(READER_THREAD_ENV) != "0" and engine.dialect.name == "sqlite" \
        and engine.url.database not in (None, "", ":memory:")


async def read(db: Any, fn: Callable[[Connection], T]) -> T:
    """Run fn(sync connection) as read-only work of `db` (a storage.uow.Database): on SQLite in one hand-off to the
    reader thread, elsewhere through the async engine's connection."""
    reader: ThreadReader | None = db.thread_reader()
    if reader is not None:
        return await reader.run(fn)
    engine: AsyncEngine = db.engine
    async with engine.connect() as conn:
        return await conn.run_sync(fn)
