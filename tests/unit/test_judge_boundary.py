"""Issue 13's boundary: hedged but real answers against non-answers, non-answers that name a topic, and consequences
that mention money or time. Exact answers: two faults from the lead's scored respondents5 and our own wording."""

from __future__ import annotations

import pytest

from app.catalog import load_catalog
from core.judge_nonanswer import non_answer
from core.probe_fit import outcome
from core.probe_types import ProbeDecision

CATALOG = load_catalog()


def _decide(script_id: str, lang: str, qid: str, text: str, depth: int = 0) -> ProbeDecision:
    q = CATALOG.get(script_id, lang).question(qid)
    audience = "internal" if script_id.startswith("internal-") else "customer"
    return CATALOG.prober.decide(text, lang, depth=depth, max_depth=q.probe.max_depth, families=q.probe.families,
                                 question_id=qid, closing=q.closing, audience=audience,
                                 question=f"{q.text} {q.intent or ''}")


# A deferral or not knowing that names the topic is a don't-know: it gets help, not a price probe.
DEFERRALS = [
    ("internal-leadership", "zh", "budget_split", "预算怎么分这个我不太清楚，是财务的张总在做"),  # respondents5
    ("internal-leadership", "en", "budget_split", "the budget side isn't mine, ask finance"),
    ("internal-leadership", "zh", "budget_split", "钱怎么分我真不清楚，一般是财务部的老周在弄"),
    ("internal-leadership", "en", "budget_split", "no idea how the money is split, Sam in accounts does all that"),
    ("internal-sales", "zh", "deal_stall", "报价那块我接触不到，是商务部在管"),
    ("internal-sales", "en", "deal_stall", "I never see how the pricing gets approved, I just send the request"),
]


@pytest.mark.parametrize(("script_id", "lang", "qid", "text"), DEFERRALS)
def test_a_deferral_that_names_the_topic_gets_help(script_id: str, lang: str, qid: str, text: str) -> None:
    d = _decide(script_id, lang, qid, text)
    assert d.reason == "dont_know", (text, d.reason, d.text)


# A hedge with a real guess or a statement after it is a shallow answer: followed up on its content, not helped.
HEDGED = [
    ("internal-sales", "zh", "deal_stall", "说不准，可能是报价太慢吧"),
    ("internal-sales", "en", "deal_stall", "hard to say, I'd guess the approvals just take too long"),
    ("internal-sales", "zh", "deal_stall", "具体我也说不上来，感觉就是审批太慢"),
    # An English statement after not knowing, with no word of a guess: a non-answer until issue 13's last-cell round
    # (train14, train15 and the tag grams of the sense block; it was a strict xfail here).
    ("internal-sales", "en", "deal_stall", "no idea of the exact reasons, the quotes are just slow"),
]


@pytest.mark.parametrize(("script_id", "lang", "qid", "text"), HEDGED)
def test_a_hedge_with_a_real_guess_is_a_shallow_answer(script_id: str, lang: str, qid: str, text: str) -> None:
    d = _decide(script_id, lang, qid, text)
    assert d.label == "surface" and d.probe is not None and d.reason != "dont_know", (text, d.reason)


# A deferral or not knowing beside a concrete fact is specific: no follow-up.
FACTS = [
    ("internal-sales", "zh", "deal_stall", "全年的数我不清楚，不过上个月光卡在法务审批的就有7单"),
    ("internal-sales", "en", "deal_stall", "not sure about the whole year, but last month 7 deals sat in legal review "
                                           "for over three weeks"),
]


@pytest.mark.parametrize(("script_id", "lang", "qid", "text"), FACTS)
def test_a_deferral_beside_a_fact_is_specific(script_id: str, lang: str, qid: str, text: str) -> None:
    d = _decide(script_id, lang, qid, text)
    assert d.reason == "specific", (text, d.reason, d.text)


# A consequence that mentions money or time as a result: a consequence, and no "money"/price follow-up.
CONSEQUENCES = [
    ("internal-marketing", "en", "unheard",
     "we pay for fairs and ads and then the leads sit there for weeks, so the money is just gone"),  # respondents5
    ("internal-sales", "zh", "deal_stall", "报价拖了两个礼拜，结果客户就走了，钱也白花了"),
    ("internal-sales", "en", "deal_stall", "the quote took two weeks, so the customer walked and the money we spent "
                                           "on the demo was wasted"),
]


@pytest.mark.parametrize(("script_id", "lang", "qid", "text"), CONSEQUENCES)
def test_a_consequence_that_mentions_money_gets_no_price_follow_up(script_id: str, lang: str, qid: str,
                                                                   text: str) -> None:
    d = _decide(script_id, lang, qid, text, depth=1)
    assert not d.reason.startswith(("surface:price", "surface:speed")), (text, d.reason, d.text)
    assert d.rung in ("consequence", "value"), (text, d.rung)


def test_the_handover_is_a_deferral_unless_the_question_asks_who() -> None:
    text = "不太清楚，是财务的张总在做"
    assert non_answer(text, True).defer
    assert not non_answer(text, True, asks_who=True).defer
    assert not non_answer("是我们自己在做", True).defer
    assert non_answer("no idea, the controller does all that", False).defer


def test_a_cue_in_a_result_clause_is_an_outcome_not_a_want() -> None:
    text = "we pay for fairs and ads and then the leads sit there for weeks, so the money is just gone"
    assert outcome(text, text.index("money"), "en")
    assert not outcome("lower price so we can bid more", 0, "en")
    assert not outcome("质量还行，就是价格太高", 6, "zh")
    assert outcome("拖了两个月，结果钱也没了", 8, "zh")
