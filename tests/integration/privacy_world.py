"""Builders for privacy tests: a round where people answer the real internal-finance script (restricted and
anonymous questions) through the Slack inbox and worker, or straight through the InterviewService."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, text, update

from app.interviews import InterviewService
from app.settings import Settings
from bot import inbox
from bot.deps import BotIdentity, Deps
from bot.kickoff import invite_users
from bot.listeners import PROCESSORS
from bot.worker import Worker
from bot.worker_batch import PATH as BATCH_PATH
from core.inputs import Reply, Start
from core.interview import InterviewState
from core.script import Script
from storage import repos
from storage.models import Base, Identity, InboxEvent, Interview, OutboxMessage, Participant, ScheduleItem
from storage.uow import Database
from tests.conftest import SENTINEL
from tests.fakeslack import payloads

SCRIPT = "internal-finance"
LEAD = "U0LEAD0001"
FINANCE = "finance"


@dataclass
class Person:
    tag: str  # in every answer they type, so their words can be found anywhere
    slack_user_id: str | None
    display_name: str
    email: str | None = None
    participant_id: int = 0
    pseudonym: str = ""
    interview_id: int = 0
    texts: list[str] = field(default_factory=list)  # what they typed to named (not anonymous) questions
    anonymous_texts: list[str] = field(default_factory=list)

    @property
    def channel(self) -> str:
        return "D" + (self.slack_user_id or "")


def make_deps(db: Database, service: InterviewService) -> Deps:
    """Deps for running the Slack processors in-process; nothing here talks to Slack (the outbox is not sent)."""
    settings = Settings(SLACK_BOT_TOKEN="xoxb-test-not-used", CNA_LEADS=LEAD)  # type: ignore[call-arg]
    client = AsyncWebClient(token="xoxb-test-not-used", base_url="http://127.0.0.1:9/")
    return Deps(settings, db, service, BotIdentity(team_id="T111", bot_user_id="UBOT"), client, client)


async def make_round(db: Database, name: str = "CRM 2026", opened_on: date = date(2026, 1, 5)) -> int:
    async with db.uow() as uow:
        a = await repos.create_assessment(uow.session, name=name, opened_on=opened_on, script_ids=[SCRIPT],
                                          lead_slack_ids=[LEAD])
        await uow.commit()
        return a.id


def reply_for(script: Script, state: InterviewState, person: Person, n: int) -> tuple[str, bool]:
    """What the person types next: (text, whether it answers an anonymous question)."""
    assert state.cursor is not None
    q = script.question(state.cursor)
    anon = q.sensitivity.anonymous
    where = f"{person.tag}-{q.id}"
    if state.pending is not None:
        if state.depth >= 2:
            return "that's all", anon
        return f"{SENTINEL} {where}-d{state.depth}: invoices wait a week, so we lose two customers each month", anon
    if q.kind == "open":
        # A bare surface cue ("price", no number) makes the prober ask a follow-up, so ladders get several steps.
        return f"{SENTINEL} {where} price", anon
    if q.kind in ("single", "multi"):
        return "1", False
    if q.kind == "scale":
        assert q.scale is not None
        return str(q.scale.min), False
    return "yes", False


def _note(person: Person, typed: str, anon: bool) -> None:
    if person.tag in typed:
        (person.anonymous_texts if anon else person.texts).append(typed)


async def _state(db: Database, service: InterviewService, iv_id: int) -> tuple[Script, InterviewState, str]:
    async with db.uow() as uow:
        iv = await uow.session.get(Interview, iv_id)
        assert iv is not None
        return await service.script_for(uow.session, iv), InterviewState.from_dict(iv.state), iv.status


async def drain(deps: Deps) -> None:
    """Run the real inbox worker until nothing is pending; every row must end done."""
    worker = Worker(deps, PROCESSORS, batch=BATCH_PATH)
    for _ in range(50):
        await worker.drain_once()
        if worker.inflight:
            await asyncio.gather(*list(worker.inflight.values()))
            continue
        async with deps.db.uow() as uow:
            left = await uow.session.scalar(select(InboxEvent.id).where(InboxEvent.status.in_(("pending", "working"))))
        if left is None:
            break
    async with deps.db.uow() as uow:
        bad = (await uow.session.execute(select(InboxEvent.key, InboxEvent.status, InboxEvent.last_error)
                                          .where(InboxEvent.status != "done"))).all()
    assert not bad, f"inbox rows not done: {bad}"


async def slack_interview(deps: Deps, round_id: int, person: Person) -> None:
    """Invite the person with the real kick-off, then answer every question by DM through inbox and worker."""
    assert person.slack_user_id
    script = deps.service.catalog.get(SCRIPT, "en")
    await invite_users(deps, round_id, script, [person.slack_user_id])
    await _identify(deps.db, person, round_id)
    await inbox.record(deps, payloads.message_im(person.slack_user_id, "start"))
    await drain(deps)
    for n in range(300):
        sc, state, status = await _state(deps.db, deps.service, person.interview_id)
        if status == "completed":
            return
        typed, anon = reply_for(sc, state, person, n)
        _note(person, typed, anon)
        await inbox.record(deps, payloads.message_im(person.slack_user_id, typed))
        await drain(deps)
    raise AssertionError("interview did not finish")


async def service_interview(service: InterviewService, round_id: int, person: Person) -> None:
    """The same interview straight through the InterviewService (no Slack), e.g. `cna try`."""
    async with service.db.uow() as uow:
        s = uow.session
        if person.slack_user_id:
            p = await repos.participant_for_slack_user(s, person.slack_user_id, display_name=person.display_name)
        else:
            p = await repos.participant_for_name(s, person.display_name, kind="internal", role="finance")
        await uow.commit()
    iv, _ = await service.open_interview(assessment_id=round_id, participant_id=p.id, script_id=SCRIPT, lang="en",
                                         mode="terminal")
    await _identify(service.db, person, round_id)
    await service.handle(iv.id, Start())
    for n in range(300):
        sc, state, status = await _state(service.db, service, iv.id)
        if status == "completed":
            return
        typed, anon = reply_for(sc, state, person, n)
        _note(person, typed, anon)
        await service.handle(iv.id, Reply(typed), source_event_id=f"test:{person.tag}:{n}")
    raise AssertionError("interview did not finish")


async def _identify(db: Database, person: Person, round_id: int) -> None:
    """Fill in the person's ids and give the identity a name and e-mail, as an assisted or imported one has."""
    async with db.uow() as uow:
        s = uow.session
        if person.slack_user_id:
            ident = await s.scalar(select(Identity).where(Identity.slack_user_id == person.slack_user_id))
        else:
            ident = await s.scalar(select(Identity).where(Identity.display_name == person.display_name))
        assert ident is not None
        ident.display_name, ident.email = person.display_name, person.email
        p = await s.get(Participant, ident.participant_id)
        assert p is not None
        p.department = FINANCE
        person.participant_id, person.pseudonym = p.id, p.pseudonym
        iv = await s.scalar(select(Interview).where(Interview.participant_id == p.id,
                                                    Interview.assessment_id == round_id))
        if iv is not None:
            person.interview_id = iv.id
            iv.channel_id = person.channel if person.slack_user_id else None
            s.add(ScheduleItem(key=f"nudge:{iv.id}:1", kind="nudge", assessment_id=round_id, interview_id=iv.id,
                               due_at=datetime(2027, 1, 1, tzinfo=UTC), payload={"n": 1}))
        await uow.commit()


