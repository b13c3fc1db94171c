"""Writer-aware estimates of the judge: leave one train file (one writer's batch) out, and fit folds in parallel."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import train_prober as tp
from app.judge_fit import fit
from core.judge import CLASSES, Weights, predict, predict_with_block
from core.probing import RuleProber

# The rows every worker fits from: set before the pool forks, so each worker inherits them instead of being sent
# a few MB of features per task.
_ROWS: list[tuple[dict[str, float], str]] = []
_SENSES: list[dict[str, float]] = []  # each row's sense classes, for the sense block (empty: no block)


def _fit_without(held: frozenset[int]) -> tuple[Weights, Weights]:
    rows = [r for i, r in enumerate(_ROWS) if i not in held]
    weights = fit(rows, CLASSES)
    if not _SENSES:
        return weights, {}
    return weights, tp.fit_sense_block(rows, [k for i, k in enumerate(_SENSES) if i not in held], weights)


def fit_many(rows: list[tuple[dict[str, float], str]], held_out: Sequence[frozenset[int]],
             jobs: int = 1, senses: Sequence[dict[str, float]] = ()) -> list[tuple[Weights, Weights]]:
    """One model per held-out set, each fitted on every other row, with its sense block when the rows' `senses`
    are given; `jobs` > 1 fits them in forked workers (the same arithmetic, so the same weights, as fitting one
    after another)."""
    global _ROWS, _SENSES
    _ROWS, _SENSES = rows, list(senses)
    try:
        if jobs <= 1 or len(held_out) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [_fit_without(h) for h in held_out]
        with multiprocessing.get_context("fork").Pool(min(jobs, len(held_out))) as pool:
            return pool.map(_fit_without, held_out, chunksize=1)
    finally:
        _ROWS, _SENSES = [], []


def default_jobs() -> int:
    """Workers for cross-validation: one per core the process may use, at most 4 (each holds the features)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


@dataclass
class ByFile:
    """Leave-one-file-out scores: per held-out file, and pooled over every file."""

    files: dict[str, tp.Scores] = field(default_factory=dict)
    pooled: tp.Scores = field(default_factory=tp.Scores)


def by_file(parts: Mapping[str, Sequence[tp.Example]], prober: RuleProber, jobs: int = 1,
            senses: bool = False, sense_block: bool = True) -> ByFile:
    """Each train file (one writer's batch) judged by a model fitted on all the other files.

    One writer's answers resemble each other, so random folds, which keep some of a writer's answers in training,
    are optimistic about a writer nobody has seen: this estimate is not. `senses`: the models also learn the sense
    classes of the answers' words (tp._features); `sense_block`: each model has the sense block the shipped one has
    (tp.fit_sense_block)."""
    if len(parts) < 2:
        raise ValueError(f"leave-one-file-out needs at least two train files, not {len(parts)}")
    names = list(parts)
    examples = [ex for name in names for ex in parts[name]]
    rows = [(tp._features(prober, ex, senses), ex.label) for ex in examples]
    ks = [tp.sense_row(ex) for ex in examples] if sense_block else []
    spans: list[frozenset[int]] = []
    start = 0
    for name in names:
        spans.append(frozenset(range(start, start + len(parts[name]))))
        start += len(parts[name])
    out = ByFile()
    for name, held, (weights, block) in zip(names, spans, fit_many(rows, spans, jobs, ks), strict=True):
        scores = out.files[name] = tp.Scores()
        for i in sorted(held):
            got = predict_with_block(weights, block, {**rows[i][0], **ks[i]}) if block else predict(weights, rows[i][0])
            scores.add(examples[i], got)
            out.pooled.add(examples[i], got)
    return out


def cross_validate(examples: Sequence[tp.Example], prober: RuleProber, k: int = 5, seed: int = 13,
                   jobs: int = 1, senses: bool = False, sense_block: bool = True) -> tp.Scores:
    """tp.cross_validate with the folds fitted in `jobs` workers (and, with `sense_block`, each fold's sense block)."""
    if k < 2 or k > len(examples):
        raise ValueError(f"--cv needs between 2 and {len(examples)} folds, not {k}")
    rows = [(tp._features(prober, ex, senses), ex.label) for ex in examples]
    ks = [tp.sense_row(ex) for ex in examples] if sense_block else []
    folds = tp.folds(examples, k, seed)
    scores = tp.Scores()
    for fold, (weights, block) in zip(folds, fit_many(rows, [frozenset(f) for f in folds], jobs, ks), strict=True):
        for i in fold:
            scores.add(examples[i], predict_with_block(weights, block, {**rows[i][0], **ks[i]}) if block
                       else predict(weights, rows[i][0]))
    return scores


def load_parts(paths: Sequence[Path], scripts: Mapping[Any, Any]) -> dict[str, list[tp.Example]]:
    """The examples of each file, by the file's name (its folder too when two files share a name)."""
    names = [p.name for p in paths]
    return {(p.name if names.count(p.name) == 1 else str(p)): tp.load_corpus([p], scripts) for p in paths}
