"""Fixtures for the Slack tests: a fake Slack on 127.0.0.1 and the bot running against it in this loop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.serve import Service
from tests.fakeslack.sender import SlackSender
from tests.fakeslack.server import FakeSlack
from tests.slack.harness import SECRET, Bot, mini_catalog, settings_for


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as f:
        yield f


async def _running(fake: FakeSlack, url: str, **over: object) -> AsyncIterator[Bot]:
    svc = Service(settings_for(fake, url, **over), http=True, host="127.0.0.1", port=0, catalog=mini_catalog())
    async with svc, SlackSender(f"http://127.0.0.1:{svc.port}/slack/events", SECRET) as sender:
        b = Bot(fake, svc, sender)
        await b.open_round()
        yield b


@pytest.fixture
async def bot(fake: FakeSlack, sqlite_url: str) -> AsyncIterator[Bot]:
    """The bot over HTTP on SQLite, with an open round whose lead is ULEAD."""
    async for b in _running(fake, sqlite_url):
        yield b


@pytest.fixture
async def any_db_bot(fake: FakeSlack, db_url: str) -> AsyncIterator[Bot]:
    """The same bot on SQLite and on a real PostgreSQL server (for dedupe and concurrency)."""
    async for b in _running(fake, db_url):
        yield b
