"""Learning curve of the coder on public review data (MAMS en, ASAP zh): micro-F1 after 0..200 labelled answers.

Usage: .venv/bin/python bench/coder_curve.py [DATA_DIR] [--quick] [--sizes=0,25] [--save=DIR | --saved=DIR]
       [--senses=c4,c5,l,h] [--round-senses] [--no-round] [--tag=NAME]  (default: ../shared/data)
Writes bench/results/coder_curve.json and bench/results/coder_curve.md (with --tag: coder_curve_NAME.*).
--senses trains every retraining with those sense-class kinds (app.coder_learn.SENSE_KINDS; --round-senses: in the
lead round's copies only); n = 0 stays the shipped weights. Without --senses each point is fitted as a round's
retraining is (app.coder_training.fit_round: with and without sense classes, kept as the lead's evidence says);
--no-round fits once, the corpus recipe alone.

Each data set is split once (seeded): a pool the "lead" labels from, and a test part never trained on. After n
labelled answers the coder is retrained as `cna train coder --db` would: the shipped corpus plus the n answers as
the lead's finished codings (weighted like them), with the adoption gate deciding per code (models for the scored
codes only, to keep eight retrainings affordable). Only the four codes
with a counterpart are scored (bench/coder_eval.py's mapping). Compared: the cue rules alone, the label-word
baseline and the gated coder (what runs).
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import coder_learn, coder_training  # noqa: E402
from app import train_coder as tc  # noqa: E402
from app.catalog import load_catalog  # noqa: E402
from app.coder import build_coder, learned, segmenter  # noqa: E402
from app.coder_training import shipped_sets  # noqa: E402
from bench.coder_eval import SCORED, available, baseline  # noqa: E402
from core.coder_fit import micro_f1, table  # noqa: E402
from core.coder_model import ACTIVE  # noqa: E402
from core.coding import Coder  # noqa: E402

SIZES = (0, 25, 50, 100, 200)
ROUND = True  # --no-round: one fit per point (the corpus recipe alone, as before the round's sense choice)
TEST = {"mams_acsa_en_800.csv": 400, "asap_acsa_zh_300.csv": 100}  # test rows; the rest is the labelling pool


def _f1(pred: list[set[str]], gold: list[set[str]]) -> dict[str, float]:
    return micro_f1(pred, gold, set(SCORED))


def _kappas(pred: list[set[str]], gold: list[set[str]]) -> dict[str, float | None]:
    """Per scored code, Cohen's kappa on the test part: what the gate estimates from the labelled answers."""
    out: dict[str, float | None] = {}
    for c in SCORED:
        k = table([c in p for p in pred], [c in g for g in gold]).kappa
        out[c] = None if k is None else round(k, 3)
    return out


