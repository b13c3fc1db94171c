"""The learner at small label counts, measured on the labelling pool only (never the learning curve's test part).

Usage: .venv/bin/python bench/coder_small_n.py [--n 100] [--round-scale 1,3] [--senses c4,c5,l,h] [--sense-scale X]
       [--round-senses] [--sets mams,asap] [--tag NAME] [DATA_DIR]
Writes bench/results/coder_small_n.json and .md (with --tag: coder_small_n_NAME.*).

For development of the learner (issue 19): bench/coder_curve.py's pool of each public set (MAMS en, ASAP zh) is
split again: its first n answers are the lead's codings, the rest of the pool scores the model. The curve's test
part is not read, so a setting chosen here is not chosen on what the curve reports.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import coder_learn, coder_rules  # noqa: E402
from app import train_coder as tc  # noqa: E402
from app.catalog import load_catalog  # noqa: E402
from app.coder import build_coder, learned, segmenter  # noqa: E402
from app.coder_training import shipped_sets  # noqa: E402
from bench.coder_curve import TEST, _f1, _kappas  # noqa: E402
from bench.coder_eval import SCORED, available  # noqa: E402
from core.coder_fit import micro_f1  # noqa: E402
from core.coder_model import ACTIVE  # noqa: E402
from core.coding import Coder  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def pool_of(name: str, rows: list[tuple[str, set[str]]]) -> list[tuple[str, set[str]]]:
    """The curve's labelling pool (the same seeded split as bench/coder_curve.py; its test part is dropped)."""
    order = list(range(len(rows)))
    random.Random(19).shuffle(order)
    return [rows[i] for i in order[TEST[name]:]]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--round-scale", default="1")
    ap.add_argument("--c", type=float, default=10.0)
    ap.add_argument("--senses", default="none", help="sense-class kinds (app.coder_learn.SENSE_KINDS), or none")
    ap.add_argument("--sense-scale", type=float, default=coder_learn.SENSE_SCALE)
    ap.add_argument("--round-senses", action="store_true", help="the sense block in the round's copies only")
    ap.add_argument("--sets", default="", help="only the data sets whose file names contain one of these")
    ap.add_argument("--tag", default="")
    args = ap.parse_args(argv[1:])
    coder_learn.SENSE_KINDS = tuple(x for x in args.senses.split(",") if x and x != "none")
    coder_learn.SENSE_SCALE = args.sense_scale
    coder_learn.SENSE_ROUND_ONLY = args.round_senses
    sets = [x for x in args.sets.split(",") if x]
    catalog = load_catalog(shipped_coder=False)
    train, _ = shipped_sets(catalog)  # the heldout split is not used
    known = [c.id for c in catalog.codebook.codes]
    out: dict[str, Any] = {"generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
                           "python": platform.python_version(), "n": args.n, "c": args.c,
                           "senses": list(coder_learn.SENSE_KINDS), "sense_scale": args.sense_scale,
                           "round_senses": args.round_senses, "runs": []}
    for name, lang, rows in available(Path(args.data)):
        if sets and not any(x in name for x in sets):
            continue
        pool = pool_of(name, rows)
        lead_rows, score = pool[:args.n], pool[args.n:]
        gold = [g for _, g in score]
        cues = Coder(catalog.codebook)
        lead = [tc.Labelled(f"{name}-{i}", lang, t, frozenset(g), (), lead=True) for i, (t, g) in enumerate(lead_rows)]
        for scale in (float(s) for s in args.round_scale.split(",")):
            coder_rules.ROUND_SCALE = scale
            t0 = time.perf_counter()
            data, _ = tc.train(train + lead, Coder(catalog.codebook), segmenter(), c=args.c, only=SCORED,
                               keep_inactive=True)
            everywhere = {**data, "codes": {c: {**g, "active": ACTIVE} if "a" in g else g
                                            for c, g in data["codes"].items()}}
            gated = build_coder(catalog.codebook, learned(data, known))
            ungated = build_coder(catalog.codebook, learned(everywhere, known))
            pg = [{h.code_id for h in gated.code(t, lang) if h.confidence >= 0.5} for t, _ in score]
            pu = [{h.code_id for h in ungated.code(t, lang) if h.confidence >= 0.5} for t, _ in score]
            pc = [{h.code_id for h in cues.code(t, lang) if h.confidence >= 0.5} for t, _ in score]
            run = {"data": name, "round_scale": scale, "scored": len(score), "gated": _f1(pg, gold)["f1"],
                   "ungated": _f1(pu, gold)["f1"], "kappa": _kappas(pu, gold),
                   "kappa_gated": _kappas(pg, gold), "kappa_cues": _kappas(pc, gold),
                   "f1_code": {c: round(micro_f1(pu, gold, {c})["f1"], 3) for c in SCORED},
                   "f1_code_gated": {c: round(micro_f1(pg, gold, {c})["f1"], 3) for c in SCORED},
                   "gate": {c: data["codes"].get(c, {}).get("kappa_lead_model") for c in SCORED},
                   "active": sorted(c for c in SCORED if data["codes"].get(c, {}).get("active") == ACTIVE),
                   "seconds": round(time.perf_counter() - t0, 1)}
            out["runs"].append(run)
            print(json.dumps(run), flush=True)
    stem = "coder_small_n" + (f"_{args.tag}" if args.tag else "")
    (RESULTS / f"{stem}.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    lines = ["# The learner at small label counts (pool only)", "",
             f"Generated {out['generated']} by `bench/coder_small_n.py` (n = {args.n} lead answers, C {args.c}; "
             f"sense classes: {', '.join(out['senses']) or 'none'}"
             f"{' in the round copies only' if args.round_senses else ''}, scale {args.sense_scale:g}); "
             "scored on the rest of bench/coder_curve.py's labelling pool, never its test part.", "",
             "| data | round scale | gated F1 | model on every code F1 | κ per code (gate's estimate) | "
             "F1 per code (model) | cues' κ | adopted |",
             "|---|---|---|---|---|---|---|---|"]
    for r in out["runs"]:
        ks = ", ".join(f"{c} {r['kappa'][c]} ({r['gate'][c]})" for c in sorted(r["kappa"]))
        fs = ", ".join(f"{c} {r['f1_code'][c]}" for c in sorted(r["f1_code"]))
        kc = ", ".join(f"{c} {r['kappa_cues'][c]}" for c in sorted(r["kappa_cues"]))
        lines.append(f"| {r['data']} | {r['round_scale']} | {r['gated']:.3f} | {r['ungated']:.3f} | {ks} | {fs} | "
                     f"{kc} | {', '.join(r['active']) or '—'} |")
    (RESULTS / f"{stem}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
