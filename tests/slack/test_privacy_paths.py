"""Privacy and odd deliveries as a respondent meets them: erasure stops the interview, "my data" reads as a summary
and a file, user-token revocations, malformed users, strangers writing in Chinese, re-invites in another language."""

from __future__ import annotations

import json

import pytest

from app import actions
from bot import render
from core.events import Prompt
from storage.models import Participant, Workspace
from tests.fakeslack import payloads
from tests.slack.harness import LEAD, Bot, block_text
from tests.slack.people import answers_of, click, current, interview_of, invite, lead, say, text_of


async def test_delete_my_data_ends_the_interview_and_nothing_after_it_is_stored(any_db_bot: Bot) -> None:
    bot = any_db_bot
    await invite(bot, "U1")
    await say(bot, "U1", "start")
    question = bot.dms("U1")[-1]
    reply = text_of(await say(bot, "U1", "删除我的数据"))
    assert "访谈已停止" in reply and "完成后我会在这里告诉您" in reply
    assert (await interview_of(bot, "U1")).status == "declined"
    # No more questions, nothing stored: a typed answer, a click on the old question, an edit.
    after = await say(bot, "U1", "1")
    assert "不会保存" in text_of(after) or "not keeping" in text_of(after)
    await click(bot, "U1", question, actions.ACTION_CHOICE, label="Yes, still a customer")
    assert not await answers_of(bot, "U1")
    assert "Reminded 0 people" in await lead(bot, "remind")
    # The lead confirms; the person is told it is done.
    async with bot.deps.db.uow() as uow:
        iv = await interview_of(bot, "U1")
        pseudonym = (await uow.session.get(Participant, iv.participant_id)).pseudonym  # type: ignore[union-attr]
    assert (await lead(bot, f"erase-confirm {pseudonym}")).startswith("Erased:")
    await bot.settle()
    assert "has been erased" in block_text(bot.dms("U1")[-1])


async def test_my_data_is_a_short_summary_in_their_language_one_file_and_the_question_again(bot: Bot) -> None:
    await invite(bot, "UZ", "customer-current", "zh")
    await say(bot, "UZ", "开始")
    cursor, _, _ = await current(bot, "UZ")
    dms = await say(bot, "UZ", "我的数据")
    (upload,) = [u for u in bot.fake.uploads if u.completed]
    comment = upload.initial_comment or ""
    assert "本机器人保存的与您有关的数据" in comment and "化名" in comment and len(comment) < 1500
    doc = json.loads((upload.data or b"").decode())
    assert doc["format"] == "cna-subject-access" and doc["found"]
    # The question they were on comes back, so the interview carries on where it was.
    assert len(dms) == 1 and (await current(bot, "UZ"))[0] == cursor
    assert block_text(dms[0]).strip(), "the current question is shown again"


async def test_a_user_token_revocation_does_not_halt_sending(bot: Bot) -> None:
    body = payloads.tokens_revoked(oauth=["U9"], bot=[])
    assert (await bot.sender.event(body)).status == 200
    await bot.settle()
    async with bot.deps.db.uow() as uow:
        ws = await uow.session.get(Workspace, bot.deps.identity.team_id)
    assert ws is None or not ws.halted_reason
    await invite(bot, "U2")  # delivered: sending goes on
    assert bot.fake.dm_count("U2") == 1
    # The bot's own token in the list still halts.
    assert (await bot.sender.event(payloads.tokens_revoked(bot=["UBOT"]))).status == 200
    await bot.settle()
    async with bot.deps.db.uow() as uow:
        ws = await uow.session.get(Workspace, bot.deps.identity.team_id)
    assert ws is not None and ws.halted_reason == "tokens_revoked"


@pytest.mark.parametrize("field", ["user", "channel", "ts", "text"])
@pytest.mark.parametrize("value", [{"id": "U1"}, ["U1"], 5, "U" * 400])
async def test_a_signed_event_with_a_field_of_the_wrong_type_gets_no_500(bot: Bot, field: str, value: object) -> None:
    body = payloads.message_im("U1", "hello")
    body["event"][field] = value
    r = await bot.sender.event(body)
    assert r.status < 500, r
    await bot.settle()
    assert await bot.inbox_count() == 0 or (field == "text" and isinstance(value, str))


async def test_strangers_writing_in_chinese_are_answered_in_chinese(bot: Bot) -> None:
    assert "您目前没有待完成的访谈" in text_of(await say(bot, "UNEW", "你好，我想反馈一个问题"))
    assert "no interview open" in text_of(await say(bot, "UNEW2", "hello there"))


async def test_re_inviting_in_chinese_switches_an_unstarted_interview(bot: Bot) -> None:
    await invite(bot, "U3", "customer-current")
    answer = await lead(bot, "invite <@U3|x> customer-current --lang zh")
    assert "switched to Chinese" in answer
    assert (await interview_of(bot, "U3")).lang == "zh"
    inv = await bot.wait_dms("U3", 2)
    assert "开始" in str(inv[-1].blocks)
    assert "第 1 题" in text_of(await say(bot, "U3", "开始"))
    # Once started, a re-invite says the interview goes on in its language and changes nothing.
    answer = await lead(bot, "invite <@U3|x> customer-current --lang en")
    assert "continue in it" in answer and (await interview_of(bot, "U3")).lang == "zh"


def test_the_anonymity_notice_is_said_once() -> None:
    own = Prompt("q", "open", "This answer is anonymous: it is stored without your name. Anything else?", None, 1, 2,
                 anonymous=True)
    plain = Prompt("q", "open", "Anything you would not say with your name on it?", None, 1, 2, anonymous=True)
    assert str(render.question(1, own, "en").blocks).lower().count("anonymous") == 1
    assert str(render.question(1, plain, "en").blocks).lower().count("anonymous") == 1
    zh = Prompt("q", "open", "本题为匿名作答，保存时不含您的姓名。", None, 1, 2, anonymous=True)
    assert str(render.question(1, zh, "zh").blocks).count("匿名") == 1


async def test_lead_commands_still_work_for_someone_who_asked_to_be_erased(bot: Bot) -> None:
    await say(bot, LEAD, "delete my data")  # a lead with no interview: nothing to erase, and no harm done
    assert "Nobody invited yet" in await lead(bot, "status")
