"""The sparse-array fit (app/judge_fit.py) against the reference pure-Python one (core.judge.fit): the same model."""

from __future__ import annotations

import random

from app.judge_fit import fit as fit_arrays
from core.judge import CLASSES, fit, predict


def _rows(n: int = 120, seed: int = 5) -> list[tuple[dict[str, float], str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        label = CLASSES[i % len(CLASSES)]
        f = {"bias": 1.0, f"sign_{label}": float(rng.random() < 0.7), "noise": rng.random(),
             f"w:{rng.choice('abcdef')}": 1.0, **{f"g:{rng.choice('uvwxyz')}{label[0]}": 0.4 for _ in range(3)}}
        rows.append((f, label))
    return rows


def test_the_array_fit_learns_the_weights_of_the_reference_fit() -> None:
    rows = _rows()
    ref, fast = fit(rows, CLASSES, epochs=60), fit_arrays(rows, CLASSES, epochs=60, min_gram_answers=1)
    for c in CLASSES:
        for k in set(ref[c]) | set(fast[c]):
            assert abs(ref[c].get(k, 0.0) - fast[c].get(k, 0.0)) <= 2e-3, (c, k)
    assert [predict(ref, f) for f, _ in rows] == [predict(fast, f) for f, _ in rows]


def test_n_grams_have_their_own_penalty() -> None:
    rows = _rows()
    held, free = fit_arrays(rows, CLASSES, epochs=60, gram_l2=1.0), fit_arrays(rows, CLASSES, epochs=60, gram_l2=0.0)
    size = {name: sum(abs(v) for c in CLASSES for k, v in w[c].items() if k.startswith("g:"))
            for name, w in (("held", held), ("free", free))}
    assert size["held"] < size["free"]


def test_a_gram_only_one_answer_has_is_not_learnt() -> None:
    rows = [*_rows(), ({"bias": 1.0, "g:once": 0.5}, "stop")]
    assert all("g:once" not in w for w in fit_arrays(rows, CLASSES, epochs=20).values())
    assert any("g:once" in w for w in fit_arrays(rows, CLASSES, epochs=20, min_gram_answers=1).values())
