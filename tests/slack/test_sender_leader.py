"""One outbox sender per database: the election (SQLite flock, PostgreSQL advisory lock), the wake-up a standby
passes on (NOTIFY), and two `cna serve --http` replicas on one PostgreSQL database where only one ever sends,
within the cap, and the other takes over when it is killed with SIGKILL."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select, text

import bot.sender as sender_mod
from app.leader import leader_for
from app.schedule import job as scheduler
from bot.sender import Sender
from storage import repos
from storage.models import InboxEvent, OutboxMessage
from storage.uow import Database
from tests.fakeslack import payloads
from tests.fakeslack.records import fingerprint
from tests.fakeslack.sender import SlackSender
from tests.fakeslack.server import FakeSlack
from tests.slack.harness import LEAD, ROOT, SECRET, env_for, free_port, start_serve_process

pytestmark = pytest.mark.asyncio


def sender_leader(db: Database) -> Any:
    return leader_for(db, sender_mod.LOCK_KEY, sender_mod.LOCK_SUFFIX, "outbox sender")


# --- the election ---------------------------------------------------------------------------------------------

async def test_one_sender_per_database_distinct_from_the_sweeper(db_url: str) -> None:
    db1, db2 = await Database.open(db_url), await Database.open(db_url, migrate=False)
    a, b, sweep = sender_leader(db1), sender_leader(db2), scheduler.leader_for(db2)
    try:
        assert await a.acquire() and await a.acquire(), "the holder keeps it (and re-checks it)"
        assert not await b.acquire(), "a second process does not become a sender"
        assert await sweep.acquire(), "the sweeper's lock is another one: sweeper and sender may differ"
        if db1.dialect == "postgresql":  # the server notices a vanished holder's host within about 30 s
            assert await a._conn.scalar(text("SHOW tcp_keepalives_idle")) == "10"
        await a.release()
        assert await b.acquire(), "released: the standby takes over"
        assert not await a.acquire()
    finally:
        for leader in (a, b, sweep):
            await leader.release()
        await db1.close()
        await db2.close()


HOLDER = """
import asyncio, sys, time
from bot.sender import LOCK_KEY, LOCK_SUFFIX
from app.leader import leader_for
from storage.uow import Database

async def main():
    db = await Database.open(sys.argv[1], migrate=False)
    leader = leader_for(db, LOCK_KEY, LOCK_SUFFIX, "outbox sender")
    print("held" if await leader.acquire() else "refused", flush=True)
    await asyncio.sleep(120)

