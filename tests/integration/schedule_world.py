"""Builders for scheduler tests: a round with a lead, people in several zones, interviews in every state."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select

from app.catalog import load_catalog
from app.schedule.plan import work_out
from app.schedule.plan_scoped import PlanState, plan_tick
from app.schedule.sweep import Outcome, sweep
from storage import repos
from storage.models import Identity, Interview, OutboxMessage, Participant, ScheduleItem
from storage.uow import Database

LEAD = "ULEAD0001"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def make_round(db: Database, *, opened_on: date = date(2025, 1, 10), months: int = 18,
                     settings: dict[str, Any] | None = None, leads: tuple[str, ...] = (LEAD,),
                     status: str = "open") -> int:
    async with db.uow() as uow:
        a = await repos.create_assessment(uow.session, name="CRM needs", opened_on=opened_on,
                                          refresh_months=months, lead_slack_ids=leads, status=status,
                                          script_ids=["internal-sales", "customer-current"])
        if settings:
            a.settings = settings
        await uow.commit()
        return a.id


async def add_person(db: Database, assessment_id: int, slack_id: str | None, *, tz: str | None = None,
                     kind: str = "internal", role: str | None = "sales", segment: str = "internal:sales",
                     status: str = "invited", last_activity: datetime | None = None, mode: str = "slack",
                     lang: str = "en", opted_out: bool = False, interviewer: str | None = None) -> int:
    """A participant with an interview; returns the interview id."""
    async with db.uow() as uow:
        s = uow.session
        if slack_id is not None:
            p = await repos.participant_for_slack_user(s, slack_id, kind=kind, role=role, tz=tz)
        else:
            p = await repos.participant_for_name(s, f"Acme / {segment}-{status}", kind=kind, role=role)
            p.tz = tz
        p.opted_out = opted_out
        script = load_catalog().get("internal-sales", lang)  # a real script: invitations render its consent
        sv = await repos.ensure_script_version(s, script_id=script.id, lang=lang, version=script.version,
                                               title=script.title, audience=segment,
                                               body=script.model_dump(mode="json", by_alias=True))
        when = last_activity or utc(2026, 3, 2, 9)
        iv = Interview(assessment_id=assessment_id, participant_id=p.id, script_id="internal-sales",
                       script_version_id=sv.id, lang=lang, segment=segment, status=status, mode=mode,
                       interviewer_slack_id=interviewer, state={}, invited_at=when, last_activity_at=when)
        s.add(iv)
        await s.flush()
        await uow.commit()
        return iv.id


async def erase(db: Database, slack_id: str) -> None:
    """What `cna privacy erase` does to the link: the identity row goes."""
    async with db.uow() as uow:
        await uow.session.execute(delete(Identity).where(Identity.slack_user_id == slack_id))
        await uow.commit()


async def tick(db: Database, now: datetime, check: bool = True) -> list[Outcome]:
    """One sweeper tick as `cna serve` runs it: plan (full at first, then only what changed), then sweep. The plan
    must leave nothing a full plan would still change: each tick checks that, so every scheduler test that ticks
    checks the change-only plan against the full one. Without `check` (sweepers racing each other: another one's
    sweep may change what a full plan makes between this one's plan and its check) the caller checks once the
    race is over, with a tick of its own."""
    state = getattr(db, "_test_plan_state", None)  # per Database: a new one (a restart) starts with a full plan
    if state is None:
        state = PlanState(incremental=True, recheck=0)
        db._test_plan_state = state  # type: ignore[attr-defined]
    await plan_tick(db, now, state)
    if check:
        inserts, changes, _report = await work_out(db, now)
        assert inserts == [] and changes == [], f"a full plan would still change {len(inserts)} + {len(changes)} items"
    return await sweep(db, now)


async def outbox(db: Database) -> list[OutboxMessage]:
    async with db.uow() as uow:
        return list((await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def items(db: Database) -> dict[str, ScheduleItem]:
    async with db.uow() as uow:
        return {it.key: it for it in (await uow.session.scalars(select(ScheduleItem))).all()}


async def interview(db: Database, interview_id: int) -> Interview:
    async with db.uow() as uow:
        iv = await uow.session.get(Interview, interview_id)
        assert iv is not None
        return iv


async def participant_of(db: Database, interview_id: int) -> Participant:
    async with db.uow() as uow:
        iv = await uow.session.get(Interview, interview_id)
        assert iv is not None
        p = await uow.session.get(Participant, iv.participant_id)
        assert p is not None
        return p
