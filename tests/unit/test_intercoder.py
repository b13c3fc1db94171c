"""Two people coding the same answers: their agreement, and a coder scored against each and their agreement."""

from __future__ import annotations

import pytest

from core import intercoder

FIRST = {"a": frozenset({"price"}), "b": frozenset({"speed", "sla"}), "c": frozenset()}
SECOND = {"a": frozenset({"price"}), "b": frozenset({"speed"}), "c": frozenset({"service"})}
CODES = ["price", "speed", "sla", "service"]


def test_human_vs_human_f1_and_kappa() -> None:
    got = intercoder.against(SECOND, FIRST)
    assert (got["tp"], got["fp"], got["fn"]) == (2, 1, 1) and got["f1"] == pytest.approx(2 / 3, abs=1e-4)
    k = intercoder.kappas(SECOND, FIRST, CODES)
    assert intercoder.kappas(FIRST, FIRST, CODES) == {"pooled": 1.0, "mean_per_code": 1.0}
    assert k["pooled"] is not None and 0 < k["pooled"] < 1


def test_on_agreed_decisions_leaves_the_disputed_pairs_out() -> None:
    # sla on b and service on c are disputed: proposing them or not changes nothing.
    pred = {"a": frozenset({"price"}), "b": frozenset({"speed", "sla"}), "c": frozenset({"service"})}
    assert intercoder.on_agreed(pred, FIRST, SECOND)["f1"] == 1.0
    assert intercoder.on_agreed({"a": frozenset({"price"}), "b": frozenset({"speed"}), "c": frozenset()},
                                FIRST, SECOND)["f1"] == 1.0
    wrong = intercoder.on_agreed({"a": frozenset({"quality"}), "b": frozenset({"speed"})}, FIRST, SECOND)
    assert (wrong["tp"], wrong["fp"], wrong["fn"]) == (1, 1, 1)


def test_lenient_counts_either_persons_code_right_and_misses_only_what_both_gave() -> None:
    pred = {"a": frozenset({"price"}), "b": frozenset({"sla"}), "c": frozenset({"service", "quality"})}
    got = intercoder.lenient(pred, FIRST, SECOND)
    assert got["precision"] == pytest.approx(3 / 4) and got["recall"] == pytest.approx(1 / 2)
