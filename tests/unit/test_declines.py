"""A reply that declines to answer is let go kindly, on open and closed questions, in Slack and the terminal."""

from __future__ import annotations

import pytest

from app.catalog import load_catalog
from bot.render import outcome_messages
from core.declines import declines
from core.events import Answered, Asked, LetGo, Probed, Rejected
from core.inputs import Reply
from core.interview import InterviewState, step

CATALOG = load_catalog()

DECLINES = ["I'd rather not get into that", "prefer not to say, sorry", "no comment", "I'll pass on this one",
            "that's confidential", "not comfortable sharing that", "I won't answer that", "I'm not at liberty to say",
            "sorry, I'd rather not go into detail on that one", "that's under NDA",
            "I'd rather not say, it's a sore point",
            "无可奉告", "不方便说", "这个不想多说", "这题我弃权", "涉及公司机密，不能说", "不予置评", "这个就不答了吧",
            "嗯 具体的不太方便讲", "这个保密哈", "不好意思，这个不便透露", "这个问题我就不回答了", "我不太想聊这个",
            # found by trying the bot as a former customer, asked how the decision to leave was made
            "I'd rather not go through all that again", "honestly I'd rather not relive it", "不想再提了", "别提了",
            "这事不想回忆了"]
# Answers, or someone else declining (a problem to hear about), or a need that happens to use the words.
NOT_DECLINES = ["I'd rather not say exact numbers but we lost 3 deals to them last quarter", "not sure", "不知道",
                "我不能说太好，经常卡", "customers prefer not to talk to a bot", "他们不愿意说预算",
                "跳过审批就能快三天",
                "数据保密很重要，客户资料不能外泄", "保密", "confidentiality of client data",
                "I don't want to say it's bad, but the quotes take a week", "不想说太多，反正就是价格太贵了",
                "the reps won't share their pipeline with managers", "I'd prefer not to have to chase invoices",
                "我们不想再用Excel了", "不方便，每次都要登录三个系统", "we can't share data between the two systems",
                "没什么不方便说的", "没有不方便说的，我们有啥都直接讲", "别提了，上次发错货三次",
                "I'd rather not go through another migration like the last one, it took us 8 months"]


@pytest.mark.parametrize("text", DECLINES)
def test_declining_is_read_in_either_language(text: str) -> None:
    assert declines(text)


@pytest.mark.parametrize("text", NOT_DECLINES)
def test_an_answer_beside_the_words_or_someone_else_declining_is_not_declining(text: str) -> None:
    assert not declines(text)


@pytest.mark.parametrize(("lang", "first", "then"), [
    ("en", "I'd rather not get into that", "prefer not to say, sorry"),
    ("zh", "嗯 具体的不太方便讲", "无可奉告"),
])
def test_a_decline_to_an_open_question_is_let_go_not_pushed(lang: str, first: str, then: str) -> None:
    # Found by trying the bot as a former customer: "I'd rather not get into that" got "Was there a moment in the past
    # few months…", and "无可奉告" was read as a statement of use ("这给您的业务带来了什么？").
    script = CATALOG.get("customer-past", lang)
    state = InterviewState(status="in_progress", cursor="used_for")
    new, events = step(script, state, Reply(first), CATALOG.prober)
    answered = next(e for e in events if isinstance(e, Answered))
    assert answered.text == first and answered.decision == "declined"  # kept, as said
    assert not any(isinstance(e, Probed) for e in events)
    assert isinstance(events[-1], Asked) and new.cursor != "used_for"
    first_word = next(e for e in events if isinstance(e, LetGo))
    said = outcome_messages(1, events, lang)[0].text
    assert said.splitlines()[0] in {"No problem, we'll leave that one.", "That's fine, we can skip that one.",
                                    "Of course, no need to go into it.", "没问题，这题我们就不谈了。",
                                    "好的，这个可以不说，我们接着往下。", "理解，这题先放一放。"}
    # the next decline, on the next question, is met with other words
    _, events = step(script, new, Reply(then), CATALOG.prober)
    second = next(e for e in events if isinstance(e, LetGo))
    assert second.turn != first_word.turn
    assert outcome_messages(1, events, lang)[0].text.splitlines()[0] != said.splitlines()[0]


def test_a_decline_after_a_follow_up_ends_the_ladder_kindly() -> None:
    script = CATALOG.get("customer-past", "en")
    state = InterviewState(status="in_progress", cursor="why_left")
    state, events = step(script, state, Reply("price, mostly"), CATALOG.prober)
    assert isinstance(events[-1], Probed)
    new, events = step(script, state, Reply("I'd rather not go into that, sorry"), CATALOG.prober)
    assert any(isinstance(e, LetGo) for e in events) and not any(isinstance(e, Probed) for e in events)
    assert new.cursor != "why_left"


@pytest.mark.parametrize(("lang", "said"), [("en", "no comment"), ("zh", "这个不方便说")])
def test_a_decline_to_a_closed_question_moves_on_instead_of_reading_the_options_again(lang: str, said: str) -> None:
    script = CATALOG.get("customer-past", lang)
    state = InterviewState(status="in_progress", cursor="satisfaction_end")
    new, events = step(script, state, Reply(said), CATALOG.prober)
    assert not any(isinstance(e, Rejected) for e in events)
    assert any(isinstance(e, LetGo) for e in events) and new.cursor != "satisfaction_end"
    assert "satisfaction_end" not in new.values  # nothing chosen for them


def test_someone_else_declining_is_heard_as_a_problem_and_followed_up() -> None:
    script = CATALOG.get("internal-sales", "zh")
    q = next(q for q in script.questions if q.kind == "open")
    _, events = step(script, InterviewState(status="in_progress", cursor=q.id), Reply("客户他们不愿意说预算"),
                     CATALOG.prober)
    assert not any(isinstance(e, LetGo) for e in events)
