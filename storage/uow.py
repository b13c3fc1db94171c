"""The unit of work: one session and transaction per use, committed explicitly, rolled back otherwise."""

from __future__ import annotations

import asyncio
import os
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import make_engine, session_factory, sqlite_pragmas, upgrade

WRITER_THREAD_ENV = "CNA_SQLITE_WRITER_THREAD"


class Database:
    """An engine plus its session factory; `uow()` opens a unit of work."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(engine)
        self._writer: Any = None
        self._reader: Any = None
        self._reader_checked = False

    def thread_writer(self) -> Any:
        """The SQLite file's writer thread (storage/thread_writes.py), made on first use; None on PostgreSQL."""
        if os.environ.get(WRITER_THREAD_ENV) == "0":  # the old path, for the bench's A/B runs
            return None
        if self._writer is None and self.dialect == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            from storage.thread_writes import ThreadWriter

            self._writer = ThreadWriter(self.engine, sqlite_pragmas)
        return self._writer

    def thread_reader(self) -> Any:
        """The SQLite file's reader thread (storage/thread_reads.py), made on first use; None on PostgreSQL."""
        if not self._reader_checked:
            from storage.thread_reads import ThreadReader, reader_wanted

            self._reader_checked = True
            if reader_wanted(self.engine):
                self._reader = ThreadReader(self.engine, sqlite_pragmas)
        return self._reader

    @classmethod
    async def open(cls, url: str | None = None, migrate: bool = True, **kwargs: Any) -> Database:
        """Connect, and create or upgrade the schema unless told not to."""
        db = cls(make_engine(url, **kwargs))
        if migrate:
            await upgrade(db.engine)
        return db

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    async def close(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            await asyncio.to_thread(writer.close)
        if self._reader is not None:
            reader, self._reader = self._reader, None
            await asyncio.to_thread(reader.close)
        await self.engine.dispose()


class UnitOfWork:
    """`async with db.uow() as uow: ...; await uow.commit()`; leaving without commit rolls back."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        assert self._session is not None
        # close() rolls back anything uncommitted and detaches the objects without expiring them,
        # so callers can still read what they loaded.
        try:
            await self._session.close()
        finally:
            self._session = None

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
