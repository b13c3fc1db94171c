"""The learned coder's statistics in pure Python: Platt scaling, per-code agreement tables, folds, micro-F1."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

from core.agreement import Table

Features = Mapping[str, float]


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


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
