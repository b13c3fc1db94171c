"""The sweep: run every due schedule item once, each in its own transaction with the messages it sends."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app import outbox
from app.blocks import Message
from app.rounds import create_draft_round, invite_time, successor_of
from app.schedule import messages as msg
from app.schedule.plan import (
    MAX_ATTEMPTS,
    NUDGEABLE,
    config_of,
    last_nudge_at,
    nudge_key,
    nudge_want,
    reachable,
)
from core.schedule import next_allowed, refresh_plan, zone
from core.script import Script
from storage.models import (
    Answer,
    Assessment,
    Identity,
    Interview,
    Participant,
    ScheduleItem,
    ScriptVersion,
)
from storage.uow import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What running an item did. `status`: done, cancelled, rescheduled (not due after all), failed, taken
    (another sweeper claimed it first)."""

    key: str
    kind: str
    status: str
    detail: str
    due_at: datetime | None = None


class _Cancel(Exception):
    """The item is no longer wanted (finished interview, erased person, next round exists)."""


class _NotYet(Exception):
    def __init__(self, due: datetime):
        super().__init__(due.isoformat())
        self.due = due


Handler = Callable[[AsyncSession, ScheduleItem, datetime], Awaitable[str]]


async def sweep(db: Database, now: datetime, limit: int = 1000) -> list[Outcome]:
    """Run every item due at `now`, oldest first. Safe to run concurrently: each item is claimed by a guarded
    UPDATE before its work, in the transaction that also writes its outbox rows."""
    async with db.uow() as uow:
        ids = list((await uow.session.scalars(
            select(ScheduleItem.id).where(ScheduleItem.done_at.is_(None), ScheduleItem.cancelled_at.is_(None),
                                          ScheduleItem.due_at <= now)
            .order_by(ScheduleItem.due_at, ScheduleItem.id).limit(limit))).all())
    return [await run_item(db, item_id, now) for item_id in ids]


