"""Shared CLI plumbing: the --db option, opening the database, and errors a person can act on."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from core.script_parse import ScriptError
from storage.db import DatabaseURLError, resolve_url, safe_url
from storage.uow import Database

T = TypeVar("T")

db_option = click.option("--db", "db_url", metavar="URL", default=None,
                         help="Database URL (sqlite:///cna.db or postgresql://user@host/db). "
                              "Default: $CNA_DATABASE_URL, else ./cna.db")


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def open_db(db_url: str | None, migrate: bool = True) -> Database:
    """Open (and create or upgrade) the database, turning driver errors into a clear message."""
    url = db_url or os.environ.get("CNA_DATABASE_URL")
    try:
        return await Database.open(url, migrate=migrate)
    except DatabaseURLError as exc:
        raise click.UsageError(str(exc)) from None
    except (OperationalError, DBAPIError, OSError) as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise click.ClickException(
            f"cannot open database {safe_url(resolve_url(url))}: {reason}. "
            "Check the URL, that the server is running and that you may write there.") from None


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known user errors into messages without tracebacks."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScriptError as exc:
            raise click.ClickException("the interview scripts have problems:\n" + str(exc)) from None
        except KeyError as exc:
            raise click.ClickException(str(exc.args[0]) if exc.args else str(exc)) from None
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
