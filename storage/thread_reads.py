"""Read-and-work jobs on one thread with its own SQLite connection: the inbox batch's reads and engine work.

Why: a batch of 32 inputs spent its reads (five SELECTs, each a round trip through aiosqlite's thread and back
through the event loop) and its engine work (the prober, the judge and the coder: about 0.7 ms an input) on
the event loop, where acks waited behind them. Here the whole of it is a plain function of a synchronous
connection, run on a thread of its own in one hand-off; the loop only waits for the result. The GIL still
passes between the threads, but at Python's switch interval, not after each step. SQLite in WAL mode lets
this connection read while the writer thread writes. PostgreSQL has no such thread (its driver is async only).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import StaticPool

T = TypeVar("T")


class ThreadReader:
    """One thread, one synchronous SQLite connection to the async engine's file, for reads only."""

    def __init__(self, engine: AsyncEngine, on_connect: Callable[[Any, Any], None]):
        url = engine.url.set(drivername="sqlite")
        self.engine: Engine = create_engine(url, poolclass=StaticPool,
                                            connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(self.engine, "connect", on_connect)
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="cna-sqlite-reader")

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """fn(connection) on the reader thread; whatever it read is not kept in a transaction afterwards."""
        return await asyncio.wrap_future(self.pool.submit(self._read, fn))

    def _read(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:  # rolled back on the way out: it only reads
            return fn(conn)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.engine.dispose()
