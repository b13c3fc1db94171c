"""Two coder weights files head to head: `cna code` over the same short answers, runs interleaved, same load.

Usage: .venv/bin/python bench/coder_speed_ab.py OLD_WEIGHTS.json [--lines 100000] [--repeat 3]
(e.g. `git show <commit>:interview_scripts/coder.json > /tmp/old.json`). Writes bench/results/coder_speed_ab.json
and .md. On a shared machine the load moves absolute lines/s by half; interleaving the two models' runs (through
CNA_CODER_WEIGHTS) compares them under the same load, which bench/coder_speed.py's separate runs cannot.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dryrun_bench import BASELINE, make_input, timed  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("old", type=Path, help="the other weights file")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not args.old.is_file():
        raise SystemExit(f"{args.old}: no such weights file (write one with 'git show <commit>:interview_scripts/"
                         "coder.json > FILE')")
    py, old_env = sys.executable, {**os.environ, "CNA_CODER_WEIGHTS": str(args.old)}
    ids = {"old": json.loads(args.old.read_text(encoding="utf-8"))["meta"]["id"],
           "new": json.loads((ROOT / "interview_scripts" / "coder.json").read_text(encoding="utf-8"))["meta"]["id"]}
    runs: dict[str, list[float]] = {"baseline": [], "old": [], "new": []}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        short = Path(tmp) / "short.jsonl"
        make_input(short, args.lines)
        for _ in range(args.repeat):
            runs["baseline"].append(timed([py, "-c", BASELINE], short))
            runs["old"].append(timed([py, "-m", "cli.main", "code", "-"], short, old_env))
            runs["new"].append(timed([py, "-m", "cli.main", "code", "-"], short))
    med = {k: statistics.median(v) for k, v in runs.items()}
    lps = {k: round(args.lines / v) for k, v in med.items()}
    load = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    result = {"bench": "coder_speed_ab", "date": datetime.now(UTC).isoformat(timespec="seconds"), "models": ids,
              "lines": args.lines, "seconds": runs, "median_seconds": med, "lines_per_second": lps, "load": load}
    (RESULTS / "coder_speed_ab.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = ["# cna code: two weights files under the same load", "",
          f"{args.lines:,} short answers (bench/dryrun_bench.py's mix), median of {args.repeat} interleaved runs, "
          f"{result['date']}, load average {' / '.join(map(str, load['before']))} before, "
          f"{' / '.join(map(str, load['after']))} after.", "",
          "| run | median s | lines/s | x baseline time |", "|---|---|---|---|",
          f"| JSON pass-through | {med['baseline']:.2f} | {lps['baseline']:,} | 1.00 |",
          f"| cna code, model {ids['old']} | {med['old']:.2f} | {lps['old']:,} | {med['old'] / med['baseline']:.2f} |",
          f"| cna code, model {ids['new']} (shipped) | {med['new']:.2f} | {lps['new']:,} | "
          f"{med['new'] / med['baseline']:.2f} |", "",
          f"The shipped model runs at {lps['new'] / lps['old']:.3f} of the other's lines/s.", ""]
    (RESULTS / "coder_speed_ab.md").write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
