"""The inbox worker: a failing event is retried with backoff, then dead-lettered and reported to the leads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.listeners import PROCESSORS
from bot.worker import Item
from storage.models import InboxEvent
from tests.conftest import SENTINEL
from tests.fakeslack import payloads
from tests.fakeslack.server import FakeSlack
from tests.slack.conftest import _running
from tests.slack.harness import LEAD

pytestmark = pytest.mark.asyncio


async def test_failures_are_retried_then_dead_lettered_and_reported(fake: FakeSlack, sqlite_url: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    async def broken(deps: object, item: Item) -> None:
        calls.append(item.attempts)
        # An exception quoting the answer: its text must not reach the logs.
        raise RuntimeError(f"database said no to {SENTINEL}")

    monkeypatch.setitem(PROCESSORS, "message", broken)
    async for bot in _running(fake, sqlite_url, CNA_INBOX_MAX_ATTEMPTS=3):
        assert (await bot.sender.event(payloads.message_im("U1", f"my answer {SENTINEL}"))).status == 200
        await fake.wait_for(lambda _c: fake.dm_count(LEAD) >= 1, 10, "alert to the lead")
        await bot.settle()
        async with bot.deps.db.uow() as uow:
            (row,) = (await uow.session.scalars(select(InboxEvent))).all()
        assert (row.status, row.attempts, row.last_error) == ("dead", 3, "RuntimeError")
        assert calls == [1, 2, 3]
        alert = bot.fake.messages(LEAD)[0].text or ""
        assert "failed 3 times" in alert and SENTINEL not in alert


async def test_a_later_event_of_the_same_person_waits_for_the_earlier_one(fake: FakeSlack, sqlite_url: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    original = PROCESSORS["message"]
    failed: set[str] = set()

    async def flaky(deps: object, item: Item) -> None:
        text = item.payload["event"]["text"]
        if text == "first" and text not in failed:
            failed.add(text)
            raise RuntimeError("transient")
        seen.append(text)
        await original(deps, item)  # type: ignore[arg-type]

    monkeypatch.setitem(PROCESSORS, "message", flaky)
    async for bot in _running(fake, sqlite_url):
        await bot.say("U1", "first")
        await bot.say("U1", "second")
        await bot.settle()
        assert seen == ["first", "second"]


async def test_no_second_done_update_after_the_processor_marked_the_row(fake: FakeSlack, sqlite_url: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import event

    original = PROCESSORS["message"]
    after: list[str] = []  # updates to 'done' issued once a processor has returned
    finished: list[str] = []

    async def watched(deps: object, item: Item) -> None:
        text = item.payload["event"]["text"]
        if text != "ignored":
            await original(deps, item)  # type: ignore[arg-type]  # marks the row done in its own transaction
        finished.append(text)

    monkeypatch.setitem(PROCESSORS, "message", watched)
    async for bot in _running(fake, sqlite_url):
        def seen(_conn, _cur, statement, params, _ctx, _many):  # type: ignore[no-untyped-def]
            if finished and statement.lstrip().upper().startswith("UPDATE INBOX") and "done" in params:
                after.append(finished[-1])

        event.listen(bot.deps.db.engine.sync_engine, "before_cursor_execute", seen)
        await bot.say("U1", "start")
        await bot.settle()
        assert after == []  # the processor's own 'done' was enough
        await bot.say("U1", "ignored")  # a processor that does not mark the row: the worker still finishes it
        await bot.settle()
        async with bot.deps.db.uow() as uow:
            statuses = (await uow.session.scalars(select(InboxEvent.status))).all()
        assert statuses == ["done", "done"]
        assert after == ["ignored"]
