"""Training the learned coder in pure Python: one-vs-rest logistic regression, Platt scaling, kappa per code."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import add, sub

from core.agreement import Table

Features = Mapping[str, float]


@dataclass(frozen=True)
class Example:
    """One labelled answer as features, its codes, and how much it counts (a lead's decision counts more)."""

    features: Features
    codes: frozenset[str]
    weight: float = 1.0


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def fit_ovr(examples: Sequence[Example], codes: Sequence[str], *, epochs: int = 6, rate: float = 4.0,
            l2: float = 2e-3, positive_weight: float = 3.0, min_df: int = 2, average: bool = True,
            seed: int = 7) -> dict[str, list[float]]:
    """One logistic regression per code, trained together by SGD: feature -> one weight per code.

    All codes share one pass over the answers: an answer's weight rows are summed once (C-level `map`) for
    every code's score, which keeps pure Python fast enough for a few thousand answers. Positives are
    up-weighted (each code is rare); Platt scaling later maps scores back to honest probabilities. Features
    seen in fewer than `min_df` answers are left out: they can only memorise. With `average`, the result is
    the mean of the weights after each epoch of the second half (averaged SGD: steadier than the last step)."""
    df = Counter(f for ex in examples for f in ex.features)
    keep = [[f for f in ex.features if df[f] >= min_df] for ex in examples]
    n_codes = len(codes)
    index = {c: i for i, c in enumerate(codes)}
    weights: dict[str, list[float]] = {}
    order = list(range(len(examples)))
    rng = random.Random(seed)
    zero = [0.0] * n_codes
    targets = []
    for ex in examples:
        y = [0.0] * n_codes
        for c in ex.codes:
            if c in index:
                y[index[c]] = 1.0
        targets.append(y)
    shrink = 1.0 - l2
    summed: dict[str, list[float]] = {}
    n_summed = 0
    for epoch in range(epochs):
        rng.shuffle(order)
        lr = rate / (1.0 + 0.3 * epoch)
        for k in order:
            ex, y = examples[k], targets[k]
            feats = keep[k]
            rows = [weights.get(f) or zero for f in feats]
            # The column sums of the answer's weight rows: every code's score in one C-level pass.
            score = list(map(sum, zip(*rows, strict=True))) if rows else zero
            # Normalised by the answer's feature count: with ~100 binary features a plain step would move the
            # score ~100 times too far and oscillate.
            lr_n = lr * ex.weight / len(feats)
            step = [lr_n * (sigmoid(s) - t) * (positive_weight if t else 1.0) for s, t in zip(score, y, strict=True)]
            for f, r in zip(feats, rows, strict=True):
                v = ex.features[f]
                weights[f] = list(map(sub, r, step)) if v == 1.0 else [w - g * v for w, g in zip(r, step, strict=True)]
        for f, r in weights.items():
            if f != "bias":
                weights[f] = [w * shrink for w in r]
        if average and epoch >= epochs // 2:
            for f, r in weights.items():
                acc = summed.get(f)
                summed[f] = list(map(add, acc, r)) if acc is not None else list(r)
            n_summed += 1
    if not average or not n_summed:
        return weights
    return {f: [w / n_summed for w in r] for f, r in summed.items()}


def scores(weights: Mapping[str, Sequence[float]], features: Features, n_codes: int) -> list[float]:
    acc = [0.0] * n_codes
    for f, v in features.items():
        r = weights.get(f)
        if r is not None:
            acc = list(map(add, acc, r)) if v == 1.0 else [a + w * v for a, w in zip(acc, r, strict=True)]
    return acc


def platt(raw: Sequence[float], labels: Sequence[bool], iterations: int = 60) -> tuple[float, float]:
    """(a, b) with P(code) = sigmoid(a * score + b), fitted by Newton's method with Platt's smoothed targets."""
    pos = sum(labels)
    neg = len(labels) - pos
    if not pos or not neg:
        return 1.0, 0.0
    hi, lo = (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0)
    t = [hi if y else lo for y in labels]
    a, b = 1.0, 0.0
    for _ in range(iterations):
        g_a = g_b = h_aa = h_ab = h_bb = 0.0
        for s, ti in zip(raw, t, strict=True):
            p = sigmoid(a * s + b)
            d = p - ti
            w = max(p * (1 - p), 1e-12)
            g_a += d * s
            g_b += d
            h_aa += w * s * s
            h_ab += w * s
            h_bb += w
        h_aa += 1e-9
        h_bb += 1e-9
        det = h_aa * h_bb - h_ab * h_ab
        if abs(det) < 1e-15:
            break
        da = (h_bb * g_a - h_ab * g_b) / det
        db = (h_aa * g_b - h_ab * g_a) / det
        a, b = a - da, b - db
        if abs(da) < 1e-7 and abs(db) < 1e-7:
            break
    return a, b


def platt_shift(raw: Sequence[float], labels: Sequence[bool], a: float, b: float, iterations: int = 40) -> float:
    """A new intercept for (a, b) fitted on other answers (the lead's), the slope kept: one parameter, so a few
    dozen answers move it stably where a full refit flips slopes. Smoothed targets as in platt()."""
    pos = sum(labels)
    neg = len(labels) - pos
    if not pos or not neg:
        return b
    hi, lo = (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0)
    t = [hi if y else lo for y in labels]
    for _ in range(iterations):
        g = h = 0.0
        for s, ti in zip(raw, t, strict=True):
            p = sigmoid(a * s + b)
            g += p - ti
            h += max(p * (1 - p), 1e-12)
        step = g / h
        b -= max(-4.0, min(4.0, step))
        if abs(step) < 1e-7:
            break
    return b


def table(predicted: Sequence[bool], gold: Sequence[bool]) -> Table:
    """The 2x2 agreement table of a coder (auto side) against gold (person side)."""
    both = sum(1 for p, g in zip(predicted, gold, strict=True) if p and g)
    auto_only = sum(1 for p, g in zip(predicted, gold, strict=True) if p and not g)
    human_only = sum(1 for p, g in zip(predicted, gold, strict=True) if g and not p)
    return Table(both, auto_only, human_only, len(gold) - both - auto_only - human_only)


def folds(n: int, k: int, seed: int = 11) -> list[list[int]]:
    """k disjoint held-out index sets covering 0..n-1 (shuffled, deterministic)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def micro_f1(predicted: Sequence[set[str]], gold: Sequence[set[str]], only: set[str] | None = None) -> dict[str, float]:
    tp = fp = fn = 0
    for p, g in zip(predicted, gold, strict=True):
        if only is not None:
            p, g = p & only, g & only
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}
