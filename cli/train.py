"""`cna train prober`: retrain the specificity judge on the probe corpus (and the leads' marks) and score it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from app import prober_by_file as pbf
from app import train_prober as tp
from app.catalog import load_catalog
from cli.common import db_option, friendly, open_db, run
from cli.train_coder import train_coder
from core.judge import CLASSES, RUNGS
from core.script_parse import ScriptError

RESULTS = Path("bench/results/probe_judge.json")



@click.group()
def train() -> None:
    """Retrain the models that read answers (the prober's specificity judge, the coder)."""


train.add_command(train_coder)


def _pct(cell: dict[str, Any]) -> str:
    return "     -      " if cell["rate"] is None else f"{cell['rate'] * 100:5.1f}% ({cell['n']:>3})"


def _print_table(title: str, rows: dict[str, tp.Scores]) -> None:
    click.echo(f"\n{title}")
    click.echo(f"{'':14}" + "".join(f"{c:>14}" for c in CLASSES))
    for lang in ("en", "zh"):
        for name, scores in rows.items():
            table = scores.table().get(lang)
            if table:
                click.echo(f"{lang} {name:<11}" + "".join(f"{_pct(table[c]):>14}" for c in CLASSES))


async def _feedback(url: str | None, scripts: Any) -> list[tp.Example]:
    from storage.review.probe_marks import marked_examples

    db = await open_db(url, create=False)
    try:
        async with db.uow() as uow:
            return [tp.Example(f"mark-{m.answer_id}", m.lang, m.text, m.label,
                               tp.Context(depth=m.depth, closing=m.closing, audience=m.audience,
                                          question=m.question))
                    for m in await marked_examples(uow.session, scripts)]
    finally:
        await db.close()


def _print_misses(title: str, scores: tp.Scores, n: int) -> None:
    if n:
        click.echo(f"\n{title} (first {n} of {len(scores.misses)}):")
        for ex_id, expected, got, text in scores.misses[:n]:
            click.echo(f"  {ex_id}: {expected} → {got}: {text[:110]}")


def _train_parts(extra: tuple[Path, ...]) -> tuple[Any, dict[str, list[tp.Example]]]:
    """The catalog and the train split's files (plus `--with` files), each file's answers apart."""
    try:
        catalog = load_catalog()
        return catalog, pbf.load_parts([*tp.corpus_files("train"), *extra], catalog.scripts)
    except (ScriptError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


def _lowest(scores: tp.Scores) -> None:
    worst = min((r, lang, c) for lang in ("en", "zh") for c in CLASSES if (r := scores.rate(lang, c)) is not None)
    click.echo(f"\nLowest cell: {worst[1]} {worst[2]} {worst[0] * 100:.1f}%")


def _cross_validate(k: int, misses: int, extra: tuple[Path, ...], jobs: int, senses: bool = False,
                    sense_block: bool = True) -> None:
    catalog, parts = _train_parts(extra)
    train_set = [ex for part in parts.values() for ex in part]
    click.echo(f"{k}-fold cross-validation on the train split ({len(train_set)} answers) …")
    try:
        scores = pbf.cross_validate(train_set, catalog.prober.with_judge(None), k, jobs=jobs, senses=senses,
                                    sense_block=sense_block)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    _print_table(f"Train split, {k}-fold cross-validation: share handled right (n)", {"judge": scores})
    _lowest(scores)
    _print_misses("Train-split answers cross-validation gets wrong", scores, misses)
    rungs = tp.rung_cross_validate(train_set, catalog.prober.with_judge(None), k)
    click.echo(f"\nRungs of surface and specific answers, {k}-fold cross-validation: share read right (n)")
    click.echo(f"{'':5}" + "".join(f"{r:>14}" for r in RUNGS) + f"{'macro':>9}")
    for lang in ("en", "zh"):
        cells = [(rungs.rate(lang, r), rungs.total.get((lang, r), 0)) for r in RUNGS]
        macro = rungs.macro(lang)
        click.echo(f"{lang:<5}" + "".join("     -      " if rate is None else f"{rate * 100:7.1f}% ({n:>4})"
                                          for rate, n in cells)
                   + ("" if macro is None else f"{macro * 100:8.1f}%"))


def _by_file(misses: int, extra: tuple[Path, ...], jobs: int, senses: bool = False, sense_block: bool = True) -> None:
    catalog, parts = _train_parts(extra)
    click.echo(f"Leave one file out on the train split ({len(parts)} files, "
               f"{sum(len(p) for p in parts.values())} answers): each file judged by a model fitted on the others …")
    try:
        result = pbf.by_file(parts, catalog.prober.with_judge(None), jobs, senses, sense_block)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    _print_table("Held-out file: share handled right (n)", result.files)
    _print_table("All files pooled, each read by a model that never saw its writer", {"pooled": result.pooled})
    _lowest(result.pooled)
    _print_misses("Train-split answers a model without their file gets wrong", result.pooled, misses)


@train.command("prober")
@click.option("--include-feedback", is_flag=True,
              help="Also learn from the leads' marks in the review app (should have probed / needless follow-up).")
@db_option
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the weights (default: the shipped interview_scripts/judge.json).")
@click.option("--results", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=f"Also write the scores as JSON here (e.g. {RESULTS}).")
@click.option("--cv", "cv", type=click.IntRange(2, 50), default=None,
              help="Cross-validate on the train split with this many folds and print the scores; "
                   "writes nothing and never reads the test split (for choosing features and settings).")
@click.option("--by-file", "by_file", is_flag=True,
              help="Leave one train file out at a time (one writer's batch) and print each file's and the pooled "
                   "scores: a writer-aware estimate; writes nothing and never reads the test split.")
@click.option("--with", "extra", type=click.Path(path_type=Path, exists=True, dir_okay=False), multiple=True,
              help="With --cv or --by-file: count this labelled file as part of the train split for the run "
                   "(to see what a batch waiting in pending/ would do). Repeatable.")
@click.option("--jobs", type=click.IntRange(1, 8), default=None,
              help="Fit the folds of --cv / --by-file in this many processes (default: the cores, at most 4).")
@click.option("--train-only", "train_only", is_flag=True,
              help="Train and write the weights without opening the test split (for whoever may not read it); "
                   "prints the train split's scores only.")
@click.option("--senses", is_flag=True,
              help="Also learn the sense classes (Cilin, WordNet) of the answers' words: measured in issue 13's sense "
                   "round and not shipped, as it cost dev respondents floors (docs/probing.md).")
@click.option("--sense-block/--no-sense-block", "sense_block", default=True, show_default=True,
              help="The sense block behind the class model (read only for answers it did not find specific, moving "
                   "only surface, stop and don't-know; issue 13's new-writers round, shipped). --no-sense-block: "
                   "the class model alone, as before that round.")
@click.option("--misses", type=click.IntRange(0, 400), default=0, show_default=True,
              help="Show this many train-split answers the judge handles wrongly (with --cv / --by-file: wrongly "
                   "there). Test-split answers are never listed: reading them invites tuning on them.")
@friendly
def train_prober(include_feedback: bool, db_url: str | None, out: Path | None, results: Path | None,
                 cv: int | None, by_file: bool, extra: tuple[Path, ...], jobs: int | None, train_only: bool,
                 senses: bool, sense_block: bool, misses: int) -> None:
    """Train the judge on the corpus's train split and print both splits' scores, beside the rules alone.

    The test files (interview_scripts/corpus/probe/test*.jsonl, each written by someone who never saw the
    judge's features) are never used for training; their scores print together and file by file."""
    if extra and cv is None and not by_file:
        raise click.UsageError("--with only goes with --cv or --by-file (the shipped model trains on the train "
                               "split alone)")
    if train_only and (results or by_file or cv is not None):
        raise click.UsageError("--train-only writes the weights alone: not with --results, --cv or --by-file")
    workers = jobs or pbf.default_jobs()
    if by_file:
        _by_file(misses, extra, workers, senses, sense_block)
    if cv is not None:
        _cross_validate(cv, misses, extra, workers, senses, sense_block)
    if by_file or cv is not None:
        return
    try:
        catalog = load_catalog()
        train_set = tp.load_corpus(tp.corpus_files("train"), catalog.scripts)
        test_sets = {} if train_only else {p.name: tp.load_corpus([p], catalog.scripts)
                                           for p in tp.corpus_files("test")}
    except (ScriptError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if not train_set:
        raise click.ClickException(f"no training answers in {tp.CORPUS_DIR}/train*.jsonl")
    test_set = [ex for part in test_sets.values() for ex in part]
    feedback = run(_feedback(db_url, catalog.scripts)) if include_feedback else []
    rules = catalog.prober.with_judge(None)
    click.echo(f"Training on {len(train_set)} answers"
               + (f" and {len(feedback)} marks from the review app" if include_feedback else "") + " …")
    data = tp.train(train_set, rules, feedback, senses, sense_block)
    target = out or tp.WEIGHTS_PATH
    target.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                      encoding="utf-8")
    judged = tp.judged(rules, data)
    splits = {"train": train_set, **({} if train_only else {"test": test_set}),
              **(test_sets if len(test_sets) > 1 else {})}
    scores = {name: {split: tp.evaluate(prober, examples) for split, examples in splits.items()}
              for name, prober in (("judge", judged), ("rules", rules))}
    _print_table(f"Train split ({len(train_set)} answers): share handled right (n)",
                 {name: s["train"] for name, s in scores.items()})
    if not train_only:
        _print_table(f"Test split ({len(test_set)} answers, never trained on): share handled right (n)",
                     {name: s["test"] for name, s in scores.items()})
    for split in sorted(splits.keys() - {"train", "test"}):
        _print_table(f"  of which {split} ({len(splits[split])} answers)",
                     {name: s[split] for name, s in scores.items()})
    _print_misses("Train-split answers the judge handles wrongly", scores["judge"]["train"], misses)
    click.echo(f"\nWeights written to {target}")
    if results:
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps({
            "train_size": len(train_set), "test_size": len(test_set),
            "test_files": {name: len(part) for name, part in test_sets.items()}, "feedback": len(feedback),
            "meta": data["meta"],
            "scores": {name: {split: sc.table() for split, sc in s.items()} for name, s in scores.items()},
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        click.echo(f"Scores written to {results}")

