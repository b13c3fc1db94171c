"""Non-answers said without a verb of knowing (core/judge_evasions.py), the longer answers now read for signs, and the
endings that were not: written in wordings of this file's own, with what must stay an answer."""

from __future__ import annotations

import pytest

from core.judge_nonanswer import non_answer


@pytest.mark.parametrize("text", [
    # put off, not yet the time, too early
    "下次见面再说吧", "等报表出来再看", "先走一步看一步", "还没到谈这个的阶段", "现在下结论为时过早",
    "现在报价还太早了",
    # it depends on X alone, the question too big, a tautology
    "看预算吧", "还是看老板呗", "你这问题太宏观了", "这题问得好笼统", "贵就是贵呗",
    # no judgement to give, going away to think, declining with a wink
    "算不出来，估不出来", "我判断不了", "那个软件名字叫不上来", "这个真不好解释", "我回头想一想", "我就不发表看法了",
    "你猜", "下一题吧", "跳过",
])
def test_said_without_a_verb_of_knowing_is_not_knowing(text: str) -> None:
    assert non_answer(text.lower(), True).unsure, text


@pytest.mark.parametrize("text", [
    "老钱那边更有数", "这个财务应该比较清楚", "要采购自己定吧", "你去问她吧", "这种事别问我", "我们一般不经手这块",
    "售后那块我们不太接触", "我没直接参与过", "对账都是小郑在核", "排班一般是组长在弄的",
])
def test_someone_else_holds_it_is_a_deferral(text: str) -> None:
    assert non_answer(text.lower(), True).defer, text


@pytest.mark.parametrize("text", [
    "that's finance's call really", "you'd want Priya for that", "we don't get involved in pricing",
    "I'm still in training", "not my area, that's with procurement", "I'm more on the dispatch side",
    "whatever legal says", "I'd have to see the figures first",
])
def test_english_someone_else_holds_it_is_a_deferral(text: str) -> None:
    assert non_answer(text.lower(), False).defer, text


@pytest.mark.parametrize("text", [
    "it changes each week", "honestly it's all a blur", "ask me an easier one", "lol nice try", "next", "case by case",
    "too many to choose from", "where do I even start", "no real reason", "not comfortable talking about it", "dunnoo",
    "I don't really keep track", "I can't give you a figure yet",
])
def test_english_said_without_a_verb_of_knowing_is_not_knowing(text: str) -> None:
    assert non_answer(text.lower(), False).unsure, text


@pytest.mark.parametrize("text", [
    # a plan, not putting it off; a tag after content; an event; a problem stated with a cleft
    "先让他们试用两周，跑顺了再说", "就是交期再稳一点嘛，你懂的", "那笔账我们三天都解释不清",
    "就是业务根本不理解IT在干嘛",
    "是外包公司在做售后", "看报表的时候发现金额对不上", "数据问题有点大，客户电话一半是错的", "懒得再说",
])
def test_what_stays_an_answer(text: str) -> None:
    na = non_answer(text.lower(), True)
    assert not (na.unsure or na.defer), text


@pytest.mark.parametrize("text", ["太久了，忘得差不多了", "不清楚，我入职的时候就这样了", "记不得了，反正后来修好了"])
def test_no_ending_where_the_words_say_how_things_were(text: str) -> None:
    assert not non_answer(text.lower(), True).ending, text


@pytest.mark.parametrize("text", ["我觉得差不多了", "就这样吧", "好了", "没别的了"])
def test_endings_stay_endings(text: str) -> None:
    assert non_answer(text.lower(), True).ending, text
