"""Out-of-domain check of coder v1 on labelled review data (MAMS en, ASAP zh), against a label-word baseline.

Usage: .venv/bin/python bench/coder_eval.py [DATA_DIR]   (default: ../shared/data from the repo root)
Writes bench/results/coder_eval.json and bench/results/coder_eval.md.

The data sets are restaurant reviews, not CRM interviews, so only the four customer-value codes with a
counterpart are scored (mapping below); codes without a counterpart are counted but not scored. Expect
low recall: the codebook speaks about suppliers, invoices and service desks, not dishes and waiters.
"""

from __future__ import annotations

import csv
import json
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.coding import Coder, parse_codebook  # noqa: E402

SCORED = ("price", "speed", "service", "quality")
# The agreed mapping: price->price, service/speed->speed, staff/waiters_attitude->service,
# food/dish->quality; everything else (ambience, place, menu, miscellaneous, location, environment,
# parking) -> no code.
MAMS = {"price": "price", "service": "speed", "staff": "service", "food": "quality"}


def _asap(label: str) -> str | None:
    if label.startswith("price_"):
        return "price"
    if label in ("service_wait_time", "service_serving_speed"):
        return "speed"
    if label == "service_waiters_attitude":
        return "service"
    if label.startswith("dish_"):
        return "quality"
    return None


DATASETS = {  # file, language, label mapping
    "mams_acsa_en_800.csv": ("en", MAMS.get),
    "asap_acsa_zh_300.csv": ("zh", _asap),
}


def available(data_dir: Path) -> Iterator[tuple[str, str, list[tuple[str, set[str]]]]]:
    """(file name, language, labelled rows) for each public dataset found in `data_dir`; the others are named."""
    for name, (lang, mapping) in DATASETS.items():
        path = data_dir / name
        if not path.exists():
            print(f"skipping {name}: not found in {data_dir}", file=sys.stderr)
            continue
        yield name, lang, load(path, mapping)


def load(path: Path, mapping: Callable[[str], str | None]) -> list[tuple[str, set[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        gold = {mapping(label) for label in row["label"].split(";") if label}
        out.append((row["text"], {g for g in gold if g}))
    return out


def baseline(codebook_labels: dict[str, dict[str, str]], lang: str) -> Callable[[str], set[str]]:
    """The naive alternative: a code fires when its own label word appears ('price', '价格')."""
    words = {
        cid: labels[lang].split()[0].lower() if lang == "en" else labels[lang][:2]
        for cid, labels in codebook_labels.items()
    }

    def run(text: str) -> set[str]:
        low = text.lower()
        return {cid for cid, w in words.items() if w in low}

    return run


def score(rows: Iterable[tuple[str, set[str]]], predict: Callable[[str], set[str]]) -> dict[str, object]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    unscored: Counter[str] = Counter()
    for text, gold in rows:
        got = predict(text)
        for c in got - set(SCORED):
            unscored[c] += 1
        got &= set(SCORED)
        for c in got & gold:
            tp[c] += 1
        for c in got - gold:
            fp[c] += 1
        for c in gold - got:
            fn[c] += 1
    per = {}
    for c in SCORED:
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        per[c] = {
            "tp": tp[c],
            "fp": fp[c],
            "fn": fn[c],
            "support": tp[c] + fn[c],
            "precision": round(p, 3),
            "recall": round(r, 3),
        }
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {
        "micro": {
            "precision": round(t / (t + f), 3) if t + f else 0.0,
            "recall": round(t / (t + n), 3) if t + n else 0.0,
        },
        "macro": {
            "precision": round(sum(v["precision"] for v in per.values()) / len(per), 3),
            "recall": round(sum(v["recall"] for v in per.values()) / len(per), 3),
        },
        "per_code": per,
        "unscored_codes_proposed": dict(sorted(unscored.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def throughput(texts: list[str], fn: Callable[[str], object], repeat: int = 3) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            fn(t)
    return round(repeat * len(texts) / (time.perf_counter() - start))


def main(argv: list[str]) -> int:
    data_dir = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data"
    codebook = parse_codebook(
        (ROOT / "interview_scripts" / "codebook.yaml").read_text(encoding="utf-8"),
        "interview_scripts/codebook.yaml",
    )
    coder = Coder(codebook)
    labels = {c: codebook.get(c).label.model_dump() for c in SCORED}
    results: dict[str, object] = {
        "generated": date.today().isoformat(),
        "python": platform.python_version(),
        "coder": coder.name,
        "scored_codes": list(SCORED),
        "datasets": {},
    }
    for name, lang, rows in available(data_dir):
        texts = [t for t, _ in rows]
        base = baseline(labels, lang)
        results["datasets"][name] = {  # type: ignore[index]
            "lang": lang,
            "rows": len(rows),
            "mean_chars": round(sum(map(len, texts)) / len(texts)),
            "coder": score(rows, lambda t, lang=lang: {h.code_id for h in coder.code(t, lang)}),
            "baseline_label_word": score(rows, base),
            "answers_per_second": {
                "coder": throughput(texts, lambda t, lang=lang: coder.code(t, lang)),
                "baseline_label_word": throughput(texts, base),
            },
        }
    if not results["datasets"]:
        # Keep the last real results rather than overwrite them with an empty table.
        print(f"no labelled data found in {data_dir}; results left as they were", file=sys.stderr)
        return 1
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "coder_eval.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "coder_eval.md").write_text(render(results), encoding="utf-8")
    print(render(results))
    return 0


def render(results: dict[str, object]) -> str:
    lines = [
        "# Coder v1 on labelled review data",
        "",
        f"Generated {results['generated']} with Python {results['python']} by `bench/coder_eval.py`. "
        "Restaurant reviews, not CRM interviews: only codes with a counterpart are scored "
        f"({', '.join(SCORED)}); the baseline fires a code when its own label word appears.",
        "",
    ]
    for name, ds in results["datasets"].items():  # type: ignore[attr-defined]
        c, b = ds["coder"], ds["baseline_label_word"]
        lines += [
            f"## {name} ({ds['lang']}, {ds['rows']} rows, mean {ds['mean_chars']} chars)",
            "",
            "| | micro P | micro R | macro P | macro R | answers/s |",
            "|---|---|---|---|---|---|",
        ]
        for label, s in (("coder v1", c), ("baseline", b)):
            key = "coder" if s is c else "baseline_label_word"
            lines.append(
                f"| {label} | {s['micro']['precision']:.3f} | {s['micro']['recall']:.3f} | "
                f"{s['macro']['precision']:.3f} | {s['macro']['recall']:.3f} | "
                f"{ds['answers_per_second'][key]} |"
            )
        lines += [
            "",
            "| code | support | coder P | coder R | baseline P | baseline R |",
            "|---|---|---|---|---|---|",
        ]
        for code in SCORED:
            pc, pb = c["per_code"][code], b["per_code"][code]
            lines.append(
                f"| {code} | {pc['support']} | {pc['precision']:.3f} | {pc['recall']:.3f} | "
                f"{pb['precision']:.3f} | {pb['recall']:.3f} |"
            )
        top = ", ".join(f"{k} {v}" for k, v in list(c["unscored_codes_proposed"].items())[:6]) or "none"
        lines += ["", f"Other codes the coder proposed (not scored): {top}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
