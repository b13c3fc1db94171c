"""The ladder climbs: a follow-up's rung sets the rung a real reply reaches; value questions quote whole clauses."""

from __future__ import annotations

import re

import pytest

from app.catalog import load_catalog
from core.ladder import RUNG, asked_for, family_of, reached
from core.probe_pick import said_key
from core.probe_quote import consequence_span, cue, names_a_thing

PROBER = load_catalog().prober


def _decide(text: str, lang: str, asked: tuple[str, ...], rung: str, depth: int = 1, audience: str = "customer",
            qid: str = "value_why") -> tuple[str, str | None, str | None]:
    d = PROBER.decide(text, lang, depth=depth, max_depth=3, asked=asked, question_id=qid, audience=audience, rung=rung)
    return d.reason, d.rung, d.probe


def test_the_family_of_a_template_key() -> None:
    assert family_of("en.internal.speed.consequence.2") == "consequence"
    assert family_of("zh.any.ladder_up.4") == "ladder_up"
    assert family_of("en.way_out.1") == "way_out"


def test_what_the_last_follow_up_asked_for() -> None:
    assert asked_for(("en.any.consequence.1",), "attribute") == RUNG["consequence"]
    # "why does that matter?" asks for the rung above the one the ladder had reached
    assert asked_for(("en.any.ladder_up.1",), "attribute") == RUNG["consequence"]
    assert asked_for(("en.any.example.1", "en.any.ladder_up.4"), "consequence") == RUNG["value"]
    assert asked_for(("en.any.example.1",), "attribute") is None
    assert asked_for((), None) is None


def test_a_real_reply_reaches_the_rung_it_was_asked_for_unless_plainly_an_attribute() -> None:
    asked = ("en.any.consequence.1",)
    assert reached("specific", "attribute", {"attribute": 0.5}, asked, "attribute") == RUNG["consequence"]
    assert reached("surface", "attribute", {"attribute": 0.9}, asked, "attribute") == RUNG["attribute"]
    assert reached("specific", "value", {"attribute": 0.1}, asked, "attribute") == RUNG["value"]  # went higher
    # a non-answer reaches nothing new; the ladder never falls back
    assert reached("dont_know", "attribute", {}, asked, "attribute") == RUNG["attribute"]
    assert reached("surface", "attribute", {"attribute": 0.9}, (), "consequence") == RUNG["consequence"]


@pytest.mark.parametrize(("text", "lang", "asked"), [
    # the written respondents' replies (bench/replay.py) that ended ladders one rung early
    ("otherwise sales stops and the phone rings on my desk", "en", ("en.any.consequence.1",)),
    ("不然停一天线就少出好几百件货，客户那边还要催", "zh", ("zh.any.consequence.1",)),
    ("停一天门店就少卖一天，还要扔原料", "zh", ("zh.any.ladder_up.1",)),
])
def test_a_consequence_told_in_concrete_words_gets_the_value_question(text: str, lang: str,
                                                                      asked: tuple[str, ...]) -> None:
    reason, rung, probe = _decide(text, lang, asked, "attribute")
    assert (reason, rung) == ("ladder:value", "consequence") and probe


@pytest.mark.parametrize(("text", "lang", "qid"), [
    ("it's frustrating bc we had the better product, we just looked slow and disorganised. that's not who we want "
     "to be", "en", "deal_stall"),
    ("最后客户说“你们公司就没一个人能管事的吗”，这话听着真难受", "zh", "case_stall"),
    ("大家都省心，合作起来更顺", "zh", "one_change"),
])
def test_a_reply_to_the_value_question_ends_the_ladder(text: str, lang: str, qid: str) -> None:
    # before: "Where would that show in the end…?" after a reply that was already the person's value
    asked = (f"{lang}.any.example.1", f"{lang}.any.ladder_up.4")
    assert _decide(text, lang, asked, "consequence", depth=2, audience="internal", qid=qid)[:2] == \
        ("ladder_done", "value")


def test_a_value_needs_words_of_ends_not_only_more_than_a_consequence() -> None:
    # "so I call the hot leads first…" reads past a consequence but names no end: the ladder asks why it matters
    reason, rung, _ = _decide("so I call the hot leads first instead of working through the list top to bottom", "en",
                              ("en.any.example.1",), "attribute", qid="report_decision", audience="internal")
    assert (reason, rung) == ("ladder:value", "consequence")


