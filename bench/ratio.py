"""`python -m bench.ratio`: closed-load throughput of cna (SQLite and/or PostgreSQL) and bare Bolt, alternating.

Each repeat runs every target once in turn (cna on PostgreSQL, cna on SQLite, bare Bolt: other work on the
machine weighs on all of them), each on a fresh database; the summary gives each target's median inputs/s, the
medians' ratio to bare Bolt and every repeat's own ratio, with the machine's load average.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from bench import procs
from bench.load import LoadSpec, emit, run_in_tree

KEEP = ("inputs_per_s", "inputs_acked", "elapsed_s", "ack_ms", "reply_ms", "per_input", "ok", "loadavg", "backend",
        "cpu_ms_per_input", "engine_cpu_ms_per_input", "engine_ready_s", "rss_mb", "engine_rss_mb")


async def alternate(targets: list[str], repeats: int, people: int, base: Path | None = None,
                    profile: Path | None = None) -> dict[str, Any]:
    catalog = load_catalog()
    pg = None
    if any(t.startswith("postgres") for t in targets):
        from tests.pg import start_server

        pg = start_server()
    reps: dict[str, list[dict[str, Any]]] = {t: [] for t in targets}
    try:
        for i in range(repeats):
            for t in targets:
                url = pg.create_database("ratio_" + uuid.uuid4().hex[:8]) if t.startswith("postgres") and pg else None
                spec = LoadSpec(f"ratio_{t}", target="bare" if t == "bare" else "cna", people=people, seed=10 + i,
                                db_url=url, settings={"engine_process": "false"} if t.endswith("_inproc") else {})
                if profile is not None and t != "bare":
                    profile.mkdir(parents=True, exist_ok=True)
                    spec.profile = profile / f"{t}_{i + 1}.txt"
                if t.endswith("_base"):
                    assert base is not None, "a *_base target needs --base"
                r = await run_in_tree(spec, catalog, base if t.endswith("_base") else None)
                reps[t].append({k: r[k] for k in KEEP if k in r})
                print(f"[ratio {time.strftime('%H:%M:%S')}] {t} #{i + 1}: {r['inputs_per_s']} inputs/s "
                      f"({r['inputs_acked']} in {r['elapsed_s']} s), load {r['loadavg']}, ok={r['ok']}",
                      file=sys.stderr, flush=True)
    finally:
        if pg is not None:
            pg.stop()
    med = {t: statistics.median(r["inputs_per_s"] for r in rs) for t, rs in reps.items()}
    summary: dict[str, Any] = {"median_inputs_per_s": med}
    if "bare" in reps:
        summary["median_ratio"] = {t: round(m / med["bare"], 3) for t, m in med.items() if t != "bare"}
        summary["pair_ratios"] = {t: [round(c["inputs_per_s"] / b["inputs_per_s"], 3)
                                      for c, b in zip(rs, reps["bare"], strict=True)]
                                  for t, rs in reps.items() if t != "bare"}
    summary["loadavg"] = [r["loadavg"] for rs in reps.values() for r in rs]
    summary["ok"] = all(r["ok"] for rs in reps.values() for r in rs)
    return {"people": people, "repeats": repeats, "targets": targets, "machine": procs.machine(),
            "summary": summary, "runs": reps}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ratio", description=__doc__)
    p.add_argument("--targets", default="postgres,bare",
                   help="comma-separated: postgres, sqlite, bare; postgres_base and sqlite_base run --base's service; "
                        "postgres_inproc and sqlite_inproc this tree's with the engine in the serve process "
                        "(CNA_ENGINE_PROCESS=false)")
    p.add_argument("--base", type=Path,
                   help="another checkout of cna (e.g. `git archive main`): a before/after in one run")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--people", type=int, default=60)
    p.add_argument("--out", type=Path, help="write the JSON here")
    p.add_argument("--profile", type=Path, help="a folder for py-spy collapsed stacks of each cna run")
    a = p.parse_args(argv)
    if a.profile and not (Path(sys.executable).parent / "py-spy").exists():
        p.error("--profile needs py-spy in this environment: .venv/bin/pip install -e '.[bench]'")
    targets = [t.strip() for t in a.targets.split(",") if t.strip()]
    emit(asyncio.run(alternate(targets, a.repeats, a.people, a.base, a.profile)), a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
