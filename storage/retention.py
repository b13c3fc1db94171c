"""Retention: N days after a round closed, drop who answered (mode "identities") or the answers too ("answers")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import repos
from storage.answer_search import purge_deleted
from storage.coder_models import forget_answers
from storage.customers_erase import contacts_due, forget_contacts, stale_contacts
from storage.models import Answer, Assessment, AuditEntry, Identity, Interview, Participant
from storage.privacy_base import Subject, resolve_subject, rowcount
from storage.privacy_erase import erase_transport
from storage.uow import Database

MODES = ("identities", "answers")
ACTION = "retention.purge"


class RetentionConfigError(ValueError):
    """A retention setting that cannot be used, naming the setting and what to write instead."""


@dataclass(frozen=True)
class Policy:
    days: int
    mode: str


def policy_of(a: Assessment, env: Mapping[str, str]) -> Policy | None:
    """The round's retention: settings retention_days / retention_mode, else CNA_RETENTION_DAYS /
    CNA_RETENTION_MODE; None when neither sets a number of days (nothing is purged)."""
    settings = a.settings or {}
    raw_days = settings.get("retention_days", env.get("CNA_RETENTION_DAYS", "").strip() or None)
    if raw_days is None:
        return None
    where = "retention_days" if "retention_days" in settings else "CNA_RETENTION_DAYS"
    try:
        days = int(raw_days)
    except (TypeError, ValueError):
        raise RetentionConfigError(f"round {a.id}: {where} {raw_days!r} is not a whole number of days") from None
    if days < 0 or isinstance(raw_days, bool):
        raise RetentionConfigError(f"round {a.id}: {where} must be 0 or more days, not {raw_days!r}")
    mode = str(settings.get("retention_mode") or env.get("CNA_RETENTION_MODE", "").strip() or "identities")
    if mode not in MODES:
        raise RetentionConfigError(f"round {a.id}: retention mode {mode!r} is unknown; use identities or answers")
    return Policy(days, mode)


def due_on(a: Assessment, policy: Policy) -> date | None:
    """When the round's data falls due: closed_on + days (never while the round is open)."""
    if a.status != "closed" or a.closed_on is None:
        return None
    return a.closed_on + timedelta(days=policy.days)


@dataclass
class RoundPurge:
    round_id: int
    name: str
    mode: str
    due_on: date
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class RetentionReport:
    purged: list[RoundPurge] = field(default_factory=list)  # rounds due (counts are zero when already purged)
    waiting: list[tuple[int, date]] = field(default_factory=list)  # closed rounds not yet due
    unset: list[int] = field(default_factory=list)  # closed rounds without a retention setting
    problems: list[str] = field(default_factory=list)
    customer_contacts: int = 0  # contacts of the customer list no import listed for CNA_CUSTOMER_RETENTION_DAYS

    @property
    def changed(self) -> int:
        return sum(sum(p.counts.values()) for p in self.purged) + self.customer_contacts


async def purge_retention(db: Database, now: datetime | None = None, *, env: Mapping[str, str] | None = None,
                          dry_run: bool = False) -> RetentionReport:
    """Purge every closed round whose retention period has passed. Idempotent: a second run finds nothing left
    and changes nothing (an audit entry is written only when something was purged). `dry_run` rolls back."""
    now = now or datetime.now(UTC)
    env = os.environ if env is None else env
    report = RetentionReport()
    async with db.uow() as uow:
        s = uow.session
        rounds = (await s.scalars(select(Assessment).order_by(Assessment.id))).all()
        due: list[tuple[Assessment, Policy, date]] = []
        for a in rounds:
            try:
                policy = policy_of(a, env)
            except RetentionConfigError as exc:
                report.problems.append(str(exc))
                continue
            if policy is None:
                if a.status == "closed":
                    report.unset.append(a.id)
                continue
            when = due_on(a, policy)
            if when is None:
                continue
            if when > now.date():
                report.waiting.append((a.id, when))
            else:
                due.append((a, policy, when))
        due_ids = {a.id for a, _, _ in due}
        scrub_file = bool(due) and not dry_run and db.dialect == "sqlite"
        if scrub_file:
            # As in erasure: overwrite what is deleted (only reads so far, so still outside a transaction).
            await s.execute(text("PRAGMA secure_delete = ON"))
        for a, policy, when in due:
            counts = await _purge_round(s, a, policy.mode, due_ids, now)
            counts = {k: v for k, v in counts.items() if v}
            report.purged.append(RoundPurge(a.id, a.name, policy.mode, when, counts))
            if counts:
                s.add(AuditEntry(at=now, actor="retention", action=ACTION, subject=f"assessment:{a.id}",
                                 detail={"mode": policy.mode, "days": policy.days, **counts}))
        report.customer_contacts = await _purge_stale_list(s, env, now, report)
        if not dry_run:
            await uow.commit()
    if scrub_file and report.changed:
        async with db.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return report


