"""`python -m bench.plan_marks_cost`: what the plan marks' triggers (migration 0011) add to the worker's write.

The worker's batch updates up to 32 interviews in one executemany UPDATE (app/interview_batch.py); each row now
fires the interviews' update trigger, which upserts a plan mark. This times that statement and its commit on a
seeded SQLite file with the triggers and on a copy without them, alternating, in plain sqlite3 (CPU of the
writing thread, so the machine's other load counts less than in an end-to-end run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from bench.seed import open_round, scripts_mix, seed_interviews

UPDATE = ("UPDATE interviews SET version = ?, state = ?, status = ?, last_activity_at = ?, started_at = ?, "
          "completed_at = ?, ended_at = ? WHERE id = ? AND version = ?")


def _batches(path: Path, batches: int, size: int) -> list[float]:
    """CPU ms of each batch (the UPDATE of `size` interviews and the commit)."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    rows = con.execute("SELECT id, version, state, status, started_at, completed_at, ended_at FROM interviews "
                       "ORDER BY id").fetchall()
    out = []
    now = datetime.now(UTC)
    for b in range(batches):
        picked = [rows[(b * size + i) % len(rows)] for i in range(size)]
        when = (now + timedelta(seconds=b)).strftime("%Y-%m-%d %H:%M:%S.%f")
        args = [(v + 1, st, status, when, s, c, e, i, v) for i, v, st, status, s, c, e in picked]
        t0 = time.thread_time()
        con.execute("BEGIN IMMEDIATE")
        con.executemany(UPDATE, args)
        con.execute("COMMIT")
        out.append((time.thread_time() - t0) * 1000)
        by_id = {r[0]: r for r in rows}
        for i, v, *_rest in picked:
            r = by_id[i]
            rows[rows.index(r)] = (i, v + 1, *r[2:])
    con.close()
    return out


async def measure(people: int, batches: int, size: int, repeats: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="cna-bench-marks-"))
    url = f"sqlite:///{work}/cna.db"
    aid = await open_round(url)
    catalog = load_catalog()
    await seed_interviews(url, aid, [f"UM{i:07d}" for i in range(people)], scripts_mix(catalog), catalog,
                          in_progress_every=2)
    bare = work / "bare.db"
    shutil.copy(work / "cna.db", bare)
    con = sqlite3.connect(bare)
    names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                                       "'plan_mark_%'")]
    for n in names:
        con.execute(f"DROP TRIGGER {n}")
    con.commit()
    con.close()
    arms: dict[str, list[float]] = {"with_marks": [], "without": []}
    for _ in range(repeats):
        for arm, path in (("with_marks", work / "cna.db"), ("without", bare)):
            arms[arm].append(statistics.median(_batches(path, batches, size)))
    shutil.rmtree(work, ignore_errors=True)
    return {"people": people, "batch": size, "batches": batches, "triggers_dropped": len(names),
            "loadavg": [round(x, 2) for x in os.getloadavg()],
            "batch_cpu_ms_median_per_repeat": {k: [round(v, 3) for v in vs] for k, vs in arms.items()},
            "per_row_us": {k: round(statistics.median(vs) / size * 1000, 1) for k, vs in arms.items()}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.plan_marks_cost", description=__doc__)
    p.add_argument("--people", type=int, default=2000)
    p.add_argument("--batches", type=int, default=300)
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", type=Path)
    a = p.parse_args(argv)
    res = asyncio.run(measure(a.people, a.batches, a.size, a.repeats))
    text = json.dumps(res, indent=1)
    if a.out:
        a.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
