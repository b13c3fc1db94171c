"""Closed questions: one answer per person, NPS the standard way, and the paired forced choice."""

from __future__ import annotations

import pytest

from core.closed_questions import ClosedAnswer, QuestionKey, distributions, nps, paired_rows
from core.shares import Share

TOP = QuestionKey("top_value", "single", ("price", "speed", "service"))
NPS = QuestionKey("nps", "scale", tuple(str(v) for v in range(11)))


def a(key, segment, person, *values, ladder="L"):
    return ClosedAnswer(key, segment, person, ladder, tuple(values))


def test_nps_uses_promoters_9_10_and_detractors_0_6():
    rows = [a(NPS, "customer:current", f"c{i}", str(v)) for i, v in enumerate((10, 9, 8, 7, 6, 0, 3, 9))]
    [d] = distributions(rows)
    score = nps(d.by_group["customer"])
    assert (score.promoters, score.passives, score.detractors, score.n) == (3, 2, 3, 8)
    assert score.score == 0 and not score.indicative
    t = d.by_segment["customer:current"]
    assert t.mean == pytest.approx(52 / 8) and t.median == 7.5
    assert NPS.is_nps and not QuestionKey("sat", "scale", ("1", "2", "3", "4", "5")).is_nps
    few = nps(distributions([a(NPS, "customer:past", "p", "10")])[0].by_group["customer"])
    assert few.score == 100 and few.indicative


def test_one_answer_per_person_and_anonymous_answers_once_each():
    rows = [a(TOP, "customer:current", "c1", "price"), a(TOP, "customer:current", "c1", "speed"),
            a(TOP, "customer:current", None, "service", ladder="A1")]
    [d] = distributions(rows)
    t = d.by_group["customer"]
    assert t.n == 2 and t.counts == {"speed": 1, "service": 1}


def test_paired_forced_choice_side_by_side():
    rows = [a(TOP, "internal:sales", f"s{i}", "price" if i < 3 else "speed") for i in range(4)]
    rows += [a(TOP, "customer:current", f"c{i}", "speed" if i < 4 else "service") for i in range(5)]
    [d] = distributions(rows)
    assert d.paired
    by = {r.option: r for r in paired_rows(d)}
    assert (by["price"].internal, by["price"].customer, by["price"].gap) == (Share(3, 4), Share(0, 5), 75)
    assert by["speed"].gap == 25 - 80
    assert not distributions([a(TOP, "internal:sales", "s", "price")])[0].paired


def test_multi_choice_shares_are_of_people_who_answered():
    multi = QuestionKey("channels", "multi", ("email", "phone", "portal"))
    rows = [a(multi, "customer:current", "c1", "email", "portal"), a(multi, "customer:current", "c2", "email")]
    t = distributions(rows)[0].by_group["customer"]
    assert (t.share("email"), t.share("portal"), t.share("phone")) == (Share(2, 2), Share(1, 2), Share(0, 2))
