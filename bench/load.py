"""Load runs: K respondents against `cna serve --http` or the bare Bolt baseline, measured the same way."""

from __future__ import annotations

import asyncio
import json
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.catalog import Catalog, load_catalog
from app.outbox import marker
from bench import accounting, procs
from bench.driver import Driver, run_closed, run_rate
from bench.loop_probe import max_by_window, read_lag
from bench.respondents import Respondent, plan
from bench.seed import Seeded, open_round, scripts_mix, seed_interviews
from bench.stats import lag_summary, summary_ms
from storage.uow import Database

# Slack's caps on posting (CNA_POST_PER_MINUTE, CNA_PER_CHANNEL_INTERVAL) are lifted for capacity runs: they
# would measure Slack's limits, not the bot. The kickoff run measures the bot against those limits.
# Slack's caps lifted, and (as a deployment that never meets a 429 can choose) 8 posts in flight at once.
CAPACITY = {"post_per_minute": 1_000_000, "per_channel_interval": 0, "send_parallel": 8}


@dataclass
class LoadSpec:
    """One load run. mode "closed": everyone through their whole interview as fast as acks come back;
    mode "rate": inputs due at `rate` per second for `duration` seconds (open loop)."""

    name: str
    target: str = "cna"  # cna | bare
    people: int = 50
    mode: str = "closed"
    rate: float = 200.0
    duration: float = 10.0
    think: float = 0.0
    click_share: float = 0.3
    seed: int = 1
    db_url: str | None = None  # None: a fresh SQLite file in the run's folder
    settings: dict[str, Any] = field(default_factory=dict)
    seeded_extra: int = 0  # open interviews seeded beside the respondents' own (memory run)
    drain_timeout: float = 120.0
    profile: Path | None = None  # py-spy collapsed stacks of the target, if py-spy is installed


def make_respondents(seeded: list[Seeded], catalog: Catalog, rng: random.Random,
                     click_share: float) -> list[Respondent]:
    return [plan(s.user, s.interview_id, s.script, catalog.prober, rng, click_share=click_share,
                 started=s.state.status != "invited", state=s.state) for s in seeded]


