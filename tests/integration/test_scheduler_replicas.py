"""Several sweepers on one real PostgreSQL: racing processes send once; killing the leader hands over."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Assessment, OutboxMessage, ScheduleItem
from storage.uow import Database
from tests.integration.schedule_world import LEAD, add_person, make_round, utc

pytestmark = pytest.mark.postgres

CLI = [sys.executable, "-m", "cli.main"]


async def _run(*args: str, cwd: Path) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(*CLI, *args, cwd=cwd, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=180)
    return proc.returncode or 0, out.decode(), err.decode()


async def _world(url: str, rounds: int = 8, people: int = 12) -> list[int]:
    db = await Database.open(url)
    try:
        ids = [await make_round(db) for _ in range(rounds)]
        for i in range(people):
            await add_person(db, ids[i % rounds], f"UREP{i:03}", tz="Europe/Berlin", last_activity=utc(2026, 3, 2))
        return ids
    finally:
        await db.close()


async def _state(url: str) -> tuple[Counter[str], Counter[int | None], int]:
    db = await Database.open(url, migrate=False)
    try:
        async with db.uow() as uow:
            s = uow.session
            keys = Counter((await s.scalars(select(OutboxMessage.key))).all())
            drafts = Counter((await s.scalars(select(Assessment.previous_id)
                                              .where(Assessment.status == "draft"))).all())
            undone = len((await s.scalars(select(ScheduleItem.id).where(
                ScheduleItem.done_at.is_(None), ScheduleItem.cancelled_at.is_(None),
                ScheduleItem.due_at <= utc(2026, 7, 10, 12)))).all())
        return keys, drafts, undone
    finally:
        await db.close()


@pytest.mark.parametrize("force", [True, False], ids=["forced-race", "lock-elected"])
async def test_two_run_due_processes_racing_send_each_reminder_once(pg_url, tmp_path, force):
    rounds = await _world(pg_url)
    extra = ["--force"] if force else []
    results = await asyncio.gather(*(_run("schedule", "run-due", "--now", "2026-07-10T12:00", "--json", *extra,
                                          "--db", pg_url, cwd=tmp_path) for _ in range(3)))
    done: Counter[str] = Counter()
    workers = 0
    for code, out, err in results:
        assert code == 0, err
        if out.strip():
            mine = [o["key"] for o in json.loads(out) if o["status"] == "done"]
            workers += bool(mine)
            done.update(mine)
        else:
            assert "another process is the sweeper" in err
    assert workers >= 1 if force else workers == 1  # with the lock, exactly one process sweeps
    keys, drafts, undone = await _state(pg_url)
    # Every due item ran exactly once in total, however the three processes shared the work.
    assert max(done.values()) == 1 and sum(done.values()) == len(rounds) * 3 + 12 and undone == 0
    assert len(keys) == len(rounds) * 3 + 12 and max(keys.values()) == 1
    assert drafts == Counter({aid: 1 for aid in rounds})
    for aid in rounds:
        assert keys[f"refresh-reminder:{aid}:30:{LEAD}"] == keys[f"refresh-reminder:{aid}:7:{LEAD}"] == 1


async def _read_until(stream: asyncio.StreamReader, needle: str, timeout: float, seen: list[str]) -> None:
    async def go() -> None:
        while True:
            line = (await stream.readline()).decode()
            if not line:
                raise AssertionError(f"stream ended before {needle!r}; saw {seen}")
            seen.append(line.rstrip())
            if needle in line:
                return

    await asyncio.wait_for(go(), timeout)


async def _serve(url: str, cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(*CLI, "schedule", "serve", "--interval", "0.3", "--db", url,
                                                cwd=cwd, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)


async def _wait_for_keys(url: str, wanted: set[str], timeout: float) -> Counter[str]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        keys, _, _ = await _state(url)
        if wanted <= set(keys) or asyncio.get_running_loop().time() > deadline:
            return keys
        await asyncio.sleep(0.2)


async def test_killing_the_sweeper_hands_over_to_another_replica(pg_url, tmp_path):
    db = await Database.open(pg_url)
    await db.close()
    a_out: list[str] = []
    b_out: list[str] = []
    a = await _serve(pg_url, tmp_path)
    b = None
    try:
        assert a.stderr is not None
        await _read_until(a.stderr, "sweeper: leading", 60, a_out)
        b = await _serve(pg_url, tmp_path)
        assert b.stderr is not None
        await _read_until(b.stderr, "sweeper: standing by", 60, b_out)

        db = await Database.open(pg_url)
        try:
            first = await make_round(db, opened_on=date(2020, 1, 10))  # everything due long ago
        finally:
            await db.close()
        keys = await _wait_for_keys(pg_url, {f"round-draft:{first}:{LEAD}"}, 30)
        assert keys[f"round-draft:{first}:{LEAD}"] == 1

        os.kill(a.pid, signal.SIGKILL)  # no clean shutdown: the lock must go with the dead session
        await a.wait()
        await _read_until(b.stderr, "sweeper: leading", 60, b_out)

        db = await Database.open(pg_url)
        try:
            second = await make_round(db, opened_on=date(2020, 1, 10))
        finally:
            await db.close()
        keys = await _wait_for_keys(pg_url, {f"round-draft:{second}:{LEAD}"}, 30)
        assert keys[f"round-draft:{second}:{LEAD}"] == 1
        assert max(keys.values()) == 1
        _, drafts, _ = await _state(pg_url)
        assert drafts == Counter({first: 1, second: 1})

        b.send_signal(signal.SIGTERM)
        await _read_until(b.stderr, "sweeper: stopped", 30, b_out)
        assert await asyncio.wait_for(b.wait(), 30) == 0
    finally:
        for proc in (a, b):
            if proc is not None and proc.returncode is None:
                proc.kill()
                await proc.wait()


async def test_a_sweeper_killed_mid_campaign_resumes_without_duplicates(pg_url, tmp_path):
    from app.rounds import launch_round
    from tests.integration.schedule_world import tick

    db = await Database.open(pg_url)
    try:
        aid = await make_round(db, opened_on=date(2024, 1, 10))
        for i in range(300):
            await add_person(db, aid, f"UCAMP{i:03}", tz="Asia/Shanghai", status="completed",
                             last_activity=utc(2024, 2, 1))
        await tick(db, utc(2025, 7, 10, 9))  # the draft round
        draft = aid + 1
        async with db.uow() as uow:
            await launch_round(uow.session, draft, now=utc(2025, 7, 14, 1), per_day_count=100)
            await uow.commit()
    finally:
        await db.close()
    for delay in (0.6, 1.2, 2.0):  # kill -9 at different points of the campaign
        proc = await asyncio.create_subprocess_exec(*CLI, "schedule", "run-due", "--now", "2025-07-17T12:00",
                                                    "--db", pg_url, cwd=tmp_path,
                                                    stdout=asyncio.subprocess.DEVNULL,
                                                    stderr=asyncio.subprocess.DEVNULL)
        await asyncio.sleep(delay)
        if proc.returncode is None:
            proc.kill()
        await proc.wait()
    code, out, err = await _run("schedule", "run-due", "--now", "2025-07-17T12:00", "--db", pg_url, cwd=tmp_path)
    assert code == 0, err
    keys, _, _ = await _state(pg_url)
    invites = {k: n for k, n in keys.items() if k.startswith("invite:")}
    assert len(invites) == 300 and set(invites.values()) == {1}
