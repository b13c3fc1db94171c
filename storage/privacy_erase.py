"""Erasure of one person (GDPR Art. 17): their rows go, a content-free audit entry stays; and erasure requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.answer_search import purge_deleted
from storage.coder_models import forget_answers
from storage.customers_erase import erase_customers_of
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
)
from storage.privacy_base import (
    DEDUPE_KEEP,
    EMPTY,
    ERASED,
    Mention,
    Subject,
    contains_any,
    find_mentions,
    resolve_subject,
    rowcount,
)
from storage.uow import Database

ERASE = "erase"
REQUEST = "erase.request"
DSR_DAYS = 30  # GDPR Art. 12(3) allows one month; we aim to erase within 30 days of the request
# Where the person may still be named after erasure: the audit log's subject (the pseudonym, recording that and
# when they were erased); inbox keys, since every inbox row whose key names their DM channel was just deleted or
# cut to a content-free dedupe stub that goes after DEDUPE_KEEP; and inbox payloads, since the only ones left
# naming them are in flight (e.g. the lead's erase command itself), and the worker empties those when done.
ALLOWED_AFTER = (("audit_log", "subject"), ("inbox", "key"), ("inbox", "payload"))


@dataclass
class Erasure:
    """What an erasure removed (counts only) and any mention of the person it could not remove itself."""

    pseudonym: str | None
    counts: dict[str, int] = field(default_factory=dict)
    residue: list[Mention] = field(default_factory=list)

    @property
    def nothing_left(self) -> bool:
        """True when there was nothing to erase (a second erasure of the same person)."""
        return not any(self.counts.values())


async def erase_subject(s: AsyncSession, subject: Subject, *, actor: str, now: datetime) -> Erasure:
    """Remove everything linked to the person: answers and their codings, interviews, schedule items, the
    identity and the participant, and their inbox and outbox rows (inbox rows younger than DEDUPE_KEEP become
    content-free stubs so a late Slack retry is still dropped). Answers to anonymous questions have no link and
    stay. Writes an audit entry (action "erase", subject = the pseudonym, detail = counts). Idempotent."""
    counts: dict[str, int] = {}
    ivs = subject.interview_ids
    if ivs:
        answer_ids = list((await s.scalars(select(Answer.id).where(Answer.interview_id.in_(ivs)))).all())
        counts["codings"] = await _rows(s, delete(Coding).where(Coding.answer_id.in_(answer_ids))) \
            if answer_ids else 0
        counts["answers"] = await _rows(s, delete(Answer).where(Answer.id.in_(answer_ids))) if answer_ids else 0
        # A coder model trained on their coded answers may hold their words: it goes (storage.coder_models).
        counts["coder_models"] = await forget_answers(s, answer_ids)
        counts["schedule_items"] = await _rows(s, delete(ScheduleItem).where(ScheduleItem.interview_id.in_(ivs)))
        counts["wave_entries"] = await _drop_from_waves(s, set(ivs))
        counts["interviews"] = await _rows(s, delete(Interview).where(Interview.id.in_(ivs)))
        if counts["answers"]:
            await purge_deleted(s)  # their words leave the search index too, not only the answers table
    if subject.participant_id is not None:
        # The customer-list entry they were invited from (a sample) names them too.
        counts["customers"] = await erase_customers_of(s, subject.participant_id, actor=actor, now=now)
        counts["identities"] = await _rows(s, delete(Identity).where(
            Identity.participant_id == subject.participant_id))
        counts["participants"] = await _rows(s, delete(Participant).where(
            Participant.id == subject.participant_id))
    counts.update(await erase_transport(s, subject, now))
    counts.update(await _unlink_other_roles(s, subject))
    counts = {k: v for k, v in counts.items() if v}
    s.add(AuditEntry(at=now, actor=actor[:100], action=ERASE, subject=subject.pseudonym,
                     detail={**counts, "nothing_left": not counts}))
    await s.flush()
    residue = await find_mentions(s, subject.needles(), skip=ALLOWED_AFTER)
    return Erasure(subject.pseudonym, counts, residue)


async def _rows(s: AsyncSession, stmt: Any) -> int:
    return rowcount(await s.execute(stmt.execution_options(synchronize_session=False)))


async def _drop_from_waves(s: AsyncSession, ivs: set[int]) -> int:
    """Launch waves list the interviews they will invite; an erased interview comes off the list."""
    n = 0
    for item in (await s.scalars(select(ScheduleItem).where(ScheduleItem.done_at.is_(None),
                                                            ScheduleItem.cancelled_at.is_(None)))).all():
        ids = (item.payload or {}).get("interview_ids")
        if isinstance(ids, list) and ivs & {int(i) for i in ids}:
            kept = [i for i in ids if int(i) not in ivs]
            n += len(ids) - len(kept)
            item.payload = {**item.payload, "interview_ids": kept}
    return n


@dataclass
class _Transport:
    """SQL conditions for transport rows about the person."""

    inbox_own: list[Any] = field(default_factory=list)  # their events (and ones carrying their answers)
    inbox_mentions: list[Any] = field(default_factory=list)  # someone else's event naming them (a lead's command)
    outbox: list[Any] = field(default_factory=list)  # messages to them, about them, or naming them


def _transport_match(subject: Subject) -> _Transport:
    # Names are not searched here: another person's pending message may mention them and must not be lost.
    needles = subject.needles(names=False)
    ids = [str(i) for i in subject.interview_ids]
    m = _Transport()
    if subject.slack_user_id:
        uid = subject.slack_user_id
        m.inbox_own.append(InboxEvent.slack_user_id == uid)
        m.outbox += [OutboxMessage.slack_user_id == uid, OutboxMessage.channel == uid]
    if subject.channels:
        m.outbox.append(OutboxMessage.channel.in_(sorted(subject.channels)))
    if subject.event_keys:
        m.inbox_own.append(InboxEvent.key.in_(sorted(subject.event_keys)))
        # Replies to an interviewer in an assisted interview are keyed by the event that carried the answer.
        m.outbox.append(contains_any(OutboxMessage.key, sorted(subject.event_keys)))
    if needles:
        m.inbox_own.append(contains_any(InboxEvent.key, needles))
        m.inbox_mentions.append(contains_any(InboxEvent.payload, needles, True))
        m.outbox += [contains_any(OutboxMessage.key, needles), contains_any(OutboxMessage.payload, needles, True)]
    if ids:
        m.outbox += [OutboxMessage.key.in_([f"invite:{i}" for i in ids])]
        m.outbox += [OutboxMessage.key.like(f"{kind}:{i}:%") for i in ids for kind in ("remind", "nudge")]
    return m


async def erase_transport(s: AsyncSession, subject: Subject, now: datetime) -> dict[str, int]:
    """Their outbox rows go; their inbox rows go too, except recent ones, which keep only the dedupe key.
    Other people's finished events that name them lose their content."""
    m = _transport_match(subject)
    counts = {"outbox": 0, "inbox": 0, "inbox_stubbed": 0, "inbox_scrubbed": 0}
    if m.outbox:
        counts["outbox"] = await _rows(s, delete(OutboxMessage).where(or_(*m.outbox)))
    if m.inbox_own:
        recent = InboxEvent.received_at > now - DEDUPE_KEEP
        counts["inbox"] = await _rows(s, delete(InboxEvent).where(or_(*m.inbox_own), ~recent))
        # A stub's key can still name the DM channel; it carries nothing else and goes after DEDUPE_KEEP.
        counts["inbox_stubbed"] = await _rows(s, update(InboxEvent).where(
            or_(*m.inbox_own), recent, InboxEvent.status != ERASED)
            .values(status=ERASED, payload=EMPTY, slack_user_id=None, last_error=None))
    if m.inbox_mentions:
        # Pending and working rows are left to the worker, which empties them when done (this very erasure may
        # be running inside one: `/cna erase-confirm P-...`).
        counts["inbox_scrubbed"] = await _rows(s, update(InboxEvent).where(
            or_(*m.inbox_mentions), InboxEvent.status.not_in(("pending", "working")))
            .values(payload=EMPTY, last_error=None))
    return counts


