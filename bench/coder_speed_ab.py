"""Two coder weights files head to head: `cna code` over the same short answers, runs interleaved, same load.

Usage: .venv/bin/python bench/coder_speed_ab.py OLD_WEIGHTS.json [--lines 100000] [--repeat 3] [--old-tree DIR]
       [--corpus | --unique]
(e.g. `git show <commit>:interview_scripts/coder.json > /tmp/old.json`; --old-tree DIR also runs the old weights
with another checkout's code, e.g. `git archive main | tar -x -C DIR`: run-time code and weights against both;
--corpus: the coder corpus's real-length answers (train split, cycled) instead of the short mix; --unique: every
answer of the coder corpus's train files once, so no answer repeats and no remembered answer helps).
Writes bench/results/coder_speed_ab.json
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

from bench.coder_speed import make_coder_corpus_input  # noqa: E402
from bench.dryrun_bench import BASELINE, corpus_rows, make_input, timed  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WHAT = {"short": "short answers (bench/dryrun_bench.py's mix)", "corpus": "corpus answers (the train split, cycled)",
        "unique": "distinct corpus answers (every train*.jsonl answer once)"}


def make_unique_input(path: Path) -> int:
    """Every answer of the coder corpus's train files once (no heldout): real lengths, nothing repeats."""
    rows = corpus_rows("coder", "train*.jsonl")
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"text": r["text"], "lang": r["lang"]}, ensure_ascii=False) + "\n")
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("old", type=Path, help="the other weights file")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--old-tree", type=Path, default=None, help="run the old weights with this checkout's code")
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--corpus", action="store_true", help="real-length corpus answers instead of the short mix")
    which.add_argument("--unique", action="store_true", help="every train answer once (--lines is ignored)")
    ap.add_argument("--out", default="coder_speed_ab", help="results file name in bench/results/, without .json/.md")
    args = ap.parse_args()
    kind = "unique" if args.unique else "corpus" if args.corpus else "short"
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
        if args.unique:
            args.lines = make_unique_input(short)
        else:
            (make_coder_corpus_input if args.corpus else make_input)(short, args.lines)
        for _ in range(args.repeat):
            runs["baseline"].append(timed([py, "-c", BASELINE], short))
            runs["old"].append(timed([py, "-m", "cli.main", "code", "-"], short, old_env, args.old_tree))
            runs["new"].append(timed([py, "-m", "cli.main", "code", "-"], short, cwd=ROOT))
    med = {k: statistics.median(v) for k, v in runs.items()}
    lps = {k: round(args.lines / v) for k, v in med.items()}
    load = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    result = {"bench": "coder_speed_ab", "date": datetime.now(UTC).isoformat(timespec="seconds"), "models": ids,
              "old_tree": str(args.old_tree) if args.old_tree else None, "corpus": args.corpus, "input": kind,
              "lines": args.lines, "seconds": runs, "median_seconds": med, "lines_per_second": lps, "load": load}
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    old_code = f" with the code of {args.old_tree}" if args.old_tree else ""
    md = ["# cna code: two weights files under the same load", "",
          f"{args.lines:,} {WHAT[kind]}, median of {args.repeat} interleaved runs, "
          f"{result['date']}, load average {' / '.join(map(str, load['before']))} before, "
          f"{' / '.join(map(str, load['after']))} after.", "",
          "| run | median s | lines/s | x baseline time |", "|---|---|---|---|",
          f"| JSON pass-through | {med['baseline']:.2f} | {lps['baseline']:,} | 1.00 |",
          f"| cna code, model {ids['old']}{old_code} | {med['old']:.2f} | {lps['old']:,} | "
          f"{med['old'] / med['baseline']:.2f} |",
          f"| cna code, model {ids['new']} (shipped) | {med['new']:.2f} | {lps['new']:,} | "
          f"{med['new'] / med['baseline']:.2f} |", "",
          f"The shipped model runs at {lps['new'] / lps['old']:.3f} of the other's lines/s.", ""]
    (RESULTS / f"{args.out}.md").write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
