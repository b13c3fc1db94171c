"""No follow-up asks again, in other words, what was just asked: by the ladder's last probe or by the question itself
(core/probe_alike.py, with the shipped rules and judge, through the interview engine)."""

from __future__ import annotations

import pytest

from app.catalog import load_catalog
from core.probe_alike import echoes, frames, same_ask
from tests.unit.test_conversations import _first_probe as _probes

CATALOG = load_catalog()


@pytest.mark.parametrize(("a", "b", "lang"), [
    ("What has that meant for your business?", "What would that mean for the business?", "en"),
    ("How often does that come up for your team, roughly?", "How often does that come up, roughly?", "en"),
    ("这给您的业务带来了什么？", "这对业务会带来什么？", "zh"),
    ("为什么这一点对您很重要？", "这一点为什么对您很重要？", "zh"),
])
def test_rewordings_ask_the_same(a: str, b: str, lang: str) -> None:
    assert same_ask(a, b, lang)


@pytest.mark.parametrize(("a", "b", "lang"), [
    ("Why does that matter to you?", "And why is that important for you or your team?", "en"),
    ("What happens when that goes wrong today?", "How often does that come up, roughly?", "en"),
    ("You mentioned “faster support”. Why does that matter?", "Who would use “faster support”, and for which task?",
     "en"),  # the person's quoted words are theirs, not the question's
    ("这一点为什么对您很重要？", "现在大概多久会出一次问题？", "zh"),
])
def test_different_questions_are_not_repeats(a: str, b: str, lang: str) -> None:
    assert not same_ask(a, b, lang)


def test_the_techniques_are_read_in_both_languages() -> None:
    assert frames("Think of the last time this came up for you. What happened?", "en") == {"recall"}
    assert frames("Imagine it were gone tomorrow: what would you miss first?", "en") == {"absent"}
    assert frames("没关系。如果问您团队里的同事，您觉得他们会怎么说？", "zh") == {"others"}
    assert frames("回想一下最近一次碰到和这个问题有关的事，当时是怎么回事？", "zh") == {"recall"}
    assert echoes("Think of the last time this came up for you.", "Think of the last time something went wrong.", "en")
    assert not echoes("Imagine it were gone tomorrow: what would you miss first?",
                      "Think of the last time something went wrong.", "en")


def test_a_customer_is_not_asked_what_it_meant_for_the_business_twice() -> None:
    # Found by trying the bot: "What has that meant for your business?", then after an episode,
    # "What would that mean for the business?".
    probes = _probes("customer-current", "en", "what_for", [
        "honestly the portal is a pain",
        "every time I log in it forgets my company and I have to call Jenny to get the invoice copy, "
        "like twice a month",
    ])
    assert len(probes) == 2
    assert not same_ask(probes[1].text, probes[0].text, "en"), [p.text for p in probes]


@pytest.mark.parametrize(("lang", "reply"), [("en", "idk"), ("zh", "不知道")])
def test_dont_know_to_a_recall_question_is_not_asked_to_recall_again(lang: str, reply: str) -> None:
    script = CATALOG.get("customer-current", lang)
    question = next(q for q in script.questions if q.id == "went_wrong")
    (p,) = _probes("customer-current", lang, "went_wrong", [reply])
    assert "recall" in frames(question.text, lang)
    assert p.reason == "dont_know"
    assert "recall" not in frames(p.text, lang), p.text


def _open_questions() -> list[tuple[str, str, str]]:
    return [(sid, lang, q.id) for (sid, lang), s in sorted(CATALOG.scripts.items()) for q in s.questions
            if q.kind == "open" and q.probe.max_depth and not q.closing]


@pytest.mark.parametrize(("script_id", "lang", "question_id"), _open_questions())
def test_every_question_meets_dont_know_with_a_technique_that_does_not_repeat_it(
        script_id: str, lang: str, question_id: str) -> None:
    # Whatever families a question allows, "I don't know" gets a non-answer's technique (never "What happens when that
    # does not work well today?", about a "that" nobody said), and not the question's own way of asking.
    script = CATALOG.get(script_id, lang)
    question = next(q for q in script.questions if q.id == question_id)
    reply = "I don't know" if lang == "en" else "不知道"
    (p,) = _probes(script_id, lang, question_id, [reply])
    assert p.reason == "dont_know"
    # (to "what have you heard about us?", the hearsay nudge: "not even in passing?")
    assert ".dont_know." in (p.key or "") or ".hearsay_dont_know." in (p.key or ""), (p.key, p.text)
    assert not echoes(p.text, f"{question.text} {question.intent}", lang), (question.text, p.text)
