"""People asked and people who raised a topic: anonymous answers, unprompted mentions and the like-with-like gap."""

from __future__ import annotations

from core.shares import Share
from core.topics import Mention, TopicTable, compare_rounds, gap, topic_table, topics_asked

PARENTS = {"price": "customer-value", "communication": "customer-value", "customer-value": None,
           "pipeline-visibility": "process", "process": None, "theme-billing": "price", "theme-loose": None}
TOPICS = list(PARENTS)


def m(segment, person, asked, codes, ladder="L"):
    return Mention(segment, person, ladder, frozenset(asked), frozenset(codes))


def test_a_question_asks_about_its_hints_and_everything_below_them():
    assert topics_asked(["customer-value"], TOPICS, PARENTS) == {"customer-value", "price", "communication",
                                                                 "theme-billing"}
    assert topics_asked(["process"], TOPICS, PARENTS) == {"process", "pipeline-visibility"}
    assert topics_asked([], TOPICS, PARENTS) == frozenset()


def test_anonymous_answers_are_never_extra_people():
    rows = [m("customer:current", "c1", {"communication"}, {"communication"}),
            m("customer:current", "c2", {"communication"}, set()),
            m("customer:current", None, set(), {"communication"}, ladder="A1"),
            m("customer:current", None, set(), {"communication"}, ladder="A2"),
            m("customer:current", None, set(), {"communication"}, ladder="A2")]  # a follow-up of A2
    t = topic_table(rows)
    c = t.count("communication", "customer")
    assert t.people == {"customer:current": 2, "customer": 2}
    assert (c.asked, c.raised, c.unprompted, c.anonymous) == (2, 1, 0, 2)
    assert c.share == Share(1, 2) and c.share.indicative
    assert t.answers["communication"] == 4


def test_unprompted_mentions_are_kept_apart_from_the_share():
    rows = [m("customer:current", "c1", {"price"}, {"price", "pipeline-visibility"}),
            m("internal:sales", "s1", {"price", "pipeline-visibility"}, {"pipeline-visibility"})]
    t = topic_table(rows)
    p = t.count("pipeline-visibility", "customer")
    assert (p.asked, p.raised, p.unprompted, p.people) == (0, 0, 1, 1)


def test_the_gap_compares_only_topics_asked_of_both_sides():
    rows = []
    for i in range(6):
        rows.append(m("internal:sales", f"s{i}", {"price", "pipeline-visibility"},
                      {"price", "pipeline-visibility"} if i < 4 else set()))
    for i in range(8):
        rows.append(m("customer:current", f"c{i}", {"price", "communication"}, {"communication"} if i < 6 else set()))
    rows.append(m("customer:past", "p1", set(), {"theme-loose"}))
    g = gap(topic_table(rows))
    assert [r.code for r in g.comparable] == ["price"]  # staff 4/6, customers 0/8
    assert g.comparable[0].gap == 67 and not g.comparable[0].indicative
    assert [r.code for r in g.internal_only] == ["pipeline-visibility"]  # never "staff overrate"
    assert [r.code for r in g.customer_only] == ["communication"]
    assert [r.code for r in g.untied] == ["theme-loose"]


def test_groups_are_distinct_people_across_segments_and_small_bases_are_indicative():
    rows = [m("internal:sales", "s1", {"price"}, {"price"}), m("internal:it", "s2", {"price"}, set()),
            m("customer:current", "c1", {"price"}, set())]
    t = topic_table(rows)
    assert t.count("price", "internal").share == Share(1, 2)
    assert t.count("price", "internal:sales").share == Share(1, 1)
    row = gap(t).comparable[0]
    assert row.gap == 50 and row.indicative


def test_round_comparison_uses_people_asked_in_each_round():
    before = topic_table([m("customer:current", f"c{i}", {"price"}, {"price"} if i < 1 else set())
                          for i in range(4)])
    after = topic_table([m("customer:current", f"c{i}", {"price"}, {"price"} if i < 3 else set())
                         for i in range(6)])
    [change] = compare_rounds(before, after)
    assert (change.before, change.after, change.delta) == (Share(1, 4), Share(3, 6), 25)
    assert change.indicative  # four customers last round
    assert compare_rounds(TopicTable(), after) == []