QUOTED = [
    "最后客户说“你们公司就没一个人能管事的吗”，这话听着真难受",
    "the quote part is where it slows down, I have to get pricing signed off by my manager for anything over 10k "
    "and that can take a week, so the customer goes quiet",
    "so nobody has to ask the customer the same question twice and we stop tripping over each other",
    "if the portal or email goes down the customer can't place orders and sales can't answer them",
    "这样我不用一边让客户等一边到处翻，接一个电话就能把事情说清楚",
    "客户打进来一般都是设备停了，停一天他那边工人就得干等着，老板还要骂他",
    "he said \"we're done with you\" and that was it, so we lost the account",
    "他们说「再这样就换供应商」，结果真的换了",
]


@pytest.mark.parametrize("text", QUOTED)
def test_a_quote_is_a_whole_clause_never_half_a_phrase_or_inside_quotes(text: str) -> None:
    low = text.lower()
    span = consequence_span(low)
    if span is None:
        return  # asked without a quote: fine
    start, end = span
    part = low[start:end]
    assert not re.search("[\"“”「」『』]", part)
    # it ends where the answer's clause or sentence ends, or before a linking word that opens a new clause
    rest = low[end:]
    assert rest == "" or re.match(r"[.;:!?。；：！？,，、\"「」『』]|\s(?:and|or|but|when|if|which|while|until|"
                                  r"before|after|so|because|since)\s|而且|并且|然后|还要|还得|的时候|因为|但是|可是",
                                  rest), part


def test_the_quotes_the_value_question_uses() -> None:
    def quote(text: str) -> str | None:
        span = consequence_span(text.lower())
        return text.lower()[span[0]:span[1]] if span else None

    assert quote(QUOTED[0]) in (None, "这话听着真难受")  # not “最后客户说"你们公司就没一个人能”
    assert quote(QUOTED[1]) == "the customer goes quiet"
    assert quote(QUOTED[2]) == "nobody has to ask the customer the same question twice"
    assert quote(QUOTED[3]) is None  # not "if the portal"
    assert quote(QUOTED[4]) == "我不用一边让客户等一边到处翻"
    assert quote(QUOTED[6]) == "we lost the account"
    # told in order, a reply ends on what followed; not on a reason (found by trying the bot as a sales rep: the
    # value question quoted "last month Ferris Tools waited 9 days for a quote" instead of the lost deal)
    assert quote("last month Ferris Tools waited 9 days for a quote because pricing needed sign-off from two "
                 "managers, they went with Apex") == "they went with apex"
    assert quote(QUOTED[5]) == "老板还要骂他"
    assert quote("we lose deals, because quotes are slow") == "we lose deals"
    # what it should not be is not the point: the want came first
    assert quote("续约前三个月就该来谈，而不是直接发涨价通知") == "续约前三个月就该来谈"
    assert quote("call us before the renewal, not after the price went up") == "call us before the renewal"


@pytest.mark.parametrize(("said", "thing"), [
    ("something slicker", True), ("更智能一点", True), ("a holistic platform", True),
    ("hmm not something I've been involved in", False), ("too early for me to say", False),
    ("I'd want to hear from the teams first", False), ("我也说不好", False), ("没想过", False), ("why?", False)])
def test_a_vague_answer_is_echoed_only_when_it_names_a_thing(said: str, thing: bool) -> None:
    assert names_a_thing(said) is thing


@pytest.mark.parametrize("text", ["hmm not something I've been involved in", "too early for me to say"])
def test_a_follow_up_never_pictures_a_remark_about_the_person_as_a_thing(text: str) -> None:
    said: tuple[int, ...] = ()
    for _ in range(10):  # one long interview: every vague template in turn, the quoting ones included
        d = PROBER.decide(text, "en", depth=0, max_depth=3, question_id="integration_pain", audience="internal",
                          said=said)
        assert d.probe is not None and text not in d.probe.lower()
        said += (said_key(d.probe),)


@pytest.mark.parametrize(("text", "lang", "asked", "qid", "audience"), [
    # respondents2: concrete consequences after an example, a contrast or a clarifying question, which the engine
    # had read as "specific, done" (issue 13)
    ("when stuff doesn't show up the whole week goes sideways for my team", "en", ("en.quality.example.1",),
     "value_why", "customer"),
    ("if something's wrong I can ring someone I know and it gets done", "en", ("en.price.contrast.2",),
     "current_works", "customer"),
    ("no more hunting through email and 3 spreadsheets before I call someone", "en", ("en.internal.ease.clarify.3",),
     "change_first", "internal"),
    ("问题拖着不解决，客户那边的活就停在那儿，他们也没法跟自己的领导交代", "zh", ("zh.internal.speed.example.2",),
     "customer_needs", "internal"),
    ("至少报修以后能说清楚什么时候到，让门店心里有数", "zh", ("zh.service.clarify.2",), "come_back_conditions",
     "customer"),
])
def test_a_concrete_consequence_at_depth_one_gets_the_value_question(text: str, lang: str, asked: tuple[str, ...],
                                                                     qid: str, audience: str) -> None:
    reason, rung, probe = _decide(text, lang, asked, "attribute", audience=audience, qid=qid)
    assert (reason, rung) == ("ladder:value", "consequence") and probe