async def _unlink_other_roles(s: AsyncSession, subject: Subject) -> dict[str, int]:
    """The person as an interviewer (assisted mode) or as a round's lead: their Slack id comes off those rows."""
    uid = subject.slack_user_id
    if not uid:
        return {}
    n = await _rows(s, update(Interview).where(Interview.interviewer_slack_id == uid)
                      .values(interviewer_slack_id=None, version=Interview.version + 1))
    leads = 0
    for a in (await s.scalars(select(Assessment).where(contains_any(Assessment.lead_slack_ids, [uid], True)))).all():
        kept = [x for x in a.lead_slack_ids if x != uid]
        leads += len(a.lead_slack_ids) - len(kept)
        a.lead_slack_ids = kept
    return {"interviewer_refs": n, "lead_refs": leads}


async def erase_person(db: Database, *, pseudonym: str | None = None, participant_id: int | None = None,
                       slack_user_id: str | None = None, actor: str, now: datetime | None = None,
                       dry_run: bool = False) -> Erasure:
    """Find the person and erase them in one transaction (rolled back when `dry_run`)."""
    now = now or datetime.now(UTC)
    sqlite = db.dialect == "sqlite"
    async with db.uow() as uow:
        if sqlite and not dry_run:
            # Overwrite what is deleted instead of leaving it in the file's free space (before any write, so
            # outside a transaction, where SQLite accepts the pragma).
            await uow.session.execute(text("PRAGMA secure_delete = ON"))
        subject = await resolve_subject(uow.session, pseudonym=pseudonym, participant_id=participant_id,
                                        slack_user_id=slack_user_id)
        if subject.pseudonym is None and pseudonym:
            subject.pseudonym = pseudonym  # already erased: the audit entry still names whom the request was for
        result = await erase_subject(uow.session, subject, actor=actor, now=now)
        if not dry_run:
            await uow.commit()
    if sqlite and not dry_run:
        # Old copies of the pages live in the write-ahead log until a checkpoint; copy back and empty it now.
        async with db.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return result


