"""What happens around the questions: afterthoughts, files, a closed (and reopened) round, declining and coming back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import actions
from core.access import Reviewer
from core.notes import ADDENDUM
from reports.data import load_answers
from storage.models import Coding, Interview
from tests.fakeslack import payloads
from tests.slack.harness import LEAD, Bot, block_text
from tests.slack.people import (
    answers_of,
    click,
    current,
    file_share,
    interview_of,
    invite,
    lead,
    lead_reply,
    say,
    send,
    skip_to_end,
    text_of,
)

pytestmark = pytest.mark.asyncio


async def test_an_afterthought_after_the_end_is_kept_coded_reported_and_acknowledged(any_db_bot: Bot) -> None:
    bot = any_db_bot
    await invite(bot, "U1")
    await skip_to_end(bot, "U1")
    thanks = block_text(bot.dms("U1")[-1])
    assert "Thanks." in thanks and "That's everything. Thank you" not in thanks  # one thank-you: the outro
    said = "Oh, one more thing: the quote tool also crashes, and the price of the add-on is far too high."
    reply = text_of(await say(bot, "U1", said))
    assert "added that to your interview answers" in reply
    (a,) = [x for x in await answers_of(bot, "U1") if x.question_id == ADDENDUM]
    assert a.text == said and a.decision == "addendum"
    async with bot.deps.db.uow() as uow:
        codes = (await uow.session.scalars(select(Coding.code_id).where(Coding.answer_id == a.id))).all()
        rows = (await load_answers(uow.session, [a.assessment_id], Reviewer(name="t"))).answers
    assert codes, "an afterthought is coded like any answer"
    assert [r.question_text for r in rows if r.id == a.id] == ["Added after the interview (in the person's own words)"]
    # Manners and command words after the end are answered, not stored.
    assert "welcome" in text_of(await say(bot, "U1", "thanks!"))
    assert "finished" in text_of(await say(bot, "U1", "start"))
    assert len([x for x in await answers_of(bot, "U1") if x.question_id == ADDENDUM]) == 1


async def test_a_chinese_afterthought_is_acknowledged_in_chinese(bot: Bot) -> None:
    await invite(bot, "UZ1", "customer-current", "zh")
    await skip_to_end(bot, "UZ1")
    anon = [m for m in bot.dms("UZ1") if "本题为匿名作答" in block_text(m)]
    assert len(anon) == 1 and str(anon[0].blocks).count("匿名") == 1, "the anonymity notice is said once"
    reply = text_of(await say(bot, "UZ1", "还有一点：报价工具经常崩溃，我们上个月因此丢了一个单子。"))
    assert "已把这条补充加入您的访谈回答" in reply
    assert [a.question_id for a in await answers_of(bot, "UZ1")] == [ADDENDUM]


async def test_a_file_is_answered_and_its_name_noted(bot: Bot) -> None:
    await invite(bot, "U2")
    await say(bot, "U2", "start")
    await say(bot, "U2", "1")
    assert (await current(bot, "U2"))[0] == "need"
    # A screenshot without words: its name is noted on the question and the person is asked to describe it.
    reply = text_of(await send(bot, "U2", file_share("U2", "", "crash.png")))
    assert "crash.png" in reply and "what it shows" in reply
    assert (await current(bot, "U2"))[0] == "need"
    # With words: they are the answer, and the file's name is kept with them.
    await send(bot, "U2", file_share("U2", "The quote tool crashes whenever we attach a PDF, 3 times last week.",
                                     "crash2.png"))
    need = [a for a in await answers_of(bot, "U2") if a.question_id == "need"]
    assert [a.decision for a in need][0] == "attachment" and "crash.png" in need[0].text
    assert "3 times last week" in need[1].text and "[Attached file: crash2.png]" in need[1].text
    await skip_to_end(bot, "U2")
    reply = text_of(await send(bot, "U2", file_share("U2", "and this one, from today", "today.png")))
    assert "added that" in reply
    (extra,) = [a for a in await answers_of(bot, "U2") if a.question_id == ADDENDUM]
    assert "from today" in extra.text and "today.png" in extra.text


async def test_close_asks_first_tells_people_keeps_their_words_and_reopen_undoes_it(any_db_bot: Bot) -> None:
    bot = any_db_bot
    await invite(bot, "U3")
    await say(bot, "U3", "start")
    await say(bot, "U3", "1")
    await invite(bot, "U4")  # invited, never started
    body = await lead_reply(bot, "close")
    assert "Close round" in str(body.get("text")) and "1 interview(s) in progress" in str(body.get("text"))
    assert (await interview_of(bot, "U3")).status == "in_progress", "nothing closes before the lead confirms"
    button = next(el for b in body["blocks"] if b["type"] == "actions" for el in b["elements"])
    assert button["action_id"] == actions.ACTION_CLOSE_ROUND
    # Someone else cannot press the lead's button.
    for who in ("UNOBODY", LEAD):
        press = payloads.block_actions(who, button["action_id"], button["value"], f"close.{button['value']}",
                                       "C111", "1.0", response_url=bot.fake.new_response_url())
        assert (await bot.sender.action(press)).status == 200
        await bot.settle()
        if who == "UNOBODY":
            assert (await interview_of(bot, "U3")).status == "in_progress"
    assert (await interview_of(bot, "U3")).status == "expired"
    notice = block_text(bot.dms("U3")[-1])
    assert "has closed" in notice and "kept" in notice
    assert len(bot.dms("U4")) == 1, "people who never started are not messaged"
    # What they write after the close is kept, with a way to have it discarded.
    ack = await say(bot, "U3", "We also lose orders when the portal is down on Mondays.")
    assert "has closed" in text_of(ack) and "Don't keep it" in str(ack[-1].blocks)
    kept = [a for a in await answers_of(bot, "U3") if a.question_id == ADDENDUM]
    assert len(kept) == 1
    await click(bot, "U3", ack[-1], actions.ACTION_DISCARD)
    assert not [a for a in await answers_of(bot, "U3") if a.question_id == ADDENDUM]
    assert "deleted" in str(ack[-1].updates[-1]["blocks"])
    # /cna reopen puts every interview back as it was and tells the person.
    assert "Reopened round" in await lead(bot, "reopen")
    assert (await interview_of(bot, "U3")).status == "in_progress"
    assert (await interview_of(bot, "U4")).status == "invited"
    assert "open again" in block_text(bot.dms("U3")[-1])
    assert "What matters most" in text_of(await say(bot, "U3", "resume"))


async def test_close_yes_closes_at_once(bot: Bot) -> None:
    await invite(bot, "U5")
    assert "Closed round" in await lead(bot, "close yes")
    assert (await interview_of(bot, "U5")).status == "expired"
    assert "can no longer be started" in text_of(await say(bot, "U5", "hello?"))


async def test_declining_can_be_undone_by_button_or_by_typing_start(bot: Bot) -> None:
    for user in ("U6", "U7", "U8"):
        await invite(bot, user)
        await click(bot, user, bot.dms(user)[0], actions.ACTION_DECLINE)
        msg = bot.dms(user)[-1]
        assert "thank you for letting us know" in block_text(msg) and "Changed my mind" in str(msg.blocks)
    # Typing start after declining: taking part after all (before, it said "no interview open").
    reply = text_of(await say(bot, "U6", "start"))
    assert "after all" in reply and "Are you still a customer?" in reply
    assert (await interview_of(bot, "U6")).status == "in_progress"
    # The button, within its time.
    decline_msg = bot.dms("U7")[-1]
    await click(bot, "U7", decline_msg, actions.ACTION_RECONSIDER)
    assert (await interview_of(bot, "U7")).status == "in_progress"
    assert "Are you still a customer?" in block_text(bot.dms("U7")[-1])
    assert "changed your mind" in str(decline_msg.updates[-1]["blocks"])
    # The button after its time: a private note, nothing changes; typing start still works.
    iv = await interview_of(bot, "U8")
    async with bot.deps.db.uow() as uow:
        await uow.session.execute(update(Interview).where(Interview.id == iv.id)
                                  .values(ended_at=bot.deps.clock() - timedelta(days=8)))
        await uow.commit()
    await click(bot, "U8", bot.dms("U8")[-1], actions.ACTION_RECONSIDER)
    assert (await interview_of(bot, "U8")).status == "declined"
    assert any("expired" in str(p.body) for p in bot.fake.response_url_posts)
    # Anything else a decliner writes is not kept.
    assert "not keeping" in text_of(await say(bot, "U8", "I declined because the CRM is useless"))
    assert not await answers_of(bot, "U8")
