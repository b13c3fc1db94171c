"""Shared by the listeners: which interview a DM goes to, who may act on one, and one input -> stored reply."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import blocks as bk
from app import outbox
from app.blocks import Message
from app.interviews import Outcome
from bot import render
from bot.deps import Deps
from bot.worker import Item
from core.events import Completed, Rejected
from core.inputs import Choose, Input, Reply
from core.interview import InterviewState, prompt_for
from core.lang import detect_lang
from core.script import Script
from storage import repos
from storage.models import Identity, Interview, Participant

Extra = Callable[[AsyncSession, Interview, Outcome], Awaitable[None]]


def unescape(text: str) -> str:
    """Slack escapes &, < and > in message text; answers are stored as the person typed them."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Slack rewrites what people type: "acme.com" arrives as <http://acme.com|acme.com>, an e-mail address as
# <mailto:a@b.com|a@b.com>, "@Anna" as <@U0ANNA>, "#sales" as <#C01|sales>, "@here" as <!here>.
_MARKUP = re.compile(r"<([^<>|\s]+)(?:\|([^<>]*))?>")


def _as_typed(m: re.Match[str]) -> str:
    target, label = m.group(1), m.group(2)
    if target[:2] in ("@U", "@W"):
        # A colleague's Slack id is no part of the answer and would link it to them: who is named stays unsaid.
        return f"@{label}" if label else "@someone"
    if target.startswith("#C"):
        return f"#{label}" if label else "#channel"
    if target.startswith("!"):
        return label or "@" + target[1:].split("^")[0]
    target = target.removeprefix("mailto:")
    if not label or label == target.split("://", 1)[-1] or label == target:
        return label or target
    return f"{label} ({target})"  # a link whose words differ from where it goes: both are what was sent


def answer_text(text: str) -> str:
    """A DM's text as the person typed it: links, addresses and mentions back to their words, then unescaped."""
    return unescape(_MARKUP.sub(_as_typed, text))


async def route_dm(s: AsyncSession, user: str) -> Interview | None:
    """The interview a DM from `user` belongs to: an assisted interview they are running, else their own
    (in progress first, then paused, then invited)."""
    assisted = await s.scalar(select(Interview).where(
        Interview.interviewer_slack_id == user, Interview.mode == "assisted", Interview.status == "in_progress")
        .order_by(Interview.last_activity_at.desc()).limit(1))
    if assisted is not None:
        return assisted
    ident = await s.scalar(select(Identity).where(Identity.slack_user_id == user))
    if ident is None:
        return None
    mine = [iv for iv in await repos.active_interviews(s, ident.participant_id) if iv.mode != "assisted"]
    for status in ("in_progress", "paused", "invited"):
        for iv in mine:
            if iv.status == status:
                return iv
    return None


async def participant_of(s: AsyncSession, user: str) -> Participant | None:
    ident = await s.scalar(select(Identity).where(Identity.slack_user_id == user))
    return await s.get(Participant, ident.participant_id) if ident is not None else None


async def user_lang(s: AsyncSession, user: str, text: str = "") -> str:
    """The person's language; for someone we do not know (or no longer know), the language they wrote in."""
    p = await participant_of(s, user)
    if p is None:
        return detect_lang(text) if text.strip() else "en"
    return p.lang if p.lang in ("en", "zh") else "en"


def current_question(iv: Interview, script: Script) -> Message | None:
    """The question (or follow-up) an interview in progress waits for, to show again after an aside."""
    if iv.status != "in_progress":
        return None
    state = InterviewState.from_dict(iv.state)
    if state.cursor is None:
        return None
    if state.pending is not None:
        return render.plain(bk.escape(state.pending.text))
    return render.question(iv.id, prompt_for(script, state, state.cursor), script.lang)


async def may_act(s: AsyncSession, iv: Interview, user: str) -> bool:
    """Only the respondent (or, in assisted mode, the interviewer) may answer, start or decline."""
    if iv.mode == "assisted":
        return bool(iv.interviewer_slack_id) and iv.interviewer_slack_id == user
    ident = await repos.identity_of(s, iv.participant_id)
    return ident is not None and ident.slack_user_id == user


def recipient(iv: Interview, user: str) -> str:
    return iv.interviewer_slack_id if iv.mode == "assisted" and iv.interviewer_slack_id else user


async def summary_of(s: AsyncSession, iv: Interview, script: Script) -> list[tuple[str, list[Any]]]:
    """(question, answers) in script order, read in the caller's transaction (the last answer included)."""
    by_q: dict[str, list[Any]] = {}
    for a in await repos.answers_of(s, iv.id):
        by_q.setdefault(a.question_id, []).append(a)
    return [(q.text, by_q[q.id]) for q in script.questions if q.id in by_q]


async def queue_reply(deps: Deps, s: AsyncSession, item: Item, iv: Interview, outcome: Outcome,
                      private: frozenset[str] = frozenset()) -> list[Message]:
    """Render the outcome and queue it for the person, under keys derived from the inbound event.
    Rejections named in `private` are left out (a click answers those ephemerally instead)."""
    script = outcome.script
    events = [e for e in outcome.events if not (isinstance(e, Rejected) and e.why in private)]
    completed = any(isinstance(e, Completed) for e in events)
    summary = await summary_of(s, iv, script) if completed else []
    msgs = render.outcome_messages(iv.id, events, script.lang, assisted=iv.mode == "assisted",
                                   outro=script.outro if completed else None, summary=summary)
    await outbox.post_many(s, f"reply:{item.key}", recipient(iv, item.user or ""), msgs)
    return msgs


async def apply(deps: Deps, item: Item, interview_id: int, inp: Input, extra: Extra | None = None,
                private: frozenset[str] = frozenset()) -> Outcome:
    """Run one input through the interview service; the reply, any `extra` writes and the inbox row's
    'done' are committed in the same transaction as the answer, so a crash never answers twice or not at all."""
    source = item.key if isinstance(inp, (Reply, Choose)) else None

    async def before_commit(s: AsyncSession, iv: Interview, outcome: Outcome) -> None:
        await queue_reply(deps, s, item, iv, outcome, private)
        if extra is not None:
            await extra(s, iv, outcome)
        await item.mark_done(s, deps.clock())

    outcome = await deps.service.handle(interview_id, inp, source_event_id=source, before_commit=before_commit)
    deps.outbox_wake.set()
    return outcome


async def note(deps: Deps, item: Item, to: str, text: str, n: int = 0) -> None:
    """A short DM in reply to an inbound event (text already escaped where it echoes input); marks it done."""
    async with deps.db.uow() as uow:
        await outbox.post(uow.session, f"reply:{item.key}:{n}", to, render.plain(text))
        await item.mark_done(uow.session, deps.clock())
        await uow.commit()
    deps.outbox_wake.set()


async def note_kept(deps: Deps, item: Item, stored: int | None) -> None:
    """After InterviewService.add_note: a redelivered message (kept already, None) is marked done here, since the
    acknowledgement that marks it in the same transaction did not run; the sender wakes either way."""
    if stored is None:
        async with deps.db.uow() as uow:
            await item.mark_done(uow.session, deps.clock())
            await uow.commit()
    deps.outbox_wake.set()


async def question_words(deps: Deps, s: AsyncSession, iv: Interview, question_id: str) -> str:
    """A question's text as an acknowledgement quotes it: clipped and escaped for Slack."""
    script = await deps.service.script_for(s, iv)
    return bk.escape(bk.clip(script.question(question_id).text, 120))
