"""core.judge.fit over sparse matrices (numpy, scipy): the same model, fitted fast enough for n-grams and folds.

With the answers' n-grams (core.judge_grams) a row has a few hundred features instead of a few dozen, and the pure
Python fit took minutes per model: `cna train prober --by-file` fits one per train file. This is the same
full-batch AdaGrad on the same class-balanced loss and penalties, as array arithmetic; core.judge.fit stays the
reference (tests/unit/test_judge_fit.py compares the two). Training only: the shipped weights are plain data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from core.judge import GRAM_L2, SENSE_L2, Weights, penalty
from core.judge_grams import GRAM
from core.judge_senses import SENSE

# An n-gram is learnt only when this many training answers have it: one writer's one answer is no evidence about the
# next writer, and the judge keeps a table row for every gram it learnt (start-up and memory).
MIN_GRAM_ANSWERS = 3
# The same for a sense class (core.judge_senses): one writer's one word is no evidence about a class.
MIN_SENSE_ANSWERS = 3


def _design(rows: Sequence[tuple[Mapping[str, float], str]], classes: Sequence[str], balance: Mapping[str, float],
            data: list[float], cols: list[int], starts: list[int], f_n: int) -> tuple[Any, Any, Any, Any]:
    """The sparse design matrix (and its transpose), each row's class weight and the one-hot labels."""
    n = len(rows)
    x = sp.csr_matrix((np.array(data, dtype=float), np.array(cols, dtype=np.int64), np.array(starts)),
                      shape=(n, f_n))
    y = np.array([list(classes).index(label) for _, label in rows])
    b = np.array([balance.get(label, 1.0) for _, label in rows])[:, None]
    onehot = np.zeros((n, len(classes)))
    onehot[np.arange(n), y] = 1.0
    return x, x.T.tocsr(), b, onehot


def fit(rows: Sequence[tuple[Mapping[str, float], str]], classes: Sequence[str], *, epochs: int = 250,
        rate: float = 0.3, l2: float = 1e-2, lexical_l2: float = 1e-3, gram_l2: float = GRAM_L2,
        sense_l2: float = SENSE_L2, min_gram_answers: int = MIN_GRAM_ANSWERS,
        min_sense_answers: int = MIN_SENSE_ANSWERS, sense_for: Sequence[str] | None = None) -> Weights:
    """core.judge.fit's weights (to the 4 decimals kept), from sparse arrays; n-grams fewer than
    `min_gram_answers` training answers have are left out, and sense classes fewer than `min_sense_answers` have.
    `sense_for`: the classes whose scores sense classes may move (None: all); the others' sense weights stay 0."""
    if min_gram_answers > 1 or min_sense_answers > 1:
        least = {GRAM: min_gram_answers, SENSE: min_sense_answers}
        seen = Counter(k for f, _ in rows for k, v in f.items() if v and k.startswith((GRAM, SENSE)))
        rare = {k for k, n in seen.items() if n < least[k[:2]]}
        rows = [({k: v for k, v in f.items() if k not in rare}, label) for f, label in rows]
    counts = Counter(label for _, label in rows)
    present = [c for c in classes if counts[c]]
    balance = {c: len(rows) / (len(present) * counts[c]) for c in present}
    index: dict[str, int] = {}
    data: list[float] = []
    cols: list[int] = []
    starts = [0]
    for f, _ in rows:
        for k, v in f.items():
            if v:
                cols.append(index.setdefault(k, len(index)))
                data.append(v)
        starts.append(len(cols))
    n, f_n, k_n = len(rows), len(index), len(classes)
    x, xt, b, onehot = _design(rows, classes, balance, data, cols, starts, f_n)
    names = list(index)
    reg = np.array([penalty(k, l2, lexical_l2, gram_l2, sense_l2) for k in names])[:, None]
    w = np.zeros((f_n, k_n))
    h = np.zeros((f_n, k_n))
    frozen = None
    if sense_for is not None:
        frozen = np.zeros((f_n, k_n), dtype=bool)
        rows_k = np.array([k.startswith(SENSE) for k in names])
        for ci, c in enumerate(classes):
            if c not in sense_for:
                frozen[rows_k, ci] = True
    for _ in range(epochs):
        s = x @ w
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        err = b * (p - onehot)
        err[np.abs(err) < 1e-6] = 0.0  # as core.judge.fit skips them
        step = (xt @ err) / n + reg * w
        if frozen is not None:
            step[frozen] = 0.0
        h += step * step
        w -= rate * step / (np.sqrt(h) + 1e-8)
    w = np.round(w, 4)
    return {c: {k: float(w[i, ci]) for i, k in enumerate(names) if abs(w[i, ci]) >= 1e-3}
            for ci, c in enumerate(classes)}


def fit_block(rows: Sequence[tuple[Mapping[str, float], str]], classes: Sequence[str], fixed: Weights, *,
              prefix: str = SENSE, moves: Sequence[str] = (), epochs: int = 250, rate: float = 0.3,
              l2: float = SENSE_L2, min_answers: int = MIN_SENSE_ANSWERS) -> Weights:
    """The weights of one feature block (`prefix`: the sense classes) learnt on top of a fitted model (`fixed`,
    read as it is), moving only the scores of the classes in `moves`: the same loss and AdaGrad as fit, with every
    other feature's contribution a constant. Returns the block's weights alone."""
    seen = Counter(k for f, _ in rows for k, v in f.items() if v and k.startswith(prefix))
    index: dict[str, int] = {}
    data: list[float] = []
    cols: list[int] = []
    starts = [0]
    offset = np.zeros((len(rows), len(classes)))
    for r, (f, _) in enumerate(rows):
        for k, v in f.items():
            if not v:
                continue
            if k.startswith(prefix):
                if seen[k] >= min_answers:
                    cols.append(index.setdefault(k, len(index)))
                    data.append(v)
            else:
                for ci, c in enumerate(classes):
                    offset[r, ci] += fixed[c].get(k, 0.0) * v
        starts.append(len(cols))
    counts = Counter(label for _, label in rows)
    present = [c for c in classes if counts[c]]
    balance = {c: len(rows) / (len(present) * counts[c]) for c in present}
    n, f_n, k_n = len(rows), len(index), len(classes)
    x, xt, b, onehot = _design(rows, classes, balance, data, cols, starts, f_n)
    movable = np.array([c in moves for c in classes])[None, :]
    w = np.zeros((f_n, k_n))
    h = np.zeros((f_n, k_n))
    for _ in range(epochs):
        s = offset + x @ w
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        err = b * (p - onehot)
        err[np.abs(err) < 1e-6] = 0.0
        step = ((xt @ err) / n + l2 * w) * movable
        h += step * step
        w -= rate * step / (np.sqrt(h) + 1e-8)
    w = np.round(w, 4)
    names = list(index)
    return {c: {k: float(w[i, ci]) for i, k in enumerate(names) if abs(w[i, ci]) >= 1e-3}
            for ci, c in enumerate(classes)}
