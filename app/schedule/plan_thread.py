"""The sweeper's planning on a thread of its own, so reading and weighing 10,000 interviews leaves the loop free.

Why: paged and chunked on the event loop, a plan of 10,000 open interviews still stalled the loop 74-88 ms at
a time on a loaded machine (bench/sweep_lag.py), and acks wait for the loop. Here the reads and the working
out run on a thread with its own event loop and its own engine (its own connections to the same database);
the loop only waits for the result. The GIL still passes between the two threads, but at Python's switch
interval (5 ms), not after a whole step. The writes stay with the caller: on SQLite they go to the writer thread
under the process's write lock, behind acks (storage/thread_writes.py).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from storage.db import make_engine
from storage.uow import Database

T = TypeVar("T")


class PlanThread:
    """One thread with an event loop and a Database of its own, made on first use and kept between ticks."""

    def __init__(self, db: Database):
        self.url = db.engine.url.render_as_string(hide_password=False)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.db: Database | None = None

    async def run(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        """`await fn(database, *args)` on the planning thread, with that thread's Database."""
        if self.loop is None:
            self.loop = asyncio.new_event_loop()
            self.thread = threading.Thread(target=self.loop.run_forever, name="cna-sweep-plan", daemon=True)
            self.thread.start()
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._call(fn, *args), self.loop))

    async def _call(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        if self.db is None:
            self.db = Database(make_engine(self.url))
        return await fn(self.db, *args)

    async def close(self) -> None:
        loop, thread, self.loop, self.thread = self.loop, self.thread, None, None
        if loop is None or thread is None:
            return
        if self.db is not None:
            db, self.db = self.db, None
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(db.close(), loop))
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join)
        loop.close()
