"""Erase a person and, when they asked for it in Slack, tell them it is done: the last message they get from us."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from app import blocks as bk
from app import outbox
from storage.models import Participant
from storage.privacy import FAREWELL_PREFIX, Erasure, erase_person, open_requests, resolve_subject
from storage.uow import Database

FAREWELL = {
    "en": ("Your data has been erased: your answers, your interviews and the link between you and your pseudonym "
           "are gone. Answers to anonymous questions were never linked to you and stay. This is the last message "
           "about it; I keep no record of having sent it."),
    "zh": ("您的数据已删除：您的回答、访谈记录以及您与化名之间的关联都已清除。匿名问题的回答从未与您关联，会保留。"
           "这是关于此事的最后一条消息，我不会保留发送记录。"),
}


async def erase_and_notify(db: Database, *, pseudonym: str | None = None, participant_id: int | None = None,
                           slack_user_id: str | None = None, actor: str, now: datetime | None = None,
                           dry_run: bool = False) -> Erasure:
    """storage.privacy.erase_person, then (if the person had asked in Slack and something was erased) one DM
    saying so. Its outbox row is keyed without naming them and deleted as soon as it is sent."""
    now = now or datetime.now(UTC)
    uid, lang, asked = None, "en", False
    async with db.uow() as uow:
        s = uow.session
        subject = await resolve_subject(s, pseudonym=pseudonym, participant_id=participant_id,
                                        slack_user_id=slack_user_id)
        if subject.participant_id is not None and subject.slack_user_id:
            p = await s.get(Participant, subject.participant_id)
            uid, lang = subject.slack_user_id, (p.lang if p is not None and p.lang in FAREWELL else "en")
            asked = any(r.pseudonym == subject.pseudonym for r in await open_requests(s))
    result = await erase_person(db, pseudonym=pseudonym, participant_id=participant_id,
                                slack_user_id=slack_user_id, actor=actor, now=now, dry_run=dry_run)
    if dry_run or result.nothing_left or not (uid and asked):
        return result
    async with db.uow() as uow:
        text = FAREWELL[lang]
        await outbox.post(uow.session, f"{FAREWELL_PREFIX}{secrets.token_hex(8)}", uid,
                          bk.Message(text, bk.section(text)))
        await uow.commit()
    return result
