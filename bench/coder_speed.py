"""Throughput of `cna code` (cue rules + learned model) over JSON Lines, against the JSON pass-through baseline.

Usage: .venv/bin/python bench/coder_speed.py [--lines 100000] [--repeat 3]
Writes bench/results/coder_speed.json and .md. Whole processes, start-up included (as bench/dryrun_bench.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dryrun_bench import BASELINE, corpus_rows, make_input, timed, write_cycled  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def make_coder_corpus_input(path: Path, n: int) -> None:
    """Real-length answers: the coder corpus's train split, cycled."""
    write_cycled(path, n, corpus_rows("coder", "train.*.jsonl"), lambda _i, r: {"text": r["text"], "lang": r["lang"]})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default="coder_speed", help="results file name in bench/results/, without .json/.md")
    args = ap.parse_args()
    py = sys.executable
    runs: dict[str, list[float]] = {"baseline": [], "code": [], "cues": [], "baseline_corpus": [], "code_corpus": [],
                                    "cues_corpus": []}
    cues_only = {**os.environ, "CNA_CODER_WEIGHTS": "none"}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        short, real = Path(tmp) / "short.jsonl", Path(tmp) / "corpus.jsonl"
        make_input(short, args.lines)
        make_coder_corpus_input(real, args.lines)
        for _ in range(args.repeat):
            runs["baseline"].append(timed([py, "-c", BASELINE], short))
            runs["code"].append(timed([py, "-m", "cli.main", "code", "-"], short))
            runs["cues"].append(timed([py, "-m", "cli.main", "code", "-"], short, cues_only))
            runs["baseline_corpus"].append(timed([py, "-c", BASELINE], real))
            runs["code_corpus"].append(timed([py, "-m", "cli.main", "code", "-"], real))
            runs["cues_corpus"].append(timed([py, "-m", "cli.main", "code", "-"], real, cues_only))
    med = {k: statistics.median(v) for k, v in runs.items()}
    lps = {k: round(args.lines / v) for k, v in med.items()}
    model = json.loads((ROOT / "interview_scripts" / "coder.json").read_text(encoding="utf-8"))["meta"]
    result = {"bench": "coder_speed", "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "system": platform.platform()},
              "model": model.get("id"), "lines": args.lines, "repeat": args.repeat, "seconds": runs,
              "median_seconds": med, "lines_per_second": lps,
              "load_average": {"before": [round(x, 2) for x in load_before],
                               "after": [round(x, 2) for x in os.getloadavg()]}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=2) + "\n")
    md = ["# cna code with the learned coder", "",
          f"{args.lines:,} lines, median of {args.repeat} runs, whole process (start-up and the "
          f"weights included; no jieba at run time), model {model.get('id')}, "
          f"Python {platform.python_version()}, {result['date']}. "
          "The machine is shared (2 cores), so absolute numbers vary from run to run: load average (1, 5, 15 min) "
          f"{' / '.join(f'{x:.2f}' for x in result['load_average']['before'])} before the runs, "
          f"{' / '.join(f'{x:.2f}' for x in result['load_average']['after'])} after.", "",
          "| run | median s | lines/s | x baseline time |", "|---|---|---|---|",
          *(f"| {label} | {med[k]:.2f} | {lps[k]:,} | {med[k] / med[base]:.2f} |" for k, base, label in (
              ("baseline", "baseline", "JSON pass-through, short answers (bench/dryrun_bench.py's mix)"),
              ("code", "baseline", "cna code, short answers"),
              ("cues", "baseline", "cna code, cue rules only (CNA_CODER_WEIGHTS=none), short answers"),
              ("baseline_corpus", "baseline_corpus", "JSON pass-through, coder corpus answers (real lengths)"),
              ("code_corpus", "baseline_corpus", "cna code, coder corpus answers"),
              ("cues_corpus", "baseline_corpus", "cna code, cue rules only, coder corpus answers"))),
          "", "Lines per second scale with the machine: compare each row with the pass-through baseline run "
          "beside it (the ratio is what carries over to an idle machine).", ""]
    (RESULTS / f"{args.out}.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
