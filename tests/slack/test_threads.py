"""Replies in a thread: words written under an earlier question are kept with that question, not the current one."""

from __future__ import annotations

from typing import Any

import pytest

from core.notes import ADDENDUM
from tests.fakeslack import payloads
from tests.slack.harness import Bot, block_text
from tests.slack.people import answers_of, current, invite, say, send, text_of

pytestmark = pytest.mark.asyncio

SPECIFIC = "Because our margin dropped 10% last year when suppliers raised costs, we re-quote each order by hand."
LATER = "Also: the hand re-quoting costs Anna two hours every Monday."


def in_thread(user: str, text: str, root: str) -> dict[str, Any]:
    body = payloads.message_im(user, text)
    body["event"]["thread_ts"] = root
    return body


async def at_need(bot: Bot, user: str) -> str:
    """Start the mini script, answer its first question; the ts of the message that asks 'need'."""
    await invite(bot, user)
    await say(bot, user, "start")
    await say(bot, user, "1")
    assert (await current(bot, user))[0] == "need"
    return bot.dms(user)[-1].ts


async def test_a_reply_under_an_earlier_question_is_kept_with_it_and_the_current_one_still_waits(
        any_db_bot: Bot) -> None:
    bot = any_db_bot
    root = await at_need(bot, "U1")
    await say(bot, "U1", SPECIFIC)
    assert (await current(bot, "U1"))[0] == "sat"
    replies = await send(bot, "U1", in_thread("U1", LATER, root))
    assert "added that to your answer to “What matters most to you?”" in text_of(replies)
    assert [r.thread_ts for r in replies] == [root]  # said in the thread the person wrote in
    kept = [a for a in await answers_of(bot, "U1") if a.text == LATER]
    assert [(a.question_id, a.decision) for a in kept] == [("need", "addendum")]
    assert (await current(bot, "U1"))[0] == "sat"  # the scale question was not answered by it
    await say(bot, "U1", "4")
    assert [a.choice_values for a in await answers_of(bot, "U1") if a.question_id == "sat"] == [["4"]]


async def test_a_redelivered_thread_reply_is_kept_once_and_acknowledged_once(bot: Bot) -> None:
    root = await at_need(bot, "U1")
    await say(bot, "U1", SPECIFIC)
    body = in_thread("U1", LATER, root)
    before = len(bot.dms("U1"))
    for retry in (0, 1, 2):
        r = await bot.sender.event(body, **({"retry_num": retry, "retry_reason": "http_timeout"} if retry else {}))
        assert r.status == 200
    await bot.settle()
    assert len([a for a in await answers_of(bot, "U1") if a.text == LATER]) == 1
    assert len(bot.dms("U1")) == before + 1


async def test_a_reply_under_the_question_being_asked_is_its_answer(bot: Bot) -> None:
    root = await at_need(bot, "U1")
    await send(bot, "U1", in_thread("U1", SPECIFIC, root))
    assert [(a.question_id, a.decision) for a in await answers_of(bot, "U1") if a.text == SPECIFIC] == \
        [("need", "specific")]
    assert (await current(bot, "U1"))[0] == "sat"


async def test_a_thread_the_person_started_themselves_answers_the_current_question(bot: Bot) -> None:
    await at_need(bot, "U1")
    mine = payloads.message_im("U1", "hmm let me think")
    await send(bot, "U1", mine)  # not ours: a thread under it is just the conversation
    replies = await send(bot, "U1", in_thread("U1", SPECIFIC, mine["event"]["ts"]))
    assert any(a.question_id == "need" and a.text == SPECIFIC for a in await answers_of(bot, "U1"))
    assert replies and all(r.thread_ts is None for r in replies)  # the interview goes on in the conversation


async def test_after_the_interview_a_reply_under_a_question_is_kept_with_that_question(bot: Bot) -> None:
    root = await at_need(bot, "U1")
    for _ in range(12):
        cursor, _, status = await current(bot, "U1")
        if status == "completed":
            break
        await say(bot, "U1", "skip")
    assert (await current(bot, "U1"))[2] == "completed"
    replies = await send(bot, "U1", in_thread("U1", LATER, root))
    assert "added that to your answer to “What matters most to you?”" in block_text(replies[-1])
    assert replies[-1].thread_ts == root
    kept = [a for a in await answers_of(bot, "U1") if a.text == LATER]
    assert [(a.question_id, a.decision) for a in kept] == [("need", "addendum")]
    assert not [a for a in kept if a.question_id == ADDENDUM]
