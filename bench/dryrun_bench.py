"""Throughput of `cna probe` and `cna code` over 100,000 JSON lines, against a JSON pass-through baseline."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

EN = ["Lower price.", "Faster", "Better service", "fine", "I don't know", "We need a mobile app",
      "Lower price because our budget is fixed per quarter", "that's all", "Easier to use",
      "Quotes take 9 days and we lose the deal to a competitor", "Quality", "ok",
      "Sales keeps its own spreadsheet and finance uses the ERP, so nobody sees the whole customer"]
ZH = ["价格再低一点", "更快", "服务好一点", "还行", "不知道", "要一个APP", "因为预算按季度固定，所以价格要稳定",
      "没有了", "简单好用", "报价要九天，单子都丢给竞争对手了", "质量", "数据分散在好几个系统里"]

# A pass-through that parses and re-serialises each line: the floor any JSON Lines tool pays.
BASELINE = ("import json,sys\nw=sys.stdout.write\nfor l in sys.stdin:\n"
            "    o=json.loads(l); o['x']=None; w(json.dumps(o, ensure_ascii=False)+'\\n')\n")


def make_input(path: Path, n: int, zh_share: float = 0.5) -> None:
    rng = random.Random(42)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            if rng.random() >= zh_share:
                obj = {"text": rng.choice(EN), "lang": "en", "depth": rng.randint(0, 2)}
            else:
                obj = {"text": rng.choice(ZH), "lang": "zh", "depth": rng.randint(0, 2)}
            obj["question"] = f"q{i % 17}"
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")


def corpus_rows(folder: str, pattern: str) -> list[dict[str, Any]]:
    """Every record of a shipped corpus's files (interview_scripts/corpus/<folder>/<pattern>)."""
    return [json.loads(line) for f in sorted((ROOT / "interview_scripts" / "corpus" / folder).glob(pattern))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_cycled(path: Path, n: int, rows: list[dict[str, Any]],
                 line: Callable[[int, dict[str, Any]], dict[str, Any]]) -> None:
    """n JSON lines drawn from `rows` (seeded, so every run reads the same input), each shaped by `line`."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(line(i, rng.choice(rows)), ensure_ascii=False) + "\n")


def make_corpus_input(path: Path, n: int) -> None:
    """Real-length answers: the probe corpus's train split (people's answers run to 80 words), cycled."""
    write_cycled(path, n, corpus_rows("probe", "train*.jsonl"),
                 lambda i, r: {"text": r["text"], "lang": r["lang"], "depth": r["depth"], "question": f"q{i % 17}"})


def make_unique_input(path: Path, n: int) -> None:
    """Corpus answers made (nearly) all different: two words (Chinese: two characters) dropped at random from
    each, so no cache helps; real lengths and wording, for the judge's cost on answers it has never seen."""
    rows = [json.loads(line) for f in sorted((ROOT / "interview_scripts" / "corpus" / "probe").glob("train*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            r = rng.choice(rows)
            parts = list(r["text"]) if r["lang"] == "zh" else r["text"].split()
            for _ in range(min(2, len(parts) - 1)):
                parts.pop(rng.randrange(len(parts)))
            text = ("" if r["lang"] == "zh" else " ").join(parts)
            f.write(json.dumps({"text": text, "lang": r["lang"], "depth": r["depth"], "question": f"q{i % 17}"},
                               ensure_ascii=False) + "\n")


# Start-up and memory of the judge in a process like `cna serve` (which loads jieba's dictionary at start): the
# rules alone, then rules + judge. `cna probe` loads the dictionary only on the first Chinese answer (LOAD_CLI).
LOAD = ("import resource,time,sys\nt=time.perf_counter()\nfrom app.catalog import load_prober\n"
        "p=load_prober()\nif sys.argv[1]=='rules': p=p.with_judge(None)\n"
        "from app.lexicon import warm_judge\nwarm_judge(p)\n"
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)\n")
LOAD_CLI = LOAD.replace("warm_judge(p)", "pass")
LOAD_RULES = LOAD.replace("p=load_prober()", "import app.lexicon as lx\nlx.load_judge=lambda path=None: None\n"
                          "p=load_prober()")


def load_cost(py: str, repeat: int, judge_src: str = LOAD) -> dict[str, float]:
    out: dict[str, list[tuple[float, float]]] = {"rules": [], "judge": []}
    for _ in range(repeat):
        for name, src in (("rules", LOAD_RULES), ("judge", judge_src)):
            sec, mb = subprocess.run([py, "-c", src, name], capture_output=True, text=True, check=True,
                                     cwd=ROOT).stdout.split()
            out[name].append((float(sec), float(mb)))
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in out.items()}
    return {"rules_s": round(med["rules"][0], 3), "judge_s": round(med["judge"][0], 3),
            "rules_mb": round(med["rules"][1], 1), "judge_mb": round(med["judge"][1], 1),
            "added_s": round(med["judge"][0] - med["rules"][0], 3),
            "added_mb": round(med["judge"][1] - med["rules"][1], 1)}


def timed(cmd: list[str], stdin: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    """Seconds one run of `cmd` takes to read `stdin` through (output discarded); `cwd`: run it there (another
    checkout's code, for `python -m`)."""
    with stdin.open("rb") as f:
        t0 = time.perf_counter()
        subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, check=True, env=env, cwd=cwd)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "answers.jsonl"
        make_input(src, args.lines)
        real = Path(tmp) / "corpus.jsonl"
        make_corpus_input(real, args.lines)
        unique = Path(tmp) / "unique.jsonl"
        make_unique_input(unique, args.lines)
        english = Path(tmp) / "english.jsonl"  # jieba's dictionary loads on the first Chinese answer: never here
        make_input(english, args.lines, zh_share=0.0)
        runs: dict[str, list[float]] = {"baseline": [], "probe": [], "code": [], "baseline_corpus": [],
                                        "probe_corpus": [], "baseline_unique": [], "probe_unique": [],
                                        "baseline_english": [], "probe_english": []}
        load_before = os.getloadavg()
        for _ in range(args.repeat):
            runs["baseline_english"].append(timed([py, "-c", BASELINE], english))
            runs["probe_english"].append(timed([py, "-m", "cli.main", "probe", "-"], english))
            runs["baseline"].append(timed([py, "-c", BASELINE], src))
            runs["probe"].append(timed([py, "-m", "cli.main", "probe", "-"], src))
            runs["code"].append(timed([py, "-m", "cli.main", "code", "-"], src))
            runs["baseline_corpus"].append(timed([py, "-c", BASELINE], real))
            runs["probe_corpus"].append(timed([py, "-m", "cli.main", "probe", "-"], real))
            runs["baseline_unique"].append(timed([py, "-c", BASELINE], unique))
            runs["probe_unique"].append(timed([py, "-m", "cli.main", "probe", "-"], unique))
        load = load_cost(py, args.repeat)
        load_cli = load_cost(py, args.repeat, LOAD_CLI)
        load_after = os.getloadavg()
    med = {k: statistics.median(v) for k, v in runs.items()}
    result = {
        "bench": "dryrun", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine(),
                    "system": platform.platform()},
        "lines": args.lines, "repeat": args.repeat, "seconds": runs, "median_seconds": med,
        "lines_per_second": {k: round(args.lines / v) for k, v in med.items()},
        "ratio_to_baseline": {k: round(med[k] / med["baseline"], 2) for k in ("probe", "code")}
        | {"probe_corpus": round(med["probe_corpus"] / med["baseline_corpus"], 2),
           "probe_unique": round(med["probe_unique"] / med["baseline_unique"], 2),
           "probe_english": round(med["probe_english"] / med["baseline_english"], 2)},
        "judge_load": load, "judge_load_before_first_chinese_answer": load_cli,
        # The machine is shared: its load average (1, 5, 15 min) before and after, to read the times against.
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in load_after]},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dryrun.json").write_text(json.dumps(result, indent=2))
    lps = result["lines_per_second"]
    md = ["# cna probe / cna code over JSON Lines", "",
          f"{args.lines:,} mixed en/zh answers, median of {args.repeat} runs, whole process (start-up included), "
          f"Python {platform.python_version()}, {result['date']}.", "",
          "| run | median s | lines/s | x baseline time |", "|---|---|---|---|",
          f"| JSON pass-through (baseline) | {med['baseline']:.2f} | {lps['baseline']:,} | 1.00 |",
          f"| cna probe | {med['probe']:.2f} | {lps['probe']:,} | {result['ratio_to_baseline']['probe']} |",
          f"| cna code | {med['code']:.2f} | {lps['code']:,} | {result['ratio_to_baseline']['code']} |",
          f"| JSON pass-through, corpus answers | {med['baseline_corpus']:.2f} | {lps['baseline_corpus']:,} | 1.00 |",
          f"| cna probe, corpus answers | {med['probe_corpus']:.2f} | {lps['probe_corpus']:,} | "
          f"{result['ratio_to_baseline']['probe_corpus']} |",
          f"| JSON pass-through, unique answers | {med['baseline_unique']:.2f} | {lps['baseline_unique']:,} | 1.00 |",
          f"| cna probe, unique answers | {med['probe_unique']:.2f} | {lps['probe_unique']:,} | "
          f"{result['ratio_to_baseline']['probe_unique']} |",
          f"| JSON pass-through, English only | {med['baseline_english']:.2f} | {lps['baseline_english']:,} | 1.00 |",
          f"| cna probe, English only | {med['probe_english']:.2f} | {lps['probe_english']:,} | "
          f"{result['ratio_to_baseline']['probe_english']} |", "",
          f"Load average (1/5/15 min) before: {result['load_average']['before']}, after: "
          f"{result['load_average']['after']} (2 cores).", "",
          "The short answers are the seed list above; the corpus answers are the probe corpus's train split "
          "(real lengths, up to 80 words), where the judge's features cost most. Both repeat answers, and the "
          "judge remembers the verdicts of the last 8,192 answers it read: the unique answers (corpus answers with "
          "two words or characters dropped at random, mostly all different) show the cost when nothing repeats.",
          "",
          f"Loading the judge (jieba's dictionary index, wordfreq lists, weights) in a process, as `cna serve` does: "
          f"+{load['added_s']} s and +{load['added_mb']} MB max RSS over the rules alone ({load['rules_s']} s, "
          f"{load['rules_mb']} MB); "
          f"before the first Chinese answer (jieba not yet loaded, as `cna probe` starts): +{load_cli['added_s']} s "
          f"and +{load_cli['added_mb']} MB.", ""]
    (RESULTS / "dryrun.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