asyncio.run(main())
"""


async def test_a_killed_holder_hands_over_within_seconds(db_url: str) -> None:
    db = await Database.open(db_url)
    standby = sender_leader(db)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, db_url], cwd=ROOT, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 30)
        assert line.strip() == b"held"
        assert not await standby.acquire()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        killed = time.monotonic()
        while not await standby.acquire():  # the server ends the session (the kernel closes the fd) at once
            assert time.monotonic() - killed < 5, "the lock outlived its holder"
            await asyncio.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        await standby.release()
        await db.close()


# --- the sender loop: standing by, passing wake-ups on, taking over ------------------------------------------

class CountingSender(Sender):
    """The real election and wake-up loop; draining only counts, so the test sees when it was woken."""

    def __init__(self, deps: Any):
        super().__init__(deps)
        self.drains: list[float] = []

    async def drain_once(self) -> float:
        self.drains.append(time.monotonic())
        return 30.0


def lone_deps(db: Database) -> Any:
    settings = SimpleNamespace(web_timeout=3.0, post_per_minute=600, open_per_minute=50, poll_interval=30.0,
                               per_channel_interval=1.0)
    return SimpleNamespace(settings=settings, db=db, outbox_wake=asyncio.Event(), clock=lambda: datetime.now(UTC))


@pytest.mark.postgres
async def test_standby_wakes_the_elected_sender_and_takes_over(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender_mod, "LEADER_CHECK", 30.0)  # so the elected sender drains only when woken
    monkeypatch.setattr(sender_mod, "STANDBY_RETRY", 0.5)
    db1, db2 = await Database.open(pg_url), await Database.open(pg_url, migrate=False)
    active, standby = CountingSender(lone_deps(db1)), CountingSender(lone_deps(db2))
    t1 = asyncio.create_task(active.run())
    await _until(lambda: active.leading)
    t2 = asyncio.create_task(standby.run())
    try:
        await _until(lambda: standby.leading is False)
        await asyncio.sleep(0.2)
        before = len(active.drains)
        standby.deps.outbox_wake.set()  # its worker queued a reply
        woke = time.monotonic()
        await _until(lambda: len(active.drains) > before, 2.0)
        assert active.drains[-1] - woke < 0.5, "woken by NOTIFY, not by a poll"
        assert standby.drains == [], "the standby never drains"
        t1.cancel()  # a stopping sender lets go of its lock
        await asyncio.gather(t1, return_exceptions=True)
        await _until(lambda: bool(standby.drains), 3.0)  # within STANDBY_RETRY (0.5 s here)
        assert standby.leading
    finally:
        for t in (t1, t2):
            t.cancel()
        await asyncio.gather(t1, t2, return_exceptions=True)
        await db1.close()
        await db2.close()


async def _until(pred: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


# --- two `cna serve --http` replicas on one PostgreSQL database ------------------------------------------------

PER_MINUTE = 600
RATE = PER_MINUTE / 60.0
BURST = max(1.0, RATE * 2)  # bot.sender.RateGate: bursts of two seconds' worth




async def wait_log(log: Path, text: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"{log.name}: no {text!r} in {log.read_text()[-1500:]}"
        await asyncio.sleep(0.05)


async def busy(db: Database) -> int:
    async with db.uow() as uow:
        s = uow.session
        n = await s.scalar(select(func.count()).select_from(InboxEvent).where(
            InboxEvent.status.in_(("pending", "working")))) or 0
        n += await s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status.in_(("pending", "sending", "verify")))) or 0
        return int(n)


def worst_excess(times: list[float]) -> float:
    """How far the posts ever got ahead of a token bucket of RATE per second with BURST: the largest
    (posts in [t_i, t_j]) - (BURST + RATE * (t_j - t_i)) over all pairs. <= 0 means within the cap."""
    return max((j - i + 1) - (BURST + RATE * (times[j] - times[i]))
               for i, j in itertools.combinations_with_replacement(range(len(times)), 2))


def window_max(times: list[float], seconds: float) -> int:
    return max(sum(1 for u in times if t <= u < t + seconds) for t in times)


@pytest.mark.postgres
@pytest.mark.slow
async def test_two_replicas_one_sender_within_the_cap_and_a_takeover_after_kill_9(
        pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    users = [f"U{i:04d}" for i in range(60)]
    db = await Database.open(pg_url)  # migrated once, before the replicas start
    async with db.uow() as uow:
        await repos.create_assessment(uow.session, name="Round", opened_on=date.today(), lead_slack_ids=[LEAD])
        await uow.commit()
    procs: dict[str, subprocess.Popen[bytes]] = {}
    logs = {name: tmp_path / f"{name}.log" for name in "ab"}
    tokens = {name: f"xoxb-replica-{name}" for name in "ab"}
    who = {fingerprint(t): name for name, t in tokens.items()}
    async with FakeSlack() as fake:
        fake.set_usergroup("SALL", users)
        try:
            ports = {name: free_port() for name in "ab"}
            for name in "ab":  # a first, so a is the sender and the kick-off goes through the standby, b
                # A 30 s poll: if the sender were not woken by the standby's NOTIFY, the first post would lag
                # by seconds; woken, it lags by milliseconds (a margin of 5 s for a loaded machine).
                env = {**os.environ, **env_for(fake, pg_url, CNA_POST_PER_MINUTE=PER_MINUTE,
                                               CNA_PER_CHANNEL_INTERVAL=1.0, CNA_POLL_INTERVAL=30.0,
                                               SLACK_BOT_TOKEN=tokens[name]), "PYTHONPATH": str(ROOT)}
                procs[name] = await start_serve_process(env, ports[name], logs[name])
                await wait_log(logs[name], "sending for this database" if name == "a" else "standing by")

            async with SlackSender(f"http://127.0.0.1:{ports['b']}/slack/events", SECRET) as slack:
                r = await slack.command(payloads.slash_command(LEAD, "/cna", "invite <!subteam^SALL|@all> "
                                                               "internal-sales", response_url=fake.new_response_url()))
                assert r.status == 200
                await fake.wait_for(lambda _c: len(fake.messages()) >= 30, 20, "30 invitations")
                procs["a"].send_signal(signal.SIGKILL)
                procs["a"].wait(10)
                killed_at = time.monotonic()
                at_kill = len(fake.messages())
                assert at_kill < len(users), "killed mid-kick-off"
                deadline = time.monotonic() + 40
                while await busy(db):
                    assert time.monotonic() < deadline, f"replica b did not finish: {logs['b'].read_text()[-1500:]}"
                    await asyncio.sleep(0.1)

            assert [fake.dm_count(u) for u in users] == [1] * len(users), "every user invited exactly once"
            async with db.uow() as uow:
                rows = (await uow.session.execute(select(OutboxMessage.created_at)
                                                  .where(OutboxMessage.key.like("invite:%")))).all()
            queued_at = max(_epoch(c) for (c,) in rows)
        finally:
            for p in procs.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
                    try:
                        p.wait(10)
                    except subprocess.TimeoutExpired:
                        p.kill()
            await db.close()

        posts = sorted((c for c in fake.calls_to("chat.postMessage")), key=lambda c: c.at)
    by = {name: [c.at for c in posts if who.get(c.token_fingerprint) == name] for name in "ab"}
    assert len(by["a"]) + len(by["b"]) == len(posts) >= len(users)
    assert by["a"] and by["b"], "a sent until it was killed, then b took over"
    assert max(by["a"]) < killed_at < min(by["b"]), "never two senders at once: b sent nothing while a lived"
    times = [c.at for c in posts]
    excess = worst_excess(times)
    assert excess <= 2, f"posts got {excess:.1f} ahead of {PER_MINUTE}/min with a burst of {BURST:.0f}"
    b_log = logs["b"].read_text()
    assert b_log.index("standing by") < b_log.index("sending for this database")

    offset = time.time() - time.monotonic()
    first_post = posts[0].at + offset
    wake_lag = first_post - queued_at
    assert wake_lag < 5.0, f"the sender took {wake_lag:.2f} s to notice rows queued by the standby"
    takeover = min(by["b"]) - killed_at
    assert takeover < sender_mod.STANDBY_RETRY + 2
    span_a = by["a"][-1] - by["a"][0]
    span_b = by["b"][-1] - by["b"][0]
    with capsys.disabled():
        print(f"\n[two replicas] {len(posts)} posts: a {len(by['a'])} in {span_a:.2f} s, b {len(by['b'])} in "
              f"{span_b:.2f} s; killed after {at_kill}; takeover {takeover:.2f} s; first post {wake_lag:.2f} s after "
              f"queuing; max in any 1 s {window_max(times, 1)}, any 2 s {window_max(times, 2)}; steady rate a "
              f"{_steady(by['a']):.1f}/s, b {_steady(by['b']):.1f}/s (cap {RATE:.0f}/s, burst {BURST:.0f}); "
              f"worst excess over the bucket {excess:.1f}")


def _epoch(value: datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def _steady(times: list[float]) -> float:
    """Posts per second after the opening burst (bucket-full start), or 0 when there were not enough."""
    rest = times[int(BURST):]
    return (len(rest) - 1) / (rest[-1] - rest[0]) if len(rest) > 2 and rest[-1] > rest[0] else 0.0
