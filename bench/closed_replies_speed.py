"""How long the interview takes to read one typed reply to a closed question (`core.interview.read_choice`).

Usage: .venv/bin/python bench/closed_replies_speed.py FILE.jsonl [FILE.jsonl ...] [--repeat N]
Every reply of the files (interview_scripts/corpus/closed/) is read once to warm up (the judge's word lists and
jieba's dictionary load on the first reply), then N more times; per file it prints the median, 90th percentile and
mean time per reply in milliseconds, each reply's time being its median over the N reads. Writes nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog import load_catalog  # noqa: E402
from app.interviews import other_language_labels  # noqa: E402
from core.interview import read_choice  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", type=Path, nargs="+")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cat = load_catalog()
    lexicons: dict[tuple[str, str], Any] = {}
    print("| file | replies | median ms | p90 ms | mean ms |\n|---|---|---|---|---|")
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        jobs = []
        for r in rows:
            script = cat.scripts[(r["script"], r["lang"])]
            lex = lexicons.setdefault((r["script"], r["lang"]), other_language_labels(cat.scripts, script))
            jobs.append((script, script.question(r["question_id"]), r["text"], lex))
        for script, q, text, lex in jobs:  # warm-up: word lists, jieba, the thesauri
            read_choice(cat.prober, script, q, text, lex)
        each: list[list[float]] = [[] for _ in jobs]
        for _ in range(args.repeat):
            for i, (script, q, text, lex) in enumerate(jobs):
                t0 = time.perf_counter()
                read_choice(cat.prober, script, q, text, lex)
                each[i].append(1000 * (time.perf_counter() - t0))
        per = sorted(statistics.median(t) for t in each)
        print(f"| {path.name} | {len(per)} | {statistics.median(per):.2f} | {per[int(0.9 * (len(per) - 1))]:.2f} | "
              f"{statistics.mean(per):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
