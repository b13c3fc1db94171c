"""One in-process writer at a time on a SQLite engine, queued in asyncio, with priority writes going first."""

from __future__ import annotations

import asyncio
import collections
import logging
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.util import await_only

log = logging.getLogger("cna.storage")

# An execution option on a write statement: its transaction jumps the queue (the ack path's inbox insert, which
# Slack times out at 3 s; worker and sender transactions can wait a few milliseconds more).
PRIORITY = "cna_priority_write"
# Python's sqlite3 opens a transaction implicitly before these statements (and only these): the first of them
# in a transaction is where SQLite takes its write lock, so that is where we take ours.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_LOCKS: weakref.WeakKeyDictionary[Engine, WriteLock] = weakref.WeakKeyDictionary()


class WriteLock:
    """A lock held by one DBAPI connection from its first write statement to its commit or rollback.

    Why: SQLite has one writer, and a connection that finds the file locked sleeps in its busy handler in
    steps of 1, 2, 5 ... 100 ms, even if the lock was freed a microsecond later. Queued here instead, the
    next writer starts the moment the previous one commits, and priority writers (acks) go before the rest.
    Other processes on the same file still meet SQLite's own lock and busy timeout, as before.
    """

    def __init__(self, wait_timeout: float) -> None:
        self.holder: Any = None  # the DBAPI connection in its write transaction
        self.priority: collections.deque[asyncio.Future[None]] = collections.deque()
        self.normal: collections.deque[asyncio.Future[None]] = collections.deque()
        self.wait_timeout = wait_timeout
        self.bypass: set[Any] = set()  # connections writing without the lock after waiting wait_timeout

    async def acquire(self, owner: Any, priority: bool) -> bool:
        """Wait for the lock (priority waiters first); False if it was not ours within wait_timeout."""
        if self.holder is None and not self.priority and not self.normal:
            self.holder = owner
            return True
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self.priority if priority else self.normal).append(fut)
        try:
            await asyncio.wait_for(asyncio.shield(fut), self.wait_timeout)
        except BaseException as exc:
            if fut.done() and not fut.cancelled():
                self._hand_on()  # handed to us just as we were cancelled or timed out: pass it on
            else:
                fut.cancel()  # skipped by _hand_on
            if isinstance(exc, TimeoutError):
                # A writer kept it this long (a stuck or nested transaction): leave it to SQLite's busy timeout,
                # which is what happened before this lock existed, rather than wait forever.
                log.warning("SQLite write lock not free after %.0f s; going ahead without it", self.wait_timeout)
                return False
            raise
        self.holder = owner
        return True

    def release(self, owner: Any) -> None:
        self.bypass.discard(owner)
        if owner is not None and self.holder is owner:
            self._hand_on()

    def _hand_on(self) -> None:
        self.holder = None
        for queue in (self.priority, self.normal):
            while queue:
                fut = queue.popleft()
                if not fut.done():
                    # Reserved for that waiter: nobody else may take it between now and when its task runs.
                    self.holder = fut
                    fut.set_result(None)
                    return


def _dbapi(conn: Any) -> Any:
    """The raw DBAPI connection behind a pool proxy (dialect methods get the proxy, pool events the raw one)."""
    return getattr(conn, "dbapi_connection", conn)


def install(engine: Engine, wait_timeout: float = 10.0) -> WriteLock:
    """Serialise the write transactions of a (sync side of an async) SQLite engine through one WriteLock."""
    lock = WriteLock(wait_timeout)
    dialect = engine.dialect

    @event.listens_for(engine, "before_cursor_execute")
    def take(conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        raw = _dbapi(conn.connection)
        if lock.holder is raw or raw in lock.bypass or not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        priority = bool(context is not None and context.execution_options.get(PRIORITY))
        if not await_only(lock.acquire(raw, priority)):
            lock.bypass.add(raw)

    # Released after the commit or rollback has finished, not before (ConnectionEvents.commit fires before it):
    # handing over earlier sends the next writer into SQLite's busy handler for the last few hundred µs.
    do_commit, do_rollback = dialect.do_commit, dialect.do_rollback

    def commit(dbapi_connection: Any) -> None:
        try:
            do_commit(dbapi_connection)
        finally:
            lock.release(_dbapi(dbapi_connection))

    def rollback(dbapi_connection: Any) -> None:
        try:
            do_rollback(dbapi_connection)
        finally:
            lock.release(_dbapi(dbapi_connection))

    dialect.do_commit = commit  # type: ignore[method-assign]
    dialect.do_rollback = rollback  # type: ignore[method-assign]

    def dropped(dbapi_connection: Any, *_args: Any) -> None:
        lock.release(dbapi_connection)  # a connection closed or invalidated inside its write transaction

    for name in ("checkin", "invalidate", "close", "close_detached"):
        event.listen(engine, name, dropped)
    _LOCKS[engine] = lock
    return lock


def lock_of(engine: Engine) -> WriteLock | None:
    """The engine's write lock; None for engines without one (PostgreSQL)."""
    return _LOCKS.get(engine)
