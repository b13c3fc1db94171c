"""Privacy over the fake Slack: "my data" and "delete my data" in a DM, `/cna erase-confirm`, and uninstalling
the app (tokens forgotten, nothing sent any more)."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import select

from storage.models import Identity, Participant, Workspace
from storage.privacy import scrub_sent_outbox
from tests.conftest import SENTINEL
from tests.fakeslack import payloads
from tests.integration.privacy_world import dump, mentions
from tests.slack.harness import LEAD, Bot, block_text

pytestmark = pytest.mark.asyncio

WHO = "U0RESPOND1"


async def run(bot: Bot, user: str, text: str) -> str:
    url = await bot.command(user, text)
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 10, f"answer to /cna {text}")
    await bot.settle()
    return str(bot.fake.response_url_uses(url)[0].body.get("text"))


async def interview(bot: Bot) -> list[str]:
    """WHO answers the mini script by typing; returns the named answers they typed."""
    await run(bot, LEAD, f"invite <@{WHO}|r> mini")
    said = [f"{SENTINEL} onboarding took 3 weeks and cost us a renewal",
            f"{SENTINEL} the portal lost 2 orders in May, so we called 4 times"]
    for text in ("start", "1", said[0], "5", f"{SENTINEL} secret: the account manager never calls back in 2025",
                 "1", "yes"):
        await bot.say(WHO, text)
        await bot.settle()
    return said[:1]


async def test_my_data_and_delete_my_data_in_a_dm(any_db_bot: Bot) -> None:
    bot = any_db_bot
    said = await interview(bot)
    async with bot.deps.db.uow() as uow:
        ident = await uow.session.scalar(select(Identity).where(Identity.slack_user_id == WHO))
        assert ident is not None
        pseudonym = (await uow.session.get(Participant, ident.participant_id)).pseudonym  # type: ignore[union-attr]
    before = len(bot.dms(WHO))

    await bot.say(WHO, "my data")
    await bot.settle()
    up = (await bot.fake.wait_for(lambda _c: [u for u in bot.fake.uploads if u.completed], 10, "the file"))[0]
    assert up.channel_id == f"D{WHO}" and up.filename.endswith(".json")
    assert "What this bot holds about you" in (up.initial_comment or "") and pseudonym in (up.initial_comment or "")
    doc = json.loads((up.data or b"").decode())
    steps = [st["text"] for iv in doc["interviews"] for lad in iv["ladders"] for st in lad["steps"]]
    assert said[0] in steps and not any("secret:" in s for s in steps), "anonymous answers are not theirs to list"
    assert len(bot.dms(WHO)) == before, "the summary is the file's comment, not a stream of JSON DMs"

    await bot.say(WHO, "删除我的数据")
    await bot.settle()
    assert "CNA 负责人会在核实后执行删除" in block_text(bot.dms(WHO)[-1])
    alert = bot.dms(LEAD)[-1]
    assert pseudonym in block_text(alert) and "erase-confirm" in block_text(alert)
    assert "Reminded 0 people" in await run(bot, LEAD, "remind"), "no nudges after an erasure request"

    assert "for the CNA leads only" in await run(bot, "UNOBODY", f"erase-confirm {pseudonym}")
    dms_at_erasure = len(bot.dms(WHO))
    answer = await run(bot, LEAD, f"erase-confirm {pseudonym}")
    assert answer.startswith("Erased:"), answer
    # They asked in Slack, so they are told it is done; that message's outbox row goes once it is sent.
    farewell = (await bot.wait_dms(WHO, dms_at_erasure + 1))[-1]
    assert "您的数据已删除" in block_text(farewell) or "has been erased" in block_text(farewell)
    await bot.settle()
    async with bot.deps.db.uow() as uow:
        await scrub_sent_outbox(uow.session, bot.deps.clock())
        await uow.commit()
    snap = await dump(bot.deps.db)
    for needle in (WHO, pseudonym, *said):
        left = [(t, c) for t, c, row in mentions(snap, needle)
                if (t, c) != ("audit_log", "subject")
                and not ((t, c) == ("inbox", "key") and row["status"] == "erased" and row["payload"] == {})]
        assert not left, (needle, left)
    anon = [a for a in snap["answers"] if "secret:" in a["text"]]
    assert len(anon) == 1 and anon[0]["interview_id"] is None, "the anonymous answer stays, unlinked"
    assert "Nothing was left" in await run(bot, LEAD, f"erase-confirm {pseudonym}")
    assert len(bot.dms(WHO)) == dms_at_erasure + 1, "one farewell, not one per confirmation"


@pytest.mark.parametrize("event", ["app_uninstalled", "tokens_revoked"])
async def test_uninstall_forgets_the_token_and_stops_sending(bot: Bot, event: str) -> None:
    async with bot.deps.db.uow() as uow:
        ws = await uow.session.get(Workspace, bot.deps.identity.team_id)
        assert ws is not None
        ws.bot_token = "xoxb-stored-token-123"
        await uow.commit()
    body = payloads.app_uninstalled() if event == "app_uninstalled" else payloads.tokens_revoked()
    assert (await bot.sender.event(body)).status == 200
    await bot.settle()
    async with bot.deps.db.uow() as uow:
        ws = await uow.session.get(Workspace, bot.deps.identity.team_id)
    assert ws is not None and ws.bot_token is None and ws.revoked_at is not None and ws.halted_reason == event
    assert not mentions(await dump(bot.deps.db), "xoxb-"), "no token is stored anywhere"
    # The lead still gets command answers (response_url needs no token), but nobody is messaged.
    assert "Invited 1 person" in await run_nowait(bot, LEAD, "invite <@U2|x> mini")
    await asyncio.sleep(1.0)
    assert bot.fake.dm_count("U2") == 0
    assert [m.status for m in await bot.outbox(slack_user_id="U2")] == ["pending"]


async def run_nowait(bot: Bot, user: str, text: str) -> str:
    """Like run(), without waiting for the outbox to drain (it never will while sending is halted)."""
    url = await bot.command(user, text)
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 10, f"answer to /cna {text}")
    return str(bot.fake.response_url_uses(url)[0].body.get("text"))
