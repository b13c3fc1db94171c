"""`/cna` for leads (invite, status, remind, close, assist), the lead-only rule, App Home, Chinese scripts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import actions
from storage.models import Identity, Participant
from tests.fakeslack import payloads
from tests.slack.harness import LEAD, Bot, block_text

pytestmark = pytest.mark.asyncio


async def run(bot: Bot, user: str, text: str) -> str:
    """`/cna text` from `user`; the private answer's text."""
    url = await bot.command(user, text)
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 10, f"answer to /cna {text}")
    await bot.settle()
    return str(bot.fake.response_url_uses(url)[0].body.get("text"))


async def test_lead_commands_are_refused_to_others_without_side_effects(bot: Bot) -> None:
    for text in ("invite <@U2> mini", "status", "remind", "close", 'assist mini "Acme / Jo"', "erase-confirm P-1"):
        answer = await run(bot, "UNOBODY", text)
        assert "for the CNA leads only" in answer
    assert await bot.interviews() == []
    sent = [c for c in bot.fake.calls_to("chat.postMessage")]
    assert sent == [] and bot.fake.views == []
    assert "direct messages" in await run(bot, "UNOBODY", "help")
    assert "/cna invite" in await run(bot, LEAD, "help")


async def test_invite_expands_usergroups_and_channels_once_each(bot: Bot) -> None:
    bot.fake.set_usergroup("S1", ["U1", "U2"])
    bot.fake.add_user("U1", tz="Asia/Shanghai")
    bot.fake.add_user("UROBOT", is_bot=True)
    bot.fake.add_user("UOLD", deleted=True)
    bot.fake.set_channel_members("C1", ["U2", "U3", "UBOT", "UROBOT", "UOLD"])
    answer = await run(bot, LEAD, "invite <!subteam^S1|@sales> <#C1|general> <@U4|dee> mini")
    assert "Invited 4 people" in answer and "2 bot or deactivated account(s) left out" in answer
    assert [bot.fake.dm_count(u) for u in ("U1", "U2", "U3", "U4", "UBOT", "UROBOT", "UOLD")] == [1, 1, 1, 1, 0, 0, 0]
    async with bot.deps.db.uow() as uow:
        ident = await uow.session.scalar(select(Identity).where(Identity.slack_user_id == "U1"))
        p = await uow.session.get(Participant, ident.participant_id)  # type: ignore[union-attr]
    assert p is not None and p.tz == "Asia/Shanghai"
    assert "no script 'nope'" in await run(bot, LEAD, "invite <@U1> nope")
    assert "Usage" in await run(bot, LEAD, "invite mini")
    assert "channel_not_found" in await run(bot, LEAD, "invite <#C404> mini")


async def test_status_remind_close(bot: Bot) -> None:
    await run(bot, LEAD, "invite <@U1> <@U2> <@U3> mini")
    await bot.click("U3", bot.dms("U3")[0], actions.ACTION_DECLINE)
    await bot.click("U2", bot.dms("U2")[0], actions.ACTION_START)
    await bot.settle()
    status = await run(bot, LEAD, "status")
    assert "customer:current*: 0/3 completed" in status and "1 in progress" in status and "1 declined" in status
    assert "Reminded 2 people" in await run(bot, LEAD, "remind")
    assert "Reminded 0 people; 2 were already reminded today" in await run(bot, LEAD, "remind")
    assert bot.fake.dm_count("U3") == 2  # invitation + the note after declining; no reminder
    reminder = bot.dms("U1")[-1]
    assert "gentle reminder" in block_text(reminder)
    assert "Press *Close the round*" in await run(bot, LEAD, "close")  # closing asks first
    assert "expired" not in {iv.status for iv in await bot.interviews()}
    assert "2 unfinished interview(s) expired" in await run(bot, LEAD, "close yes")
    assert {iv.status for iv in await bot.interviews()} == {"expired", "declined"}
    assert "has closed" in block_text(bot.dms("U2")[-1])  # the person mid-interview is told
    await bot.say("U2", "1")
    await bot.settle()
    assert "has closed" in block_text(bot.dms("U2")[-1])


async def test_app_home_for_a_respondent_and_a_lead(bot: Bot) -> None:
    await run(bot, LEAD, "invite <@U1> <@ULEAD> mini")
    for user in ("U1", LEAD):
        assert (await bot.sender.event(payloads.app_home_opened(user))).status == 200
    await bot.settle()
    views = {v.user_id or v.view.get("user_id"): v for v in bot.fake.views}
    published = [c.body for c in bot.fake.calls_to("views.publish")]
    by_user = {b["user_id"]: b["view"] for b in published}
    assert set(by_user) == {"U1", LEAD}, views
    mine = str(by_user["U1"])
    assert actions.ACTION_START in mine and "Mini script for tests" in mine and "Round progress" not in mine
    assert "Round progress" in str(by_user[LEAD]) and "0/2 completed" in str(by_user[LEAD])


async def test_assisted_interview_suggests_follow_ups_to_the_interviewer(bot: Bot) -> None:
    answer = await run(bot, LEAD, 'assist mini “Acme Ltd / Jo Doe”')
    assert "Jo Doe" in answer and "running in our DM" in answer
    brief, q1 = bot.dms(LEAD)[:2]
    assert "You are interviewing *Acme Ltd / Jo Doe*" in block_text(brief) and "pseudonym" in block_text(brief)
    assert "Question 1 of" in block_text(q1)
    await bot.say(LEAD, "1")
    await bot.wait_dms(LEAD, 3)
    await bot.say(LEAD, "Lower prices.")
    probe = (await bot.wait_dms(LEAD, 4))[-1]
    assert (probe.text or "").startswith("Suggested follow-up: ")
    await bot.settle()
    (iv,) = await bot.interviews()
    assert iv.mode == "assisted" and iv.interviewer_slack_id == LEAD and iv.status == "in_progress"
    async with bot.deps.db.uow() as uow:
        p = await uow.session.get(Participant, iv.participant_id)
        ident = await uow.session.scalar(select(Identity).where(Identity.participant_id == iv.participant_id))
    assert p is not None and p.kind == "customer" and ident is not None
    assert (ident.organisation, ident.display_name, ident.slack_user_id) == ("Acme Ltd", "Jo Doe", None)
    # The customer's answers are the interviewer's DMs while it runs; "pause" hands the DM back.
    await bot.say(LEAD, "pause")
    await bot.wait_dms(LEAD, 5)
    await bot.say(LEAD, "hello")
    note = (await bot.wait_dms(LEAD, 6))[-1]
    assert "no interview open" in block_text(note)


async def test_a_chinese_interview_speaks_chinese(bot: Bot) -> None:
    await run(bot, LEAD, "invite <@U1> internal-sales --lang zh")
    inv = bot.dms("U1")[0]
    assert "开始" in str(inv.blocks) and "不参加" in str(inv.blocks)
    await bot.click("U1", inv, actions.ACTION_START)
    q1 = (await bot.wait_dms("U1", 2))[-1]
    assert "第 1 题，共" in block_text(q1)
    await bot.say("U1", "价格便宜")
    probe = (await bot.wait_dms("U1", 3))[-1]
    assert probe.blocks is None and "价格" in (probe.text or "")  # a follow-up, in Chinese
    await bot.say("U1", "暂停")
    paused = (await bot.wait_dms("U1", 4))[-1]
    assert "已暂停" in block_text(paused)
