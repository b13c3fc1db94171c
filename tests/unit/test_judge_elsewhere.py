"""Where the answer lies elsewhere, said as a fact (core/judge_elsewhere.py), and answers of marks alone: written in
wordings of this file's own, with what must stay an answer."""

from __future__ import annotations

import pytest

from app.catalog import load_catalog
from core.judge import ruled_out
from core.judge_nonanswer import non_answer

CATALOG = load_catalog()


@pytest.mark.parametrize("text", [
    # who knows better, ask someone by name or title
    "这个采购主管比我熟悉", "回款的事小赵比我们更有数", "你问一下老孙吧", "找仓库的王师傅去", "这个问李主任吧",
    # who does it: a cleft naming another person or team, someone by role at work on it, in someone's hands
    "报表都是运营的小何做的", "那一单是售后同事跟的", "合同都是法务在管", "排期目前是PMO在定", "账本在财务那",
    # not there, or new
    "那次展会我没参加", "当时我还没入职呢", "我进公司时间太短", "我到岗才两周", "还在跟着老同事学",
])
def test_someone_else_holds_it_or_i_was_not_there_is_a_deferral(text: str) -> None:
    assert non_answer(text.lower(), True).defer, text


@pytest.mark.parametrize("text", [
    "很难选一个出来", "这个不好概括", "三言两语总结不了", "没有什么标准的", "都有可能的", "要看是哪个区域",
    "看用哪套系统了", "要看客户急不急", "预测不了", "具体哪天记串了", "我也没有结论", "没多想，随便说的",
    "这个不予评论", "我就不瞎猜了", "让我再琢磨一下",
])
def test_no_one_answer_is_not_knowing(text: str) -> None:
    assert non_answer(text.lower(), True).unsure, text


@pytest.mark.parametrize("text", [
    "出了问题就找老李，他当天就能修好",  # going to someone, told as what happens
    "客户经常找小王改地址",
    "是我们自己做的表",  # the speaker's own work
    "价格是按成本加两成定的",  # a means, not a person
    "这个问题我们讨论过很多次",  # 问题, not 问
    "要看到实时库存",  # a wish
    "我们每天要看三张报表",
    "外包给一家公司在做",  # how it is covered (a closed question's "another supplier"), found by the choices suite
])
def test_what_stays_an_answer(text: str) -> None:
    na = non_answer(text.lower(), True)
    assert not (na.defer or na.unsure), text


def test_marks_alone_are_neither_a_want_nor_an_account() -> None:
    assert ruled_out({"units": 0.0, "follow_up": 0.0, "closing": 0.0}) == ("stop", "surface", "specific")
    assert ruled_out({"units": 0.0, "follow_up": 0.0, "closing": 1.0}) == ("dont_know", "surface", "specific")
    assert ruled_out({"units": 1.2, "follow_up": 1.0, "closing": 0.0}) == ()


@pytest.mark.parametrize("text", ["……", "？？？", "🤐", "..."])
def test_an_answer_of_marks_alone_gets_help_with_the_judge_and_ends_a_closing_question(text: str) -> None:
    q = CATALOG.get("internal-sales", "zh").question("deal_stall")
    asked = f"{q.text} {q.intent or ''}"
    d = CATALOG.prober.decide(text, "zh", depth=0, closing=False, audience="internal", question=asked)
    assert d.reason == "dont_know" and d.fires and not d.cue, (text, d)
    assert CATALOG.prober.decide(text, "zh", depth=1, closing=True, audience="internal").reason == "stop_phrase"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_a_blank_answer_is_empty_with_or_without_the_judge(text: str) -> None:
    assert CATALOG.prober.decide(text, "zh").reason == "empty"
    assert CATALOG.prober.with_judge(None).decide(text, "zh").reason == "empty"


@pytest.mark.parametrize(("text", "defer"), [
    ("the warehouse lead sorts the rota, not me", True), ("credit control is better placed to say", True),
    ("I wasn't in that meeting, sorry", True), ("that all happened before I started", True),
    ("I'm on the payroll side so can't help there", True), ("let me circle back to you on it", True),
    ("honestly it varies week to week", False), ("every client's different", False),
    ("we haven't put a number on it", False), ("I'm not comfortable sharing that", False),
])
def test_english_says_the_same_in_its_own_constructions(text: str, defer: bool) -> None:
    na = non_answer(text.lower(), False)
    assert (na.defer if defer else na.unsure), text


@pytest.mark.parametrize("text", ["we never see the invoices, so disputes drag on for weeks",
                                  "the board meets next month and will set targets by region"])
def test_english_facts_stay_answers(text: str) -> None:
    na = non_answer(text.lower(), False)
    assert not (na.defer or na.unsure), text
