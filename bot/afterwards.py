"""A DM when no interview is running: an afterthought kept as an addendum, a closed round, a declined interview."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import blocks as bk
from app import outbox
from app.phrases import say
from bot import render
from bot.conversation import apply, note, note_kept, participant_of, question_words
from bot.deps import Deps
from bot.threads import asked_under, thread_root
from bot.worker import Item
from core.commands import normalise, parse_command
from core.inputs import Reconsider
from core.lang import detect_lang
from core.notes import ADDENDUM
from storage.models import Answer, Assessment, Interview

# Said after the end, these are manners, not afterthoughts: answered, not stored.
PLEASANTRIES = frozenset({"thanks", "thank you", "thx", "ty", "ok", "okay", "cool", "great", "bye", "goodbye",
                          "cheers", "you're welcome", "no problem", "👍", ":+1:", ":thumbsup:", "🙏", "谢谢",
                          "多谢", "谢谢你", "谢谢您", "好的", "好", "嗯", "收到", "再见", "拜拜", "不客气"})
# "Don't keep that": the last afterthought goes (a button offers the same after a round has closed).
DISCARD_WORDS = frozenset({"discard", "discard it", "discard that", "don't keep it", "dont keep it",
                           "delete that", "delete it", "不要保存", "别保存", "删掉", "删掉刚才那条", "删除刚才那条"})
DISCARD_WINDOW = timedelta(days=1)
FINISHED_FOR_NOTES = ("completed", "expired")


def file_names(event: dict[str, Any]) -> list[str]:
    """Names of the files a message carries (the files are never fetched: the bot has no files:read scope)."""
    out = []
    for f in event.get("files") or []:
        if isinstance(f, dict):
            name = f.get("name") or f.get("title") or f.get("id") or "file"
            out.append(str(name)[:200])
    return out


def with_files(text: str, files: list[str], lang: str) -> str:
    """What is stored for a message with files: its text, and a note of the files' names."""
    if not files:
        return text
    noted = say(lang, "file.noted", names=", ".join(files))
    return f"{text.rstrip()}\n\n{noted}" if text.strip() else noted


async def last_interview(s: AsyncSession, participant_id: int) -> Interview | None:
    """The person's most recent interview that has ended (their own, not one they ran for a customer)."""
    iv: Interview | None = await s.scalar(select(Interview).where(
        Interview.participant_id == participant_id, Interview.mode != "assisted",
        Interview.status.in_(("completed", "expired", "declined")))
        .order_by(Interview.last_activity_at.desc(), Interview.id.desc()).limit(1))
    return iv


async def handle(deps: Deps, item: Item, text: str, files: list[str]) -> None:
    """Answer a DM from someone with no interview running, and keep what they wrote where it belongs."""
    user = item.user or ""
    async with deps.db.uow() as uow:
        s = uow.session
        p = await participant_of(s, user)
        iv = await last_interview(s, p.id) if p is not None else None
        a = await s.get(Assessment, iv.assessment_id) if iv is not None else None
    if p is None or iv is None or a is None:
        lang = p.lang if p is not None else detect_lang(text) if text.strip() else "en"
        await note(deps, item, user, say(lang, "no_interview"))
        return
    lang = iv.lang
    command = parse_command(text) if text.strip() else None
    if iv.status == "declined":
        if command == "resume" and a.status == "open":
            await apply(deps, item, iv.id, Reconsider())
        else:
            await note(deps, item, user, say(lang, "declined.note" if a.status == "open" else "reconsider.closed"))
        return
    closed = iv.status == "expired" or a.status != "open"
    if iv.status == "expired" and iv.started_at is None:
        await note(deps, item, user, say(lang, "closed.not_started", name=bk.escape(a.name)))
        return
    word = normalise(text)
    if not files and word in DISCARD_WORDS:
        await _discard_last(deps, item, iv, lang)
        return
    if not files and (command is not None or not word):
        await note(deps, item, user, say(lang, "done.command"))
        return
    if not files and word in PLEASANTRIES:
        await note(deps, item, user, say(lang, "welcome"))
        return
    question, thread = ADDENDUM, None
    if root := thread_root(item.payload.get("event") or {}):
        async with deps.db.uow() as uow:
            asked = await asked_under(uow.session, user, root)
        if asked is not None and asked[0] == iv.id:
            question, thread = asked[1], root  # written under one of the interview's questions: kept with it
    await keep(deps, item, iv, with_files(text, files, lang), closed=closed, round_name=a.name, question=question,
               thread=thread)


async def keep(deps: Deps, item: Item, iv: Interview, body: str, *, closed: bool, round_name: str,
               question: str = ADDENDUM, thread: str | None = None) -> None:
    """Store an afterthought on the interview (coded like an answer) and acknowledge it in one transaction."""
    lang, user = iv.lang, item.user or ""

    async def ack(s: AsyncSession, row: Interview, answer_id: int) -> None:
        if question != ADDENDUM and not closed:
            asked = await question_words(deps, s, row, question)
            msg = render.addendum_ack(lang, say(lang, "thread.added_after", question=asked))
        elif closed:
            msg = render.addendum_ack(lang, say(lang, "addendum.closed", name=bk.escape(round_name)), row.id, answer_id)
        else:
            msg = render.addendum_ack(lang, say(lang, "addendum.thanks"))
        await outbox.post(s, f"reply:{item.key}:0", user, replace(msg, thread_ts=thread))
        await item.mark_done(s, deps.clock())

    stored = await deps.service.add_note(iv.id, question, body, "addendum", item.key, before_commit=ack)
    await note_kept(deps, item, stored)


async def _discard_last(deps: Deps, item: Item, iv: Interview, lang: str) -> None:
    async with deps.db.uow() as uow:
        answer_id = await uow.session.scalar(select(Answer.id).where(
            Answer.interview_id == iv.id, Answer.question_id == ADDENDUM,
            Answer.created_at >= deps.clock() - DISCARD_WINDOW).order_by(Answer.id.desc()).limit(1))
    gone = answer_id is not None and await deps.service.discard_note(iv.id, answer_id)
    await note(deps, item, item.user or "", say(lang, "addendum.discarded" if gone else "addendum.discard_gone"))
