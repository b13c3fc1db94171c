"""Shared fixtures: SQLite and a real PostgreSQL server, the catalog, and a log scan for leaked secrets."""

from __future__ import annotations

import logging
import os
import re
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.pg import PgServer, find_pg_bin, start_server

_server: PgServer | None = None
_server_error: str | None = None


def _pg() -> PgServer:
    global _server, _server_error
    if _server is None and _server_error is None:
        if find_pg_bin() is None:
            _server_error = "PostgreSQL server binaries not found (install postgresql, or set CNA_PG_BIN)"
        else:
            try:
                _server = start_server()
            except Exception as exc:
                _server_error = f"could not start PostgreSQL: {exc}"
        if _server_error:
            msg = f"\n*** POSTGRESQL TESTS SKIPPED: {_server_error} ***\n"
            warnings.warn(msg, stacklevel=1)
            print(msg)
    if _server is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {_server_error}")
        pytest.skip(_server_error or "no PostgreSQL")
    return _server


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _server is not None:
        _server.stop()


@pytest.fixture
def pg_server() -> PgServer:
    return _pg()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    return pg_server.create_database("t_" + uuid.uuid4().hex[:12])


@pytest.fixture
def sqlite_url(tmp_path: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path}/cna.db"  # type: ignore[operator]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/cna.db"
    return _pg().create_database("t_" + uuid.uuid4().hex[:12])


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[object]:
    from storage.uow import Database

    database = await Database.open(db_url)
    yield database
    await database.close()


@pytest.fixture(scope="session")
def catalog() -> object:
    from app.catalog import load_catalog

    return load_catalog()


# --- no secrets or answer text in logs at INFO or above, across the whole suite -----------------------------

SECRET = re.compile(r"xox[abpe]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")
SENTINEL = "ANSWER-SENTINEL"  # tests put this in answers; it must never reach a log record at INFO+


class _LeakCatcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:
            return
        if SECRET.search(msg) or SENTINEL in msg:
            self.leaks.append(f"{record.name}: {msg[:200]}")


@pytest.fixture(autouse=True)
def no_leaks_in_logs() -> Iterator[None]:
    catcher = _LeakCatcher()
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(min(old_level or logging.WARNING, logging.INFO))  # see what production INFO would log
    root.addHandler(catcher)
    try:
        yield
    finally:
        root.removeHandler(catcher)
        root.setLevel(old_level)
    assert not catcher.leaks, f"secret or answer text logged at INFO+: {catcher.leaks}"