async def run_load(spec: LoadSpec, catalog: Catalog | None = None, workdir: Path | None = None) -> dict[str, Any]:
    """Start the fake and the target, drive the load, wait until every reply went out, and measure."""
    catalog = catalog or load_catalog()
    work = workdir or Path(tempfile.mkdtemp(prefix=f"cna-bench-{spec.name}-"))
    rng = random.Random(spec.seed)
    fake = procs.start_fake(work)
    target: procs.Proc | None = None
    db: Database | None = None
    try:
        db_url = spec.db_url or f"sqlite:///{work}/cna.db"
        users = [f"UR{spec.seed:02d}{i:06d}" for i in range(1, spec.people + 1)]
        seed_started = time.monotonic()
        aid = await open_round(db_url)
        scripts = scripts_mix(catalog)
        extra = [f"UX{i:07d}" for i in range(1, spec.seeded_extra + 1)]
        seeded = await seed_interviews(db_url, aid, users + extra, scripts, catalog,
                                       in_progress_every=2 if extra else 0)
        if procs.ROOT != _HERE:
            await schema_of(procs.ROOT, db_url)
        seed_s = time.monotonic() - seed_started
        people = make_respondents(seeded[:spec.people], catalog, rng, spec.click_share)
        lag_file = work / f"{spec.name}.lag.jsonl"
        env = procs.serve_env(fake.info["api_url"], db_url, lag_file, **{**CAPACITY, **spec.settings})
        port = procs.free_port()
        started = time.monotonic()
        target = (procs.start_serve(work, port, env) if spec.target == "cna" else procs.start_bare(work, port, env))
        startup_s = time.monotonic() - started
        idle_mem = target.memory_mb()
        cpu0, engine0 = target.cpu_s(), target.engine_cpu_s()
        stats0 = procs.read_stats(work) if spec.target == "cna" else None
        spy = procs.start_py_spy(target, spec.profile) if spec.profile else None
        response_url = procs.api(fake, "bench.response_url")["url"]
        wall0 = time.time()
        load_before = os.getloadavg()[0]
        timeline: list[tuple[float, int, int]] = []
        watcher = asyncio.create_task(_watch(db_url, timeline)) if spec.target == "cna" else None
        async with Driver(f"http://127.0.0.1:{port}/slack/events", procs.SECRET, response_url=response_url) as drv:
            t0 = time.monotonic()
            if spec.mode == "closed":
                await run_closed(drv, people, think=spec.think)
            else:
                await run_rate(drv, people, rate=spec.rate, duration=spec.duration)
            t_acked = time.monotonic()
        deliveries = drv.deliveries
        acked = [d for d in deliveries if d.acked]
        if spec.target == "cna":
            db = await Database.open(db_url, migrate=False)
            drained = await accounting.wait_drained(db, spec.drain_timeout)
        else:
            drained = await _wait_replies(fake, len(acked), spec.drain_timeout)
        wall1 = time.time()
        if watcher is not None:
            watcher.cancel()
        mem = target.memory_mb()
        cpu = target.cpu_s() - cpu0
        engine_cpu = target.engine_cpu_s() - engine0  # cna's engine process (part of cpu)
        if spy is not None:
            procs.stop_py_spy(spy)
        delivered = procs.api(fake, "bench.delivery")
        lag = read_lag(lag_file, wall0, wall1)
        done_at = delivered.get("last_post") or time.monotonic()
        elapsed = max(1e-9, done_at - t0)
        answers = sum(len(d.answers) for d in acked)
        posted_at = delivered.get("posted_at") or {}
        replies = [posted_at[m] - d.sent for d in acked
                   if (m := marker(f"reply:{d.key}:0")) in posted_at and d.sent]
        stats = procs.read_stats(work) if spec.target == "cna" else None
        out: dict[str, Any] = {
            "name": spec.name, "target": spec.target, "backend": "postgresql" if "postgres" in db_url else "sqlite",
            "mode": spec.mode, "people": spec.people, "settings": {**CAPACITY, **spec.settings},
            "seeded_interviews": len(seeded), "seed_s": round(seed_s, 2), "startup_s": round(startup_s, 2),
            "inputs_sent": len(deliveries), "inputs_acked": len(acked), "answers_sent": answers,
            "clicks": sum(1 for d in deliveries if d.kind == "click"),
            "elapsed_s": round(elapsed, 3), "ack_phase_s": round(t_acked - t0, 3),
            "drain_s": None if drained is None else round(drained, 3),
            "inputs_per_s": round(len(acked) / elapsed, 1), "answers_per_s": round(answers / elapsed, 1),
            "acks_per_s": round(len(acked) / max(1e-9, t_acked - t0), 1),
            "ack_ms": summary_ms([d.latency for d in acked if d.latency is not None]),
            # Event sent (its first delivery) -> the first reply to it posted at the fake: what the person waits.
            "reply_ms": summary_ms(replies), "replies_matched": len(replies),
            "replies_received": delivered.get("messages"),
            "cpu_s": round(cpu, 2), "cpu_ms_per_input": round(1000 * cpu / max(1, len(acked)), 2),
            "engine_cpu_ms_per_input": round(1000 * engine_cpu / max(1, len(acked)), 2),
            "engine_ready_s": target.info.get("engine_ready_s"),
            "cpu_share": round(cpu / max(1e-9, time.monotonic() - t0), 2),
            "lag_ms": lag_summary(lag),
            "lag_max_ms_per_10s": max_by_window(lag_file, wall0, wall1),
            "rss_idle_mb": round(idle_mem.get("rss_mb", 0), 1), "rss_mb": round(mem.get("rss_mb", 0), 1),
            "peak_rss_mb": round(mem.get("peak_rss_mb", 0), 1),
            "engine_rss_mb": round(mem.get("child_rss_mb", 0), 1),
            "retried_deliveries": sum(1 for d in deliveries if d.attempts > 1),
            # The machine's 1-minute load average before and after: other work running at the same time shows.
            "loadavg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }
        if stats is not None and stats0 is not None:
            out["per_input"] = procs.per_input(stats0, stats, len(acked))
            out["stalls"] = stall_report(work / procs.STATS_FILE, acked, wall0 - t0, wall0, wall1)
            out["stalls"]["ack_paths"] = ack_paths(work / procs.STATS_FILE, acked, wall0 - t0, wall0)
        if timeline:
            # (seconds since the start, inbox rows not yet worked off, outbox rows not yet sent), every 0.5 s
            out["backlog"] = [(round(t - t0, 1), i, o) for t, i, o in timeline]
        if spec.mode == "rate":
            out["rate_target"] = spec.rate
            out["rate_achieved"] = round(len(deliveries) / spec.duration, 1)
            out["open_loop_ms"] = summary_ms([d.acked_at - d.scheduled for d in acked if d.acked_at])
        if spec.target == "cna" and db is not None:
            out["accounting"] = await accounting.check(db, deliveries, delivered)
            out["ok"] = accounting.ok(out["accounting"]) and drained is not None
        else:
            out["ok"] = drained is not None and delivered.get("messages") == len(acked)
        return out
    finally:
        if db is not None:
            await db.close()
        if target is not None:
            target.stop()
        fake.stop()


_HERE = procs.ROOT


async def schema_of(tree: Path, db_url: str) -> None:
    """Bring a database this checkout seeded down to the schema of `tree`'s service: an older checkout's
    migrations do not know this one's newest revisions, and its service refuses to start on them."""
    from alembic.script import ScriptDirectory

    from storage.db import downgrade

    head = ScriptDirectory(str(tree / "storage" / "migrations")).get_current_head()
    db = await Database.open(db_url, migrate=False)
    try:
        if head is not None:
            await downgrade(db.engine, head)
    finally:
        await db.close()


async def run_in_tree(spec: LoadSpec, catalog: Catalog | None, tree: Path | None) -> dict[str, Any]:
    """run_load with the service (and its probe) imported from another checkout of cna when `tree` is given: a
    before/after in one run, alternating with this tree's service."""
    root = procs.ROOT
    if tree is not None:
        procs.ROOT = tree
    try:
        return await run_load(spec, catalog)
    finally:
        procs.ROOT = root


def stall_report(stats_file: Path, acked: list[Any], to_wall: float, start: float, end: float,
                 most: int = 25) -> dict[str, Any]:
    """What the serve process did when acks were slow: the slowest acks (seconds from the load's start) beside
    the loop callbacks, garbage collections and writer-thread transactions that took long (bench/layers.py)."""
    def since(rec: dict[str, Any]) -> dict[str, Any]:
        return {**rec, "t": round(rec["t"] - start, 3)}

    stats = {name: _jsonl(Path(f"{stats_file}.{name}.jsonl")) for name in ("stalls", "gcs", "writes")}

    def kept(name: str, key: str) -> list[dict[str, Any]]:
        recs = [since(r) for r in stats.get(name, []) if start <= r["t"] <= end]
        return sorted(recs, key=lambda r: -r[key])[:most]

    slow = sorted((d for d in acked if d.latency is not None), key=lambda d: -d.latency)[:most]
    return {"acks": [{"t": round(d.sent + to_wall - start, 3), "ms": round(d.latency * 1000, 1)} for d in slow],
            "loop": kept("stalls", "wall_ms"), "gc": kept("gcs", "ms"), "writes": kept("writes", "ms"),
            "counts": {"loop_over_8ms": sum(1 for r in stats.get("stalls", []) if start <= r["t"] <= end),
                       "gc_over_3ms": sum(1 for r in stats.get("gcs", []) if start <= r["t"] <= end)}}


def _jsonl(path: Path) -> list[Any]:
    out = []
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue  # a line cut by a kill
    return out


def ack_paths(stats: Path, acked: list[Any], to_wall: float, start: float, most: int = 25) -> dict[str, Any]:
    """Where the slowest acks spent their time, in ms: before the service's InboxWriter.add (the network, the
    loop's backlog, bolt), waiting for their transaction to start (the write lock: a transaction in progress),
    in it and back to the handler (the insert, the commit, the hand-back), and the answer's way out (the loop,
    the network). Beside each: the writer thread's transactions that overlapped its wait and write."""
    traces = {k: (a, tk, r) for k, a, tk, r in _jsonl(Path(str(stats) + ".acks.jsonl"))}
    txs = _jsonl(Path(str(stats) + ".tx.jsonl"))
    slow = sorted((d for d in acked if d.latency is not None and d.key in traces), key=lambda d: -d.latency)
    rows = []
    for d in slow[:most]:
        a, tk, r = traces[d.key]
        sent = d.sent + to_wall
        over = [(round((t1 - t0) * 1000, 1), round(cpu * 1000, 1), who) for t0, t1, cpu, who in txs
                if t1 > a and t0 < r]
        rows.append({"t": round(sent - start, 3), "ms": round(d.latency * 1000, 1),
                     "before_add": round((a - sent) * 1000, 1),
                     "until_write": round((tk - a) * 1000, 1) if tk else None,
                     "write_and_back": round((r - tk) * 1000, 1) if tk else None,
                     "out": round((sent + d.latency - r) * 1000, 1), "overlapping_tx": over})
    parts = ("before_add", "until_write", "write_and_back", "out")
    n = max(1, len(slow) // 100)
    share = {k: round(sum(rr[k] or 0 for rr in rows[:n]) / n, 1) for k in parts}
    return {"slowest": rows, "mean_of_slowest_1pct": share}


def emit(result: dict[str, Any], out: Path | None) -> None:
    """Write a bench's whole result as JSON to `out` (if given) and print its summary."""
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["summary"], indent=1))


async def _watch(db_url: str, into: list[tuple[float, int, int]]) -> None:
    db = await Database.open(db_url, migrate=False)
    try:
        while True:
            i, o = await accounting.backlog(db)
            into.append((time.monotonic(), i, o))
            await asyncio.sleep(0.5)
    finally:
        await db.close()


async def _wait_replies(fake: procs.Proc, n: int, timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        got = await asyncio.to_thread(procs.api, fake, "bench.delivery")
        if got.get("messages", 0) >= n:
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    return None