def curve(name: str, rows: list[tuple[str, set[str]]], lang: str, shipped: list[tc.Labelled], catalog: Any,
          c: float, k_folds: int, sizes: tuple[int, ...] = SIZES, save: Path | None = None,
          saved: Path | None = None) -> dict[str, Any]:
    order = list(range(len(rows)))
    random.Random(19).shuffle(order)
    n_test = TEST[name]
    test = [rows[i] for i in order[:n_test]]
    pool = [rows[i] for i in order[n_test:]]
    gold = [g for _, g in test]
    cues = Coder(catalog.codebook)
    labels = {c: catalog.codebook.get(c).label.model_dump() for c in SCORED}
    base = baseline(labels, lang)
    out: dict[str, Any] = {
        "lang": lang, "test_rows": len(test), "pool_rows": len(pool),
        "cues_only": _f1([{h.code_id for h in cues.code(t, lang) if h.confidence >= 0.5} for t, _ in test], gold),
        "label_word": _f1([base(t) for t, _ in test], gold), "points": [],
        "test_kappa_cues": _kappas([{h.code_id for h in cues.code(t, lang) if h.confidence >= 0.5} for t, _ in test],
                                   gold)}
    for n in sizes:
        if n > len(pool):
            continue
        t0 = time.perf_counter()
        if n == 0:
            data = json.loads(tc.WEIGHTS_PATH.read_text(encoding="utf-8"))
        elif saved is not None:  # weights an earlier --save wrote: a run-time change measured without training
            data = json.loads((saved / f"{name}-{n}.json").read_text(encoding="utf-8"))
        else:
            lead = [tc.Labelled(f"{name}-{i}", lang, t, frozenset(g), (), lead=True)
                    for i, (t, g) in enumerate(pool[:n])]
            # Only the scored codes get a model here (the others keep their cue rules): the bench trains eight
            # times, and the unscored codes' models would change none of the scored numbers but the cap's choices.
            # As a round's retraining runs it (app.coder_training.fit_round): with 20-300 of the lead's answers
            # fitted with and without words' sense classes, kept as the lead's cross-validated evidence says.
            fit = coder_training.fit_round if ROUND else (lambda t, e, *a, **k: tc.train([*t, *e], *a, **k))
            data, _ = fit(shipped, lead, cues, segmenter(), c=c, k_folds=k_folds, only=SCORED, keep_inactive=True)
            if save is not None:
                save.mkdir(parents=True, exist_ok=True)
                tc.write(data, save / f"{name}-{n}.json")
        known = [c.id for c in catalog.codebook.codes]
        coder = build_coder(catalog.codebook, learned(data, known))
        # The same weights on every code they cover (as if the gate adopted them all): what the model has learnt.
        # The shipped file (n = 0) keeps adopted codes' weights only, so there it is the gated coder.
        everywhere = {**data, "codes": {c: {**g, "active": ACTIVE} if "a" in g else g
                                        for c, g in data["codes"].items()}}
        ungated = coder if n == 0 else build_coder(catalog.codebook, learned(everywhere, known))
        pg = [{h.code_id for h in coder.code(t, lang) if h.confidence >= 0.5} for t, _ in test]
        pu = [{h.code_id for h in ungated.code(t, lang) if h.confidence >= 0.5} for t, _ in test]
        point = {"labelled": n, "train_seconds": round(time.perf_counter() - t0, 1),
                 "gated": _f1(pg, gold), "ungated": _f1(pu, gold),
                 "test_kappa_model": _kappas(pu, gold),
                 "gate_kappa": {c: data["codes"].get(c, {}).get("kappa_lead_model") for c in SCORED},
                 "gate_ac1": {c: data["codes"].get(c, {}).get("ac1_lead_model") for c in SCORED},
                 "active": sorted(c for c in SCORED if data["codes"].get(c, {}).get("active") == ACTIVE),
                 "by_ac1": sorted(c for c in SCORED if data["codes"].get(c, {}).get("statistic") == "ac1"),
                 "senses_kept": (data.get("meta", {}).get("round_senses") or {}).get("chosen"),
                 "why": {c: data["codes"].get(c, {}).get("why", "") for c in SCORED}}
        out["points"].append(point)
        print(f"{name} n={n}: gated F1 {point['gated']['f1']:.3f} active {point['active']} "
              f"({point['train_seconds']} s)", flush=True)
    return out


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    quick = "--quick" in argv
    # --sizes=0,25: recompute only these points and merge them into the existing results (e.g. n=0 after the
    # shipped weights were retrained).
    only = next((tuple(int(x) for x in a.split("=", 1)[1].split(",")) for a in argv if a.startswith("--sizes=")), None)
    data_dir = Path(args[0]) if args else ROOT.parent / "shared" / "data"
    # --save=DIR writes each retrained model; --saved=DIR scores those instead of retraining (a run-time change).
    save = next((Path(a.split("=", 1)[1]) for a in argv if a.startswith("--save=")), None)
    saved = next((Path(a.split("=", 1)[1]) for a in argv if a.startswith("--saved=")), None)
    senses = next((a.split("=", 1)[1] for a in argv if a.startswith("--senses=")), "")
    coder_learn.SENSE_KINDS = tuple(x for x in senses.split(",") if x and x != "none")
    coder_learn.SENSE_ROUND_ONLY = "--round-senses" in argv
    global ROUND
    ROUND = "--no-round" not in argv and not coder_learn.SENSE_KINDS
    tag = next((a.split("=", 1)[1] for a in argv if a.startswith("--tag=")), "")
    stem = "coder_curve" + (f"_{tag}" if tag else "")
    catalog = load_catalog()
    train, _ = shipped_sets(catalog)
    results: dict[str, Any] = {"generated": date.today().isoformat(), "python": platform.python_version(),
                               "scored_codes": list(SCORED), "sizes": list(SIZES), "train_corpus": len(train),
                               "senses": list(coder_learn.SENSE_KINDS), "round_senses": coder_learn.SENSE_ROUND_ONLY,
                               "datasets": {}}
    # The shipped model's regularisation (chosen by cross-validation when it was trained): one fit per fold.
    reg = float(json.loads(tc.WEIGHTS_PATH.read_text(encoding="utf-8"))["meta"].get("c", 10.0))
    for name, lang, rows in available(data_dir):
        results["datasets"][name] = curve(name, rows, lang, train, catalog, c=reg,
                                          k_folds=3 if quick else 5, sizes=only or SIZES, save=save, saved=saved)
    if not results["datasets"]:
        print(f"no labelled data found in {data_dir}; results left as they were", file=sys.stderr)
        return 1
    out = ROOT / "bench" / "results"
    if only is not None and (out / f"{stem}.json").exists():
        old = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        for name, ds in results["datasets"].items():
            if name in old["datasets"]:
                kept = [p for p in old["datasets"][name]["points"] if p["labelled"] not in only]
                ds["points"] = sorted(kept + ds["points"], key=lambda p: p["labelled"])
        results["datasets"] = {**old["datasets"], **results["datasets"]}
    (out / f"{stem}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / f"{stem}.md").write_text(render(results), encoding="utf-8")
    print(render(results))
    return 0


def _k(k: float | None) -> str:
    return "—" if k is None else f"{k:.2f}"


def _active_cell(p: dict[str, Any]) -> str:
    """The adopted codes, "(AC1)" where the gate judged by Gwet's AC1, and whether the round kept sense classes."""
    ac1 = set(p.get("by_ac1", ()))
    cell = ", ".join(c + (" (AC1)" if c in ac1 else "") for c in p["active"]) or "—"
    kept = p.get("senses_kept")
    return cell + ("" if kept is None else "; senses kept" if kept else "; no senses")


def _kappa_cell(p: dict[str, Any]) -> str:
    """Each code's κ on test, and in brackets the statistic the gate decided by (AC1 for a code on nearly every
    answer, named so; κ otherwise)."""
    test, gate, ac1 = p.get("test_kappa_model", {}), p.get("gate_kappa", {}), p.get("gate_ac1", {})
    by_ac1 = set(p.get("by_ac1", ()))
    return ", ".join(f"{c} {_k(test.get(c))} ("
                     + (f"AC1 {_k(ac1.get(c))}" if c in by_ac1 else _k(gate.get(c))) + ")" for c in sorted(test))


def render(results: dict[str, Any]) -> str:
    lines = ["# Coder learning curve on public review data", "",
             f"Generated {results['generated']} with Python {results['python']} by `bench/coder_curve.py`. "
             f"Micro-F1 over the codes {', '.join(results['scored_codes'])} on a test part never trained on; "
             f"after n labelled answers the coder is retrained on the shipped corpus ({results['train_corpus']} "
             "answers) plus those n as the lead's codings, the adoption gate deciding per code"
             + (f"; retrained with words' sense classes ({', '.join(results['senses'])}"
                f"{', in the round copies only' if results.get('round_senses') else ''})" if results.get("senses")
                else "") + ".", ""]
    for name, ds in results["datasets"].items():
        lines += [f"## {name} ({ds['lang']}; test {ds['test_rows']} rows, pool {ds['pool_rows']})", "",
                  "| labelled answers | coder (gated) F1 | P | R | codes by model | model on every code F1 | "
                  "cues only F1 | label-word F1 | model κ per code on test (gate's estimate) |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for p in ds["points"]:
            g = p["gated"]
            lines.append(f"| {p['labelled']} | {g['f1']:.3f} | {g['precision']:.3f} | {g['recall']:.3f} | "
                         f"{_active_cell(p)} | {p['ungated']['f1']:.3f} | {ds['cues_only']['f1']:.3f} | "
                         f"{ds['label_word']['f1']:.3f} | {_kappa_cell(p)} |")
        if "test_kappa_cues" in ds:
            lines += ["", "Cue rules' κ per code on the test part: " + ", ".join(
                f"{c} {_k(k)}" for c, k in sorted(ds["test_kappa_cues"].items())) + "."]
        lines.append("")
    lines += ["The gate adopts the model for a code only where its κ on held-out labelled answers is ≥ 0.6 and not "
              "below the cue rule's (Gwet's AC1 instead of κ for a code the lead gave to 90% or more of their "
              "answers, marked (AC1): there κ stays near 0 for any coder); *model on every code* shows what the "
              "model would score without the gate. Its F1 is carried by the code on most reviews (MAMS food 73%, "
              "ASAP dish quality 96%). *senses kept*: the round's retraining kept words' sense classes (fitted "
              "with and without them between 20 and 300 answers, as `cna train coder --db` does).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