async def run_item(db: Database, item_id: int, now: datetime) -> Outcome:
    async with db.uow() as uow:
        s = uow.session
        # The claim comes first so that, on PostgreSQL, a second sweeper blocks on the row until we commit and
        # then sees done_at set; on SQLite the UPDATE takes the write lock before anything is read.
        claimed = await s.execute(
            update(ScheduleItem).where(ScheduleItem.id == item_id, ScheduleItem.done_at.is_(None),
                                       ScheduleItem.cancelled_at.is_(None), ScheduleItem.due_at <= now)
            .values(done_at=now, attempts=ScheduleItem.attempts + 1)
            .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            await uow.rollback()
            return Outcome(str(item_id), "?", "taken", "already run or claimed by another sweeper")
        item = await s.get(ScheduleItem, item_id)
        assert item is not None
        key, kind = item.key, item.kind
        handler = HANDLERS.get(kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for schedule item kind {kind!r}")
            detail = await handler(s, item, now)
        except _Cancel as exc:
            item.done_at, item.cancelled_at, item.attempts = None, now, item.attempts - 1
            item.note = f"cancelled: {exc}; was: {item.note or ''}"[:300]
            await uow.commit()
            return Outcome(key, kind, "cancelled", str(exc))
        except _NotYet as exc:
            item.done_at, item.due_at, item.attempts = None, exc.due, item.attempts - 1
            await uow.commit()
            return Outcome(key, kind, "rescheduled", f"not due until {exc.due:%Y-%m-%d %H:%M} UTC", exc.due)
        except Exception as exc:
            await uow.rollback()
            return await _failed(db, item_id, key, kind, now, exc)
        item.note = f"{item.note or ''} -> {detail}"[:300]
        await uow.commit()
        return Outcome(key, kind, "done", detail)


async def _failed(db: Database, item_id: int, key: str, kind: str, now: datetime, exc: Exception) -> Outcome:
    error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:500]
    log.warning("schedule item %s failed: %s", key, error)
    async with db.uow() as uow:
        item = await uow.session.get(ScheduleItem, item_id)
        if item is None:
            return Outcome(key, kind, "failed", error)
        item.attempts += 1
        item.last_error = error
        if item.attempts >= MAX_ATTEMPTS:
            item.cancelled_at = now  # given up; `cna schedule list --all` shows it with its last error
        else:
            item.due_at = now + timedelta(minutes=min(2 ** item.attempts, 24 * 60))
        await uow.commit()
        return Outcome(key, kind, "failed", error, item.due_at)


# --- sending ----------------------------------------------------------------------------------------------

async def enqueue(s: AsyncSession, key: str, user_id: str, payload: dict[str, Any],
                  not_before: datetime) -> bool:
    """One DM through the Slack outbox (which tags it for send verification); the unique key makes a second
    attempt a no-op. True when new."""
    message = Message(str(payload.get("text") or ""), list(payload.get("blocks") or []))
    return await outbox.post(s, key, user_id, message, user=user_id, not_before=not_before)


async def _assessment(s: AsyncSession, item: ScheduleItem) -> Assessment:
    a = await s.get(Assessment, item.assessment_id) if item.assessment_id else None
    if a is None:
        raise _Cancel("the round no longer exists")
    return a


async def _refresh_checks(s: AsyncSession, a: Assessment) -> None:
    if a.status == "draft":
        raise _Cancel("the round is a draft")
    nxt = await successor_of(s, a.id)
    if nxt is not None:
        raise _Cancel(f"the next round already exists (assessment {nxt.id})")


async def do_refresh_reminder(s: AsyncSession, item: ScheduleItem, now: datetime) -> str:
    a = await _assessment(s, item)
    await _refresh_checks(s, a)
    cfg = config_of(a)
    days = int(item.payload["days"])
    if not cfg.refresh_enabled or days not in cfg.reminder_days:
        raise _Cancel(f"the {days}-day reminder is no longer configured")
    rp = refresh_plan(a.opened_on, a.refresh_months, reminder_days=cfg.reminder_days, at=cfg.reminder_at,
                      tz=zone(cfg.tz), hours=cfg.hours)
    at = next(at for d, _day, at in rp.reminders if d == days)
    if at > now:
        raise _NotYet(at)  # the interval was changed after planning
    if not a.lead_slack_ids:
        return "no lead Slack id on the round ('cna assessment create --lead U...'): nothing sent"
    today = now.astimezone(zone(cfg.tz)).date()
    lang = str(a.settings.get("lang") or "en")
    for lead in a.lead_slack_ids:
        await enqueue(s, f"refresh-reminder:{a.id}:{days}:{lead}", lead,
                      msg.refresh_reminder(lead, assessment_id=a.id, name=a.name, round_no=a.round_no,
                                           due=rp.due_on, today=today, lang=lang), now)
    return f"reminded {len(a.lead_slack_ids)} lead(s) that round {a.round_no + 1} is due on {rp.due_on}"


async def do_round_refresh(s: AsyncSession, item: ScheduleItem, now: datetime) -> str:
    a = await _assessment(s, item)
    await _refresh_checks(s, a)
    cfg = config_of(a)
    if not cfg.refresh_enabled:
        raise _Cancel("refresh is turned off for this round")
    rp = refresh_plan(a.opened_on, a.refresh_months, reminder_days=cfg.reminder_days, at=cfg.reminder_at,
                      tz=zone(cfg.tz), hours=cfg.hours)
    if rp.due_at > now:
        raise _NotYet(rp.due_at)
    summary = await create_draft_round(s, a, opened_on=rp.due_on, now=now)
    when = next_allowed(now, zone(cfg.tz), cfg.hours)
    lang = str(a.settings.get("lang") or "en")
    for lead in a.lead_slack_ids:
        await enqueue(s, f"round-draft:{a.id}:{lead}", lead,
                      msg.draft_ready(lead, assessment_id=summary.assessment_id, name=a.name,
                                      round_no=summary.round_no, previous_round=a.round_no,
                                      scripts=summary.scripts, people=summary.people, team=summary.team,
                                      lang=lang), when)
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(summary.skipped.items()))
    return (f"draft round {summary.round_no} is assessment {summary.assessment_id}: {summary.people} people"
            + (f" (not copied: {skipped})" if skipped else ""))


async def _script_info(s: AsyncSession, iv: Interview) -> dict[str, Any]:
    sv = await s.get(ScriptVersion, iv.script_version_id)
    body = sv.body if sv is not None else {}
    return {"title": str(body.get("title") or iv.script_id), "intro": str(body.get("intro") or ""),
            "minutes": int(body.get("minutes") or 15)}