# --- requests from the person -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ErasureRequest:
    found: bool  # we hold a participant for this Slack user
    pseudonym: str | None
    due_by: str | None  # ISO date by which the leads should erase
    new: bool  # False when an open request already existed
    stopped: int = 0  # interviews that were running and ended with the request


async def record_erasure_request(s: AsyncSession, uid: str, now: datetime) -> ErasureRequest:
    """In the caller's transaction: the respondent asked (in Slack) for their data to be erased. Their running
    interviews end at once (declined: nothing after the request is stored), nobody nudges them again (the
    participant is marked opted out), and an audit entry without content awaits a lead's confirmation
    (`/cna erase-confirm` or `cna privacy erase`). Asking twice keeps the first request's deadline."""
    subject = await resolve_subject(s, slack_user_id=uid)
    if subject.participant_id is None or subject.pseudonym is None:
        return ErasureRequest(False, None, None, False)
    p = await s.get(Participant, subject.participant_id)
    assert p is not None
    p.opted_out = True
    stopped = 0
    running = ("draft", "invited", "in_progress", "paused")
    for iv in (await s.scalars(select(Interview).where(Interview.participant_id == p.id,
                                                       Interview.status.in_(running)))).all():
        iv.status = "declined"
        iv.state = {**(iv.state or {}), "status": "declined", "pending": None}
        iv.ended_at = now
        stopped += 1
    open_ = [r for r in await open_requests(s) if r.pseudonym == subject.pseudonym]
    if open_:
        return ErasureRequest(True, subject.pseudonym, open_[0].due_by, False, stopped)
    due = (now + timedelta(days=DSR_DAYS)).date().isoformat()
    s.add(AuditEntry(at=now, actor="respondent", action=REQUEST, subject=subject.pseudonym,
                     detail={"via": "slack", "due_by": due}))
    await s.flush()
    return ErasureRequest(True, subject.pseudonym, due, True, stopped)


async def request_erasure(db: Database, uid: str, now: datetime | None = None) -> ErasureRequest:
    """record_erasure_request in a transaction of its own."""
    async with db.uow() as uow:
        req = await record_erasure_request(uow.session, uid, now or datetime.now(UTC))
        await uow.commit()
        return req


@dataclass(frozen=True)
class OpenRequest:
    pseudonym: str
    requested_at: datetime
    due_by: str

    def overdue(self, today: str) -> bool:
        return today > self.due_by


async def open_requests(s: AsyncSession) -> list[OpenRequest]:
    """Erasure requests not yet followed by an erasure of the same pseudonym, oldest first."""
    entries = (await s.scalars(select(AuditEntry).where(AuditEntry.action.in_((REQUEST, ERASE)))
                               .order_by(AuditEntry.at, AuditEntry.id))).all()
    pending: dict[str, OpenRequest] = {}
    for e in entries:
        if not e.subject:
            continue
        if e.action == ERASE:
            pending.pop(e.subject, None)
        elif e.subject not in pending:
            pending[e.subject] = OpenRequest(e.subject, e.at, str((e.detail or {}).get("due_by", "")))
    return list(pending.values())
