"""Subject access: everything held on one person as one JSON document (GDPR Art. 15 and 20)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.customers_erase import customers_of_participant, export_customer
from storage.models import (
    Answer,
    Assessment,
    AuditEntry,
    Coding,
    Identity,
    InboxEvent,
    Interview,
    OutboxMessage,
    Participant,
    ScheduleItem,
    ScriptVersion,
)
from storage.privacy_base import Subject, contains_any, resolve_subject
from storage.uow import Database

FORMAT = "cna-subject-access"
ANONYMOUS_NOTE = ("Answers to questions marked anonymous are stored without any link to you (no interview, no "
                  "event id, only the day), so they cannot be found, exported or erased per person.")


def _v(value: Any) -> Any:
    """A JSON-safe value: dates as ISO 8601 text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, *skip: str) -> dict[str, Any]:
    return {c.key: _v(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def empty_export(now: datetime) -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, "generated_at": now.isoformat(), "found": False,
            "identity": None, "participant": None, "interviews": [], "schedule_items": [],
            "outbox_messages": [], "inbox_events": [], "audit_entries": [], "customers": [],
            "notes": [ANONYMOUS_NOTE]}


async def export_subject(s: AsyncSession, subject: Subject, now: datetime | None = None) -> dict[str, Any]:
    """The document for a resolved Subject (`found`: a participant exists): identity, participant, interviews
    with state and answers grouped into ladders with their codings, schedule items, messages to them, events from
    them, and audit entries about them. Restricted answers are included: they are the person's own words."""
    now = now or datetime.now(UTC)
    doc = empty_export(now)
    if subject.participant_id is not None:
        p = await s.get(Participant, subject.participant_id)
        assert p is not None
        doc["found"] = True
        doc["participant"] = _row(p)
        ident = await s.scalar(select(Identity).where(Identity.participant_id == p.id))
        doc["identity"] = _row(ident) if ident is not None else None
        doc["interviews"] = await _interviews(s, p.id)
        doc["customers"] = [await export_customer(s, c) for c in await customers_of_participant(s, p.id)]
        doc["schedule_items"] = [_row(i) for i in (await s.scalars(
            select(ScheduleItem).where(ScheduleItem.interview_id.in_(subject.interview_ids))
            .order_by(ScheduleItem.id))).all()] if subject.interview_ids else []
        if p.pseudonym:
            doc["audit_entries"] = [_row(a) for a in (await s.scalars(
                select(AuditEntry).where(AuditEntry.subject == p.pseudonym).order_by(AuditEntry.id))).all()]
    uid = subject.slack_user_id
    if uid:
        outbox = (await s.scalars(select(OutboxMessage).where(or_(
            OutboxMessage.slack_user_id == uid, OutboxMessage.channel == uid,
            *([OutboxMessage.channel.in_(sorted(subject.channels))] if subject.channels else []),
            contains_any(OutboxMessage.payload, [uid], json_column=True))).order_by(OutboxMessage.id))).all()
        doc["outbox_messages"] = [_row(m) for m in outbox]
        inbox = (await s.scalars(select(InboxEvent).where(InboxEvent.slack_user_id == uid)
                                 .order_by(InboxEvent.id))).all()
        doc["inbox_events"] = [_row(e) for e in inbox]
    return doc


async def _interviews(s: AsyncSession, participant_id: int) -> list[dict[str, Any]]:
    ivs = (await s.scalars(select(Interview).where(Interview.participant_id == participant_id)
                           .order_by(Interview.id))).all()
    out = []
    for iv in ivs:
        a = await s.get(Assessment, iv.assessment_id)
        sv = await s.get(ScriptVersion, iv.script_version_id)
        questions = {q.get("id"): q.get("text") for q in (sv.body.get("questions", []) if sv else [])}
        answers = (await s.scalars(select(Answer).where(Answer.interview_id == iv.id)
                                   .order_by(Answer.id))).all()
        codings: dict[int, list[dict[str, Any]]] = defaultdict(list)
        if answers:
            for c in (await s.scalars(select(Coding).where(Coding.answer_id.in_([x.id for x in answers]))
                                      .order_by(Coding.id))).all():
                codings[c.answer_id].append(_row(c, "answer_id"))
        ladders: dict[str, dict[str, Any]] = {}
        for ans in sorted(answers, key=lambda x: (x.ladder_key, x.step, x.id)):
            ladder = ladders.setdefault(ans.ladder_key, {
                "ladder_key": ans.ladder_key, "question_id": ans.question_id,
                "question": questions.get(ans.question_id, ans.question_id), "steps": []})
            ladder["steps"].append({**_row(ans, "interview_id", "ladder_key", "question_id", "assessment_id"),
                                    "codings": codings[ans.id]})
        row = _row(iv, "version")
        row["round"] = {"id": a.id, "name": a.name, "round_no": a.round_no} if a else None
        row["script_title"] = sv.title if sv else None
        row["ladders"] = sorted(ladders.values(), key=lambda x: min(st["id"] for st in x["steps"]))
        out.append(row)
    return out


async def export_for_slack_user(db: Database, uid: str, now: datetime | None = None) -> dict[str, Any]:
    """What a respondent gets when they ask the bot for their data; the request is audited (without content)."""
    now = now or datetime.now(UTC)
    async with db.uow() as uow:
        subject = await resolve_subject(uow.session, slack_user_id=uid)
        doc = await export_subject(uow.session, subject, now)
        if subject.pseudonym:
            uow.session.add(AuditEntry(at=now, actor="respondent", action="export.person", subject=subject.pseudonym,
                                       detail={"via": "slack", "answers": count_answers(doc)}))
            await uow.commit()
    return doc


def count_answers(doc: dict[str, Any]) -> int:
    return sum(len(lad["steps"]) for iv in doc.get("interviews", []) for lad in iv.get("ladders", []))


async def export_person(db: Database, *, pseudonym: str | None = None, participant_id: int | None = None,
                        slack_user_id: str | None = None, actor: str, now: datetime | None = None) -> dict[str, Any]:
    """The subject-access document for `cna privacy export`; audited without content when the person exists."""
    now = now or datetime.now(UTC)
    async with db.uow() as uow:
        subject = await resolve_subject(uow.session, pseudonym=pseudonym, participant_id=participant_id,
                                        slack_user_id=slack_user_id)
        doc = await export_subject(uow.session, subject, now)
        if subject.pseudonym:
            uow.session.add(AuditEntry(at=now, actor=actor[:100], action="export.person", subject=subject.pseudonym,
                                       detail={"via": "cli", "answers": count_answers(doc)}))
            await uow.commit()
    return doc
