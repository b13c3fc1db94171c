"""Leave-one-writer-out cross-validation of the coder on the training splits: how it codes a writer it never saw.

Usage: .venv/bin/python bench/coder_writers.py [--c 10] [--plain] [--hints own|all|none|nonneg|prior]
       [--folds random|writers] [--shared-by N] [--hint-floor X] [--cue-floor X] [--dropout P]
       [--codebook-examples] [--batches ctr,ctr2] [--save DIR] [--saved DIR] [--clauses cues,pairs|none]
       [--senses c5,c7,s,h] [--sense-scale X] [--tag NAME]
Writes bench/results/coder_writers.json and .md (--plain: without the Naive Bayes scale, to compare; written to
coder_writers_plain.*; an option other than the trainer's names the files after it: coder_writers_dropout_0.3.*;
--saved DIR scores the weights --save DIR wrote, to measure a run-time change such as --clauses none without training).
Every held-out batch is scored twice: with its questions' code hints, and with none (*no question*: how `cna code`
codes a pasted answer), the latter with the weights' calibration for answers without hints and with the hinted one.

The heldout split is a new batch by a writer the coder trained on; the recall it loses there (docs/coding.md) is
what any new writer's phrasing costs. Each training batch (train to train7: different writers) is held out
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
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import coder_learn, coder_training  # noqa: E402
from app import train_coder as tc  # noqa: E402
from app.catalog import load_catalog  # noqa: E402
from app.coder import build_coder, learned, segmenter  # noqa: E402
from app.coder_training import TRAIN_SPLITS, shipped_sets  # noqa: E402
from core import coding  # noqa: E402
from core.coding import Coder  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def batch(a: tc.Labelled) -> str:
    """The training batch (one writer's, or one pair's) an answer comes from: its id's prefix (ctr, ctr2, ctr3)."""
    head = tc.batch_of(a)
    return head if head.startswith("ctr") else "cue author"


def run(c: float, only: set[str] | None = None, save: Path | None = None, saved: Path | None = None
        ) -> dict[str, Any]:
    catalog = load_catalog(shipped_coder=False)
    train, _ = shipped_sets(catalog)  # the heldout split is not used
    known = [x.id for x in catalog.codebook.codes]
    out: dict[str, Any] = {}
    for held in [f"ctr{s[5:]}" for s in TRAIN_SPLITS if only is None or f"ctr{s[5:]}" in only]:
        t0 = time.perf_counter()
        rest = [a for a in train if batch(a) != held]
        unseen = [a for a in train if batch(a) == held]
        if saved is not None and not (saved / f"{held}.json").exists():
            continue  # a batch the saved run did not hold out (added since)
        if saved is not None:  # weights an earlier run saved (--save): a run-time change measured without training
            data = json.loads((saved / f"{held}.json").read_text(encoding="utf-8"))
            report = {"folds": {lang: {"coder": {"f1": None}} for lang in ("en", "zh")}}
        else:
            data, report = tc.train(rest, Coder(catalog.codebook), segmenter(), c=c)
        coder = build_coder(catalog.codebook, learned(data, known))
        if save is not None:  # each batch's weights, to try run-time changes without retraining
            save.mkdir(parents=True, exist_ok=True)
            tc.write(data, save / f"{held}.json")
        # The same answers with no question (as `cna code` codes a pasted answer): no code hints; with the
        # weights' calibration for that case, and with the one fitted on hinted answers (no b_plain).
        plain = [replace(a, hints=()) for a in unseen]
        hinted_only = {**data, "codes": {k: {f: v for f, v in g.items() if not f.endswith("_plain")}
                                         for k, g in data["codes"].items()}}
        out[held] = {"answers": len(unseen), "trained_on": len(rest), "unseen": tc.evaluate(coder, unseen),
                     "plain": tc.evaluate(coder, plain),
                     "plain_hinted_calibration": tc.evaluate(
                         build_coder(catalog.codebook, learned(hinted_only, known)), plain),
                     "folds": {lang: s["coder"] for lang, s in report["folds"].items()},
                     "seconds": round(time.perf_counter() - t0, 1)}
        print(held, {k: {lang: r["f1"] for lang, r in out[held][k].items()}
                     for k in ("unseen", "plain", "plain_hinted_calibration")}, flush=True)
    return out


