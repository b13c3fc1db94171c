"""Shared CLI plumbing: the --db option, opening the database, and errors a person can act on."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from core.script_parse import ScriptError
from storage.db import (
    DatabaseURLError,
    NoDatabase,
    current_revision,
    describe,
    missing_database,
    resolve_url,
    safe_url,
    sqlite_file,
    upgrade,
)
from storage.uow import Database

T = TypeVar("T")

db_option = click.option("--db", "db_url", metavar="URL", default=None,
                         help="Database URL (sqlite:///cna.db or postgresql://user@host/db). "
                              "Default: $CNA_DATABASE_URL, else ./cna.db")


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def open_db(db_url: str | None, migrate: bool = True, create: bool = False) -> Database:
    """Open the database and upgrade its schema, turning driver errors into a clear message.

    Only commands that add data pass `create`: everything else refuses a database that does not exist (a
    typo in --db, or a relative path run from another folder) instead of making an empty one and then
    reporting that it holds nothing."""
    url = db_url or os.environ.get("CNA_DATABASE_URL")
    try:
        path = sqlite_file(url)
        if not create and path is not None and not path.exists():
            raise missing_database(db_url)
        database = await Database.open(url, migrate=False)
        try:
            if not create and await current_revision(database.engine) is None:
                raise missing_database(db_url)
            if migrate:
                await upgrade(database.engine)
        except BaseException:
            await database.close()
            raise
        return database
    except DatabaseURLError as exc:
        raise click.UsageError(str(exc)) from None
    except NoDatabase as exc:
        raise click.ClickException(str(exc)) from None
    except (OperationalError, DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise click.ClickException(
            f"cannot open database {safe_url(resolve_url(url))}: {reason}. "
            "Check the URL, that the server is running and that you may write there.") from None


def where(db_url: str | None) -> str:
    """The database in use, for outputs that may say 'nothing': the SQLite file's full path or the URL."""
    return describe(db_url or os.environ.get("CNA_DATABASE_URL"))


def prog() -> str:
    """How to type `cna` again in hints: 'cna' when it is on PATH, else the path this run was started with
    (`make demo` runs .venv/bin/cna, which a fresh shell does not find as plain 'cna')."""
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) != "cna":
        return "cna"
    on_path = shutil.which("cna")
    if on_path and os.path.realpath(on_path) == os.path.realpath(argv0):
        return "cna"
    rel = os.path.relpath(argv0)
    return rel if not rel.startswith("..") else argv0


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known user errors into messages without tracebacks."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScriptError as exc:
            raise click.ClickException("the interview files have problems (see 'cna scripts lint'):\n"
                                       + str(exc)) from None
        except KeyError as exc:
            raise click.ClickException(str(exc.args[0]) if exc.args else str(exc)) from None
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