def test_a_value_question_answered_with_a_plain_consequence_asks_once_more() -> None:
    # the rung model is at least STAYED_CONSEQUENCE sure the reply stayed a consequence: the value is asked again
    split = {"attribute": 0.02, "consequence": 0.55, "value": 0.43}
    assert reached("surface", "consequence", split,
                   ("en.any.example.1", "en.any.ladder_up.2"), "consequence") == RUNG["consequence"]
    # a concrete answer to "why does that matter?" ("that was maybe 18k a year, and the next client will have heard")
    # is the person's reason: a blind rater of held-out interviews found a second "why does it matter?" a push
    assert reached("specific", "consequence", split,
                   ("en.any.example.1", "en.any.ladder_up.2"), "consequence", depth=2) == RUNG["value"]
    assert reached("specific", "consequence", split,
                   ("en.any.ladder_up.2",), "consequence", depth=1) == RUNG["consequence"]
    assert reached("specific", "consequence", {"attribute": 0.1, "consequence": 0.45, "value": 0.45},
                   ("en.any.example.1", "en.any.ladder_up.2"), "consequence") == RUNG["value"]


def test_no_follow_up_after_a_value_or_a_stop_inside_the_ladder() -> None:
    asked = ("en.any.example.1", "en.any.ladder_up.2")
    assert _decide("honestly it's about keeping customers who trust us", "en", asked, "consequence",
                   depth=2)[0] == "ladder_done"
    assert _decide("no, that's all", "en", asked, "consequence", depth=2)[0] == "stop_phrase"


def test_inside_a_ladder_more_weight_above_the_attribute_than_on_it_is_a_consequence() -> None:
    # after an example question (it asks for no rung): "attribute" is the likeliest rung, but not the likelier side
    split = {"attribute": 0.44, "consequence": 0.18, "value": 0.38}
    assert reached("surface", "attribute", split, ("en.any.example.1",), "attribute", depth=1) == RUNG["consequence"]
    assert reached("surface", "attribute", {"attribute": 0.6, "consequence": 0.2, "value": 0.2},
                   ("en.any.example.1",), "attribute", depth=1) == RUNG["attribute"]
    # a first answer is never read this way: it is made concrete first
    assert reached("specific", "attribute", split, (), None, depth=0) == RUNG["attribute"]


def test_a_clause_cut_down_to_no_content_is_not_quoted() -> None:
    # Found by trying the bot as an operations lead: "we find out when the customer calls asking where it is" got
    # "You mentioned “we find out”. Why does that matter…?": cut at "when", the quote says nothing.
    text = "we find out when the customer calls asking where it is"
    span = consequence_span(text)
    assert span is None or text[slice(*span)] != "we find out", span
    assert consequence_span("so the truck went to the wrong site") is not None  # a whole clause still is quoted


def test_a_time_phrase_is_not_cut_as_a_linking_word() -> None:
    # Found as a former customer: "like a heads up the day before that half the order's backordered" was quoted as
    # “a heads up the day”.
    text = "like a heads up the day before that half the order's backordered"
    span = consequence_span(text)
    assert span is None or not text[slice(*span)].endswith("the day"), span


def test_a_clause_that_only_introduces_an_example_is_not_quoted() -> None:
    # Found as a sales rep: "Why does “ferris Tools for example” matter in the end…?"
    text = "ferris tools for example, we fixed a wrong shipment on a saturday two years ago and they still bring it up"
    span = consequence_span(text)
    assert span is None or "for example" not in text[slice(*span)], span
    # a name keeps its capital
    assert cue("Ferris Tools are the best", "ferris tools are the best", 0, 12) == "Ferris Tools"


@pytest.mark.parametrize("said", ["a lot", "right after the handover", "it varies a lot by segment", "很多"])
def test_an_amount_a_moment_or_a_statement_is_not_quoted_as_a_thing(said: str) -> None:
    # A blind rater of held-out interviews: "how many customers does “a lot” affect", "which tasks would “right after
    # the handover” change", "…with “it varies a lot by segment” in place" read wrong.
    assert not names_a_thing(said)


def test_a_hedge_and_a_brand_are_quoted_right() -> None:
    assert cue("discount approvals maybe", "discount approvals maybe", 0, 24) == "discount approvals"
    assert cue("HubSpot mostly", "hubspot mostly", 0, 14) == "HubSpot"
