"""Effective codes, opportunity scoring and the short list (gap and agreement: test_topics, test_agreement)."""

from __future__ import annotations

import pytest

from core.analysis import (
    CANDIDATE,
    OVER_LIMIT,
    PARKED,
    SHORT,
    ScoreError,
    check_scores,
    contributions,
    effective_codes,
    missing_criteria,
    opportunity_score,
    rank,
    shortlist_warning,
)


def test_effective_codes_human_wins():
    assert effective_codes({"price": 0.9, "speed": 0.3}, [], []) == {"price"}
    assert effective_codes({"price": 0.9}, ["quality"], ["price"]) == {"quality"}


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


FULL = {"benefit": 3, "cost": 3, "strategic_fit": 3, "culture_change": 3, "unit_support": 3,
        "competitive_position": 3}


def test_weights_change_ranking():
    a = (1, "Cheap quick win", {**FULL, "benefit": 3, "cost": 1}, True)
    b = (2, "Big bet", {**FULL, "benefit": 5, "cost": 5}, True)
    assert [r.id for r in rank([a, b])] == [1, 2]
    assert [r.id for r in rank([a, b], {"cost": 0})] == [2, 1]


def test_contributions_add_up_to_the_score_and_say_what_put_it_there():
    s = {"benefit": 5, "cost": 2, "strategic_fit": 5, "culture_change": 2, "unit_support": 4,
         "competitive_position": 4}
    parts = contributions(s)
    assert sum(parts.values()) == pytest.approx(opportunity_score(s), abs=0.05)
    assert parts["benefit"] == pytest.approx(100 * 3 / 10.5)  # benefit 5 at weight 3 of 10.5
    assert max(parts, key=parts.get) == "benefit"
    assert missing_criteria({"benefit": 3}, {c: 0 for c in FULL if c != "benefit"}) == ()


def test_unscored_opportunities_are_candidates_and_the_short_list_keeps_its_limit():
    opps = [(i, f"Idea {i}", {**FULL, "benefit": 1 + i % 5}, True) for i in range(9)]
    opps.append((20, "Half scored", {"benefit": 5, "cost": 1}, True))
    opps.append((21, "Parked", dict(FULL), False))
    ranked = rank(opps, limit=7)
    by = {r.id: r for r in ranked}
    assert by[20].status == CANDIDATE and by[20].score is None and by[20].rank is None
    assert "not scored: strategic_fit, culture_change, unit_support, competitive_position" in by[20].warnings
    assert [r.status for r in ranked].count(SHORT) == 7 and [r.status for r in ranked].count(OVER_LIMIT) == 2
    assert by[21].status == PARKED and by[21].rank is not None
    short = [r for r in ranked if r.status == SHORT]
    held = [r for r in ranked if r.status == OVER_LIMIT]
    assert min(r.score for r in short) >= max(r.score for r in held)  # the best-scored stay on the list
    assert ranked[-1].id == 20  # candidates after every ranked one


def test_rank_warnings_and_shortlist():
    r = rank([(1, "Costly", {"benefit": 1, "cost": 5, "culture_change": 5}, True)])[0]
    assert "costs more than it returns" in r.warnings and "needs a lot of culture change" in r.warnings
    assert shortlist_warning(7) is None and "wish list" in shortlist_warning(8)
