"""The sweeper inside the running bot, against the fake Slack: lead reminders, a nudge, and its snooze button."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from app.schedule.job import run_scheduler
from bot.serve import Service, run_inbox_worker, run_outbox_sender
from storage import repos
from storage.models import Assessment, Interview, Participant, ScheduleItem
from tests.fakeslack.sender import SlackSender
from tests.fakeslack.server import FakeSlack
from tests.slack.harness import LEAD, SECRET, Bot, block_text, mini_catalog, settings_for
from tests.slack.test_outbound import kickoff

ALWAYS = {"working_hours": {"start": "00:00", "end": "23:59", "days": "mon-sun"}}  # the test may run at any hour


async def fast_sweeper(deps: object) -> None:
    await run_scheduler(deps.db, SimpleNamespace(schedule_interval=0.3))  # type: ignore[attr-defined]


@pytest.fixture
async def bot(fake: FakeSlack, sqlite_url: str) -> AsyncIterator[Bot]:
    svc = Service(settings_for(fake, sqlite_url), http=True, host="127.0.0.1", port=0, catalog=mini_catalog(),
                  background=[run_inbox_worker, run_outbox_sender, fast_sweeper])
    async with svc, SlackSender(f"http://127.0.0.1:{svc.port}/slack/events", SECRET) as sender:
        yield Bot(fake, svc, sender)


async def test_lead_hears_about_the_next_round_and_gets_a_draft(bot: Bot) -> None:
    async with bot.deps.db.uow() as uow:
        a = await repos.create_assessment(uow.session, name="CRM 2020", opened_on=date(2020, 1, 10),
                                          lead_slack_ids=[LEAD])
        a.settings = ALWAYS
        await uow.commit()
        aid = a.id
    msgs = await bot.wait_dms(LEAD, 3, timeout=30)
    texts = [block_text(m) for m in msgs]
    assert sum("Heads-up" in t for t in texts) == 2
    assert any(f"cna round launch {aid + 1}" in t for t in texts)
    async with bot.deps.db.uow() as uow:
        draft = await uow.session.scalar(select(Assessment).where(Assessment.previous_id == aid))
    assert draft is not None and draft.status == "draft" and draft.round_no == 2


async def test_a_stalled_interview_is_nudged_and_the_snooze_button_holds_the_next_one(bot: Bot) -> None:
    async with bot.deps.db.uow() as uow:
        a = await repos.create_assessment(uow.session, name="CRM 2026", opened_on=date.today(),
                                          lead_slack_ids=[LEAD])
        a.settings = ALWAYS | {"nudges": {"after_days": 3, "max": 2}}
        await uow.commit()
    # A zone where it is not the last minute of the day (the one minute ALWAYS leaves out).
    zone = next(z for z in ("Asia/Shanghai", "America/Los_Angeles")
                if datetime.now(ZoneInfo(z)).hour not in (23, 0))
    await kickoff(bot, ["U1"])
    (invite,) = await bot.wait_dms("U1", 1, timeout=30)
    async with bot.deps.db.uow() as uow:  # four quiet days later, as far as the database can tell
        iv = await uow.session.scalar(select(Interview))
        await uow.session.execute(update(Interview).where(Interview.id == iv.id).values(
            last_activity_at=datetime.now(UTC) - timedelta(days=4)))
        await uow.session.execute(update(Participant).values(tz=zone))
        await uow.commit()
    msgs = await bot.wait_dms("U1", 2, timeout=30)
    nudge = msgs[1]
    assert "still waiting for you" in block_text(nudge)
    result = await bot.click("U1", nudge, "cna_snooze_interview")
    assert result.status == 200
    await bot.settle(timeout=30)
    async with bot.deps.db.uow() as uow:
        iv = await uow.session.get(Interview, iv.id)
        item = await uow.session.scalar(select(ScheduleItem).where(ScheduleItem.key == f"nudge:{iv.id}:2"))
        first = await uow.session.scalar(select(ScheduleItem).where(ScheduleItem.key == f"nudge:{iv.id}:1"))
    assert iv.nudges_sent == 1 and iv.snoozed_until is not None
    local = iv.snoozed_until.astimezone(ZoneInfo(zone))
    assert local.weekday() == 0 and local.time() == time(0)  # next week's Monday, at the start of working hours
    assert iv.snoozed_until > datetime.now(UTC)
    # The snooze holds nudge 2 until then, but never brings it forward of the usual three days.
    delivered = datetime.fromisoformat(first.payload["deliver_at"])
    assert item is not None and item.done_at is None
    assert item.due_at == max(iv.snoozed_until, delivered + timedelta(days=3))