async def mark_sent(db: Database, now: datetime) -> None:
    """What the outbox sender records once Slack took each message (it is not run in these tests)."""
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage.id, OutboxMessage.channel)
                                          .where(OutboxMessage.status == "pending"))).all()
        for rid, channel in rows:
            dm = "D" + channel if channel and channel[:1] in "UW" else channel
            await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == rid).values(
                status="sent", sent_at=now, result={"channel": dm, "ts": "1700000000.000100"}))
        await uow.commit()


async def dump(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (reflected from the models), as JSON-able dicts in primary-key order."""
    out: dict[str, list[dict[str, Any]]] = {}
    async with db.uow() as uow:
        for table in Base.metadata.sorted_tables:
            rows = (await uow.session.execute(select(table).order_by(*table.primary_key.columns))).mappings().all()
            out[table.name] = [json.loads(json.dumps(dict(r), default=str, ensure_ascii=False)) for r in rows]
    return out


def mentions(snapshot: dict[str, list[dict[str, Any]]], needle: str) -> list[tuple[str, str, Any]]:
    """(table, column, row) for every text or JSON value that contains the needle, in any table."""
    found = []
    for table, rows in snapshot.items():
        for row in rows:
            for col, value in row.items():
                blob = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if needle in blob:
                    found.append((table, col, row))
    return found


async def table_counts(db: Database) -> dict[str, int]:
    async with db.uow() as uow:
        return {t.name: int(await uow.session.scalar(text(f'SELECT count(*) FROM "{t.name}"')) or 0)
                for t in Base.metadata.sorted_tables}
