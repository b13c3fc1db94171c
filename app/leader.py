"""Leader election shared by the sweeper and the outbox sender: one holder per database and role at a time,
released when the holder dies (PostgreSQL ends its session, the kernel closes its file descriptor)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from storage.uow import Database

log = logging.getLogger(__name__)


def lock_key(name: bytes) -> int:
    """A pg advisory lock key from eight ASCII bytes ("cna_swee", "cna_send"), unlikely to collide with
    another application's keys."""
    assert len(name) == 8
    return int.from_bytes(name, "big")


# TCP keepalives for the lock's session, so the server notices a holder whose host vanished (not just its
# process) within about half a minute instead of the operating system's two hours. Per-session settings.
KEEPALIVES = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5", "tcp_keepalives_count": "3"}


class Leader(Protocol):
    """Exactly one holder at a time, released when the holder dies."""

    async def acquire(self) -> bool: ...

    async def release(self) -> None: ...


class PgLeader:
    """A session-level advisory lock on a dedicated connection. PostgreSQL drops it with the session, so a
    killed holder (even kill -9) hands over as soon as its connection is gone."""

    def __init__(self, db: Database, key: int, role: str = "sweeper"):
        # Its own engine without a pool: the lock lives exactly as long as this one connection.
        self._engine = create_async_engine(db.engine.url, poolclass=NullPool)
        self.key = key
        self.role = role
        self._conn: AsyncConnection | None = None
        self._listeners: list[tuple[str, Callable[..., Any]]] = []

    async def acquire(self) -> bool:
        """True while we hold the lock (checked with a round trip on its connection), else one try to get it."""
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except Exception as exc:
                log.warning("%s lost its lock connection (%s); trying again", self.role, type(exc).__name__)
                await self.abandon()
        conn = await self._engine.connect()
        try:
            # AUTOCOMMIT: holding the lock must not hold a transaction open for hours.
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            got = bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}))
            if got:
                for name, value in KEEPALIVES.items():
                    with contextlib.suppress(Exception):
                        await conn.execute(text("SELECT set_config(:n, :v, false)"), {"n": name, "v": value})
                for channel, callback in self._listeners:
                    await _add_listener(conn, channel, callback)
        except BaseException:
            await conn.close()
            raise
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def listen(self, channel: str, callback: Callable[..., Any]) -> None:
        """LISTEN on the lock's connection while we hold it (again after every new connection), so only the
        holder hears `NOTIFY channel`. `callback(connection, pid, channel, payload)`, as asyncpg calls it."""
        self._listeners.append((channel, callback))
        if self._conn is not None:
            await _add_listener(self._conn, channel, callback)

    async def abandon(self) -> None:
        """Drop the connection without a round trip (it may be dead or hung); the server frees the lock."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.invalidate()
            with contextlib.suppress(Exception):
                await conn.close()

    async def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None
        await self._engine.dispose()


async def _add_listener(conn: AsyncConnection, channel: str, callback: Callable[..., Any]) -> None:
    raw = await conn.get_raw_connection()
    await raw.driver_connection.add_listener(channel, callback)  # type: ignore[union-attr]


class FileLeader:
    """SQLite: an exclusive flock next to the database file (`<database><suffix>`). One process per SQLite
    database is the supported setup; the lock keeps a second process (an operator's `cna schedule run-due`,
    a second `cna serve` by mistake) from doing the same role's work at once."""

    def __init__(self, db_path: str, suffix: str = ".sweeper.lock"):
        self.path = Path(db_path + suffix)
        self._fd: int | None = None

    async def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    async def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class AlwaysLeader:
    """An in-memory SQLite database belongs to one process: it always leads."""

    async def acquire(self) -> bool:
        return True

    async def release(self) -> None:
        return None


def leader_for(db: Database, key: int, suffix: str, role: str = "sweeper") -> Leader:
    """The election for one role: an advisory lock `key` on PostgreSQL, a flock on `<file><suffix>` on SQLite."""
    if db.dialect == "postgresql":
        return PgLeader(db, key, role)
    path = make_url(str(db.engine.url)).database
    if path and path != ":memory:":
        return FileLeader(str(Path(path).expanduser().resolve()), suffix)
    return AlwaysLeader()
