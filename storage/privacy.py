"""Privacy: department visibility in SQL, transport scrubbing, export, erasure and retention in one place."""

# Policy in brief (docs/privacy.md has the whole of it):
# - Inbound Slack events keep their raw payload only until processed; then the payload becomes {} and only the
#   dedupe key, kind, status and times stay. Sent outbox messages lose their payload the same way.
# - Export and erasure work on one person (storage.privacy_export, storage.privacy_erase); retention works on a
#   closed round (storage.retention). All three write content-free audit entries.

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, delete, func, or_, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.access import Reviewer
from storage.models import Answer, InboxEvent, OutboxMessage
from storage.privacy_base import (
    DEAD_LETTER_KEEP,
    DEDUPE_KEEP,
    EMPTY,
    ERASED,
    FAREWELL_PREFIX,
    Mention,
    Subject,
    SubjectNotFound,
    find_mentions,
    parse_subject,
    resolve_subject,
    rowcount,
)
from storage.privacy_erase import (
    ERASE,
    REQUEST,
    Erasure,
    ErasureRequest,
    OpenRequest,
    erase_person,
    erase_subject,
    open_requests,
    record_erasure_request,
    request_erasure,
)
from storage.privacy_export import export_for_slack_user, export_person, export_subject
from storage.retention import RetentionConfigError, RetentionReport, policy_of, purge_retention
from storage.uow import Database

log = logging.getLogger("cna.privacy")
_reported: set[str] = set()

__all__ = [
    "DEAD_LETTER_KEEP", "DEDUPE_KEEP", "ERASE", "ERASED", "FAREWELL_PREFIX", "INBOX_DONE_SCRUB", "REQUEST", "Erasure",
    "ErasureRequest", "Housekeeping", "Mention", "OpenRequest", "RetentionConfigError", "RetentionReport",
    "Subject", "SubjectNotFound", "erase_person", "erase_subject", "export_for_slack_user", "export_person",
    "export_subject", "find_mentions", "housekeeping", "open_requests", "parse_subject", "policy_of", "purge_retention",
    "record_erasure_request",
    "request_erasure", "resolve_subject", "scrub_processed_inbox", "scrub_sent_outbox", "visible_answers_clause",
]

# Extra column values for the UPDATE that marks an inbox row done: the raw event (with the answer text) goes at
# once; the key stays for dedupe. `.values(status="done", ..., **INBOX_DONE_SCRUB)`.
INBOX_DONE_SCRUB: dict[str, Any] = {"payload": EMPTY}


def visible_answers_clause(reviewer: Reviewer) -> ColumnElement[bool]:
    """SQL: answers the reviewer may read. Unrestricted answers (department NULL or empty) for everyone;
    restricted ones only for reviewers allowed for that department (case-insensitive, as core.access); '*' sees
    everything. The same rule as storage.review.scope.ReviewScope.visible()."""
    deps = reviewer.departments
    if "*" in deps:
        return true()
    unrestricted = or_(Answer.department.is_(None), Answer.department == "")
    if not deps:
        return unrestricted
    return or_(unrestricted, func.lower(Answer.department).in_(sorted(deps)))


def _has_payload(column: Any) -> ColumnElement[bool]:
    return cast(column, Text) != "{}"


async def scrub_processed_inbox(s: AsyncSession, older_than: datetime, now: datetime | None = None) -> int:
    """Empty the payload of inbox rows finished (done) at or before `older_than`, of dead-lettered rows older
    than DEAD_LETTER_KEEP, and delete erasure stubs older than DEDUPE_KEEP. Returns rows changed. Idempotent."""
    now = now or datetime.now(UTC)
    done = await s.execute(update(InboxEvent).where(
        InboxEvent.status == "done", InboxEvent.processed_at <= older_than, _has_payload(InboxEvent.payload))
        .values(last_error=None, **INBOX_DONE_SCRUB).execution_options(synchronize_session=False))
    dead = await s.execute(update(InboxEvent).where(
        InboxEvent.status == "dead", InboxEvent.received_at <= now - DEAD_LETTER_KEEP,
        _has_payload(InboxEvent.payload)).values(payload=EMPTY).execution_options(synchronize_session=False))
    stubs = await s.execute(delete(InboxEvent).where(
        InboxEvent.status == ERASED, InboxEvent.received_at <= now - DEDUPE_KEEP)
        .execution_options(synchronize_session=False))
    return sum(rowcount(r) for r in (done, dead, stubs))


async def scrub_sent_outbox(s: AsyncSession, now: datetime) -> int:
    """Empty the payload of messages Slack took (sent) or that can never go (skipped); failed and ambiguous ones
    keep theirs for DEAD_LETTER_KEEP so a lead can check them. The key, method, recipient and times stay, so the
    same message is never queued twice; a farewell to an erased person goes entirely. Returns rows changed."""
    farewell = OutboxMessage.key.startswith(FAREWELL_PREFIX, autoescape=True)
    gone = await s.execute(delete(OutboxMessage).where(farewell, or_(
        OutboxMessage.status.in_(("sent", "skipped")), OutboxMessage.created_at <= now - DEAD_LETTER_KEEP))
        .execution_options(synchronize_session=False))
    done = await s.execute(update(OutboxMessage).where(
        OutboxMessage.status.in_(("sent", "skipped")), _has_payload(OutboxMessage.payload))
        .values(payload=EMPTY).execution_options(synchronize_session=False))
    stale = await s.execute(update(OutboxMessage).where(
        OutboxMessage.status.in_(("failed", "ambiguous")), OutboxMessage.created_at <= now - DEAD_LETTER_KEEP,
        _has_payload(OutboxMessage.payload)).values(payload=EMPTY).execution_options(synchronize_session=False))
    return sum(rowcount(r) for r in (gone, done, stale))


@dataclass
class Housekeeping:
    scrubbed: int = 0
    retention: RetentionReport | None = None
    problems: list[str] = field(default_factory=list)


async def housekeeping(db: Database, now: datetime | None = None, env: Mapping[str, str] | None = None
                       ) -> Housekeeping:
    """What the scheduler's sweep runs each tick: scrub the inbox and outbox, then the retention purge. Never
    raises (a failure is logged by type only, since messages can quote SQL parameters) so the sweep goes on."""
    now = now or datetime.now(UTC)
    out = Housekeeping()
    try:
        async with db.uow() as uow:
            out.scrubbed = await scrub_processed_inbox(uow.session, now, now) + await scrub_sent_outbox(
                uow.session, now)
            await uow.commit()
        out.retention = await purge_retention(db, now, env=os.environ if env is None else env)
        out.problems = list(out.retention.problems)
    except Exception as exc:
        log.warning("privacy housekeeping failed (%s); it runs again at the next sweep", type(exc).__name__)
        out.problems.append(type(exc).__name__)
    for p in out.problems:
        if p not in _reported:  # once per process, not every minute
            _reported.add(p)
            log.warning("retention: %s", p)
    return out
