"""Fixtures shared by the integration tests: a private copy of the seeded demo database per test."""

from __future__ import annotations

import pytest

from storage.uow import Database
from tests.integration.demo_db import seeded_copy


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("demo")


@pytest.fixture
def demo_url(tmp_path, demo_cache):
    return seeded_copy(tmp_path, demo_cache)  # seeds with asyncio.run, so outside the test's event loop


@pytest.fixture
async def demo(demo_url):
    db = await Database.open(demo_url)
    yield db
    await db.close()
