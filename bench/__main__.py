"""`python -m bench [--quick]`: the Slack bot under load, beside a bare Bolt baseline, written to bench/results/."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from bench import procs
from bench.crash import LONG_RUN_SPACING, LONG_RUN_THINK, run_crash
from bench.kickoff import run_kickoff
from bench.load import LoadSpec, run_load
from bench.report import markdown, targets

RESULTS = Path(__file__).resolve().parent / "results"

# (quick, full) sizes. Quick stays under two minutes on the reference machine (2 cores).
SIZES = {
    "throughput_people": (60, 150),
    "throughput_repeats": (3, 3),
    "rate": (200.0, 200.0),
    "rates": ((50.0,), (20.0, 50.0, 100.0)),  # reply latency at fixed rates below the 200/s run
    "rate_seconds": (10.0, 20.0),
    "rate_people": (200, 400),
    "memory_open": (10_000, 10_000),
    "memory_people": (100, 300),
    "memory_rate": (100.0, 20.0),
    "memory_seconds": (3.0, 70.0),  # full: past the second scheduler sweep (every 60 s), not only the first
    "kickoff_people": (1000, 5000),
    "kickoff_per_minute": (3000, 3000),
    "kickoff_every_n": (250, 500),
    "kickoff_retry_after": (1, 2),
    "crash_people": (0, 120),  # quick: only with --only crash, then at the full size
    "crash_kills": (0, 20),
}


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


async def suite(quick: bool, postgres: bool, only: set[str] | None) -> dict[str, Any]:
    size = {k: v[0 if quick else 1] for k, v in SIZES.items()}
    catalog = load_catalog()
    runs: dict[str, Any] = {}

    def want(name: str) -> bool:
        return only is None or name in only

    async def load(spec: LoadSpec) -> dict[str, Any]:
        say(f"{spec.name}: {spec.target}, {spec.people} people, {spec.mode}")
        r = await run_load(spec, catalog)
        say(f"  {r['inputs_per_s']} inputs/s, ack p99 {r['ack_ms']['p99']} ms, ok={r['ok']}")
        return r

    if want("throughput"):
        # cna and bare Bolt alternate (cna, bare, cna, bare, ...): other work on the machine then weighs on both.
        reps: dict[str, list[dict[str, Any]]] = {"cna": [], "bare": []}
        for i in range(size["throughput_repeats"]):
            for target in ("cna", "bare"):
                reps[target].append(await load(LoadSpec(f"throughput_{target}", target=target,
                                                        people=size["throughput_people"], seed=10 + i)))
        for target, done in reps.items():
            runs[f"throughput_{target}"] = _median_run(done, "inputs_per_s")
        runs["throughput_cna"]["pair_ratios"] = [round(c["inputs_per_s"] / max(1e-9, b["inputs_per_s"]), 4)
                                                 for c, b in zip(reps["cna"], reps["bare"], strict=True)]
    if want("rate"):
        for rate in size["rates"]:
            for target in ("cna", "bare"):
                runs[f"rate_{target}_{rate:.0f}"] = await load(LoadSpec(
                    f"rate_{target}_{rate:.0f}", target=target, people=size["rate_people"], mode="rate", rate=rate,
                    duration=size["rate_seconds"], seed=21))
        for target in ("cna", "bare"):
            runs[f"rate_{target}"] = await load(LoadSpec(
                f"rate_{target}", target=target, people=size["rate_people"], mode="rate", rate=size["rate"],
                duration=size["rate_seconds"], seed=20))
    if only is not None and "experiments" in only:  # the fixes they tried are in the bot now
        # Proposed fixes, measured beside the runs above without changing the bot (bench/serve_probe.py).
        fixes = "sqlite_write_lock_ack_first,skip_redundant_done"
        runs["rate_cna_fixes"] = await load(LoadSpec(
            "rate_cna_fixes", people=size["rate_people"], mode="rate", rate=size["rate"],
            duration=size["rate_seconds"], seed=20, settings={"bench_experiment": fixes}))
    if not quick and only is not None and "experiments" in only:
        runs["throughput_cna_fixes"] = await load(LoadSpec(
            "throughput_cna_fixes", people=size["throughput_people"], seed=10, settings={"bench_experiment": fixes}))
    crash_size = None
    if want("crash") and (size["crash_people"] or (only is not None and "crash" in only)):
        crash_size = (size["crash_people"] or SIZES["crash_people"][1], size["crash_kills"] or SIZES["crash_kills"][1])
    pg = None
    if postgres and (want("postgres") or crash_size is not None):
        pg = _start_pg()
        if pg is None:
            runs["postgres"] = {"skipped": "no PostgreSQL server binaries (install postgresql or set CNA_PG_BIN)"}
    try:
        if pg is not None:
            url = pg.create_database("bench_" + uuid.uuid4().hex[:8])
            if want("postgres"):
                runs["throughput_cna_postgres"] = await load(LoadSpec(
                    "throughput_cna_postgres", people=size["throughput_people"], db_url=url, seed=10))
                url = pg.create_database("bench_" + uuid.uuid4().hex[:8])
                runs["rate_cna_postgres"] = await load(LoadSpec(
                    "rate_cna_postgres", people=size["rate_people"], mode="rate", rate=size["rate"],
                    duration=size["rate_seconds"], db_url=url, seed=20))
        if pg is not None and crash_size is not None:
            url = pg.create_database("bench_" + uuid.uuid4().hex[:8])
            say(f"crash on PostgreSQL: {crash_size[0]} people, {crash_size[1]} kill -9s")
            runs["crash_postgres"] = await run_crash(*crash_size, think=LONG_RUN_THINK, drain_timeout=90.0, db_url=url,
                                                     spacing=LONG_RUN_SPACING)
            say(f"  ok={runs['crash_postgres']['ok']}")
    finally:
        if pg is not None:
            pg.stop()
    if want("memory"):
        runs["memory_10k"] = await load(LoadSpec(
            "memory_10k", people=size["memory_people"], seeded_extra=size["memory_open"], mode="rate",
            rate=size["memory_rate"], duration=size["memory_seconds"], seed=30))
    if want("kickoff"):
        say(f"kickoff: {size['kickoff_people']} invitations at {size['kickoff_per_minute']}/min")
        runs["kickoff"] = await run_kickoff(size["kickoff_people"], per_minute=size["kickoff_per_minute"],
                                            every_n=size["kickoff_every_n"],
                                            retry_after=size["kickoff_retry_after"])
        say(f"  {runs['kickoff']['seconds']} s vs minimum {runs['kickoff']['min_seconds']} s")
    if crash_size is not None:
        say(f"crash: {crash_size[0]} people, {crash_size[1]} kill -9s")
        runs["crash"] = await run_crash(*crash_size, think=LONG_RUN_THINK, drain_timeout=90.0,
                                        spacing=LONG_RUN_SPACING)
        say(f"  ok={runs['crash']['ok']}")
    return runs


def _median_run(reps: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The repeat with the median `key`, plus every repeat's value, so one slow run does not decide."""
    ordered = sorted(reps, key=lambda r: r[key])
    mid = dict(ordered[len(ordered) // 2])
    mid["repeats"] = [r[key] for r in reps]
    mid["median_" + key] = statistics.median(mid["repeats"])
    mid["ok"] = all(r["ok"] for r in reps)
    return mid


def _start_pg() -> Any:
    from tests.pg import find_pg_bin, start_server

    if find_pg_bin() is None:
        return None
    say("starting a throwaway PostgreSQL")
    return start_server()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="smaller runs, under two minutes (make bench)")
    p.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL runs")
    p.add_argument("--only", action="append",
                   help="throughput, rate, experiments, postgres, memory, kickoff, crash (repeatable)")
    p.add_argument("--out", type=Path, default=RESULTS, help="results folder (default bench/results)")
    args = p.parse_args(argv)
    started = time.monotonic()
    postgres = not args.no_postgres and (not args.quick or bool(args.only and "crash" in args.only))
    runs = asyncio.run(suite(args.quick, postgres or bool(args.only and "postgres" in args.only),
                             set(args.only) if args.only else None))
    result = {"mode": "quick" if args.quick else "full", "machine": procs.machine(), "runs": runs,
              "seconds": round(time.monotonic() - started, 1)}
    result["targets"] = targets(runs)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "slack_bench_quick" if args.quick else "slack_bench"
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    (args.out / f"{stem}.md").write_text(markdown(result))
    say(f"done in {result['seconds']} s: {args.out / stem}.md")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
