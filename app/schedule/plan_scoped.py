"""The sweeper's plan each minute: only the interviews that changed since the last plan, not all 10,000.

Planning is a function of what is stored (never of the clock: `now` only stamps cancellations), so an interview
nothing touched since its last plan would get the same items again. Triggers mark every change planning reads
(app/schedule/plan_marks.py); a tick weighs the marked interviews, a small slice of the others as a safety net
(CNA_SWEEP_RECHECK per tick, round-robin by id), and the round-level items (a handful per round). A full plan,
as app.schedule.plan does it, runs at start, on becoming the sweeper, and after a round's status or settings
changed. Re-weighing 10,000 unchanged interviews every minute held the GIL long enough to stall the event loop
40-75 ms (bench/sweep_lag.py); a quiet minute now reads a few rows.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.schedule.plan import (
    CHUNK,
    NUDGEABLE,
    PlanReport,
    Want,
    add_last_nudges,
    item_changes,
    keep_item,
    open_interviews,
    round_wants,
    row_wants,
    work_out,
    write_plan,
)
from app.schedule.plan_marks import Marks, forget_marks, read_marks
from app.schedule.plan_thread import PlanThread
from storage.models import Assessment, Interview, ScheduleItem
from storage.uow import Database

log = logging.getLogger(__name__)

ROUND_KINDS = ("refresh_reminder", "round_refresh")
INCREMENTAL_ENV = "CNA_SWEEP_INCREMENTAL"  # "0": a full plan every tick, as before (the bench's A/B)
RECHECK_ENV = "CNA_SWEEP_RECHECK"  # unmarked open interviews re-weighed per tick (the safety net); 0: none
RECHECK = 200  # with 10,000 open interviews and a tick a minute, each is re-weighed about every 50 minutes


@dataclass
class PlanState:
    """What the sweeper remembers between its plans."""

    full: bool = True  # the next plan weighs everything (at start and on becoming the sweeper)
    after: int = 0  # the safety net's place: the last interview id it re-weighed
    incremental: bool = field(default_factory=lambda: os.environ.get(INCREMENTAL_ENV) != "0")
    recheck: int = field(default_factory=lambda: recheck_setting(os.environ.get(RECHECK_ENV)))


def recheck_setting(value: str | None) -> int:
    """CNA_SWEEP_RECHECK as a count; a value that is not a whole number >= 0 is refused with a warning."""
    if value is None or not value.strip():
        return RECHECK
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        log.warning("%s=%r is not a whole number >= 0 (interviews re-weighed per tick); using %d",
                    RECHECK_ENV, value, RECHECK)
        return RECHECK
    return n


@dataclass
class Planned:
    inserts: list[dict[str, Any]]
    changes: list[Any]
    report: PlanReport
    marks: Marks
    after: int


async def plan_tick(db: Database, now: datetime, state: PlanState, planner: PlanThread | None = None
                    ) -> PlanReport:
    """One tick's plan: full or only what changed (see the module's docstring), written, then the marks it
    covered forgotten. A failure anywhere leaves the marks (and a due full plan) for the next tick."""
    full = state.full or not state.incremental
    args = (now, full, state.after, state.recheck)
    done = await (planner.run(work_out_changed, *args) if planner is not None else work_out_changed(db, *args))
    await write_plan(db, done.inserts, done.changes, done.report)
    await forget_marks(db, done.marks)
    state.full, state.after = False, done.after
    return done.report


async def work_out_changed(db: Database, now: datetime, full: bool, after: int, recheck: int) -> Planned:
    """Read the marks first, then the data (so the data is at least as new as every mark read), and weigh it."""
    async with db.uow() as uow:
        marks = await read_marks(uow.session)
    if full or marks.rounds:
        inserts, changes, report = await work_out(db, now)
        return Planned(inserts, changes, report, marks, after)
    report = PlanReport(full=False)
    async with db.uow() as uow:  # reads only
        s = uow.session
        assessments = list((await s.scalars(select(Assessment))).all())
        rounds = list((await s.execute(select(ScheduleItem.__table__).where(ScheduleItem.kind.in_(ROUND_KINDS))
                                       .order_by(ScheduleItem.id))).all())
        wants, configs = round_wants(assessments, rounds, report)
        inserts, changes = item_changes({it.key: it for it in rounds}, rounds, wants, now, report)
        slice_ids, after = await _recheck_slice(s, after, recheck)
        ids = sorted(set(marks.interviews) | set(slice_ids))
        by_id = {a.id: a for a in assessments}
        bad = {aid for aid, cfg in configs.items() if cfg is None}
        for i in range(0, len(ids), CHUNK):
            more_inserts, more_changes = await _interviews(s, ids[i:i + CHUNK], by_id, configs, bad, now, report)
            inserts += more_inserts
            changes += more_changes
            await asyncio.sleep(0)
    return Planned(inserts, changes, report, marks, after)


async def _recheck_slice(s: Any, after: int, recheck: int) -> tuple[list[int], int]:
    """The next `recheck` open interviews after `after`, and where the next slice starts (0: from the top)."""
    if recheck <= 0:
        return [], 0
    ids = [int(i) for i in (await s.scalars(select(Interview.id).where(
        Interview.status.in_(NUDGEABLE), Interview.id > after).order_by(Interview.id).limit(recheck))).all()]
    return ids, (ids[-1] if len(ids) == recheck else 0)


async def _interviews(s: Any, ids: list[int], by_id: dict[int, Assessment], configs: dict[int, Any],
                      bad: set[int], now: datetime, report: PlanReport) -> tuple[list[dict[str, Any]], list[Any]]:
    """What a full plan would change for these interviews' nudge items, and nothing else: their items (all of
    them: the done ones give the last nudge), their rows if open, the same wants and the same reconciling."""
    items = list((await s.execute(select(ScheduleItem.__table__).where(
        ScheduleItem.kind == "nudge", ScheduleItem.interview_id.in_(ids)).order_by(ScheduleItem.id))).all())
    last_nudge: dict[int, datetime] = {}
    add_last_nudges(last_nudge, items)
    # A round whose settings are bad keeps its pending items as they are (as the full plan does).
    wants: dict[str, Want] = {it.key: keep_item(it) for it in items if it.assessment_id in bad
                              and it.done_at is None and it.cancelled_at is None}
    rows = (await s.execute(open_interviews(Interview.id.in_(ids)).order_by(Interview.id))).all()
    report.weighed += len(rows)
    wants.update(row_wants(rows, by_id, configs, last_nudge))
    return item_changes({it.key: it for it in items}, items, wants, now, report)
