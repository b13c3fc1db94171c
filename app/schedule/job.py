"""The sweeper in `cna serve`: one APScheduler job that plans and runs due work, on one elected replica."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

# The election lives in app.leader (the outbox sender uses it too); the names stay importable from here.
from app.leader import AlwaysLeader, FileLeader, Leader, PgLeader, lock_key  # noqa: F401
from app.leader import leader_for as _leader_for
from app.schedule.plan import PlanReport, config_of, replan_interview
from app.schedule.plan_scoped import PlanState, plan_tick
from app.schedule.plan_thread import PlanThread
from app.schedule.sweep import Outcome, sweep
from core.schedule import Clock, zone
from core.snooze import parse_snooze, snooze_until
from storage.models import Assessment, Interview, Participant
from storage.privacy import housekeeping
from storage.uow import Database

log = logging.getLogger(__name__)

JOB_ID = "cna-sweep"
DEFAULT_INTERVAL = 60.0
# pg_try_advisory_lock key: "cna_swee" as a 64-bit integer, unlikely to collide with another app's key.
LOCK_KEY = lock_key(b"cna_swee")
PLAN_THREAD_ENV = "CNA_SWEEP_PLAN_THREAD"  # "0": plan on the event loop, as before (the bench's A/B)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def leader_for(db: Database) -> Leader:
    """The sweeper's election: advisory lock LOCK_KEY on PostgreSQL, `<database>.sweeper.lock` on SQLite."""
    return _leader_for(db, LOCK_KEY, ".sweeper.lock", "sweeper")


class Sweeper:
    """Plans and sweeps when it holds the leader lock; ticks never overlap."""

    def __init__(self, db: Database, clock: Clock | None = None, leader: Leader | None = None):
        self.db = db
        self.clock: Clock = clock or SystemClock()
        self.leader = leader or leader_for(db)
        self.leading = False
        self.last_plan: PlanReport | None = None
        self.plan_state = PlanState()
        self._busy = asyncio.Lock()
        self._stopping = False
        # A database another engine can open (a file, a server; not SQLite's :memory:) is planned off the loop.
        off_loop = os.environ.get(PLAN_THREAD_ENV) != "0" and db.engine.url.database not in (None, "", ":memory:")
        self.planner = PlanThread(db) if off_loop else None

    async def tick(self) -> list[Outcome] | None:
        """One round of work: None when another replica is the sweeper (or we are stopping)."""
        if self._stopping:
            return None
        async with self._busy:
            try:
                leading = await self.leader.acquire()
            except Exception:
                self.leading = False  # the database is away: we cannot know, so we do not lead
                raise
            if leading != self.leading:
                log.info("sweeper: %s (pid %s)", "leading" if leading else "standing by", os.getpid())
                self.leading = leading
                # Another sweeper planned meanwhile and forgot the marks it covered: what it may have left
                # half-written is caught by a full plan, not by marks.
                self.plan_state.full = True
            if not leading:
                return None
            now = self.clock.now()
            self.last_plan = await plan_tick(self.db, now, self.plan_state, self.planner)
            outcomes = await sweep(self.db, now)
            await housekeeping(self.db, now)  # storage.privacy: empty processed inbox/outbox rows, retention purge
            return outcomes

    async def close(self) -> None:
        """Finish the tick in flight, then let go of the lock so another replica takes over at once."""
        self._stopping = True
        async with self._busy:
            await self.leader.release()
            self.leading = False
            if self.planner is not None:
                await self.planner.close()


async def run_scheduler(db: Database, settings_like: Any = None, stop_event: asyncio.Event | None = None, *,
                        clock: Clock | None = None,
                        on_tick: Callable[[Sweeper, list[Outcome] | None], None] | None = None) -> None:
    """Run the sweep job until `stop_event` is set. Interval: `settings_like.schedule_interval` (seconds,
    default 60). The first sweep runs at once, so work that fell due while the service was down runs at
    start."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

    interval = float(getattr(settings_like, "schedule_interval", None) or DEFAULT_INTERVAL)
    aps_log = logging.getLogger("apscheduler")
    if aps_log.level == logging.NOTSET:
        aps_log.setLevel(logging.WARNING)  # it logs every run at INFO: two lines a minute of noise
    stop_event = stop_event or asyncio.Event()
    sweeper = Sweeper(db, clock)

    async def job() -> None:
        try:
            outcomes = await sweeper.tick()
        except Exception:
            log.exception("sweep failed; retrying at the next tick")
            outcomes = None
        if on_tick is not None:
            on_tick(sweeper, outcomes)

    scheduler = AsyncIOScheduler(timezone=UTC)
    # coalesce + max_instances=1: a slow sweep or a suspended laptop yields one catch-up run, not a pile-up.
    scheduler.add_job(job, "interval", seconds=interval, id=JOB_ID, coalesce=True, max_instances=1,
                      misfire_grace_time=3600, next_run_time=datetime.now(UTC), replace_existing=True)
    scheduler.start()
    try:
        await stop_event.wait()
    finally:
        await sweeper.close()
        scheduler.shutdown(wait=False)


# --- snoozing (called from the Slack listeners) -----------------------------------------------------------

class InterviewNotFound(LookupError):
    """No interview with that id (or it was erased)."""


async def snooze(db: Database, interview_id: int, until: datetime) -> datetime:
    """Hold nudges for an interview until `until` ("remind me next week"). The next nudge comes at the first
    working moment at or after it, even if the nudge limit was reached, since the person asked for it."""
    if until.tzinfo is None:
        raise ValueError("snooze needs an aware datetime")
    for attempt in range(5):
        try:
            async with db.uow() as uow:
                iv = await uow.session.get(Interview, interview_id)
                if iv is None:
                    raise InterviewNotFound(f"no interview {interview_id}")
                iv.snoozed_until = until.astimezone(UTC)
                await uow.session.flush()
                # Move the pending nudge in the same transaction, not at the next tick.
                await replan_interview(uow.session, iv, datetime.now(UTC))
                await uow.commit()
            return until
        except StaleDataError:  # an answer arrived at the same moment; take the fresh row and retry
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


async def snooze_for_text(db: Database, interview_id: int, phrase: str, now: datetime) -> datetime | None:
    """Snooze with the person's own words ("next week", "tomorrow", "下周", "明天"), in their own zone and
    working hours. None when the phrase is not understood (ask again rather than guess)."""
    async with db.uow() as uow:
        s = uow.session
        iv = await s.get(Interview, interview_id)
        if iv is None:
            raise InterviewNotFound(f"no interview {interview_id}")
        p = await s.get(Participant, iv.participant_id)
        a = await s.get(Assessment, iv.assessment_id)
        assert p is not None and a is not None
        cfg = config_of(a)
        tz = zone(p.tz, cfg.tz)
    day = parse_snooze(phrase, now.astimezone(tz).date())
    if day is None:
        return None
    return await snooze(db, interview_id, snooze_until(day, tz, cfg.hours))
