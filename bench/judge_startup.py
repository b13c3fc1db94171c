"""What loading the judge adds to `cna serve`, and what its first Chinese answers then cost (issue 13's start-up).

`load_cost` (bench/dryrun_bench.py) times a process that loads the prober and warms the judge as `cna serve` does,
against the rules alone, interleaved, median of N. Since the judge reads jieba's dictionary a first character at a
time (app/zh_words.py), part of what jieba loaded at start is read by the first Chinese answers instead: that is
measured too, in one process, over the probe corpus's Chinese train answers. Run: python -m bench.judge_startup
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime

from bench.dryrun_bench import RESULTS, ROOT, load_cost

FIRST_ANSWERS = """
import glob, json, resource, time
from app.catalog import load_prober
from app.lexicon import warm_judge
p = load_prober(); warm_judge(p)
texts = [json.loads(line)["text"] for f in sorted(glob.glob("interview_scripts/corpus/probe/train*.zh.jsonl"))
         for line in open(f, encoding="utf-8") if line.strip()]
t0 = time.perf_counter(); p.judge.lexicon.words(texts[0]); t1 = time.perf_counter()
for x in texts[1:100]: p.judge.lexicon.words(x)
t2 = time.perf_counter()
for x in texts[100:]: p.judge.lexicon.words(x)
t3 = time.perf_counter()
print(json.dumps({"first_ms": round(1000 * (t1 - t0), 2), "next_99_ms": round(1000 * (t2 - t1), 1),
                  "rest_s": round(t3 - t2, 3), "rest_n": len(texts) - 100,
                  "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    py = sys.executable
    before = os.getloadavg()
    load = load_cost(py, args.repeat)
    first = json.loads(subprocess.run([py, "-c", FIRST_ANSWERS], capture_output=True, text=True, check=True,
                                      cwd=ROOT).stdout)
    after = os.getloadavg()
    result = {"bench": "judge_startup", "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "python": platform.python_version(), "repeat": args.repeat, "judge_load": load,
              "first_chinese_answers": first,
              "load_average": {"before": [round(x, 2) for x in before], "after": [round(x, 2) for x in after]}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "judge_startup.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
