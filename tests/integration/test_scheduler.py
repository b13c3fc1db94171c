"""The scheduler on real SQLite and PostgreSQL with a hand-moved clock: refresh, draft rounds, waves, nudges."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from app.rounds import RoundError, launch_round
from app.schedule.job import snooze, snooze_for_text
from storage.models import Assessment, AssessmentScript, Interview, TeamMember
from storage.uow import Database
from tests.integration.schedule_world import (
    LEAD,
    add_person,
    erase,
    interview,
    items,
    make_round,
    outbox,
    tick,
    utc,
)

# --- round refresh ----------------------------------------------------------------------------------------


async def _rounds(db: Database) -> list[Assessment]:
    async with db.uow() as uow:
        return list((await uow.session.scalars(select(Assessment).order_by(Assessment.id))).all())


def _keys(rows) -> Counter:
    return Counter(m.key for m in rows)


async def test_refresh_reminders_and_draft_round_each_once_however_often_we_sweep(db):
    aid = await make_round(db)
    seen: dict[str, datetime] = {}
    now = utc(2026, 6, 1, 0)
    while now < utc(2026, 7, 16):
        for _ in range(2):  # two sweeps in the same instant
            await tick(db, now)
        for m in await outbox(db):
            seen.setdefault(m.key, now)
        now += timedelta(hours=7)  # irregular steps cross every hour of the day
    assert set(seen) == {f"refresh-reminder:{aid}:30:{LEAD}", f"refresh-reminder:{aid}:7:{LEAD}",
                         f"round-draft:{aid}:{LEAD}"}
    assert seen[f"refresh-reminder:{aid}:30:{LEAD}"].date() == date(2026, 6, 10)
    assert seen[f"refresh-reminder:{aid}:7:{LEAD}"].date() == date(2026, 7, 3)
    assert seen[f"round-draft:{aid}:{LEAD}"].date() == date(2026, 7, 10)
    assert max(_keys(await outbox(db)).values()) == 1
    rounds = await _rounds(db)
    assert [(r.round_no, r.status, r.previous_id) for r in rounds] == [(1, "open", None), (2, "draft", aid)]
    assert rounds[1].opened_on == date(2026, 7, 10)
    reminder = next(m for m in await outbox(db) if m.key.startswith(f"refresh-reminder:{aid}:30"))
    assert reminder.method == "chat.postMessage" and reminder.channel == LEAD
    assert reminder.payload["channel"] == LEAD and "2026-07-10" in reminder.payload["text"]
    assert "in 30 days" in reminder.payload["text"]


async def test_restart_between_sweeps_sends_nothing_twice(db_url):
    db1 = await Database.open(db_url)
    aid = await make_round(db1)
    await tick(db1, utc(2026, 6, 10, 9))
    await db1.close()
    db2 = await Database.open(db_url)  # a restarted service: new engine, same database
    try:
        for now in (utc(2026, 6, 10, 9), utc(2026, 6, 11), utc(2026, 7, 3, 9), utc(2026, 7, 3, 10)):
            await tick(db2, now)
        keys = _keys(await outbox(db2))
        assert keys == Counter({f"refresh-reminder:{aid}:30:{LEAD}": 1, f"refresh-reminder:{aid}:7:{LEAD}": 1})
    finally:
        await db2.close()


async def test_downtime_across_the_due_date_catches_up_once(db):
    aid = await make_round(db)
    first = await tick(db, utc(2027, 3, 1))  # the service was down from before the first reminder
    assert sorted((o.key, o.status) for o in first) == [
        (f"refresh-reminder:{aid}:30", "done"), (f"refresh-reminder:{aid}:7", "done"),
        (f"round-refresh:{aid}", "done")]
    assert await tick(db, utc(2027, 3, 1)) == []
    assert await tick(db, utc(2027, 6, 1)) == []
    rounds = await _rounds(db)
    assert len(rounds) == 2 and rounds[1].opened_on == date(2026, 7, 10)  # dated by the rule, not the sweep
    assert len(await outbox(db)) == 3
    # The draft round is not open yet, so it plans no refresh of its own.
    assert not [k for k in await items(db) if k.endswith(f":{rounds[1].id}")]


async def test_changing_the_interval_moves_pending_items_and_bad_values_keep_them(db):
    aid = await make_round(db)
    await tick(db, utc(2025, 2, 1))
    async with db.uow() as uow:
        await uow.session.execute(update(Assessment).where(Assessment.id == aid).values(refresh_months=12))
        await uow.commit()
    await tick(db, utc(2025, 2, 2))
    got = await items(db)
    assert got[f"round-refresh:{aid}"].due_at == utc(2026, 1, 10, 9)
    async with db.uow() as uow:  # someone writes a value the method forbids straight into the table
        await uow.session.execute(update(Assessment).where(Assessment.id == aid).values(refresh_months=30))
        await uow.commit()
    await tick(db, utc(2025, 2, 3))
    kept = await items(db)
    assert kept[f"round-refresh:{aid}"].due_at == utc(2026, 1, 10, 9)
    assert kept[f"round-refresh:{aid}"].cancelled_at is None


async def test_reminder_settings_and_zone_are_honoured(db):
    aid = await make_round(db, settings={"tz": "Asia/Shanghai", "refresh": {"reminder_days": [14], "at": "10:00"}})
    await tick(db, utc(2025, 2, 1))
    got = await items(db)
    assert set(got) == {f"refresh-reminder:{aid}:14", f"round-refresh:{aid}"}
    assert got[f"refresh-reminder:{aid}:14"].due_at == datetime(2026, 6, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


async def test_draft_round_copies_scripts_team_and_reachable_participants_without_inviting(db):
    aid = await make_round(db)
    async with db.uow() as uow:
        uow.session.add(TeamMember(assessment_id=aid, name="Li Wei", internal=True, business_unit="sales"))
        uow.session.add(TeamMember(assessment_id=aid, name="Consultant", internal=False))
        await uow.commit()
    t = utc(2025, 3, 1)
    done = await add_person(db, aid, "UDONE", status="completed", last_activity=t)
    declined = await add_person(db, aid, "UDECL", status="declined", last_activity=t)
    await add_person(db, aid, "UOPT", status="completed", last_activity=t, opted_out=True)
    await add_person(db, aid, "UERASED", status="completed", last_activity=t)
    await erase(db, "UERASED")
    await add_person(db, aid, None, mode="terminal", status="completed", last_activity=t)
    assisted = await add_person(db, aid, None, kind="customer", role=None, segment="customer:current",
                                mode="assisted", interviewer="UINT", status="completed", last_activity=t)
    before = len(await outbox(db))
    await tick(db, utc(2026, 7, 10, 9))
    rounds = await _rounds(db)
    new = rounds[1]
    assert (new.round_no, new.status, new.previous_id, new.name) == (2, "draft", aid, "CRM needs")
    async with db.uow() as uow:
        s = uow.session
        scripts = set((await s.scalars(select(AssessmentScript.script_id)
                                       .where(AssessmentScript.assessment_id == new.id))).all())
        team = sorted((await s.scalars(select(TeamMember.name).where(TeamMember.assessment_id == new.id))).all())
        drafts = (await s.scalars(select(Interview).where(Interview.assessment_id == new.id))).all()
        old = {iv.participant_id for iv in (await s.scalars(select(Interview).where(
            Interview.id.in_([done, declined, assisted])))).all()}
    assert scripts == {"internal-sales", "customer-current"}
    assert team == ["Consultant", "Li Wei"]
    assert {iv.participant_id for iv in drafts} == old
    assert {iv.status for iv in drafts} == {"draft"}
    assert next(iv for iv in drafts if iv.mode == "assisted").interviewer_slack_id == "UINT"
    new_msgs = {m.key: m for m in (await outbox(db))[before:] if not m.key.startswith("refresh-reminder:")}
    assert list(new_msgs) == [f"round-draft:{aid}:{LEAD}"]  # the lead hears; nobody is invited
    assert f"cna round launch {new.id}" in str(new_msgs[f"round-draft:{aid}:{LEAD}"].payload["blocks"])


# --- launch and waves -------------------------------------------------------------------------------------


async def _draft_with_people(db: Database) -> tuple[int, dict[str, int]]:
    aid = await make_round(db, opened_on=date(2024, 9, 1), months=18)
    t = utc(2024, 10, 1)
    people = {
        "USALES": await add_person(db, aid, "USALES", tz="Asia/Shanghai", status="completed", last_activity=t),
        "USERV": await add_person(db, aid, "USERV", tz="Europe/Berlin", role="service",
                                  segment="internal:service", status="completed", last_activity=t),
        "UCUST1": await add_person(db, aid, "UCUST1", tz="America/Los_Angeles", kind="customer", role=None,
                                   segment="customer:current", status="completed", last_activity=t),
        "UCUST2": await add_person(db, aid, "UCUST2", tz=None, kind="customer", role=None,
                                   segment="customer:current", status="completed", last_activity=t),
    }
    await tick(db, utc(2026, 3, 1, 9))  # the refresh date, 2026-03-01: the draft appears
    return (await _rounds(db))[1].id, people


async def test_launch_in_waves_internal_first_then_customers(db):
    draft, _ = await _draft_with_people(db)
    launch_at = utc(2026, 3, 4, 8)  # a Wednesday
    async with db.uow() as uow:
        res = await launch_round(uow.session, draft, now=launch_at, waves="internal,customer", gap_days=7)
        await uow.commit()
    assert [(w.number, w.day, len(w.interview_ids)) for w in res.waves] == [
        (1, date(2026, 3, 4), 2), (2, date(2026, 3, 11), 2)]
    assert res.closed_previous is not None
    async with db.uow() as uow:
        with pytest.raises(RoundError, match="not a draft"):
            await launch_round(uow.session, draft, now=launch_at)

    await tick(db, launch_at)
    await tick(db, launch_at)
    invites = [m for m in await outbox(db) if m.key.startswith("invite:")]
    assert len(invites) == 2
    zones = {"USALES": "Asia/Shanghai", "USERV": "Europe/Berlin"}
    for m in invites:
        local = m.not_before.astimezone(ZoneInfo(zones[m.channel]))
        assert local.weekday() < 5 and time(9) <= local.time() < time(17)
        actions = [e["action_id"] for b in m.payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert actions == ["cna_start_interview", "cna_snooze_interview", "cna_decline_interview"]
    async with db.uow() as uow:
        statuses = Counter((await uow.session.scalars(select(Interview.status)
                                                      .where(Interview.assessment_id == draft))).all())
    assert statuses == Counter({"invited": 2, "draft": 2})

    await tick(db, utc(2026, 3, 11, 0))  # nobody's working day has started yet on the wave's day
    assert len([m for m in await outbox(db) if m.key.startswith("invite:")]) == 2
    await tick(db, utc(2026, 3, 11, 10))  # 09:00 has come in UTC (the zone-less person) but not in LA
    invites = [m for m in await outbox(db) if m.key.startswith("invite:")]
    assert len(invites) == 4
    la = next(m for m in invites if m.channel == "UCUST1")
    assert la.not_before == datetime(2026, 3, 11, 9, tzinfo=ZoneInfo("America/Los_Angeles"))


async def test_launch_per_day_and_drop_people_who_left(db):
    draft, people = await _draft_with_people(db)
    friday = utc(2026, 3, 6, 10)
    async with db.uow() as uow:
        res = await launch_round(uow.session, draft, now=friday, per_day_count=1)
        await uow.commit()
    assert [w.day for w in res.waves] == [date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10),
                                          date(2026, 3, 11)]
    await erase(db, "UCUST2")
    for day in range(6, 13):
        await tick(db, utc(2026, 3, day, 23))
    invites = [m for m in await outbox(db) if m.key.startswith("invite:")]
    assert sorted(m.channel for m in invites) == ["UCUST1", "USALES", "USERV"]
    async with db.uow() as uow:
        left = (await uow.session.scalars(select(Interview.status).where(Interview.assessment_id == draft))).all()
    assert sorted(left) == ["invited", "invited", "invited"]  # the erased person's draft row is gone


async def test_launch_rejects_bad_input(db):
    draft, _ = await _draft_with_people(db)
    now = utc(2026, 3, 4, 8)
    for kwargs, words in [({"waves": "internal,,customer"}, "empty wave"),
                          ({"waves": "internal", "per_day_count": 2}, "not both"),
                          ({"start": date(2026, 1, 1)}, "in the past")]:
        async with db.uow() as uow:
            with pytest.raises(RoundError, match=words):
                await launch_round(uow.session, draft, now=now, **kwargs)
    async with db.uow() as uow:
        assert (await uow.session.get(Assessment, draft)).status == "draft"  # nothing half-done


# --- nudges -----------------------------------------------------------------------------------------------

ZONES = {"USH": "Asia/Shanghai", "UBER": "Europe/Berlin", "ULA": "America/Los_Angeles"}


async def test_nudges_land_in_local_working_hours_never_weekends_at_most_twice(db):
    aid = await make_round(db, opened_on=date(2026, 1, 5))
    start = utc(2026, 3, 5, 22)  # Thursday night UTC: Friday morning in Shanghai, Thursday afternoon in LA
    ids = {u: await add_person(db, aid, u, tz=z, last_activity=start) for u, z in ZONES.items()}
    ids["UPROG"] = await add_person(db, aid, "UPROG", tz="Europe/Berlin", status="in_progress",
                                    last_activity=start)
    quiet = {
        await add_person(db, aid, "UCOMP", tz="Europe/Berlin", status="completed", last_activity=start),
        await add_person(db, aid, "UDECL", tz="Europe/Berlin", status="declined", last_activity=start),
        await add_person(db, aid, "UOPT", tz="Europe/Berlin", last_activity=start, opted_out=True),
        await add_person(db, aid, "UGONE", tz="Europe/Berlin", last_activity=start),
        await add_person(db, aid, None, mode="terminal", last_activity=start),
    }
    await erase(db, "UGONE")
    now = start
    while now < start + timedelta(days=20):
        await tick(db, now)
        now += timedelta(hours=5)  # the sweeps themselves fall at all hours, weekends included
    nudges = [m for m in await outbox(db) if m.key.startswith("nudge:")]
    by_user = Counter(m.channel for m in nudges)
    assert by_user == Counter({"USH": 2, "UBER": 2, "ULA": 2, "UPROG": 2})
    for m in nudges:
        local = m.not_before.astimezone(ZoneInfo(ZONES.get(m.channel, "Europe/Berlin")))
        assert local.weekday() < 5, (m.key, local)
        assert time(9) <= local.time() < time(17), (m.key, local)
    for user, iid in ids.items():
        first, second = sorted((m for m in nudges if m.channel == user), key=lambda m: m.key)
        assert first.key == f"nudge:{iid}:1" and second.key == f"nudge:{iid}:2"
        assert first.not_before >= start + timedelta(days=3)
        assert second.not_before >= first.not_before + timedelta(days=3)
        assert (await interview(db, iid)).nudges_sent == 2
    assert not [it for it in (await items(db)).values() if it.interview_id in quiet and it.done_at]


async def test_progress_after_planning_moves_the_nudge_and_completion_cancels_it(db):
    aid = await make_round(db, opened_on=date(2026, 1, 5))
    iid = await add_person(db, aid, "UBER", tz="Europe/Berlin", last_activity=utc(2026, 3, 2, 9))  # Monday
    await tick(db, utc(2026, 3, 3, 9))
    assert (await items(db))[f"nudge:{iid}:1"].due_at == utc(2026, 3, 5, 9)
    async with db.uow() as uow:  # the person answers on Wednesday; no planner ran since
        iv = await uow.session.get(Interview, iid)
        iv.status, iv.last_activity_at = "in_progress", utc(2026, 3, 4, 15)
        await uow.commit()
    got = await tick(db, utc(2026, 3, 5, 9, 30))
    assert all(m.key != f"nudge:{iid}:1" for m in await outbox(db))
    assert (await items(db))[f"nudge:{iid}:1"].due_at == datetime(2026, 3, 9, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    assert got == [] or all(o.status != "done" for o in got)
    async with db.uow() as uow:
        iv = await uow.session.get(Interview, iid)
        iv.status = "completed"
        await uow.commit()
    await tick(db, utc(2026, 3, 20))
    item = (await items(db))[f"nudge:{iid}:1"]
    assert item.cancelled_at is not None and item.done_at is None
    assert not [m for m in await outbox(db) if m.key.startswith("nudge:")]


async def test_snooze_next_week_in_the_persons_zone_even_past_the_limit(db):
    aid = await make_round(db, opened_on=date(2026, 1, 5), settings={"nudges": {"after_days": 3, "max": 1}})
    iid = await add_person(db, aid, "ULA", tz="America/Los_Angeles", last_activity=utc(2026, 3, 2, 18))
    await tick(db, utc(2026, 3, 5, 18))  # Thursday 10:00 in LA: nudge 1
    assert [m.key for m in await outbox(db)] == [f"nudge:{iid}:1"]
    await tick(db, utc(2026, 3, 30))
    assert len(await outbox(db)) == 1  # the limit is one
    wednesday = utc(2026, 3, 11, 19)
    until = await snooze_for_text(db, iid, "remind me next week", wednesday)
    assert until == datetime(2026, 3, 16, 9, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert (await items(db))[f"nudge:{iid}:2"].due_at == until  # moved at once, not at the next tick
    await tick(db, until - timedelta(minutes=1))
    assert len(await outbox(db)) == 1
    await tick(db, until)
    assert [m.key for m in await outbox(db)] == [f"nudge:{iid}:1", f"nudge:{iid}:2"]
    iv = await interview(db, iid)
    assert iv.snoozed_until is None and iv.nudges_sent == 2
    assert await snooze_for_text(db, iid, "whenever", wednesday) is None


async def test_snooze_in_chinese_and_plain_snooze(db):
    aid = await make_round(db, opened_on=date(2026, 1, 5))
    iid = await add_person(db, aid, "USH", tz="Asia/Shanghai", last_activity=utc(2026, 3, 2, 2), lang="zh")
    until = await snooze_for_text(db, iid, "明天", utc(2026, 3, 2, 3))
    assert until == datetime(2026, 3, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (await items(db))[f"nudge:{iid}:1"].due_at == utc(2026, 3, 5, 2)  # a snooze never brings it forward
    later = datetime(2026, 3, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    await snooze(db, iid, later)
    await tick(db, utc(2026, 3, 19))
    assert not await outbox(db)
    await tick(db, later)
    (m,) = await outbox(db)
    assert m.key == f"nudge:{iid}:1" and "还在等您" in m.payload["text"]


async def test_assisted_interviews_nudge_the_interviewer(db):
    aid = await make_round(db, opened_on=date(2026, 1, 5))
    iid = await add_person(db, aid, None, kind="customer", role=None, segment="customer:current",
                           mode="assisted", interviewer="UINT", last_activity=utc(2026, 3, 2, 9))
    await tick(db, utc(2026, 3, 5, 10))
    (m,) = await outbox(db)
    assert (m.key, m.channel) == (f"nudge:{iid}:1", "UINT")


async def test_two_sweepers_racing_run_each_item_once(db_url):
    dbs = [await Database.open(db_url), await Database.open(db_url)]
    try:
        rounds = [await make_round(dbs[0]) for _ in range(5)]
        t = utc(2026, 3, 2, 9)
        for i in range(10):
            await add_person(dbs[0], rounds[0], f"URACE{i}", tz="Europe/Berlin", last_activity=t)
        now = utc(2026, 7, 10, 12)
        # The plan-vs-full check waits for the race to end (the tick on dbs[1] below): mid-race another sweeper's
        # sweep may change what a full plan makes between a tick's plan and its check.
        results = await asyncio.gather(*(tick(d, now, check=False) for d in dbs for _ in range(2)),
                                       return_exceptions=True)
        assert not [r for r in results if isinstance(r, BaseException)], results
        done = Counter(o.key for r in results for o in r if o.status == "done")  # type: ignore[union-attr]
        await tick(dbs[1], now)
        assert all(n == 1 for n in done.values()), done
        assert len(await _rounds(dbs[0])) == 10  # 5 rounds, 5 drafts: never two drafts for one round
        keys = _keys(await outbox(dbs[0]))
        assert len(keys) == 5 * 3 + 10 and max(keys.values()) == 1
    finally:
        for d in dbs:
            await d.close()


async def test_plan_over_more_interviews_than_a_chunk_commits_in_chunks(db, monkeypatch):
    from sqlalchemy import event

    import app.schedule.plan as schedule_plan

    monkeypatch.setattr(schedule_plan, "CHUNK", 3)  # 7 interviews: three pages, three insert transactions
    aid = await make_round(db, opened_on=date(2026, 1, 5))
    start = utc(2026, 3, 2, 9)
    ids = [await add_person(db, aid, f"U{i}", tz="Europe/Berlin", last_activity=start) for i in range(7)]
    commits: list[int] = []
    # On SQLite the chunks are committed on the writer thread's connection (storage/thread_writes.py).
    for engine in [db.engine.sync_engine] + ([w.engine] if (w := db.thread_writer()) is not None else []):
        event.listen(engine, "commit", lambda _conn: commits.append(1))
    report = await schedule_plan.plan(db, start)
    assert report.created == 7 + 3  # seven nudges (every page read) and this round's refresh items
    got = await items(db)
    assert {f"nudge:{iid}:1" for iid in ids} <= set(got)
    assert len(commits) >= 3  # not one transaction holding the write lock for the whole plan
    async with db.uow() as uow:  # completing two interviews: their nudges are cancelled, in chunks too
        await uow.session.execute(update(Interview).where(Interview.id.in_(ids[:2])).values(status="completed"))
        await uow.commit()
    again = await schedule_plan.plan(db, start + timedelta(hours=1))
    assert (again.created, again.cancelled) == (0, 2)


async def test_plan_reads_items_and_interviews_in_pages_and_gives_the_loop_turns(db, monkeypatch):
    """With 10,000 open interviews one read or one pass over them held the loop 50-250 ms: every step is a page
    of CHUNK rows with a turn of the event loop after it (bench/sweep_lag.py measures the stalls)."""
    from sqlalchemy import event

    import app.schedule.plan as schedule_plan

    monkeypatch.setattr(schedule_plan, "CHUNK", 3)
    aid = await make_round(db, opened_on=date(2026, 1, 5))
    start = utc(2026, 3, 2, 9)
    for i in range(7):
        await add_person(db, aid, f"U{i}", tz="Europe/Berlin", last_activity=start)
    await schedule_plan.plan(db, start)  # 7 nudge items and 3 refresh items now exist
    item_reads: list[str] = []

    def seen(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM schedule_items" in statement:
            item_reads.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", seen)
    turns = 0
    stop = False

    async def ticker() -> None:
        nonlocal turns
        while not stop:
            await asyncio.sleep(0)
            turns += 1

    t = asyncio.create_task(ticker())
    try:
        report = await schedule_plan.plan(db, start + timedelta(minutes=5))
    finally:
        stop = True
        await t
    event.remove(db.engine.sync_engine, "before_cursor_execute", seen)
    assert report.created == 0 and report.cancelled == 0  # nothing to change: the same plan, read in pages
    assert len(item_reads) >= 4  # 10 items, 3 a page
    # Pages of items (4) and interviews (3), and the passes over wants (4) and items (4), each end in a turn.
    assert turns >= 4 + 3 + 4 + 4
