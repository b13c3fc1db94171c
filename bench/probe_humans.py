"""How far a second person agrees with the probe test split's labels, and how the judge does on what both agree.

interview_scripts/corpus/probe/annotator2.zh.jsonl is a blind second labelling of every Chinese answer of the
test split (test*.jsonl), by someone who saw only the label definitions and the answers with their questions
(never the first labels, the judge or the rules). Agreement between the two people is the ceiling any judge can
reach against one of them; the judge's score on the answers both people label alike is the part of its misses
that is not a matter of opinion. Run: python -m bench.probe_humans  (writes bench/results/probe_humans.md/json)
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from app import train_prober as tp
from app.catalog import load_catalog
from core.judge import CLASSES

ROOT = Path(__file__).resolve().parent.parent
SECOND = tp.CORPUS_DIR / "annotator2.zh.jsonl"
RESULTS = ROOT / "bench" / "results"


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two people's labels on the same answers."""
    n = len(first)
    seen = sum(a == b for a, b in zip(first, second, strict=True)) / n
    a, b = Counter(first), Counter(second)
    chance = sum(a[c] * b[c] for c in a) / (n * n)
    return (seen - chance) / (1 - chance)


def second_labels(path: Path = SECOND) -> dict[str, dict[str, Any]]:
    """id -> the second person's {label, rung}."""
    out: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            rec = json.loads(line)
            if rec.get("label") not in CLASSES:
                raise ValueError(f"{path.name}:{n}: label {rec.get('label')!r} is not one of {', '.join(CLASSES)}")
            out[rec["id"]] = rec
    return out


def measure() -> dict[str, Any]:
    catalog = load_catalog()
    tests = [ex for ex in tp.load_corpus(tp.corpus_files("test"), catalog.scripts) if ex.lang == "zh"]
    second = second_labels()
    missing = [ex.id for ex in tests if ex.id not in second]
    if missing:
        raise ValueError(f"{SECOND.name} has no label for {len(missing)} test answers, e.g. {missing[:3]}")
    first = [ex.label for ex in tests]
    other = [second[ex.id]["label"] for ex in tests]
    both_rung = [(ex.rung, second[ex.id].get("rung")) for ex in tests
                 if ex.label == second[ex.id]["label"] and ex.label in ("surface", "specific")]
    judged = tp.evaluate(catalog.prober, tests)
    agreed = [ex for ex in tests if second[ex.id]["label"] == ex.label]
    on_agreed = tp.evaluate(catalog.prober, agreed)
    per_class: dict[str, Any] = {}
    for c in CLASSES:
        n = sum(1 for a in first if a == c)
        per_class[c] = {"n": n, "second_agrees": sum(1 for a, b in zip(first, other, strict=True) if a == b == c),
                        "judge": judged.rate("zh", c), "judge_on_agreed": on_agreed.rate("zh", c),
                        "n_agreed": on_agreed.total.get(("zh", c), 0)}
    return {
        "answers": len(tests),
        "agreement": sum(a == b for a, b in zip(first, other, strict=True)) / len(tests),
        "kappa": kappa(first, other),
        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(Counter(zip(first, other, strict=True)).items())},
        "rung_agreement": sum(a == b for a, b in both_rung) / len(both_rung) if both_rung else None,
        "rung_answers": len(both_rung),
        "per_class": per_class,
        "load": os.getloadavg()[0],
    }


def markdown(r: dict[str, Any]) -> str:
    rows = "\n".join(
        f"| {c} | {v['n']} | {v['second_agrees']} ({v['second_agrees'] / v['n']:.1%}) | {v['judge']:.1%} | "
        f"{v['judge_on_agreed']:.1%} ({v['n_agreed']}) |" for c, v in r["per_class"].items() if v["n"])
    off = ", ".join(f"{k} {n}" for k, n in r["confusion"].items() if k.split("->")[0] != k.split("->")[1])
    return f"""# The probe test split's Chinese labels: a second person, and the judge on what both agree

`python -m bench.probe_humans`. A second annotator labelled all {r['answers']} Chinese test answers blind
(`interview_scripts/corpus/probe/annotator2.zh.jsonl`): raw agreement **{r['agreement']:.1%}**, Cohen's kappa
**{r['kappa']:.3f}**. Where they differ (first → second): {off or 'nowhere'}. On the answers both call surface or
specific, they give the same rung in {r['rung_agreement']:.1%} of {r['rung_answers']}: rungs are where people differ.

| class (first label) | answers | second person agrees | judge handles right | judge, where both agree |
|---|---|---|---|---|
{rows}
"""


def main() -> int:
    r = measure()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "probe_humans.json").write_text(json.dumps(r, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "probe_humans.md").write_text(markdown(r), encoding="utf-8")
    print(markdown(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
