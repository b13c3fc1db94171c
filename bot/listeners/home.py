"""App Home: a respondent sees their open interviews with Start / Resume; a lead also sees the round's progress."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import actions, outbox
from app import blocks as bk
from app.phrases import say
from bot.alerts import leads_of
from bot.deps import Deps
from bot.worker import Item
from core.script import Script
from storage import repos
from storage.models import Answer, Identity, Interview


async def script_of(deps: Deps, s: AsyncSession, iv: Interview) -> Script:
    """The script exactly as the interview runs it (frozen version)."""
    return await deps.service.script_for(s, iv)


async def on_app_home_opened(deps: Deps, item: Item) -> None:
    user = item.user or ""
    async with deps.db.uow() as uow:
        s = uow.session
        view = await home_view(deps, s, user)
        await outbox.publish_home(s, f"home:{item.key}", user, view)
        await item.mark_done(s, deps.clock())
        await uow.commit()
    deps.outbox_wake.set()


async def home_view(deps: Deps, s: AsyncSession, user: str) -> dict[str, Any]:
    ident = await s.scalar(select(Identity).where(Identity.slack_user_id == user))
    mine = [iv for iv in await repos.active_interviews(s, ident.participant_id) if iv.mode != "assisted"] \
        if ident is not None else []
    lang = mine[0].lang if mine else "en"
    out: list[bk.Block] = [bk.header(say(lang, "home.title"))]
    if not mine:
        out.extend(bk.section(say(lang, "home.none")))
    for iv in mine[:20]:
        script = await script_of(deps, s, iv)
        answered = await s.scalar(select(func.count(func.distinct(Answer.question_id)))
                                  .where(Answer.interview_id == iv.id, Answer.superseded.is_(False))) or 0
        status = say(script.lang, f"home.status.{iv.status}", answered=answered)
        action = actions.ACTION_START if iv.status == "invited" else actions.ACTION_RESUME
        label = say(script.lang, "button.start" if iv.status == "invited" else "button.resume")
        out.append({**bk.section(say(script.lang, "home.item", title=bk.escape(script.title), status=status))[0],
                    "accessory": bk.button(label, action, str(iv.id), "primary")})
    if user in await leads_of(s, deps.settings.leads):
        out.extend(await round_progress(s))
    return bk.home_view(out)


async def round_progress(s: AsyncSession) -> list[bk.Block]:
    """The current round per segment: completed / started / invited / declined."""
    from bot.listeners.commands import status_text

    a = await repos.current_assessment(s)
    if a is None:
        return [bk.divider(), *bk.section("No assessment round yet: `cna assessment create`.")]
    return [bk.divider(), bk.header(say("en", "home.round", name=a.name)), *bk.section(await status_text(s, a))]
