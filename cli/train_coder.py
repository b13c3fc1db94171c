"""`cna train coder`: retrain the learned coder, gate each code by kappa, print held-out scores, write the weights."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from app import train_coder as tc
from app.catalog import load_catalog
from app.coder import build_coder, learned
from app.coder_humans import load_second_coding, second_coding_files
from app.coder_humans import report as humans_report
from app.coder_training import Training, retrain, train_from
from cli.common import friendly, open_db, run
from core.coder_model import ACTIVE
from core.coding import Coder
from core.script_parse import ScriptError

RESULTS = Path("bench/results/coder_heldout.json")


def _f(v: float | None) -> str:
    return "  —  " if v is None else f"{v:5.2f}"


def _scores(t: Training, catalog: Any) -> dict[str, Any]:
    model = learned(t.data, (c.id for c in catalog.codebook.codes))
    coder, cues = build_coder(catalog.codebook, model), Coder(catalog.codebook)
    out = {"coder": tc.evaluate(coder, t.heldout), "cues": tc.evaluate(cues, t.heldout)}
    files = second_coding_files()
    if files:
        codes = [c.id for c in catalog.codebook.codes]
        second = load_second_coding(files, t.heldout, codes)
        out["humans"] = humans_report(t.heldout, second, codes, {"coder": coder, "cues": cues})
    return out


def _say_humans(say: Any, humans: dict[str, Any]) -> None:
    """Against two people: their own agreement (the ceiling against one person) and the coder against each."""
    say("Heldout split coded by a second person (micro-F1; kappa pooled over answer x code decisions):")
    for lang, r in humans.items():
        h = r["human_vs_human"]
        say(f"  {lang} ({r['answers']} answers): person 2 vs person 1 {h['f1']:.3f} (kappa {h['kappa']['pooled']})")
        for name in ("coder", "cues"):
            c = r[name]
            say(f"    {name:<6} vs person 1 {c['vs_coder1']['f1']:.3f}   vs person 2 {c['vs_coder2']['f1']:.3f}   "
                f"on agreed decisions {c['on_agreed']['f1']:.3f}   lenient {c['lenient']['f1']:.3f}")


async def _retrain(db_url: str | None, catalog: Any, c: float | None, folds: int) -> Training:
    db = await open_db(db_url, create=False)
    try:
        return await retrain(db, catalog, by="cna train coder", c=c, k_folds=folds)
    finally:
        await db.close()


@click.command("coder")
@click.option("--db", "db_url", metavar="URL", default=None,
              help="Also learn from the lead's finished codings in this database, and store the model there "
                   "(sqlite:///cna.db or postgresql://…).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the weights (default: the shipped interview_scripts/coder.json, and with --db "
                   "none: a file is out of erasure's reach, the stored model is not).")
@click.option("--keep-shipped", is_flag=True, help="Store the model in the database only; write no weights file.")
@click.option("--results", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=f"Also write the scores as JSON here (e.g. {RESULTS}).")
@click.option("--c", "reg", type=click.FloatRange(min=0.001, max=1000.0), default=None,
              help="Regularisation C of the logistic regressions (default: the best of 3, 10, 30 on held-out folds).")
@click.option("--folds", type=click.IntRange(2, 10), default=tc.K_FOLDS, show_default=True,
              help="Held-out folds for the calibration and the gate: fewer train faster (each fold is a fit on the "
                   "rest), with a noisier gate; the shipped weights use the default.")
@click.option("--quiet", is_flag=True, help="Print nothing (background retraining).")
@friendly
def train_coder(db_url: str | None, out: Path | None, keep_shipped: bool, results: Path | None, reg: float | None,
                folds: int, quiet: bool) -> None:
    """Train the coder on the corpus's train split (and a database's finished codings), score the heldout split.

    Per code, the model replaces the cue rule only where its kappa on held-out folds (and with the lead's
    decisions) is at least 0.6 and not below the cue rule's. interview_scripts/corpus/coder/heldout.*.jsonl
    is never used for training."""
    say = (lambda *_a, **_k: None) if quiet else click.echo
    try:
        catalog = load_catalog(shipped_coder=False)
        if not tc.corpus_files("train"):
            raise click.ClickException(f"no training answers in {tc.CORPUS_DIR}/train.*.jsonl")
        say("Training the coder …")
        t = run(_retrain(db_url, catalog, reg, folds)) if db_url else train_from(catalog, c=reg, k_folds=folds)
    except (ScriptError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    meta = t.data["meta"]
    say(f"Model {meta['id']}: {len(t.train)} corpus answers + {t.lead} lead answers"
        + (" (stored in the database)" if db_url else ""))
    rs = meta.get("round_senses")
    if rs:  # a round with few codings: fitted with and without words' sense classes, the lead's folds chose
        say(f"Sense classes ({', '.join(rs['kinds'])}): {'kept' if rs['chosen'] else 'not kept'} (the lead's mean "
            f"cross-validated kappa {rs['lead_kappa_without']} without, {rs['lead_kappa_with']} with)")
    # With --db the model learned from people's answers: it lives in the database, where erasing one of them
    # deletes it (docs/privacy.md); a file only where asked for.
    if not keep_shipped and (out is not None or not db_url):
        target = out or tc.WEIGHTS_PATH
        tc.write(t.data, target)
        say(f"Weights written to {target}")
    if quiet:
        return
    scores = _scores(t, catalog) if t.heldout else {}
    say("\nHeld-out folds of the training data (micro-F1):")
    for lang, s in t.report["folds"].items():
        say(f"  {lang}: coder {s['coder']['f1']:.3f}   cues only {s['cues']['f1']:.3f}")
    if scores:
        say("Heldout split, never trained on (micro-F1, precision, recall):")
        for lang in scores["coder"]:
            c, q = scores["coder"][lang], scores["cues"][lang]
            say(f"  {lang} ({c['answers']} answers): coder {c['f1']:.3f} (P {c['precision']:.3f}, R {c['recall']:.3f})"
                f"   cues only {q['f1']:.3f} (P {q['precision']:.3f}, R {q['recall']:.3f})")
        if scores.get("humans"):
            _say_humans(say, scores["humans"])
    say(f"\n{'code':<22}{'active':>7}{'κ model':>9}{'κ cues':>8}{'κ lead/m':>9}{'κ lead/c':>9}{'n':>5}  why")
    for code, g in t.data["codes"].items():
        say(f"{code:<22}{g['active']:>7}{_f(g.get('kappa_model')):>9}{_f(g.get('kappa_cues')):>8}"
            f"{_f(g.get('kappa_lead_model')):>9}{_f(g.get('kappa_lead_cues')):>9}{g.get('positives', 0):>5}  "
            f"{g.get('why', '')}")
    n_active = sum(1 for g in t.data["codes"].values() if g["active"] == ACTIVE)
    rest = len(t.data["codes"]) - n_active
    say(f"\nThe model decides {n_active} of {len(t.data['codes'])} codes; "
        + (f"the cue rules decide the other {rest}." if rest else "none is left to the cue rules."))
    if results:
        results.parent.mkdir(parents=True, exist_ok=True)
        out = {"meta": meta, "train_size": len(t.train), "lead_answers": t.lead, "heldout_size": len(t.heldout),
               "folds": t.report["folds"], "heldout": scores,
               "codes": {c: {k: v for k, v in g.items() if k not in ("a", "b")} for c, g in t.data["codes"].items()},
               "pairs": t.data["pairs"], "cap": t.data["cap"]}
        results.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        results.with_suffix(".md").write_text(results_markdown(out), encoding="utf-8")
        say(f"Scores written to {results} and {results.with_suffix('.md').name}")


def results_markdown(r: dict[str, Any]) -> str:
    """The scores as a page for bench/results: the issue's target (the heldout writer's codes) and, beside it,
    the human ceiling and the coder against the second person and their agreement."""
    m = r["meta"]
    lines = ["# The learned coder on the heldout split", "",
             f"`cna train coder --results` (model {m['id']}, trained {m['trained']} UTC on {r['train_size']} "
             f"answers, C {m.get('c')}). Micro-F1 (precision / recall); the heldout split is never trained or "
             "tuned on. docs/coding.md defines the columns.", "",
             "| | answers | coder vs person 1 (the target) | cue rules | held-out folds: coder / model on every "
             "code / cues |", "|---|---|---|---|---|"]
    for lang, c in r["heldout"]["coder"].items():
        q, f = r["heldout"]["cues"][lang], r["folds"][lang]
        lines.append(f"| {lang} | {c['answers']} | **{c['f1']:.3f}** ({c['precision']:.3f} / {c['recall']:.3f}) | "
                     f"{q['f1']:.3f} ({q['precision']:.3f} / {q['recall']:.3f}) | {f['coder']['f1']:.3f} / "
                     f"{f['model_everywhere']['f1']:.3f} / {f['cues']['f1']:.3f} |")
    humans = r["heldout"].get("humans") or {}
    if humans:
        lines += ["", "| | person 2 vs person 1 (kappa) | coder vs person 2 | coder on agreed decisions | "
                  "coder lenient | coder kappa vs person 1 | cue rules on agreed decisions |",
                  "|---|---|---|---|---|---|---|"]
        for lang, h in humans.items():
            hh, c, q = h["human_vs_human"], h["coder"], h["cues"]
            lines.append(f"| {lang} | **{hh['f1']:.3f}** ({hh['kappa']['pooled']}) | {c['vs_coder2']['f1']:.3f} | "
                         f"{c['on_agreed']['f1']:.3f} | {c['lenient']['f1']:.3f} | {c['kappa_vs_coder1']['pooled']} | "
                         f"{q['on_agreed']['f1']:.3f} |")
    active = [c for c, g in r["codes"].items() if g["active"] == ACTIVE]
    lines += ["", f"The model decides {len(active)} of {len(r['codes'])} codes: {', '.join(active)}.", ""]
    return "\n".join(lines)
