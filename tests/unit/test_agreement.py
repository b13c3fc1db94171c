"""Cohen's kappa on finished answers only: known values, the standard error against the delta method, thresholds."""

from __future__ import annotations

import math

import pytest

from core.agreement import MIN_ANSWERS, Decisions, Table, agreement


def test_known_kappa_values():
    assert Table(20, 5, 10, 15).kappa == pytest.approx(0.4)  # a textbook table: po 0.7, pe 0.5
    assert Table(10, 0, 0, 10).kappa == pytest.approx(1.0)
    assert Table(0, 10, 10, 0).kappa == pytest.approx(-1.0)
    assert Table(0, 0, 0, 30).kappa is None  # both always say no: chance explains everything
    assert Table().kappa is None and Table().se is None


def test_ac1_keeps_agreement_where_one_answer_is_nearly_always_yes():
    # Gwet's worked shape: 96 of 100 both yes, the coder says yes to the other 4 too: kappa 0, AC1 0.958.
    t = Table(96, 4, 0, 0)
    assert t.kappa == pytest.approx(0.0) and t.ac1 == pytest.approx((0.96 - 2 * 0.98 * 0.02) / (1 - 2 * 0.98 * 0.02))
    assert Table(20, 5, 10, 15).ac1 == pytest.approx((0.7 - 2 * 0.55 * 0.45) / (1 - 2 * 0.55 * 0.45))
    assert Table(10, 0, 0, 10).ac1 == pytest.approx(1.0) and Table().ac1 is None
    assert Table(5, 0, 91, 0).ac1 < 0  # finds 5 of 96: far below chance agreement


def _kappa_of(p: list[float]) -> float:
    a, b, c, d = p
    pe = (a + b) * (a + c) + (c + d) * (b + d)
    return ((a + d) - pe) / (1 - pe)


@pytest.mark.parametrize("cells", [(20, 5, 10, 15), (40, 3, 7, 150), (12, 9, 4, 30), (5, 1, 1, 2)])
def test_standard_error_matches_the_delta_method(cells):
    """The closed form (Fleiss, Cohen and Everitt) equals grad' Sigma grad / n for the multinomial."""
    t = Table(*cells)
    n = t.n
    p = [x / n for x in cells]
    h = 1e-6
    grad = []
    for i in range(4):
        up, down = list(p), list(p)
        up[i] += h
        down[i] -= h
        grad.append((_kappa_of(up) - _kappa_of(down)) / (2 * h))
    var = sum(grad[i] * grad[j] * ((p[i] if i == j else 0) - p[i] * p[j]) for i in range(4) for j in range(4)) / n
    assert t.se == pytest.approx(math.sqrt(var), rel=1e-4)
    lo, hi = t.ci95
    assert (lo < t.kappa < hi and hi - lo == pytest.approx(2 * 1.959964 * t.se, rel=1e-6)) or hi == 1.0


def finished(i: int, auto: set[str], applied: set[str], rejected: set[str] = frozenset()) -> Decisions:
    return Decisions(i, frozenset(auto), frozenset(applied), frozenset(rejected))


def test_only_finished_answers_count_and_an_untouched_proposal_is_not_agreement():
    # A person tagged a theme only (not a codebook code) on answers whose proposals they never decided on:
    # before the fix this read as kappa 1.00 with no disagreement.
    theme_only = [finished(i, {"price"}, set()) for i in range(30)]
    a = agreement(theme_only)
    assert (a.answers, a.status, a.kappa) == (0, "too_few_answers", None)
    # one decision on an answer with two proposals leaves it unfinished: neither proposal counts
    half = [finished(i, {"price", "speed"}, {"price"}) for i in range(30)]
    assert agreement(half).answers == 0 and agreement(half).unfinished == 30


def test_per_code_and_pooled_kappa_with_thresholds():
    rows = []
    for i in range(20):  # price: accepted on 15, rejected on 5
        rows.append(finished(i, {"price"}, {"price"} if i < 15 else set(), set() if i < 15 else {"price"}))
    for i in range(20, 30):  # speed added by the person on 6 answers the coder had not proposed it for
        rows.append(finished(i, set(), {"speed"} if i < 26 else set(), set() if i < 26 else {"speed"}))
    rows.append(finished(30, {"ease"}, {"ease"}))  # ease: one case only
    a = agreement(rows)
    assert a.answers == 31 and a.status == "ok"
    by = {r.code: r for r in a.codes}
    assert (by["price"].table.both, by["price"].table.auto_only, by["price"].table.neither) == (15, 5, 11)
    assert (by["speed"].table.human_only, by["speed"].table.neither) == (6, 25)
    assert by["ease"].status == "too_few_cases" and by["ease"].kappa is None
    assert by["price"].status == "ok" and by["price"].kappa == pytest.approx(by["price"].table.kappa)
    # pooled: the sum of every code's table over the same answers
    total = by["price"].table + by["speed"].table + by["ease"].table
    assert a.pooled == total and a.kappa == pytest.approx(total.kappa)
    lo, hi = a.pooled_ci
    assert lo < a.kappa < hi
    assert a.disagreements == 11


def test_not_enough_answers_gives_no_number():
    rows = [finished(i, {"price"}, {"price"}) for i in range(MIN_ANSWERS - 1)]
    a = agreement(rows)
    assert a.status == "too_few_answers" and a.kappa is None and a.pooled_ci is None
    assert all(r.status == "too_few_answers" for r in a.codes)
    assert agreement([]).status == "too_few_answers"
