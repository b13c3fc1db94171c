"""`python -m bench.sweep_lag`: the sweeper's ticks over N open interviews, and the longest event-loop stall.

Modes: thread (as shipped: planning on its thread, a full plan at start, then only what changed), full (a full
plan every tick, CNA_SWEEP_INCREMENTAL=0: the sweeper before the change-only plan), loop (planning on the event
loop, full). With --base DIR (e.g. `git archive main` unpacked) every run is a subprocess, alternating the other
checkout's sweeper (its own bench code, mode thread) with this one's: a before/after in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from app.schedule.job import PLAN_THREAD_ENV, Sweeper
from app.schedule.plan_scoped import INCREMENTAL_ENV
from bench.seed import open_round, scripts_mix, seed_interviews
from storage.uow import Database

INTERVAL = 0.005  # the probe's timer: a stall shows as how much later than this it fires


GC_MS: list[tuple[int, float]] = []  # (generation, ms) of each collection while a tick runs
_gc_started = [0.0]


def _gc_timer(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _gc_started[0] = time.perf_counter()
    else:
        GC_MS.append((info["generation"], (time.perf_counter() - _gc_started[0]) * 1000))


LATE: list[tuple[float, float]] = []  # (time.time(), ms) of each probe sample over 10 ms, to line up with phases
PHASES: list[tuple[str, float, float]] = []  # (phase of the tick, start, end) in time.time()


async def _probe(into: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while True:
        t0 = loop.time()
        await asyncio.sleep(INTERVAL)
        ms = (loop.time() - t0 - INTERVAL) * 1000
        into.append(ms)
        if ms > 10:
            LATE.append((time.time(), ms))


def _time_phases() -> None:
    """Wrap the tick's three phases (app.schedule.job's plan, sweep, housekeeping) to record when each ran."""
    from app.schedule import job

    if getattr(job, "_cna_bench_timed", False):
        return  # once per process (each repeat of `measure` asks again)
    job._cna_bench_timed = True  # type: ignore[attr-defined]

    def timed(name: str, fn: Any) -> Any:
        async def run(*args: Any, **kwargs: Any) -> Any:
            t0 = time.time()
            try:
                return await fn(*args, **kwargs)
            finally:
                PHASES.append((name, t0, time.time()))
        return run

    for name in ("plan_tick", "sweep", "housekeeping"):
        setattr(job, name, timed(name, getattr(job, name)))
    from app.schedule import plan, plan_scoped  # the plan's own steps (on its thread): where a stall falls

    for name in ("work_out", "_changes_paged", "let_go"):
        setattr(plan, name, timed(f"plan.{name}", getattr(plan, name)))
    plan_scoped.work_out = plan.work_out  # type: ignore[attr-defined]  # imported by name there
    plan_scoped.work_out_changed = timed("plan.work_out_changed", plan_scoped.work_out_changed)  # type: ignore[attr-defined]


def _where(t0: float) -> dict[str, Any]:
    """The late probe samples, the loop's long callbacks, the collections and the writer thread's long
    transactions of one tick (bench/layers.py's records), each with its phase and its time from the tick's start."""
    from bench import layers

    def phase(t: float) -> str:  # the innermost phase the moment falls in (a stall ends at t: it ran before)
        hits = [(a, n) for n, a, b in PHASES if a <= t <= b + 0.002]
        return max(hits)[1] if hits else "between"

    def rel(recs: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        out = [{**r, "t": round(r["t"] - t0, 3), "phase": phase(r["t"])} for r in recs if r["t"] >= t0]
        return sorted(out, key=lambda r: -r[key])[:8]

    return {"phases": [(n, round(a - t0, 3), round(b - t0, 3)) for n, a, b in PHASES],
            "late": [{"t": round(t - t0, 3), "ms": round(ms, 1), "phase": phase(t)}
                     for t, ms in sorted(LATE, key=lambda x: -x[1])[:8]],
            "loop": rel(layers.STALLS, "wall_ms"), "gc": rel(layers.GCS, "ms"), "writes": rel(layers.WRITES, "ms")}


def _spin(seconds: float) -> None:
    """Plain Python arithmetic on a thread for `seconds`: the baseline for any work moved off the loop (the GIL
    and the machine's scheduler, with nothing of cna in it)."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += sum(i * i for i in range(200))


async def _lag_while(work: Any, into: list[float]) -> Any:
    """Run `work` (a coroutine) beside the probe; the probe's samples go to `into`."""
    probe = asyncio.create_task(_probe(into))
    await asyncio.sleep(0.05)
    into.clear()
    try:
        return await work
    finally:
        probe.cancel()


def _lag_stats(lag: list[float]) -> dict[str, Any]:
    lag = sorted(lag)
    return {"lag_max_ms": round(lag[-1], 1) if lag else None,
            "lag_p99_ms": round(lag[int(0.99 * (len(lag) - 1))], 1) if lag else None,
            "stalls_over_20ms": sum(1 for v in lag if v > 20), "samples": len(lag)}


async def measure(people: int, ticks: int, url: str | None = None, mode: str = "thread",
                  idle_s: float = 3.0, explain: bool = False) -> dict[str, Any]:
    """Ticks of a sweeper that plans on its thread (mode "thread", as shipped) or on the loop ("loop"), after two
    baselines of `idle_s` seconds each in the same process: the probe alone (what the machine itself does to a
    5 ms timer) and the probe beside a thread spinning in plain Python (what any work off the loop costs it)."""
    os.environ[PLAN_THREAD_ENV] = "0" if mode == "loop" else "1"
    os.environ[INCREMENTAL_ENV] = "1" if mode == "thread" else "0"
    work = Path(tempfile.mkdtemp(prefix="cna-bench-sweep-"))
    url = url or f"sqlite:///{work}/cna.db"
    aid = await open_round(url)
    catalog = load_catalog()
    t0 = time.monotonic()
    await seed_interviews(url, aid, [f"US{i:07d}" for i in range(people)], scripts_mix(catalog), catalog,
                          in_progress_every=2)
    seed_s = time.monotonic() - t0
    db = await Database.open(url, migrate=False)
    if explain:
        from bench import layers

        layers.install()
        _time_phases()
    gc.collect()
    gc.freeze()  # as `cna serve` does once started (bot/serve.py): the start-up heap is not rescanned
    out: list[dict[str, Any]] = []
    idle: list[float] = []
    await _lag_while(asyncio.sleep(idle_s), idle)
    busy: list[float] = []
    await _lag_while(asyncio.to_thread(_spin, idle_s), busy)
    try:
        sweeper = Sweeper(db)
        for n in range(ticks):
            lag: list[float] = []
            GC_MS.clear()
            LATE.clear()
            PHASES.clear()
            gc.callbacks.append(_gc_timer)
            wall0 = time.time()
            started = time.monotonic()
            outcomes = await _lag_while(sweeper.tick(), lag)
            took = time.monotonic() - started
            gc.callbacks.remove(_gc_timer)
            plan = sweeper.last_plan
            out.append({"tick": n + 1, "seconds": round(took, 2), "swept": len(outcomes or []),
                        "created": getattr(plan, "created", None), "full_plan": getattr(plan, "full", None),
                        "weighed": getattr(plan, "weighed", None), **_lag_stats(lag),
                        "gc_max_ms": {g: round(max((ms for gg, ms in GC_MS if gg == g), default=0), 1)
                                      for g in (0, 1, 2)},
                        **({"explain": _where(wall0)} if explain else {})})
        await sweeper.close()
    finally:
        await db.close()
        gc.unfreeze()
    return {"mode": mode, "open_interviews": people, "seed_s": round(seed_s, 1),
            "loadavg": [round(x, 2) for x in os.getloadavg()], "idle": {"seconds": idle_s, **_lag_stats(idle)},
            "busy_thread": {"seconds": idle_s, **_lag_stats(busy)},
            "ticks": out}


def _subprocess_run(tree: Path, mode: str, a: argparse.Namespace) -> dict[str, Any]:
    """One run of `tree`'s own bench.sweep_lag in a fresh process (its code imported from `tree`)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.json"
        cmd = [sys.executable, "-m", "bench.sweep_lag", "--modes", mode, "--repeats", "1", "--people",
               str(a.people), "--ticks", str(a.ticks), "--out", str(out), *(["--explain"] if a.explain else [])]
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run(cmd, cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
        run: dict[str, Any] = json.loads(out.read_text())["runs"][0]
    return run


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per arm: every repeat's longest stall per tick, the median per tick over repeats, the baselines."""
    arms: dict[str, list[dict[str, Any]]] = {}
    for r in runs:
        arms.setdefault(r.get("arm") or r["mode"], []).append(r)
    out: dict[str, Any] = {}
    for arm, rs in arms.items():
        per_tick = [[t["lag_max_ms"] for t in r["ticks"]] for r in rs]
        ticks = len(per_tick[0]) if per_tick else 0
        out[arm] = {"longest_stall_per_tick_ms": per_tick,
                    "median_per_tick_ms": [statistics.median(p[i] for p in per_tick if i < len(p))
                                           for i in range(ticks)],
                    "ticks_over_20ms": sum(1 for p in per_tick for v in p if v is not None and v > 20),
                    "ticks": sum(len(p) for p in per_tick),
                    "idle_max_ms": [r["idle"]["lag_max_ms"] for r in rs],
                    "busy_thread_max_ms": [r["busy_thread"]["lag_max_ms"] for r in rs],
                    "loadavg": [r["loadavg"] for r in rs]}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.sweep_lag", description=__doc__)
    p.add_argument("--people", type=int, default=10_000)
    p.add_argument("--ticks", type=int, default=3)
    p.add_argument("--modes", default="thread,loop",
                   help="thread (as shipped: off the loop, change-only plans after the first), full (a full plan "
                        "every tick, off the loop), loop (full plans on the loop); each on a fresh database, in "
                        "this order, --repeats times")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--base", type=Path, help="another checkout (e.g. `git archive main` unpacked): its sweeper, "
                                             "mode thread, runs first in each repeat, every run a subprocess")
    p.add_argument("--out", type=Path)
    p.add_argument("--explain", action="store_true",
                   help="per tick: its phases, the late probe samples, the loop's long callbacks, collections and "
                        "writer-thread transactions, each with its phase (bench/layers.py)")
    a = p.parse_args(argv)
    modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    runs: list[dict[str, Any]] = []
    here = Path(__file__).resolve().parent.parent
    for i in range(a.repeats):
        if a.base is not None:
            runs.append({"arm": "base", **_subprocess_run(a.base.resolve(), "thread", a)})
            print(f"[sweep_lag {time.strftime('%H:%M:%S')}] #{i + 1} base: "
                  f"{[t['lag_max_ms'] for t in runs[-1]['ticks']]} ms", file=sys.stderr, flush=True)
        for m in modes:
            run = (_subprocess_run(here, m, a) if a.base is not None
                   else asyncio.run(measure(a.people, a.ticks, mode=m, explain=a.explain)))
            runs.append({"arm": m, **run})
            print(f"[sweep_lag {time.strftime('%H:%M:%S')}] #{i + 1} {m}: "
                  f"{[t['lag_max_ms'] for t in run['ticks']]} ms, load {run['loadavg']}", file=sys.stderr, flush=True)
    res = {"summary": summarise(runs), "runs": runs}
    text = json.dumps(res, indent=1)
    if a.out:
        a.out.write_text(text + "\n")
    print(json.dumps(res["summary"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
