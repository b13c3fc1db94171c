"""Review app fixtures: the small round on SQLite and PostgreSQL, and a deterministic demo database."""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from core.access import Reviewer
from storage.uow import Database
from tests.tui.helpers import World, build_world


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db)


@pytest.fixture
def lead() -> Reviewer:
    return Reviewer("lead")


# --- the demo database, deterministic, seeded once per session ----------------------------------------------

_seeded: Path | None = None


def _fixed_token_hex() -> Any:
    counter = itertools.count(1)
    return lambda n=16: f"{next(counter):0{2 * n}X}"


async def _seed(url: str) -> None:
    from app.catalog import load_catalog
    from cli.demo import seed_demo

    db = await Database.open(url)
    try:
        # Pseudonyms and ladder keys come from secrets.token_hex: fixed here so snapshots are stable.
        with mock.patch("secrets.token_hex", _fixed_token_hex()):
            await seed_demo(db, load_catalog())
    finally:
        await db.close()  # the last connection checkpoints the WAL: the file alone is complete


@pytest.fixture
def demo_url(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A private copy of the seeded demo database."""
    global _seeded
    if _seeded is None or not _seeded.exists():
        _seeded = tmp_path_factory.mktemp("tui-demo") / "demo.db"
        asyncio.run(_seed(f"sqlite:///{_seeded}"))
    target = tmp_path / "cna.db"
    shutil.copyfile(_seeded, target)
    return f"sqlite:///{target}"
