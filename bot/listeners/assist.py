"""Assisted mode: an interviewer runs a customer's interview in their own DM and gets suggested follow-ups."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app import blocks as bk
from app import outbox
from app.blocks import Message
from app.interviews import Outcome
from app.phrases import say
from bot.conversation import queue_reply
from bot.deps import Deps
from bot.worker import Item
from core.inputs import Start
from core.interview import FINISHED
from core.script import Script
from storage import repos
from storage.models import Interview


def briefing(script: Script, who: str) -> Message:
    """What the interviewer reads out first: the script's purpose and consent, framed for them."""
    lang = script.lang
    text = say(lang, "assisted.intro", who=bk.escape(who), title=bk.escape(script.title))
    out = [*bk.section(text), bk.divider(), *bk.section(bk.escape(script.intro.strip())),
           *bk.section(bk.escape(script.consent.strip()))]
    return Message(text, out)


async def start_assisted(deps: Deps, item: Item, script_id: str, who: str, lang: str) -> str:
    """Create or resume the customer's interview with this lead as interviewer and send the first question."""
    user = item.user or ""
    if lang not in ("en", "zh"):
        return "Use `--lang en` or `--lang zh`."
    try:
        script = deps.service.catalog.get(script_id, lang)
    except KeyError as exc:
        return bk.escape(str(exc.args[0]))
    aud = script.audience
    async with deps.db.uow() as uow:
        a = await repos.current_assessment(uow.session)
        if a is None or a.status != "open":
            return "There is no open assessment round. Create one with `cna assessment create --name ...`."
        p = await repos.participant_for_name(uow.session, who, kind=aud.kind, role=aud.role, segment=aud.segment,
                                             lang=script.lang)
        await uow.commit()
    iv, _ = await deps.service.open_interview(assessment_id=a.id, participant_id=p.id, script_id=script.id,
                                              lang=script.lang, mode="assisted", interviewer_slack_id=user)
    if iv.status in FINISHED:
        return f"The interview with {bk.escape(who)} is already {iv.status} in this round."
    if iv.mode != "assisted" or iv.interviewer_slack_id != user:
        return f"The interview with {bk.escape(who)} is run by someone else (or outside Slack); nothing changed."

    async def before_commit(s: AsyncSession, row: Interview, outcome: Outcome) -> None:
        await outbox.post(s, f"reply:{item.key}:brief", user, briefing(script, who))
        await queue_reply(deps, s, item, row, outcome)

    await deps.service.handle(iv.id, Start(), before_commit=before_commit)
    async with deps.db.uow() as uow:
        # The most recent activity decides where the interviewer's DMs go: this interview, now.
        await uow.session.execute(update(Interview).where(Interview.id == iv.id)
                                  .values(last_activity_at=deps.clock()))
        await uow.commit()
    deps.outbox_wake.set()
    return f"Assisted interview with *{bk.escape(who)}* ({bk.escape(script.title)}) is running in our DM."
