"""Planning: derive the schedule items each round and interview should have, and reconcile the table."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from app.schedule.plan_marks import as_planner
from app.schedule.plan_rows import IV_COLUMNS, Ident, Person, let_go
from app.schedule.plan_thread import PlanThread
from core.assessment import AssessmentRuleError
from core.schedule import ScheduleConfigError, ScheduleSettings, nudge_due, refresh_plan, zone
from storage.models import Assessment, Identity, Interview, Participant, ScheduleItem
from storage.thread_writes import write_transaction
from storage.uow import Database

log = logging.getLogger(__name__)

NUDGEABLE = ("invited", "in_progress", "paused")
PLANNED_KINDS = ("refresh_reminder", "round_refresh", "nudge")
# Interviews and items read, rows inserted, items updated per step, with a turn of the event loop between steps:
# 50 rows of four ORM entities take a few milliseconds, so with 10,000 open interviews no step holds the loop
# (acks wait for it) for more than about 20 ms (bench/sweep_lag.py measures it).
CHUNK = 50
MAX_ATTEMPTS = 8  # a failing item is retried with backoff, then given up (cancelled, last_error kept)


@dataclass(frozen=True, slots=True)  # slots: 10,000 of them live through a plan, one object each, not two
class Want:
    """One schedule item as it should be."""

    key: str
    kind: str
    due_at: datetime
    note: str
    assessment_id: int | None = None
    interview_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlanReport:
    created: int = 0
    moved: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)
    full: bool = True  # every open interview weighed (else only the changed ones: app/schedule/plan_scoped.py)
    weighed: int = 0  # interviews read and weighed


def refresh_key(assessment_id: int, days: int) -> str:
    return f"refresh-reminder:{assessment_id}:{days}"


def round_key(assessment_id: int) -> str:
    return f"round-refresh:{assessment_id}"


def nudge_key(interview_id: int, n: int) -> str:
    return f"nudge:{interview_id}:{n}"


def config_of(a: Assessment) -> ScheduleSettings:
    return ScheduleSettings.from_settings(a.settings)


async def insert_many(s: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> int:
    """One multi-row INSERT ... ON CONFLICT (key) DO NOTHING; how many rows were new."""
    if not rows:
        return 0
    dialect = s.get_bind().dialect.name
    ins = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await s.execute(ins(model).values(rows).on_conflict_do_nothing(index_elements=["key"]))
    return max(result.rowcount, 0)  # type: ignore[attr-defined]


# --- what should exist ------------------------------------------------------------------------------------

def refresh_wants(a: Assessment, cfg: ScheduleSettings) -> list[Want]:
    if not cfg.refresh_enabled:
        return []
    rp = refresh_plan(a.opened_on, a.refresh_months, reminder_days=cfg.reminder_days, at=cfg.reminder_at,
                      tz=zone(cfg.tz), hours=cfg.hours)
    name = a.name[:80]
    out = [Want(refresh_key(a.id, days), "refresh_reminder", at,
                f"remind the lead {days} days ahead: round {a.round_no + 1} of '{name}' is due on "
                f"{rp.due_on} ({a.refresh_months} months after {a.opened_on})", a.id,
                payload={"days": days, "due_on": rp.due_on.isoformat()})
           for days, _day, at in rp.reminders]
    out.append(Want(round_key(a.id), "round_refresh", rp.due_at,
                    f"open round {a.round_no + 1} of '{name}' as a draft on {rp.due_on} "
                    f"({a.refresh_months} months after {a.opened_on})", a.id,
                    payload={"due_on": rp.due_on.isoformat()}))
    return out


def nudge_want(iv: Interview, p: Participant, ident: Identity | None, a: Assessment, cfg: ScheduleSettings,
               last_nudge: datetime | None) -> Want | None:
    """The next nudge for an interview, or None when it gets none (finished, unreachable, limit reached)."""
    if not reachable(iv, p, ident) or iv.status not in NUDGEABLE or a.status != "open":
        return None
    tz = zone(p.tz, cfg.tz)
    due = nudge_due(last_activity=iv.last_activity_at, last_nudge=last_nudge, nudges_sent=iv.nudges_sent,
                    snoozed_until=iv.snoozed_until, policy=cfg.nudges, tz=tz)
    if due is None:
        return None
    n = iv.nudges_sent + 1
    why = (f"snoozed until {iv.snoozed_until:%Y-%m-%d}" if iv.snoozed_until
           else f"no progress since {iv.last_activity_at:%Y-%m-%d %H:%M} UTC")
    note = (f"nudge {n}/{cfg.nudges.max_nudges} for interview {iv.id} ({iv.segment}, {iv.status}): {why}; "
            f"{due.astimezone(tz):%a %H:%M} in {tz.key}")
    return Want(nudge_key(iv.id, n), "nudge", due, note[:300], a.id, iv.id, payload={"n": n})


def reachable(iv: Interview, p: Participant, ident: Identity | None) -> bool:
    """Someone we may still message about this interview: not erased, not opted out, and with a Slack user."""
    if ident is None or p.opted_out:
        return False
    if iv.mode == "assisted":
        return bool(iv.interviewer_slack_id)
    return iv.mode == "slack" and bool(ident.slack_user_id)


def last_nudge_at(items: list[ScheduleItem]) -> datetime | None:
    """When the latest nudge reached (or will reach) the person: the delivery time, not the sweep time."""
    times = []
    for it in items:
        if it.kind == "nudge" and it.done_at is not None:
            deliver = (it.payload or {}).get("deliver_at")
            times.append(datetime.fromisoformat(deliver) if deliver else it.done_at)
    return max(times) if times else None


# --- reconcile --------------------------------------------------------------------------------------------

async def plan(db: Database, now: datetime, planner: PlanThread | None = None) -> PlanReport:
    """Create the missing schedule items for all rounds and interviews, move those whose time changed, and
    cancel those no longer wanted. Idempotent: keys are unique and inserts ignore conflicts. With a `planner`
    (the sweeper's), the reading and working out run on its thread, off the event loop."""
    if planner is not None:
        inserts, changes, report = await planner.run(work_out, now)
    else:
        inserts, changes, report = await work_out(db, now)
    await write_plan(db, inserts, changes, report)
    return report


async def write_plan(db: Database, inserts: list[dict[str, Any]], changes: list[Any], report: PlanReport) -> None:
    """Write a plan's rows and updates. In chunks, each its own transaction: on SQLite every write holds the one
    write lock, so one big transaction kept acks waiting for seconds. Safe to split: inserts ignore existing keys,
    updates are guarded by "done_at IS NULL", so each chunk is correct on its own and a rerun completes a cut-off
    plan. On SQLite each chunk goes whole to the writer thread (statements built there too), behind acks."""
    ins = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    for i in range(0, len(inserts), CHUNK):
        stmt = ins(ScheduleItem).values(inserts[i:i + CHUNK]).on_conflict_do_nothing(index_elements=["key"])
        report.created += await write_transaction(db, functools.partial(_rowcount, stmt))
    for i in range(0, len(changes), CHUNK):
        await write_transaction(db, functools.partial(_execute_all, changes[i:i + CHUNK]))


def _rowcount(stmt: Any, conn: Connection) -> int:
    return as_planner(conn, lambda c: max(c.execute(stmt).rowcount, 0))


def _execute_all(stmts: list[Any], conn: Connection) -> None:
    def run(c: Connection) -> None:
        for stmt in stmts:
            c.execute(stmt)
    as_planner(conn, run)


async def work_out(db: Database, now: datetime) -> tuple[list[dict[str, Any]], list[Any], PlanReport]:
    """The reading and weighing of a plan: the rows to insert, the updates to run, and the report so far."""
    report = PlanReport()
    async with db.uow() as uow:  # reads only: the writes follow in chunks
        s = uow.session
        # Round-level items are a handful per round: all of them. Nudge items only where they can matter:
        # pending ones (to move or cancel) and those of live interviews (last nudge time, un-cancelling), so
        # a tick does not reread every nudge ever sent.
        live = select(Interview.id).where(Interview.status.in_(NUDGEABLE)).scalar_subquery()
        # Plain rows (same attribute names as ScheduleItem), paged by id: 10,000 ORM objects kept through the
        # plan made each full garbage collection scan them (50-90 ms stalls).
        items: list[Any] = []
        after = 0
        while True:
            page_items = list((await s.execute(select(ScheduleItem.__table__).where(
                ScheduleItem.kind.in_(PLANNED_KINDS), ScheduleItem.id > after,
                or_(ScheduleItem.kind != "nudge",
                    and_(ScheduleItem.done_at.is_(None), ScheduleItem.cancelled_at.is_(None)),
                    ScheduleItem.interview_id.in_(live))).order_by(ScheduleItem.id).limit(CHUNK))).all())
            items.extend(page_items)
            if len(page_items) < CHUNK:
                break
            after = page_items[-1].id
            await asyncio.sleep(0)
        by_key = {it.key: it for it in items}
        last_nudge: dict[int, datetime] = {}
        add_last_nudges(last_nudge, items)
        assessments = list((await s.scalars(select(Assessment))).all())
        wants, configs = round_wants(assessments, items, report)
        # Page through the open interviews by id so that loading 10,000 of them does not hold the loop.
        # Plain rows here too, not four ORM objects per interview: those live in reference cycles, so only the
        # garbage collector frees them, and its full collections (34-64 ms with 10,000 interviews) stop every
        # thread, the event loop's included.
        by_id = {a.id: a for a in assessments}
        after = 0
        while True:
            page = (await s.execute(open_interviews(Interview.id > after).order_by(Interview.id).limit(CHUNK))).all()
            report.weighed += len(page)
            wants.update(row_wants(page, by_id, configs, last_nudge))
            if len(page) < CHUNK:
                break
            after = page[-1].id
            await asyncio.sleep(0)
    inserts, changes = await _changes_paged(by_key, items, wants, now, report)
    await let_go(items, by_key, wants, last_nudge)
    return inserts, changes, report


def round_wants(assessments: list[Assessment], items: list[Any], report: PlanReport
                ) -> tuple[dict[str, Want], dict[int, ScheduleSettings | None]]:
    """The round-level items every round should have, each round's settings (None: bad), and the pending items
    of `items` that bad settings or a bad round keep as they are."""
    wants: dict[str, Want] = {}
    configs: dict[int, ScheduleSettings | None] = {}
    has_successor = {a.previous_id for a in assessments if a.previous_id is not None}
    for a in assessments:
        cfg = _config(a, report)
        configs[a.id] = cfg
        if cfg is None:
            # A bad setting must not cancel what was planned before it: keep this round's items.
            wants.update((it.key, keep_item(it)) for it in items if it.assessment_id == a.id
                         and it.done_at is None and it.cancelled_at is None)
            continue
        if a.status not in ("open", "closed") or a.id in has_successor:
            continue
        try:
            wants.update((w.key, w) for w in refresh_wants(a, cfg))
        except AssessmentRuleError as exc:
            report.errors.append(f"assessment {a.id}: {exc}")
            log.warning("assessment %s: %s", a.id, exc)
            # Keep whatever was planned before rather than cancelling it over a bad edit.
            wants.update((it.key, keep_item(it)) for it in items if it.assessment_id == a.id
                         and it.kind != "nudge" and it.done_at is None and it.cancelled_at is None)
    return wants, configs


def open_interviews(*where: Any) -> Any:
    """The open interviews of open rounds as plain rows: what nudge_want reads of them, their people and identities."""
    return (select(*IV_COLUMNS, Participant.opted_out, Participant.tz.label("person_tz"),
                   Identity.id.label("ident_id"), Identity.slack_user_id)
            .join(Participant, Participant.id == Interview.participant_id)
            .join(Assessment, Assessment.id == Interview.assessment_id)
            .outerjoin(Identity, Identity.participant_id == Participant.id)
            .where(Interview.status.in_(NUDGEABLE), Assessment.status == "open", *where))


def row_wants(rows: Iterable[Any], by_id: dict[int, Assessment], configs: dict[int, ScheduleSettings | None],
              last_nudge: dict[int, datetime]) -> Iterable[tuple[str, Want]]:
    """The next nudge of each row of open_interviews, keyed (none for a round whose settings are bad)."""
    for r in rows:
        a = by_id.get(r.assessment_id)
        cfg = configs.get(r.assessment_id)
        if a is None or cfg is None:
            continue
        ident = None if r.ident_id is None else Ident(r.slack_user_id)
        w = nudge_want(r, Person(r.opted_out, r.person_tz), ident, a, cfg, last_nudge.get(r.id))  # type: ignore[arg-type]
        if w is not None:
            yield w.key, w


def add_last_nudges(last_nudge: dict[int, datetime], items: Iterable[Any]) -> None:
    """The latest nudge of each interview (a datetime, which the garbage collector does not track), not a list of
    its items per interview: fewer objects alive through the plan, shorter full collections."""
    for it in items:
        if it.interview_id is not None and (at := last_nudge_at([it])) is not None:
            last_nudge[it.interview_id] = max(at, last_nudge.get(it.interview_id, at))


async def replan_interview(s: AsyncSession, iv: Interview, now: datetime) -> Want | None:
    """Bring one interview's nudge item up to date at once (after a snooze), without a full plan."""
    p = await s.get(Participant, iv.participant_id)
    a = await s.get(Assessment, iv.assessment_id)
    ident = await s.scalar(select(Identity).where(Identity.participant_id == iv.participant_id))
    if p is None or a is None:
        return None
    items = list((await s.scalars(select(ScheduleItem).where(ScheduleItem.interview_id == iv.id,
                                                               ScheduleItem.kind == "nudge"))).all())
    want = nudge_want(iv, p, ident, a, config_of(a), last_nudge_at(items))
    wants = {want.key: want} if want else {}
    await _reconcile(s, {it.key: it for it in items}, items, wants, now, PlanReport())
    return want


def _config(a: Assessment, report: PlanReport) -> ScheduleSettings | None:
    try:
        return config_of(a)
    except ScheduleConfigError as exc:
        report.errors.append(f"assessment {a.id}: {exc} (fix with 'cna schedule config {a.id}')")
        log.warning("assessment %s: %s", a.id, exc)
        return None


def keep_item(it: ScheduleItem) -> Want:
    return Want(it.key, it.kind, it.due_at, it.note or "", it.assessment_id, it.interview_id,
                dict(it.payload))


async def _reconcile(s: AsyncSession, by_key: dict[str, ScheduleItem], items: list[ScheduleItem],
                     wants: dict[str, Want], now: datetime, report: PlanReport) -> None:
    inserts, changes = item_changes(by_key, items, wants, now, report)
    report.created += await insert_many(s, ScheduleItem, inserts)
    for stmt in changes:
        await s.execute(stmt)


def item_changes(by_key: dict[str, ScheduleItem], items: list[ScheduleItem], wants: dict[str, Want],
                 now: datetime, report: PlanReport) -> tuple[list[dict[str, Any]], list[Any]]:
    """The rows to insert and the updates (moves, un-cancels, cancellations) that turn items into wants."""
    inserts, changes = _want_changes(by_key, wants.values(), report)
    return inserts, changes + _cancellations(items, wants, now, report)


async def _changes_paged(by_key: dict[str, ScheduleItem], items: list[ScheduleItem], wants: dict[str, Want],
                         now: datetime, report: PlanReport) -> tuple[list[dict[str, Any]], list[Any]]:
    """item_changes, CHUNK wants and items at a time, with a turn of the loop between: 10,000 of them at once held
    the loop for 50 ms."""
    inserts: list[dict[str, Any]] = []
    changes: list[Any] = []
    values = list(wants.values())
    for i in range(0, len(values), CHUNK):
        more_inserts, more_changes = _want_changes(by_key, values[i:i + CHUNK], report)
        inserts += more_inserts
        changes += more_changes
        await asyncio.sleep(0)
    for i in range(0, len(items), CHUNK):
        changes += _cancellations(items[i:i + CHUNK], wants, now, report)
        await asyncio.sleep(0)
    return inserts, changes


# Updates are guarded by "done_at IS NULL" so a sweeper that finished an item meanwhile always wins.
_UNDONE = (ScheduleItem.done_at.is_(None),)


def _want_changes(by_key: dict[str, ScheduleItem], wants: Iterable[Want], report: PlanReport
                  ) -> tuple[list[dict[str, Any]], list[Any]]:
    inserts: list[dict[str, Any]] = []
    changes: list[Any] = []
    for w in wants:
        it = by_key.get(w.key)
        if it is None:
            inserts.append({"key": w.key, "kind": w.kind, "assessment_id": w.assessment_id,
                            "interview_id": w.interview_id, "due_at": w.due_at, "payload": w.payload,
                            "note": w.note[:300], "attempts": 0})
            continue
        if it.done_at is not None or (it.cancelled_at is not None and it.attempts >= MAX_ATTEMPTS):
            continue  # done for good, or given up after failing: planning never resurrects either
        if it.due_at != w.due_at or it.cancelled_at is not None or it.note != w.note[:300]:
            if it.due_at != w.due_at or it.cancelled_at is not None:
                report.moved += 1
            changes.append(update(ScheduleItem).where(ScheduleItem.id == it.id, *_UNDONE)
                           .values(due_at=w.due_at, note=w.note[:300], cancelled_at=None,
                                   payload={**(it.payload or {}), **w.payload})
                           .execution_options(synchronize_session=False))
    return inserts, changes


def _cancellations(items: Iterable[ScheduleItem], wants: dict[str, Want], now: datetime, report: PlanReport
                   ) -> list[Any]:
    changes: list[Any] = []
    for it in items:
        if it.key in wants or it.done_at is not None or it.cancelled_at is not None:
            continue
        changes.append(update(ScheduleItem).where(ScheduleItem.id == it.id, *_UNDONE)
                       .values(cancelled_at=now,
                               note=f"cancelled: no longer due ({_why_not(it)}); was: {it.note or ''}"[:300])
                       .execution_options(synchronize_session=False))
        report.cancelled += 1
    return changes


def _why_not(it: ScheduleItem) -> str:
    if it.kind == "nudge":
        return "interview finished, paused for good, unreachable, or no nudges left"
    return "the next round exists, refresh is off, or the round is a draft"
