"""A demo database seeded once per test session (cli.demo.seed_demo) and copied for each test that uses it."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

_seeded: Path | None = None


def seeded_copy(tmp_path: Path, cache_dir: Path) -> str:
    """A SQLite URL for a private copy of the seeded demo database."""
    global _seeded
    if _seeded is None or not _seeded.exists():
        _seeded = cache_dir / "demo.db"
        asyncio.run(_seed(f"sqlite:///{_seeded}"))
    target = tmp_path / "cna.db"
    shutil.copyfile(_seeded, target)
    return f"sqlite:///{target}"


async def _seed(url: str) -> None:
    from app.catalog import load_catalog
    from cli.demo import seed_demo
    from storage.uow import Database

    db = await Database.open(url)
    try:
        await seed_demo(db, load_catalog())
    finally:
        await db.close()  # the last connection checkpoints the WAL, so the file alone is complete
