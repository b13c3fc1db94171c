"""Typing instead of clicking: every choice stored as the right option, one short hint when a reply fits none,
words kept, "None of these" alone, and edits of a typed choice."""

from __future__ import annotations

import pytest

from app import actions
from tests.fakeslack import payloads
from tests.slack.harness import Bot, block_text
from tests.slack.people import answers_of, current, invite, say, send, text_of

pytestmark = pytest.mark.asyncio

OPEN = {"en": "Last quarter we lost 3 deals to a rival whose quote arrived in one day while ours took a week.",
        "zh": "上个季度我们有3个单子输给了对手，他们一天就出报价，我们要一周。"}
# What people type for each closed question of internal-sales, and the option it must be stored as.
TYPED = {
    "en": {"top_value": ("total cost", ["price"]), "kpis": ("win rate and renewal", ["win_rate", "renewal"]),
           "systems_count": ("3", ["two_three"]), "data_where": ("spreadsheets, email", ["spreadsheets", "email"]),
           "data_trust": ("four", ["4"]), "reports": ("forecast, lost deals", ["forecast", "lost_deals"]),
           "field_work": ("yeah", ["yes"])},
    "zh": {"top_value": ("价格", ["price"]), "kpis": ("赢单率和续约率", ["win_rate", "renewal"]),
           "systems_count": ("三个", ["two_three"]), "data_where": ("Excel、邮件", ["spreadsheets", "email"]),
           "data_trust": ("四", ["4"]), "reports": ("销售预测、丢单", ["forecast", "lost_deals"]),
           "field_work": ("是的", ["yes"])},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_whole_interview_typed_stores_every_choice_right(any_db_bot: Bot, lang: str) -> None:
    bot = any_db_bot
    user = f"UTYPE{lang.upper()}"
    await invite(bot, user, "internal-sales", lang)
    await say(bot, user, "start" if lang == "en" else "开始")
    for _ in range(60):
        cursor, pending, status = await current(bot, user)
        if status == "completed":
            break
        if pending:
            reply = await say(bot, user, "skip" if lang == "en" else "跳过")  # the prober's business, not ours
        elif cursor in TYPED[lang]:
            reply = await say(bot, user, TYPED[lang][cursor][0])
            assert (await current(bot, user))[0] != cursor, f"{cursor}: {TYPED[lang][cursor][0]!r} was not taken"
        else:
            reply = await say(bot, user, OPEN[lang])
        shown = text_of(reply)
        assert "buttons" not in shown and "Reply with a number" not in shown and "回复选项编号" not in shown
    else:
        raise AssertionError("the interview did not end")
    stored = {a.question_id: a.choice_values for a in await answers_of(bot, user) if a.choice_values}
    assert stored == {qid: values for qid, (_, values) in TYPED[lang].items()}


async def test_a_reply_that_fits_no_option_gets_one_short_hint_and_words_are_kept(bot: Bot) -> None:
    await invite(bot, "U1", "internal-sales", "zh")
    await say(bot, "U1", "开始")
    while (await current(bot, "U1"))[0] != "top_value":
        await say(bot, "U1", "跳过")
    question = block_text(bot.dms("U1")[-1])
    assert "回复选项编号" not in question and "点按钮" not in question  # a menu: no buttons, no numbers shown
    hints = [await say(bot, "U1", t) for t in ("嗯嗯嗯", "xyz")]
    for hint in hints:
        assert len(hint) == 1 and "最看重" not in text_of(hint), "one short hint, never the question again"
    assert (await current(bot, "U1"))[0] == "top_value"
    need = "预算是年初定死的，超了就要找老板重新批"
    kept = text_of(await say(bot, "U1", need))
    assert "已保存" in kept
    (comment,) = [a for a in await answers_of(bot, "U1") if a.question_id == "top_value"]
    assert comment.text == need and comment.decision == "comment" and comment.choice_values == []
    confirm = text_of(await say(bot, "U1", "八"))  # the 8th option of the menu
    assert (await current(bot, "U1"))[0] != "top_value"
    assert "我理解为" not in confirm, "a number is exact: no confirmation"
    assert [a.choice_values for a in await answers_of(bot, "U1") if a.question_id == "top_value"] == [
        [], ["flexibility"]]


async def test_a_near_match_is_confirmed_and_back_changes_it(bot: Bot) -> None:
    await invite(bot, "U2", "internal-sales")
    await say(bot, "U2", "start")
    while (await current(bot, "U2"))[0] != "top_value":
        await say(bot, "U2", "skip")
    reply = text_of(await say(bot, "U2", "pirce"))
    assert "I took that as “Price / total cost”" in reply and "back" in reply
    await say(bot, "U2", "back")
    await say(bot, "U2", "speed")
    current_answers = [a for a in await answers_of(bot, "U2") if a.question_id == "top_value" and not a.superseded]
    assert [a.choice_values for a in current_answers] == [["speed"]]


async def test_none_of_these_cannot_be_ticked_or_typed_with_another(bot: Bot) -> None:
    await invite(bot, "U3", "internal-sales")
    await say(bot, "U3", "start")
    while (await current(bot, "U3"))[0] != "kpis":
        await say(bot, "U3", "skip")
    typed = text_of(await say(bot, "U3", "Win rate, none of these"))
    assert "can't be ticked together" in typed and (await current(bot, "U3"))[0] == "kpis"
    question = next(m for m in reversed(bot.dms("U3")) if "Which of these numbers" in block_text(m))
    state = {"q:1:kpis": {actions.ACTION_MULTI: {"type": "checkboxes", "selected_options": [
        {"value": "win_rate"}, {"value": "none"}]}}}
    r = await bot.click("U3", question, actions.ACTION_SUBMIT, state=state)
    assert r.status == 200
    await bot.settle()
    assert (await current(bot, "U3"))[0] == "kpis", "the follow-up is not silently skipped"
    assert not [a for a in await answers_of(bot, "U3") if a.question_id == "kpis"]
    await say(bot, "U3", "Win rate")
    assert (await current(bot, "U3"))[0] == "kpi_source", "with Win rate alone the follow-up is asked"


async def test_editing_a_typed_choice_updates_the_choice_and_a_link_preview_is_no_edit(bot: Bot) -> None:
    await invite(bot, "U4")
    await say(bot, "U4", "start")
    first = await bot.say("U4", "1")
    await bot.settle()
    ev = first["event"]
    # The person edits "1" to "No, we left": the stored choice follows, and branching with it.
    note = text_of(await send(bot, "U4", payloads.message_changed("U4", ev["channel"], ev["ts"], "2")))
    assert "No, we left" in note
    (status,) = [a for a in await answers_of(bot, "U4") if a.question_id == "status"]
    assert status.choice_values == ["past"] and status.text == "No, we left"
    # An edit that names no option keeps the answer and says so.
    assert "stays" in text_of(await send(bot, "U4", payloads.message_changed("U4", ev["channel"], ev["ts"],
                                                                               "whatever")))
    # Slack re-sends the message when it adds a link preview: same text, no "edited": nothing is said.
    body = await bot.say("U4", "See https://example.com/our-portal, the order page fails every Monday morning.")
    await bot.settle()
    preview = payloads.message_changed("U4", body["event"]["channel"], body["event"]["ts"],
                                       body["event"]["text"])
    del preview["event"]["message"]["edited"]
    preview["event"]["message"]["attachments"] = [{"title": "Our portal", "from_url": "https://example.com"}]
    assert await send(bot, "U4", preview) == []
    same = payloads.message_changed("U4", body["event"]["channel"], body["event"]["ts"], body["event"]["text"])
    assert await send(bot, "U4", same) == [], "an 'edit' to the same text changes nothing"
