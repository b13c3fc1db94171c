"""The sweeper's change-only plan (app/schedule/plan_scoped.py): what the triggers mark, and that planning only the
marked interviews leaves exactly what a full plan would, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from app.schedule import plan_scoped
from app.schedule.job import Sweeper
from app.schedule.plan import work_out
from app.schedule.plan_marks import forget_marks, read_marks
from app.schedule.plan_scoped import RECHECK, PlanState, plan_tick, recheck_setting
from storage.models import Assessment, Identity, Interview, Participant, PlanMark, ScheduleItem
from storage.uow import Database
from tests.integration.schedule_world import add_person, erase, items, make_round, utc

NOW = utc(2026, 3, 3, 9)  # a Tuesday; the people below were last active on Monday


async def _world(db: Database, people: int = 4) -> tuple[int, list[int]]:
    aid = await make_round(db, opened_on=date(2026, 1, 5))
    ids = [await add_person(db, aid, f"UMARK{i:03d}", tz="Europe/Berlin", last_activity=utc(2026, 3, 2, 9))
           for i in range(people)]
    return aid, ids


async def _pending_full_changes(db: Database) -> int:
    inserts, changes, _report = await work_out(db, NOW)
    return len(inserts) + len(changes)


async def _marks(db: Database) -> list[tuple[str, int]]:
    async with db.uow() as uow:
        return [(k, r) for k, r in (await uow.session.execute(
            select(PlanMark.kind, PlanMark.ref_id).order_by(PlanMark.kind, PlanMark.ref_id))).all()]


async def _run(db: Database, stmt: Any) -> None:
    async with db.uow() as uow:
        await uow.session.execute(stmt)
        await uow.commit()


async def test_a_quiet_tick_weighs_no_interview_and_changes_nothing(db):
    _aid, ids = await _world(db)
    state = PlanState(incremental=True, recheck=0)
    first = await plan_tick(db, NOW, state)
    assert first.full and first.weighed == len(ids) and first.created == len(ids) + 3  # nudges + round items
    assert await _marks(db) == []  # its own writes mark nothing: the items are what it worked out
    for _ in range(2):
        again = await plan_tick(db, NOW, state)
        assert (again.full, again.weighed, again.created, again.moved, again.cancelled) == (False, 0, 0, 0, 0)


def _person_of(iid: int) -> Any:
    return select(Interview.participant_id).where(Interview.id == iid).scalar_subquery()


# Each: a change to something planning reads, made the way any code path could (Core statements, no ORM).
CHANGES: dict[str, Callable[[Database, int, int], Awaitable[None]]] = {
    "progress (last activity only)": lambda db, aid, iid: _run(db, update(Interview).where(Interview.id == iid)
                                                               .values(last_activity_at=utc(2026, 3, 3, 8))),
    "completed": lambda db, aid, iid: _run(db, update(Interview).where(Interview.id == iid)
                                           .values(status="completed")),
    "snoozed": lambda db, aid, iid: _run(db, update(Interview).where(Interview.id == iid)
                                         .values(snoozed_until=utc(2026, 3, 16, 9))),
    "opted out": lambda db, aid, iid: _run(db, update(Participant).where(Participant.id == _person_of(iid))
                                           .values(opted_out=True)),
    "moved zone": lambda db, aid, iid: _run(db, update(Participant).where(Participant.id == _person_of(iid))
                                            .values(tz="Asia/Shanghai")),
    "erased": lambda db, aid, iid: erase(db, "UMARK001"),
    "lost its Slack user": lambda db, aid, iid: _run(db, update(Identity).where(
        Identity.participant_id == _person_of(iid)).values(slack_user_id=None)),
    "new interview": lambda db, aid, iid: add_person(db, aid, "UMARKNEW", last_activity=utc(2026, 3, 2, 9)),
    "its nudge moved by hand": lambda db, aid, iid: _run(db, update(ScheduleItem).where(
        ScheduleItem.interview_id == iid).values(due_at=utc(2026, 3, 20, 9))),
    "its nudge deleted": lambda db, aid, iid: _run(db, delete(ScheduleItem).where(ScheduleItem.interview_id == iid)),
    "round settings": lambda db, aid, iid: _run(db, update(Assessment).where(Assessment.id == aid).values(
        settings={"nudges": {"after_days": 5}})),
    "round closed": lambda db, aid, iid: _run(db, update(Assessment).where(Assessment.id == aid)
                                              .values(status="closed")),
}


@pytest.mark.parametrize("change", list(CHANGES))
async def test_a_change_is_planned_by_the_next_tick_exactly_as_a_full_plan_would(db, change):
    aid, ids = await _world(db)
    state = PlanState(incremental=True, recheck=0)
    await plan_tick(db, NOW, state)
    assert await _marks(db) == [] and await _pending_full_changes(db) == 0
    await CHANGES[change](db, aid, ids[1])
    assert await _marks(db), "the change left no mark"
    assert await _pending_full_changes(db) > 0, "the change should matter to planning"
    report = await plan_tick(db, NOW, state)
    assert await _pending_full_changes(db) == 0  # the change-only plan did all a full plan would
    round_wide = change.startswith("round")
    assert report.full == round_wide  # a round's status or settings: the whole round is re-planned
    if not round_wide:
        assert report.weighed <= 2  # the changed interview (and a new one), not the other three


async def test_a_mark_rewritten_after_the_plan_read_it_stays_for_the_next_plan(db):
    _aid, ids = await _world(db, people=2)
    async with db.uow() as uow:
        marks = await read_marks(uow.session)
    assert {("i", i) for i in ids} <= {(k, r) for k, r, _t in marks.seen}
    # A change commits after the plan read the marks (and the data): its mark must survive the plan's cleanup.
    await _run(db, update(Interview).where(Interview.id == ids[0]).values(last_activity_at=utc(2026, 3, 3, 7)))
    await forget_marks(db, marks)
    assert await _marks(db) == [("i", ids[0])]


async def test_a_plan_cut_off_before_its_writes_keeps_its_marks_and_the_next_tick_plans_them(db, monkeypatch):
    _aid, ids = await _world(db, people=2)
    state = PlanState(incremental=True, recheck=0)
    await plan_tick(db, NOW, state)
    await plan_tick(db, NOW, state)
    await _run(db, update(Interview).where(Interview.id == ids[0]).values(status="completed"))

    async def killed(*_args: Any) -> None:
        raise RuntimeError("kill -9")

    with monkeypatch.context() as m:
        m.setattr(plan_scoped, "write_plan", killed)
        with pytest.raises(RuntimeError):
            await plan_tick(db, NOW, state)
    assert await _marks(db) == [("i", ids[0])]
    await plan_tick(db, NOW, state)
    assert await _pending_full_changes(db) == 0
    assert (await items(db))[f"nudge:{ids[0]}:1"].cancelled_at is not None


async def test_the_safety_net_re_weighs_every_open_interview_in_slices_even_without_marks(db):
    _aid, ids = await _world(db, people=5)
    state = PlanState(incremental=True, recheck=2)
    await plan_tick(db, NOW, state)
    await plan_tick(db, NOW, state)
    # A change that left no mark (as if a trigger had been missing): only the slices can find it.
    await _run(db, update(Interview).where(Interview.id.in_(ids)).values(last_activity_at=utc(2026, 3, 3, 8)))
    await _run(db, delete(PlanMark))
    state.after = 0
    assert (await plan_tick(db, NOW, state)).weighed == 2  # the first slice (and no marks)
    assert await _pending_full_changes(db) > 0  # three interviews not re-weighed yet
    await plan_tick(db, NOW, state)
    await plan_tick(db, NOW, state)  # the third slice (the last interview) reached
    assert await _pending_full_changes(db) == 0


async def test_the_sweeper_plans_fully_at_start_then_only_what_changed(db):
    _aid, ids = await _world(db, people=3)
    sweeper = Sweeper(db)
    try:
        await sweeper.tick()
        assert sweeper.last_plan is not None and sweeper.last_plan.full
        await sweeper.tick()
        await _run(db, update(Interview).where(Interview.id == ids[2]).values(status="completed"))
        await sweeper.tick()
        assert not sweeper.last_plan.full and 1 <= sweeper.last_plan.weighed <= 1 + sweeper.plan_state.recheck
        async with db.uow() as uow:
            pending = await uow.session.scalar(select(func.count()).select_from(ScheduleItem).where(
                ScheduleItem.interview_id == ids[2], ScheduleItem.cancelled_at.is_(None),
                ScheduleItem.done_at.is_(None)))
        assert pending == 0
    finally:
        await sweeper.close()


def test_a_bad_recheck_setting_is_refused_with_a_warning_not_a_traceback(caplog):
    assert recheck_setting("50") == 50 and recheck_setting("0") == 0 and recheck_setting(None) == RECHECK
    for bad in ("lots", "-3", "1.5"):
        assert recheck_setting(bad) == RECHECK
    assert "CNA_SWEEP_RECHECK='lots' is not a whole number" in caplog.text
