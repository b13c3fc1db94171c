"""`cna code`'s peak memory and speed on long streams of distinct answers, this checkout against another's code.

Usage: .venv/bin/python bench/coder_memory.py --old-tree DIR [--repeat 3] [--stream 50000] [--out coder_memory]
(DIR: another checkout's code, e.g. `git archive main | tar -x -C DIR`; both run the shipped weights of their own tree.)
Inputs: 'unique', every train*.jsonl answer of the coder corpus once (no heldout); 'stream', --stream distinct
answers each made of two or three clauses of different train answers (Chinese clauses joined without a mark half the
time, so most Chinese runs are new: the worst case for the per-run caches); 'short', bench/dryrun_bench.py's mix.
Runs are interleaved (old, new, old, new, ...); each records wall seconds and the child's peak RSS (os.wait4), and
the two trees' outputs must be byte-identical. Writes bench/results/<out>.json and .md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.coder_speed_ab import make_unique_input  # noqa: E402
from bench.dryrun_bench import corpus_rows, make_input  # noqa: E402

RESULTS = ROOT / "bench" / "results"
_CLAUSE = re.compile(r"[^,.;!?，。；！？、]+")


def make_stream_input(path: Path, n: int) -> int:
    """n distinct answers, each two or three clauses of different train answers of one language (seeded)."""
    rows = corpus_rows("coder", "train*.jsonl")
    clauses: dict[str, list[str]] = {"en": [], "zh": []}
    for r in rows:
        lang = "zh" if r["lang"] == "zh" else "en"
        clauses[lang].extend(c.strip() for c in _CLAUSE.findall(r["text"]) if c.strip())
    rng, seen = random.Random(19), set()
    with path.open("w", encoding="utf-8") as f:
        while len(seen) < n:
            lang = "zh" if rng.random() < 0.5 else "en"
            parts = rng.sample(clauses[lang], rng.choice((2, 3)))
            text = ("" if rng.random() < 0.5 else "，").join(parts) + "。" if lang == "zh" else ", ".join(parts) + "."
            if text in seen:
                continue
            seen.add(text)
            f.write(json.dumps({"text": text, "lang": lang}, ensure_ascii=False) + "\n")
    return n


def run(stdin: Path, cwd: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `cna code -` over `stdin`, run in `cwd`, its output kept in `out`."""
    with stdin.open("rb") as f, out.open("wb") as o:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "cli.main", "code", "-"], stdin=f, stdout=o, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        took = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"cna code in {cwd} failed ({p.returncode})")
    return took, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--old-tree", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stream", type=int, default=50_000)
    ap.add_argument("--short", type=int, default=100_000)
    ap.add_argument("--only", default="unique,stream,short", help="inputs to run, comma-separated")
    ap.add_argument("--out", default="coder_memory")
    args = ap.parse_args()
    trees = {"old": args.old_tree.resolve(), "new": ROOT}
    result: dict[str, object] = {"bench": "coder_memory", "date": datetime.now(UTC).isoformat(timespec="seconds"),
                                 "old_tree": str(trees["old"]), "load_before": os.getloadavg()[:3]}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        makers = {"unique": lambda p: make_unique_input(p), "stream": lambda p: make_stream_input(p, args.stream),
                  "short": lambda p: (make_input(p, args.short), args.short)[1]}
        for kind in args.only.split(","):
            src = t / f"{kind}.jsonl"
            lines = makers[kind](src)
            secs: dict[str, list[float]] = {"old": [], "new": []}
            rss: dict[str, list[float]] = {"old": [], "new": []}
            digests: set[str] = set()
            for _ in range(args.repeat):
                for who in ("old", "new"):
                    out = t / f"{kind}.{who}.out"
                    s, m = run(src, trees[who], out)
                    secs[who].append(s)
                    rss[who].append(m)
                    digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
            med = {w: statistics.median(v) for w, v in secs.items()}
            entry = {"lines": lines, "seconds": secs, "peak_rss_mb": rss, "identical": len(digests) == 1,
                     "lines_per_second": {w: round(lines / v) for w, v in med.items()},
                     "ratio": round(med["old"] / med["new"], 3)}
            result[kind] = entry
            rows.append(f"| {kind} | {lines:,} | {entry['lines_per_second']['old']:,} | "
                        f"{entry['lines_per_second']['new']:,} | {entry['ratio']:.3f} | {max(rss['old']):.1f} | "
                        f"{max(rss['new']):.1f} | {'yes' if entry['identical'] else '**NO**'} |")
            print(rows[-1], flush=True)
    result["load_after"] = os.getloadavg()[:3]
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = ["# cna code: peak memory and speed on distinct answers, two checkouts interleaved", "",
          f"{result['date']}, {args.repeat} interleaved runs each, load average "
          f"{' / '.join(f'{x:.2f}' for x in result['load_before'])} before, "  # type: ignore[attr-defined]
          f"{' / '.join(f'{x:.2f}' for x in result['load_after'])} after; old: {trees['old']}.", "",
          "| input | lines | old lines/s | new lines/s | new/old speed | old peak MB | new peak MB | same output |",
          "|---|---|---|---|---|---|---|---|", *rows, ""]
    (RESULTS / f"{args.out}.md").write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
