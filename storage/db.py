"""Database URLs as users write them, the async engine (SQLite WAL or PostgreSQL) and schema upgrades."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.sql.expression import Executable

from storage import sqlite_writes

E = TypeVar("E", bound=Executable)

DEFAULT_URL = "sqlite:///cna.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseURLError(ValueError):
    """A database URL that cannot be used, with a hint on how to write it."""


def resolve_url(url: str | None = None) -> str:
    """The URL from the argument, else CNA_DATABASE_URL, else a SQLite file cna.db here."""
    return url or os.environ.get("CNA_DATABASE_URL") or DEFAULT_URL


def async_url(url: str) -> str:
    """Accept 'sqlite:///file.db', 'postgresql://user@host/db' (and a bare path) and pick the async driver.
    A URL that cannot be meant as written (two slashes before a file name, one colon) is refused with the
    correct form, rather than quietly read as something else."""
    raw = url.strip()
    if "://" not in raw:
        scheme, colon, rest = raw.partition(":")
        if colon and scheme.lower().split("+")[0] == "sqlite":
            name = rest.lstrip("/")
            raise DatabaseURLError(f"not a database URL: {url!r}; write sqlite:///{name} (a path from the current "
                                   f"folder) or sqlite:////{name} (from the root)")
        if colon and scheme.lower().split("+")[0] in ("postgresql", "postgres"):
            raise DatabaseURLError(f"not a database URL: {url!r}; write postgresql://{rest.lstrip('/')}")
        if raw.endswith((".db", ".sqlite", ".sqlite3")):
            raw = f"sqlite:///{raw}"
        else:
            raise DatabaseURLError(
                f"not a database URL: {url!r}; write sqlite:///path/to/cna.db or postgresql://user@host/dbname")
    try:
        u = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseURLError(f"cannot read database URL {url!r}: {exc}") from None
    backend = u.get_backend_name()
    if backend == "sqlite":
        if u.host:
            # make_url reads 'sqlite://cna.db' as a host named cna.db and an in-memory database: nothing would
            # be stored. Three slashes start a relative path, four an absolute one.
            name = u.host + (f"/{u.database}" if u.database else "")
            raise DatabaseURLError(f"{url!r} has two slashes, so it names no file; write sqlite:///{name} (a path "
                                   f"from the current folder) or sqlite:////{name} (from the root)")
        return u.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend in ("postgresql", "postgres"):
        return u.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise DatabaseURLError(f"unsupported database {backend!r} in {url!r}; use sqlite:/// or postgresql://")


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    try:
        return make_url(async_url(url)).render_as_string(hide_password=True)
    except DatabaseURLError:
        return "<invalid url>"


def sqlite_file(url: str | None = None) -> Path | None:
    """The absolute path of the SQLite file a URL names (relative paths are from the current folder); None
    for PostgreSQL and in-memory databases."""
    u = make_url(async_url(resolve_url(url)))
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database).expanduser().resolve()


def describe(url: str | None = None) -> str:
    """Where the data lives, for messages: the absolute SQLite file, else the URL with its password masked."""
    try:
        path = sqlite_file(url)
    except DatabaseURLError:
        return "<invalid url>"
    if path is not None:
        return str(path)
    return make_url(resolve_url(url).strip()).render_as_string(hide_password=True)


class NoDatabase(LookupError):
    """A command that only reads was pointed at a database that does not exist (or has no schema yet)."""


def missing_database(url: str | None = None) -> NoDatabase:
    """The error for a database that is not there, saying where we looked and how to fix it."""
    where = describe(url)
    path = sqlite_file(url)
    given = url or os.environ.get("CNA_DATABASE_URL")
    source = ("--db" if url else "CNA_DATABASE_URL") if given else \
        "the default, ./cna.db in the current folder"
    upgrade = f"cna db upgrade --db {url}" if url else "cna db upgrade"
    if path is not None:
        return NoDatabase(f"database file {where} does not exist (from {source}). Check the path, run the command "
                          f"from the folder that holds it, or create one with '{upgrade}'")
    return NoDatabase(f"database {where} (from {source}) has no cna tables yet. Check the URL, or create them "
                      f"with '{upgrade}'")


def sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode across application crashes
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA secure_delete=FAST")  # erased answers do not linger in the file's free pages
    cur.close()


def make_engine(url: str | None = None, **kwargs: Any) -> AsyncEngine:
    """An async engine for a user-written URL; SQLite files get WAL, foreign keys, a busy timeout and one
    in-process write queue. Mark a write that must not wait behind others with `priority_write(statement)`."""
    aurl = async_url(resolve_url(url))
    if aurl.startswith("sqlite"):
        path = make_url(aurl).database
        if path and path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.exists():
                raise DatabaseURLError(f"folder {parent} for the SQLite database does not exist; create it first")
        engine = create_async_engine(aurl, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
        # Writers of this process queue in asyncio rather than in SQLite's sleeping busy handler (see
        # storage/sqlite_writes.py); PostgreSQL has row locks and needs nothing of the kind.
        sqlite_writes.install(engine.sync_engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(aurl, **kwargs)


def priority_write(statement: E) -> E:
    """The statement with its write transaction put before queued ones on SQLite (no effect on PostgreSQL)."""
    return statement.execution_options(**{sqlite_writes.PRIORITY: True})


def session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)


def _alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Create or upgrade the schema (idempotent)."""
    from alembic import command

    def run(conn: Connection) -> None:
        command.upgrade(_alembic_config(conn), revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    from alembic import command

    def run(conn: Connection) -> None:
        command.downgrade(_alembic_config(conn), revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def run(conn: Connection) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(run)