def render(res: dict[str, Any]) -> str:
    lines = ["# The coder on a writer it never saw (leave-one-writer-out)", "",
             f"Generated {res['date']} with Python {res['python']} by `bench/coder_writers.py` "
             f"(C {res['c']}, Naive Bayes scale {res['nb']}, question hints: {res.get('hints', 'all')}, "
             f"hint floor: {res.get('hint_floor')}, folds: {res.get('folds', 'random')}, "
             f"n-grams of at least {res.get('shared_by', 1)} batch(es), clauses: "
             f"{', '.join(res.get('clauses') or ['none'])}{', saved weights' if res.get('saved') else ''}, "
             f"sense classes: {', '.join(res.get('senses') or ['none'])} (scale {res.get('sense_scale', 1.0):g})). "
             "Each training batch is held out in turn; the coder "
             "is trained on the others (and the cue author's set) as `cna train coder` trains it, and scores the "
             "held-out batch. Micro-F1 (precision / recall); *random folds* is the same training's held-out folds "
             "of its own answers (writers it has seen).", "",
             "*No question*: the same unseen answers coded without their question's code hints (as `cna code` codes "
             "a pasted answer), with the weights' calibration for that case and (*hinted calibration*) with the one "
             "fitted on answers with their hints.", "",
             "| batch held out | answers | unseen writer, en | unseen writer, zh | no question en / zh | "
             "no question, hinted calibration en / zh | random folds en / zh |",
             "|---|---|---|---|---|---|---|"]

    def pair(r: dict[str, Any], key: str) -> str:
        return " / ".join(f"{r[key][lang]['f1']:.3f}" for lang in ("en", "zh")) if key in r else "—"

    for held, r in res["batches"].items():
        u = r["unseen"]
        cell = [f"{u[lang]['f1']:.3f} ({u[lang]['precision']:.2f} / {u[lang]['recall']:.2f})" for lang in ("en", "zh")]
        lines.append(f"| {held} | {r['answers']} | {cell[0]} | {cell[1]} | {pair(r, 'plain')} | "
                     f"{pair(r, 'plain_hinted_calibration')} | "
                     + " / ".join("—" if r["folds"][lang]["f1"] is None else f"{r['folds'][lang]['f1']:.3f}"
                                  for lang in ("en", "zh")) + " |")
    lines.append("")
    for key, name in (("unseen", "unseen writer"), ("plain", "no question"),
                      ("plain_hinted_calibration", "no question, hinted calibration")):
        got = [r[key] for r in res["batches"].values() if key in r]
        if got:
            mean = {lang: sum(g[lang]["f1"] for g in got) / len(got) for lang in ("en", "zh")}
            lines.append(f"Mean over the batches, {name}: en {mean['en']:.3f}, zh {mean['zh']:.3f}.")
    return "\n".join([*lines, ""])


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
    ap.add_argument("--dropout", type=float, default=tc.HINT_DROPOUT,
                    help="share of corpus answers trained on without their hints (app.train_coder.HINT_DROPOUT)")
    ap.add_argument("--codebook-examples", action="store_true",
                    help="train on the codebook's labels and descriptions too (app.coder_training.CODEBOOK_EXAMPLES)")
    ap.add_argument("--cue-floor", type=float, default=coder_learn.CUE_FLOOR,
                    help="the most other codes' cue hits may subtract together (app.coder_learn.CUE_FLOOR)")
    ap.add_argument("--batches", default="", help="comma-separated batches to hold out (default: every one)")
    ap.add_argument("--save", type=Path, help="a folder to write each held-out batch's weights to")
    ap.add_argument("--senses", default=",".join(coder_learn.SENSE_KINDS),
                    help="words' sense-class kinds read as features, or none (app.coder_learn.SENSE_KINDS)")
    ap.add_argument("--sense-scale", type=float, default=coder_learn.SENSE_SCALE,
                    help="the sense block's scale (app.coder_learn.SENSE_SCALE)")
    ap.add_argument("--tag", default="", help="a suffix for the results' file names")
    ap.add_argument("--saved", type=Path, help="score the weights an earlier --save wrote (no training)")
    ap.add_argument("--clauses", default=",".join(sorted(coding.CLAUSES)),
                    help="what answers of several clauses judge clause by clause: rescue, pairs, cap, or none "
                         "(core.coding.CLAUSES)")
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
    shipped_dropout, tc.HINT_DROPOUT = tc.HINT_DROPOUT, args.dropout
    shipped_examples = coder_training.CODEBOOK_EXAMPLES
    shipped_cue_floor, coder_learn.CUE_FLOOR = coder_learn.CUE_FLOOR, args.cue_floor
    coder_training.CODEBOOK_EXAMPLES = shipped_examples or args.codebook_examples
    shipped_clauses = coding.CLAUSES
    shipped_senses, shipped_sense_scale = coder_learn.SENSE_KINDS, coder_learn.SENSE_SCALE
    coder_learn.SENSE_KINDS = tuple(x for x in args.senses.split(",") if x and x != "none")
    coder_learn.SENSE_SCALE = args.sense_scale
    coding.CLAUSES = frozenset(x for x in args.clauses.split(",") if x and x != "none")
    res = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "python": platform.python_version(),
           "c": args.c, "nb": coder_learn.NB, "hints": args.hints, "folds": args.folds, "shared_by": args.shared_by,
           "hint_floor": args.hint_floor,
           "dropout": args.dropout, "codebook_examples": coder_training.CODEBOOK_EXAMPLES,
           "plain_calibration": tc.PLAIN_CALIBRATION, "cue_floor": args.cue_floor, "clauses": sorted(coding.CLAUSES),
           "saved": str(args.saved) if args.saved else None, "senses": list(coder_learn.SENSE_KINDS),
           "sense_scale": coder_learn.SENSE_SCALE,
           "batches": run(args.c, set(args.batches.split(",")) if args.batches else None,
                      args.save, args.saved)}
    stem = "coder_writers_plain" if args.plain else "coder_writers"
    if args.hints != shipped_hints:
        stem += f"_hints_{args.hints}"
    if args.shared_by != shipped_shared:
        stem += f"_shared_{args.shared_by}"
    if args.hint_floor != shipped_floor:
        stem += f"_floor_{args.hint_floor:g}"
    if args.folds != shipped_folds:
        stem += f"_folds_{args.folds}"
    if args.dropout != shipped_dropout:
        stem += f"_dropout_{args.dropout:g}"
    if args.c != 10.0:
        stem += f"_c{args.c:g}"
    if args.batches:
        stem += "_" + args.batches.replace(",", "_")
    if args.cue_floor != shipped_cue_floor:
        stem += f"_cue_floor_{args.cue_floor:g}"
    if shipped_clauses != coding.CLAUSES:
        stem += "_clauses_" + ("_".join(sorted(coding.CLAUSES)) or "none")
    if shipped_examples != coder_training.CODEBOOK_EXAMPLES:
        stem += "_codebook_examples"
    if shipped_senses != coder_learn.SENSE_KINDS:
        stem += "_senses_" + ("_".join(coder_learn.SENSE_KINDS) or "none")
    if shipped_sense_scale != coder_learn.SENSE_SCALE:
        stem += f"_sense_scale_{coder_learn.SENSE_SCALE:g}"
    stem += f"_{args.tag}" if args.tag else ""
    (RESULTS / f"{stem}.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / f"{stem}.md").write_text(render(res), encoding="utf-8")
    print(render(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