async def _purge_stale_list(s: AsyncSession, env: Mapping[str, str], now: datetime, report: RetentionReport) -> int:
    """CNA_CUSTOMER_RETENTION_DAYS: the customer list is a copy of the CRM; a contact that no import has listed
    for that many days goes (the customer's segment and strata stay for the sample's statistics)."""
    raw = env.get("CNA_CUSTOMER_RETENTION_DAYS", "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        report.problems.append(f"CNA_CUSTOMER_RETENTION_DAYS {raw!r} is not a whole number of days")
        return 0
    ids = await stale_contacts(s, now - timedelta(days=int(raw)))
    n = await forget_contacts(s, ids)
    if n:
        s.add(AuditEntry(at=now, actor="retention", action=ACTION, subject="customer-list",
                         detail={"days": int(raw), "customer_contacts": n}))
    return n


async def _purge_round(s: AsyncSession, a: Assessment, mode: str, due_ids: set[int], now: datetime) -> dict[str, int]:
    counts = {"identities": 0, "detached": 0, "links": 0, "answers": 0, "interviews": 0, "participants": 0,
              "inbox": 0, "outbox": 0}
    # The customer list's contacts of those drawn for this round go with the round's identities.
    counts["customer_contacts"] = await forget_contacts(s, await contacts_due(s, a.id, due_ids))
    ivs = list((await s.scalars(select(Interview).where(Interview.assessment_id == a.id))).all())
    for pid in sorted({iv.participant_id for iv in ivs}):
        ident = await s.scalar(select(Identity).where(Identity.participant_id == pid))
        if ident is None:
            continue
        others = await s.scalar(select(func.count()).select_from(Interview).where(
            Interview.participant_id == pid, Interview.assessment_id.not_in(due_ids)))
        if others:
            # Still taking part in a later round, so the mapping stays for that round. In "identities" mode this
            # round's interviews move to a new pseudonym without one, so its answers no longer lead to the
            # person; in "answers" mode they are deleted below anyway.
            if mode == "identities":
                counts["detached"] += await _detach(s, a.id, pid)
            continue
        subject = await resolve_subject(s, participant_id=pid)
        for k, v in (await erase_transport(s, Subject(slack_user_id=subject.slack_user_id,
                                                      channels=subject.channels), now)).items():
            counts[k if k in counts else "inbox"] += v
        await s.delete(ident)
        p = await s.get(Participant, pid)
        if p is not None:
            p.tz = None  # a time zone narrows down who someone is; nothing needs it once nobody can be messaged
        counts["identities"] += 1
    # Interviewers' Slack ids and DM channels are links to people too.
    res = await s.execute(update(Interview).where(
        Interview.assessment_id == a.id,
        (Interview.interviewer_slack_id.is_not(None)) | (Interview.channel_id.is_not(None)))
        .values(interviewer_slack_id=None, channel_id=None, version=Interview.version + 1)
        .execution_options(synchronize_session=False))
    counts["links"] += rowcount(res)
    # An answer's Slack message identity (DM channel + ts) serves edits and dedupe while the round runs; after
    # it, it is only a way back to the person.
    res = await s.execute(update(Answer).where(Answer.assessment_id == a.id, Answer.source_event_id.is_not(None))
                          .values(source_event_id=None).execution_options(synchronize_session=False))
    counts["links"] += rowcount(res)
    if mode == "answers":
        purged = (await s.scalars(select(Answer.id).where(Answer.assessment_id == a.id))).all()
        counts["coder_models"] = await forget_answers(s, purged)  # models that learned from them hold their words
        res = await s.execute(delete(Answer).where(Answer.assessment_id == a.id)
                              .execution_options(synchronize_session=False))
        counts["answers"] = rowcount(res)
        if counts["answers"]:
            await purge_deleted(s)  # the deleted answers' words leave the search index too
        pids = set((await s.scalars(select(Interview.participant_id).where(Interview.assessment_id == a.id))).all())
        res = await s.execute(delete(Interview).where(Interview.assessment_id == a.id)
                              .execution_options(synchronize_session=False))
        counts["interviews"] = rowcount(res)
        for pid in sorted(pids):
            left = await s.scalar(select(func.count()).select_from(Interview).where(Interview.participant_id == pid))
            if not left:
                res = await s.execute(delete(Participant).where(Participant.id == pid)
                                      .execution_options(synchronize_session=False))
                counts["participants"] += rowcount(res)
    await s.flush()
    return counts


async def _detach(s: AsyncSession, round_id: int, participant_id: int) -> int:
    p = await s.get(Participant, participant_id)
    assert p is not None
    clone = Participant(pseudonym=repos.new_pseudonym(), kind=p.kind, role=p.role, segment=p.segment,
                        department=p.department, lang=p.lang, tz=None, opted_out=p.opted_out)
    s.add(clone)
    await s.flush()
    res = await s.execute(update(Interview).where(Interview.assessment_id == round_id,
                                                  Interview.participant_id == participant_id)
                          .values(participant_id=clone.id, version=Interview.version + 1)
                          .execution_options(synchronize_session=False))
    return rowcount(res)
