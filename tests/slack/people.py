"""Helpers for tests that talk to the bot as respondents do: invite, type, read the interview's state back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.interview import InterviewState
from storage.models import Answer, Identity, Interview
from tests.fakeslack import payloads
from tests.fakeslack.records import Message
from tests.slack.harness import LEAD, Bot, block_text


async def lead(bot: Bot, text: str) -> str:
    """`/cna text` from the lead; the text of its private answer."""
    url = await bot.command(LEAD, text)
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 10, f"answer to /cna {text}")
    await bot.settle()
    return str(bot.fake.response_url_uses(url)[0].body.get("text"))


async def lead_reply(bot: Bot, text: str) -> dict[str, Any]:
    """Like lead(), but the whole body of the answer (its blocks too)."""
    url = await bot.command(LEAD, text)
    await bot.fake.wait_for(lambda _c: bot.fake.response_url_uses(url), 10, f"answer to /cna {text}")
    await bot.settle()
    return dict(bot.fake.response_url_uses(url)[0].body)


async def invite(bot: Bot, user: str, script: str = "mini", lang: str | None = None) -> None:
    await lead(bot, f"invite <@{user}|someone> {script}" + (f" --lang {lang}" if lang else ""))
    await bot.wait_dms(user, 1)


async def say(bot: Bot, user: str, text: str, **kw: Any) -> list[Message]:
    """Type a DM, wait until the bot has done everything about it; the DMs it sent in reply."""
    n = len(bot.dms(user))
    await bot.say(user, text, **kw)
    await bot.settle()
    return bot.dms(user)[n:]


async def send(bot: Bot, user: str, body: dict[str, Any]) -> list[Message]:
    """Any signed event (a file share, an edit); the DMs it brought."""
    n = len(bot.dms(user))
    r = await bot.sender.event(body)
    assert r.status == 200, r
    await bot.settle()
    return bot.dms(user)[n:]


def text_of(msgs: list[Message]) -> str:
    return "\n".join(block_text(m) for m in msgs)


async def interview_of(bot: Bot, user: str) -> Interview:
    async with bot.deps.db.uow() as uow:
        s = uow.session
        ident = await s.scalar(select(Identity).where(Identity.slack_user_id == user))
        assert ident is not None
        iv = await s.scalar(select(Interview).where(Interview.participant_id == ident.participant_id)
                            .order_by(Interview.id.desc()).limit(1))
        assert iv is not None
        return iv


async def answers_of(bot: Bot, user: str) -> list[Answer]:
    iv = await interview_of(bot, user)
    return [a for a in await bot.answers(iv.id)]


async def current(bot: Bot, user: str) -> tuple[str | None, bool, str]:
    """(the question the interview waits for, whether a follow-up is pending, its status)."""
    iv = await interview_of(bot, user)
    state = InterviewState.from_dict(iv.state)
    return state.cursor, state.pending is not None, iv.status


async def skip_to_end(bot: Bot, user: str, limit: int = 40) -> None:
    """Start (if needed) and skip every question: a completed interview with no answers."""
    for _ in range(limit):
        _, _, status = await current(bot, user)
        if status == "completed":
            return
        await say(bot, user, "start" if status == "invited" else "skip")
    raise AssertionError("the interview did not end")


def file_share(user: str, text: str, *names: str) -> dict[str, Any]:
    files = [{"id": f"F{i}", "name": n, "title": n, "mimetype": "image/png", "url_private": "https://files/x"}
             for i, n in enumerate(names)]
    return payloads.message_subtype("file_share", user=user, text=text, files=files, upload=True,
                                    display_as_bot=False)


async def click(bot: Bot, user: str, message: Message, action_prefix: str, **kw: Any) -> None:
    r = await bot.click(user, message, action_prefix, **kw)
    assert r.status == 200, r
    await bot.settle()
