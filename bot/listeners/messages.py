"""DMs to the bot: answers, command words (skip, back, pause, help), files, and edits of earlier answers."""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import blocks as bk
from app import outbox
from app.interviews import Outcome
from app.phrases import say
from bot import afterwards, privacy_dm, render, threads
from bot.conversation import (
    Extra,
    answer_text,
    apply,
    note,
    note_kept,
    participant_of,
    question_words,
    route_dm,
    user_lang,
)
from bot.deps import Deps
from bot.worker import Item
from core.consent import starts_interview
from core.inputs import Input, Reply, Start
from core.interview import InterviewState
from core.notes import ADDENDUM
from storage import repos
from storage.models import Answer, Interview
from storage.privacy import open_requests

log = logging.getLogger("cna.slack.messages")


async def on_message(deps: Deps, item: Item) -> None:
    """A DM: the answer to the current question (or a command word) of the interview it belongs to; after the
    interview, an afterthought; from someone who asked to be erased, nothing is kept."""
    user = item.user or ""
    event = item.payload.get("event") or {}
    text = answer_text(str(event.get("text") or ""))
    files = afterwards.file_names(event)
    if await privacy_dm.handle_dm(deps, item, text):
        return  # "my data" / "delete my data": answered by the privacy module
    async with deps.db.uow() as uow:
        s = uow.session
        iv = await route_dm(s, user)
        lang = iv.lang if iv is not None else await user_lang(s, user, text)
        due = await _erasure_due(s, user) if iv is None or iv.mode != "assisted" else None
    if due is not None:
        await note(deps, item, user, say(lang, "opted_out", due=due or "-"))
        return
    if iv is None:
        await afterwards.handle(deps, item, text, files)
        return
    if iv.status != "invited" and (root := threads.thread_root(event)):
        async with deps.db.uow() as uow:
            asked = await threads.asked_under(uow.session, user, root)
        if asked is not None and asked[0] == iv.id and asked[1] != InterviewState.from_dict(iv.state).cursor:
            # A reply under an earlier question belongs with that question, not with the one being asked now.
            await _add_to_earlier(deps, item, iv, asked[1], afterwards.with_files(text, files, iv.lang), root)
            return
    inp: Input
    if iv.status == "invited":
        # Consent comes first: the Start button, a start word, or a plain yes to the consent question.
        if not starts_interview(text):
            await note(deps, item, user, say(lang, "start_first.kept"))
            return
        inp = Start()
    elif not text.strip() and files:
        await _file_only(deps, item, iv, files)
        return
    else:
        inp = Reply(text)
    await apply(deps, item, iv.id, inp, extra=_note_files(deps, item, iv, files) if files else None)


async def _erasure_due(s: AsyncSession, user: str) -> str | None:
    """The deadline of the person's open erasure request ("" when opted out without one), or None."""
    p = await participant_of(s, user)
    if p is None or not p.opted_out:
        return None
    return next((r.due_by for r in await open_requests(s) if r.pseudonym == p.pseudonym), "")


def _note_files(deps: Deps, item: Item, iv: Interview, files: list[str]) -> Extra:
    """A message with files answered the question in words: its stored text notes the files' names."""
    async def extra(s: AsyncSession, row: Interview, outcome: Outcome) -> None:
        for aid in outcome.answer_ids[:1]:
            a = await s.get(Answer, aid)
            if a is not None and not a.choice_values:
                a.text = afterwards.with_files(a.text, files, row.lang)
                return
        if outcome.answer_ids:  # a choice: the file is noted beside it, on the same question
            a = await s.get(Answer, outcome.answer_ids[0])
            if a is not None:
                await _store_note(deps, s, row, a.question_id, afterwards.with_files("", files, row.lang), item)

    return extra


async def _store_note(deps: Deps, s: AsyncSession, iv: Interview, question_id: str, text: str, item: Item) -> None:
    a = Answer(assessment_id=iv.assessment_id, interview_id=iv.id, ladder_key=secrets.token_hex(8),
               script_id=iv.script_id, question_id=question_id, segment=iv.segment, lang=iv.lang, step=0,
               decision="attachment", text=text, choice_values=[], source_event_id=f"{item.key}:file",
               created_at=deps.clock())
    s.add(a)
    await s.flush()
    await repos.add_auto_codings(s, a.id, deps.service.catalog.coder.code(text, iv.lang), created_at=a.created_at)


async def _file_only(deps: Deps, item: Item, iv: Interview, files: list[str]) -> None:
    """A file without words: its name is noted on the current question, and the person is asked to describe it."""
    state = InterviewState.from_dict(iv.state)
    question = state.cursor or ADDENDUM
    lang = iv.lang
    names = bk.escape(", ".join(files))

    async def ack(s: AsyncSession, row: Interview, answer_id: int) -> None:
        reply = render.plain(say(lang, "file.describe", names=names))
        await outbox.post(s, f"reply:{item.key}:0", item.user or "", reply)
        await item.mark_done(s, deps.clock())

    stored = await deps.service.add_note(iv.id, question, afterwards.with_files("", files, lang), "attachment",
                                         item.key, before_commit=ack)
    await note_kept(deps, item, stored)


async def _add_to_earlier(deps: Deps, item: Item, iv: Interview, question_id: str, text: str, root: str) -> None:
    """Words written in the thread of an earlier question: kept with that question, and said so in that thread;
    the current one still waits."""
    async def ack(s: AsyncSession, row: Interview, answer_id: int) -> None:
        asked = await question_words(deps, s, row, question_id)
        await outbox.post(s, f"reply:{item.key}:0", item.user or "",
                          replace(render.plain(say(row.lang, "thread.added", question=asked)), thread_ts=root))
        await item.mark_done(s, deps.clock())

    stored = await deps.service.add_note(iv.id, question_id, text, "addendum", item.key, before_commit=ack)
    await note_kept(deps, item, stored)


async def on_message_changed(deps: Deps, item: Item) -> None:
    """The person edited a message that carried an answer: the stored answer follows the edit. Slack sends the
    same event when it adds a link preview; that is no edit, and nothing is said."""
    ev = item.payload.get("event") or {}
    msg = ev.get("message") or {}
    if not msg.get("edited"):
        return  # a link unfurl or another change Slack made, not the person
    async with deps.db.uow() as uow:
        s = uow.session
        p = await participant_of(s, item.user or "")
        if p is not None and p.opted_out:
            return  # asked to be erased: nothing they write is kept, edits included
        lang = await user_lang(s, item.user or "")
    original = f"msg:{ev.get('channel')}:{msg.get('ts')}"
    result = await deps.service.edit_answer(original, answer_text(str(msg.get("text") or "")))
    if result.status == "updated":
        async with deps.db.uow() as uow:
            choice = await uow.session.scalar(select(Answer.choice_values).where(
                Answer.source_event_id == original))
        text = say(lang, "edited.choice", answer=bk.escape(bk.clip(result.answer, 300))) if choice else \
            say(lang, "edited")
        await note(deps, item, item.user or "", text)
    elif result.status == "unmatched":
        await note(deps, item, item.user or "", say(lang, "edit.unmatched",
                                                    answer=bk.escape(bk.clip(result.answer, 300))))
    # unchanged / unknown: an edited greeting or command word, or the same text: nothing to update or say