async def do_nudge(s: AsyncSession, item: ScheduleItem, now: datetime) -> str:
    iv = await s.get(Interview, item.interview_id) if item.interview_id else None
    if iv is None:
        raise _Cancel("the interview no longer exists")
    if iv.status not in NUDGEABLE:
        raise _Cancel(f"the interview is {iv.status}")
    a = await s.get(Assessment, iv.assessment_id)
    p = await s.get(Participant, iv.participant_id)
    ident = await s.scalar(select(Identity).where(Identity.participant_id == iv.participant_id))
    assert a is not None and p is not None
    if not reachable(iv, p, ident):
        raise _Cancel("the person was erased, opted out or has no Slack user")
    n = int(item.payload.get("n") or item.key.rsplit(":", 1)[-1])
    if n != iv.nudges_sent + 1:
        raise _Cancel(f"superseded: {iv.nudges_sent} nudge(s) already sent")
    cfg = config_of(a)
    previous = list((await s.scalars(select(ScheduleItem).where(
        ScheduleItem.interview_id == iv.id, ScheduleItem.kind == "nudge", ScheduleItem.done_at.is_not(None),
        ScheduleItem.id != item.id))).all())
    want = nudge_want(iv, p, ident, a, cfg, last_nudge_at(previous))
    if want is None:
        raise _Cancel("no nudge is due any more (limit reached or round closed)")
    if want.due_at > now:
        raise _NotYet(want.due_at)  # progress or a snooze since planning moved it
    tz = zone(p.tz, cfg.tz)
    deliver = next_allowed(now, tz, cfg.hours)  # a late sweep (after downtime) still lands in working hours
    info = await _script_info(s, iv)
    assert ident is not None
    if iv.mode == "assisted":
        assert iv.interviewer_slack_id is not None
        who = ident.organisation or ident.display_name or p.pseudonym
        payload = msg.assisted_nudge(iv.interviewer_slack_id, title=info["title"], who=who, lang=iv.lang)
        to = iv.interviewer_slack_id
    else:
        assert ident.slack_user_id is not None
        answered = await s.scalar(select(func.count()).select_from(Answer).where(
            Answer.interview_id == iv.id, Answer.step == 0, Answer.superseded.is_(False))) or 0
        to = ident.slack_user_id
        payload = msg.nudge(to, interview_id=iv.id, title=info["title"], minutes=info["minutes"],
                            answered=answered, n=n, status=iv.status, lang=iv.lang)
    await enqueue(s, nudge_key(iv.id, n), to, payload, deliver)  # same key as the item: sent once
    # A Core UPDATE leaves the interview's version alone, so it cannot clash with an answer in flight.
    await s.execute(update(Interview).where(Interview.id == iv.id).values(nudges_sent=n, snoozed_until=None)
                    .execution_options(synchronize_session=False))
    item.payload = {**item.payload, "deliver_at": deliver.isoformat()}
    return f"nudge {n} to {p.pseudonym}, delivered from {deliver.astimezone(tz):%a %Y-%m-%d %H:%M} {tz.key}"


async def do_wave(s: AsyncSession, item: ScheduleItem, now: datetime) -> str:
    """Invite a wave: each draft interview becomes invited, with its invitation timed for the person's own
    working hours on the wave's day. People who opted out or were erased since the draft are dropped."""
    a = await _assessment(s, item)
    if a.status != "open":
        raise _Cancel(f"the round is {a.status}")
    cfg = config_of(a)
    day = date.fromisoformat(item.payload.get("day") or now.date().isoformat())
    ids = [int(i) for i in item.payload.get("interview_ids", [])]
    rows = (await s.execute(
        select(Interview, Participant, Identity).join(Participant, Participant.id == Interview.participant_id)
        .outerjoin(Identity, Identity.participant_id == Participant.id)
        .where(Interview.id.in_(ids), Interview.assessment_id == a.id, Interview.status == "draft"))).all()
    invited, dropped = 0, []
    for iv, p, ident in rows:
        if not reachable(iv, p, ident):
            dropped.append(iv.id)
            continue
        when = invite_time(day, now, zone(p.tz, cfg.tz), cfg.hours)
        iv.status, iv.invited_at, iv.last_activity_at = "invited", when, when
        if iv.mode == "assisted":
            info = await _script_info(s, iv)
            assert iv.interviewer_slack_id is not None
            who = ident.organisation or ident.display_name or p.pseudonym
            await enqueue(s, f"invite:{iv.id}", iv.interviewer_slack_id,
                          msg.assisted_invite(iv.interviewer_slack_id, title=info["title"], who=who,
                                              lang=iv.lang), when)
        else:
            assert ident is not None and ident.slack_user_id is not None
            sv = await s.get(ScriptVersion, iv.script_version_id)
            assert sv is not None
            # The same invitation `/cna invite` sends: purpose, consent, Start / Later / Decline.
            await outbox.post(s, f"invite:{iv.id}", ident.slack_user_id,
                              msg.invitation(iv.id, Script.model_validate(sv.body)),
                              user=ident.slack_user_id, not_before=when)
        invited += 1
    if dropped:
        # Never contacted and now unreachable: removing them from the list is what the lead would do.
        await s.execute(delete(Interview).where(Interview.id.in_(dropped)))
    return f"invited {invited}" + (f"; dropped {len(dropped)} (opted out or erased)" if dropped else "")


HANDLERS: dict[str, Handler] = {
    "refresh_reminder": do_refresh_reminder,
    "round_refresh": do_round_refresh,
    "nudge": do_nudge,
    "wave": do_wave,
}
