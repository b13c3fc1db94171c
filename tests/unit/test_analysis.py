"""Gap, agreement and opportunity scoring."""

from __future__ import annotations

import pytest

from core.analysis import (
    Agreement,
    ScoreError,
    agreement,
    check_scores,
    compare_rounds,
    effective_codes,
    gap_table,
    opportunity_score,
    rank,
    shortlist_warning,
)


def test_effective_codes_human_wins():
    assert effective_codes({"price": 0.9, "speed": 0.3}, [], []) == {"price"}
    assert effective_codes({"price": 0.9}, ["quality"], ["price"]) == {"quality"}


def test_gap_is_per_respondent_and_sorted():
    rows = [
        ("internal:sales", "p1", ["price"]), ("internal:sales", "p1", ["price"]),
        ("internal:service", "p2", ["price"]), ("internal:it", "p3", []),
        ("customer:current", "c1", ["communication"]), ("customer:current", "c2", ["communication", "price"]),
        ("customer:past", "c3", []), ("customer:past", "c4", ["communication"]),
    ]
    table = gap_table(rows)
    by = {g.code: g for g in table}
    assert by["price"].internal_share == pytest.approx(2 / 3)
    assert by["price"].customer_share == pytest.approx(1 / 4)
    assert by["communication"].gap == pytest.approx(-0.75)
    assert table[0].code == "communication"


def test_gap_with_no_customers_is_zero_not_error():
    assert gap_table([("internal:sales", "p", ["price"])])[0].customer_share == 0.0


def test_kappa_known_values():
    # perfect agreement
    a = agreement([({"x"}, {"x"}), (set(), set())], ["x"])[0]
    assert a.kappa == pytest.approx(1.0)
    # textbook: 20 both, 5 auto only, 10 human only, 15 neither -> kappa 0.4
    ag = Agreement("x", 50, 20, 5, 10, 15)
    assert ag.kappa == pytest.approx(0.4)
    # undefined when both always say no
    assert agreement([(set(), set())], ["x"])[0].kappa is None


def test_scores_inverted_cost_and_bounds():
    best = {"benefit": 5, "cost": 1, "strategic_fit": 5, "culture_change": 1, "unit_support": 5,
            "competitive_position": 5}
    worst = {"benefit": 1, "cost": 5, "strategic_fit": 1, "culture_change": 5, "unit_support": 1,
             "competitive_position": 1}
    assert opportunity_score(best) == 100.0 and opportunity_score(worst) == 0.0
    assert opportunity_score({}) is None
    with pytest.raises(ScoreError):
        check_scores({"benefit": 6})
    with pytest.raises(ScoreError):
        check_scores({"beauty": 3})


def test_weights_change_ranking():
    a = (1, "Cheap quick win", {"benefit": 3, "cost": 1})
    b = (2, "Big bet", {"benefit": 5, "cost": 5})
    assert [r.id for r in rank([a, b])] == [1, 2]
    assert [r.id for r in rank([a, b], {"cost": 0})] == [2, 1]


def test_rank_warnings_and_shortlist():
    r = rank([(1, "Costly", {"benefit": 1, "cost": 5, "culture_change": 5})])[0]
    assert "costs more than it returns" in r.warnings and "needs a lot of culture change" in r.warnings
    assert shortlist_warning(7) is None and "wish list" in shortlist_warning(8)


def test_compare_rounds():
    from core.analysis import GapRow

    prev = [GapRow("price", 0.5, 0.2, 1, 1)]
    cur = [GapRow("price", 0.5, 0.6, 1, 3), GapRow("sla", 0.1, 0.3, 1, 1)]
    changes = {c.code: c for c in compare_rounds(prev, cur)}
    assert changes["price"].delta == pytest.approx(0.4) and changes["sla"].before == 0.0
