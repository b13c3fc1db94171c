"""Leave-one-writer-out cross-validation of the coder on the training splits: how it codes a writer it never saw.

Usage: .venv/bin/python bench/coder_writers.py [--c 10] [--plain] [--hints own|all|none|nonneg|prior]
       [--folds random|writers] [--shared-by N] [--hint-floor X]
Writes bench/results/coder_writers.json and .md (--plain: without the Naive Bayes scale, to compare; written to
coder_writers_plain.*; --hints or --folds other than the shipped: to coder_writers_hints_<mode>_folds_<f>.*).

The heldout split is a new batch by a writer the coder trained on; the recall it loses there (docs/coding.md) is
what any new writer's phrasing costs. Each training batch (train, train2, train3, train4: different writers) is held out
in turn: the coder is trained as `cna train coder` trains it (gate, proposal lines, pairs, cap) on the other
batches and the cue author's set, and scores the batch it never saw. Training answers only: the heldout split is
not read. Choices made for the unseen writer (features, scaling, lines) are chosen here, never on the heldout split.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import coder_learn  # noqa: E402
from app import train_coder as tc  # noqa: E402
from app.catalog import load_catalog  # noqa: E402
from app.coder import build_coder, segmenter  # noqa: E402
from app.coder_training import TRAIN_SPLITS, shipped_sets  # noqa: E402
from core.coder_model import LearnedModel  # noqa: E402
from core.coding import Coder  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def batch(a: tc.Labelled) -> str:
    """The training batch (one writer's, or one pair's) an answer comes from: its id's prefix (ctr, ctr2, ctr3)."""
    head = tc.batch_of(a)
    return head if head.startswith("ctr") else "cue author"


def run(c: float) -> dict[str, Any]:
    catalog = load_catalog(shipped_coder=False)
    train, _ = shipped_sets(catalog)  # the heldout split is not used
    known = [x.id for x in catalog.codebook.codes]
    out: dict[str, Any] = {}
    for held in [f"ctr{s[5:]}" for s in TRAIN_SPLITS]:
        t0 = time.perf_counter()
        rest = [a for a in train if batch(a) != held]
        unseen = [a for a in train if batch(a) == held]
        data, report = tc.train(rest, Coder(catalog.codebook), segmenter(), c=c)
        coder = build_coder(catalog.codebook, LearnedModel(data, known))
        out[held] = {"answers": len(unseen), "trained_on": len(rest), "unseen": tc.evaluate(coder, unseen),
                     "folds": {lang: s["coder"] for lang, s in report["folds"].items()},
                     "seconds": round(time.perf_counter() - t0, 1)}
        print(held, {lang: r["f1"] for lang, r in out[held]["unseen"].items()}, flush=True)
    return out


def render(res: dict[str, Any]) -> str:
    lines = ["# The coder on a writer it never saw (leave-one-writer-out)", "",
             f"Generated {res['date']} with Python {res['python']} by `bench/coder_writers.py` "
             f"(C {res['c']}, Naive Bayes scale {res['nb']}, question hints: {res.get('hints', 'all')}, "
             f"hint floor: {res.get('hint_floor')}, folds: {res.get('folds', 'random')}, "
             f"n-grams of at least {res.get('shared_by', 1)} batch(es)). "
             "Each training batch is held out in turn; the coder "
             "is trained on the others (and the cue author's set) as `cna train coder` trains it, and scores the "
             "held-out batch. Micro-F1 (precision / recall); *random folds* is the same training's held-out folds "
             "of its own answers (writers it has seen).", "",
             "| batch held out | answers | unseen writer, en | unseen writer, zh | random folds en / zh |",
             "|---|---|---|---|---|"]
    for held, r in res["batches"].items():
        u = r["unseen"]
        cell = [f"{u[lang]['f1']:.3f} ({u[lang]['precision']:.2f} / {u[lang]['recall']:.2f})" for lang in ("en", "zh")]
        lines.append(f"| {held} | {r['answers']} | {cell[0]} | {cell[1]} | "
                     f"{r['folds']['en']['f1']:.3f} / {r['folds']['zh']['f1']:.3f} |")
    mean = {lang: sum(r["unseen"][lang]["f1"] for r in res["batches"].values()) / len(res["batches"])
            for lang in ("en", "zh")}
    lines += ["", f"Mean over the batches: en {mean['en']:.3f}, zh {mean['zh']:.3f}.", ""]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--c", type=float, default=10.0)
    ap.add_argument("--plain", action="store_true", help="without the Naive Bayes scale (plain TF-IDF)")
    ap.add_argument("--folds", choices=("random", "writers"), default=tc.FOLDS,
                    help="held-out folds for calibration, lines and gate (app.train_coder.FOLDS)")
    ap.add_argument("--shared-by", type=int, default=tc.SHARED_BY,
                    help="n-grams weighted only if this many batches use them (app.train_coder.SHARED_BY)")
    ap.add_argument("--hint-floor", type=float, default=coder_learn.HINT_FLOOR,
                    help="the most other codes' hints may subtract together (app.coder_learn.HINT_FLOOR)")
    ap.add_argument("--hints", choices=("own", "all", "none", "nonneg", "prior"), default=coder_learn.HINTS,
                    help="which question code hints each code's model sees (app.coder_learn.HINTS)")
    args = ap.parse_args()
    if args.plain:
        coder_learn.NB = 0.0
    shipped_hints, shipped_folds = coder_learn.HINTS, tc.FOLDS
    tc.FOLDS = args.folds
    shipped_shared, tc.SHARED_BY = tc.SHARED_BY, args.shared_by
    shipped_floor, coder_learn.HINT_FLOOR = coder_learn.HINT_FLOOR, args.hint_floor
    coder_learn.HINTS = args.hints
    res = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "python": platform.python_version(),
           "c": args.c, "nb": coder_learn.NB, "hints": args.hints, "folds": args.folds, "shared_by": args.shared_by,
           "hint_floor": args.hint_floor,
           "batches": run(args.c)}
    stem = "coder_writers_plain" if args.plain else "coder_writers"
    if args.hints != shipped_hints:
        stem += f"_hints_{args.hints}"
    if args.shared_by != shipped_shared:
        stem += f"_shared_{args.shared_by}"
    if args.hint_floor != shipped_floor:
        stem += f"_floor_{args.hint_floor:g}"
    if args.folds != shipped_folds:
        stem += f"_folds_{args.folds}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / f"{stem}.md").write_text(render(res), encoding="utf-8")
    print(render(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
