"""Score a coder weights file on a new labelled batch it never saw (a fair unseen-writer number), before training on it.

Usage: .venv/bin/python bench/coder_unseen_batch.py BATCH.jsonl [BATCH2.jsonl ...] [--weights FILE] [--out NAME]
Writes bench/results/NAME.json and .md (default coder_unseen_batch). Each answer is coded with its question's code
hints (as the corpus is) and with none (as `cna code` codes a pasted answer); micro-F1 per language. Run it once on
a new batch before the batch joins the training splits: afterwards the number is no longer a fair one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import train_coder as tc  # noqa: E402
from app.catalog import load_catalog  # noqa: E402
from app.coder import build_coder, learned  # noqa: E402
from core import coding  # noqa: E402
from core.coding import Coder  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def _cell(r: dict[str, Any]) -> str:
    return f"{r['f1']:.3f} ({r['precision']:.2f} / {r['recall']:.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("batches", type=Path, nargs="+")
    ap.add_argument("--weights", type=Path, default=tc.WEIGHTS_PATH)
    ap.add_argument("--out", default="coder_unseen_batch")
    args = ap.parse_args()
    catalog = load_catalog(shipped_coder=False)
    known = [c.id for c in catalog.codebook.codes]
    answers = tc.load_corpus(args.batches, catalog.scripts, known)
    data = json.loads(args.weights.read_text(encoding="utf-8"))
    coder = build_coder(catalog.codebook, learned(data, known))
    cues = Coder(catalog.codebook)
    plain = [replace(a, hints=()) for a in answers]
    res = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "python": platform.python_version(),
           "model": data["meta"].get("id"), "trained_answers": data["meta"].get("examples"),
           "batches": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in args.batches},
           "with_hints": tc.evaluate(coder, answers), "no_question": tc.evaluate(coder, plain),
           "cues": tc.evaluate(cues, answers)}
    # The same weights judging pairs and cue-hit codes on the whole answer only.
    shipped, coding.CLAUSES = coding.CLAUSES, frozenset()
    res["with_hints_no_clauses"], res["no_question_no_clauses"] = tc.evaluate(coder, answers), tc.evaluate(coder, plain)
    coding.CLAUSES = shipped
    langs = sorted(res["with_hints"])
    lines = [f"# The coder on a batch it never saw ({', '.join(res['batches'])})", "",
             f"Generated {res['date']} with Python {res['python']} by `bench/coder_unseen_batch.py`: model "
             f"{res['model']} scored once on the batch before it was trained on (sha256 "
             + ", ".join(f"{k} {v}" for k, v in res["batches"].items()) + "). Micro-F1 (precision / recall).", "",
             "| lang | answers | coder, with the question's hints | coder, no question | the same without clauses: "
             "hints / no question | cue rules only |",
             "|---|---|---|---|---|---|"]
    for lang in langs:
        lines.append(f"| {lang} | {res['with_hints'][lang]['answers']} | {_cell(res['with_hints'][lang])} | "
                     f"{_cell(res['no_question'][lang])} | {res['with_hints_no_clauses'][lang]['f1']:.3f} / "
                     f"{res['no_question_no_clauses'][lang]['f1']:.3f} | {_cell(res['cues'][lang])} |")
    text = "\n".join([*lines, ""])
    (RESULTS / f"{args.out}.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    (RESULTS / f"{args.out}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
