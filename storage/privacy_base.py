"""Who a data-protection request is about (a Subject), and a scan of every text column for mentions of them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Text, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import customers_models as _customer_tables  # noqa: F401  (scanned for mentions too)
from storage.models import Answer, Base, Identity, InboxEvent, Interview, OutboxMessage, Participant
from storage.types import JSONType

# An erased person's inbox rows younger than this stay as content-free stubs (key only, status "erased"), so a
# delivery Slack retries after the erasure (it retries for about five minutes) is still recognised and dropped.
DEDUPE_KEEP = timedelta(days=1)
# Dead-lettered inbox events and failed outbox messages keep their content this long for a person to look at.
DEAD_LETTER_KEEP = timedelta(days=30)
ERASED = "erased"  # inbox status of such a stub; the worker only picks pending and working rows
EMPTY: dict[str, Any] = {}  # what a scrubbed payload holds
# The one message sent after an erasure ("your data is erased") is keyed farewell:<random>, never by who it is
# for; its outbox row, which has to hold their Slack id to be sent, is deleted (not kept as a stub) once it went.
FAREWELL_PREFIX = "farewell:"
MIN_NAME_NEEDLE = 3  # shorter display names would match unrelated text


def rowcount(result: Any) -> int:
    """Rows an UPDATE or DELETE touched (CursorResult.rowcount; the async session types it as Result)."""
    return int(getattr(result, "rowcount", 0) or 0)


class SubjectNotFound(LookupError):
    """No participant with that pseudonym or id."""


@dataclass
class Subject:
    """Everything that identifies one person in our tables. Any field may be missing (e.g. the identity was
    already purged, or only a Slack user id is known)."""

    participant_id: int | None = None
    pseudonym: str | None = None
    slack_user_id: str | None = None
    display_name: str | None = None
    email: str | None = None
    interview_ids: list[int] = field(default_factory=list)
    channels: set[str] = field(default_factory=set)  # their DM channels with the bot
    event_keys: set[str] = field(default_factory=set)  # inbox keys of the events that carried their answers

    @property
    def found(self) -> bool:
        return self.participant_id is not None

    def needles(self, *, names: bool = True) -> list[str]:
        """Strings that identify the person wherever they appear."""
        out = [n for n in (self.slack_user_id, self.pseudonym, *sorted(self.channels)) if n]
        if names:
            out += [n for n in (self.display_name, self.email) if n and len(n.strip()) >= MIN_NAME_NEEDLE]
        return list(dict.fromkeys(out))


def parse_subject(participant: str | None, slack_user: str | None) -> tuple[str | None, int | None, str | None]:
    """(pseudonym, participant id, Slack user id) from what a person typed; exactly one must be given."""
    if bool(participant) == bool(slack_user):
        raise ValueError("name the person with either a participant (pseudonym or id) or a Slack user id")
    if slack_user:
        return None, None, slack_user.strip()
    value = (participant or "").strip()
    if value.isdigit():
        return None, int(value), None
    return value.upper(), None, None


async def resolve_subject(s: AsyncSession, *, pseudonym: str | None = None, participant_id: int | None = None,
                          slack_user_id: str | None = None) -> Subject:
    """The Subject for a pseudonym, participant id or Slack user id. Unknown people give an empty Subject
    (with the Slack user id kept, since the inbox and outbox may still hold rows for it)."""
    p: Participant | None = None
    ident: Identity | None = None
    if slack_user_id:
        ident = await s.scalar(select(Identity).where(Identity.slack_user_id == slack_user_id))
        p = await s.get(Participant, ident.participant_id) if ident is not None else None
    elif participant_id is not None:
        p = await s.get(Participant, participant_id)
    elif pseudonym:
        p = await s.scalar(select(Participant).where(func.upper(Participant.pseudonym) == pseudonym.upper()))
    if p is not None and ident is None:
        ident = await s.scalar(select(Identity).where(Identity.participant_id == p.id))
    subject = Subject(slack_user_id=slack_user_id or (ident.slack_user_id if ident else None))
    if p is None:
        return subject
    subject.participant_id, subject.pseudonym = p.id, p.pseudonym
    if ident is not None:
        subject.display_name, subject.email = ident.display_name, ident.email
    rows = (await s.execute(select(Interview.id, Interview.mode, Interview.channel_id)
                            .where(Interview.participant_id == p.id))).all()
    subject.interview_ids = [r[0] for r in rows]
    # An assisted interview's channel is the interviewer's DM, not theirs.
    subject.channels = {r[2] for r in rows if r[2] and r[1] != "assisted"}
    if subject.interview_ids:
        keys = await s.scalars(select(Answer.source_event_id).where(Answer.interview_id.in_(subject.interview_ids),
                                                                    Answer.source_event_id.is_not(None)))
        subject.event_keys = {k for k in keys.all() if k}
    await _dm_channels(s, subject)
    return subject


async def _dm_channels(s: AsyncSession, subject: Subject) -> None:
    """Their DM channel as Slack reported it: in their inbound events and in the results of messages to them."""
    uid = subject.slack_user_id
    if not uid:
        return
    for payload in (await s.scalars(select(InboxEvent.payload).where(InboxEvent.slack_user_id == uid))).all():
        ev = (payload or {}).get("event") or {}
        if ev.get("channel_type") == "im" and isinstance(ev.get("channel"), str):
            subject.channels.add(ev["channel"])
    for result in (await s.scalars(select(OutboxMessage.result).where(
            OutboxMessage.slack_user_id == uid, OutboxMessage.channel == uid))).all():
        channel = (result or {}).get("channel")
        if isinstance(channel, str) and channel.startswith("D"):
            subject.channels.add(channel)


# --- mentions anywhere --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    table: str
    column: str
    rows: int


def _is_texty(column: Any) -> bool:
    return isinstance(column.type, String | Text | JSONType | JSON)


def _variants(needle: str, json_column: bool) -> list[str]:
    # SQLite keeps JSON as text with non-ASCII characters escaped (\u4e2d), so search that spelling too.
    out = [needle]
    if json_column:
        escaped = json.dumps(needle)[1:-1]
        if escaped != needle:
            out.append(escaped)
    return out


def contains_any(column: Any, needles: Iterable[str], json_column: bool = False) -> ColumnElement[bool]:
    """SQL: the column's text contains one of the needles (LIKE with % and _ taken literally)."""
    text = cast(column, Text) if json_column else column
    conds = [text.contains(v, autoescape=True) for n in needles for v in _variants(n, json_column)]
    return or_(*conds)


async def find_mentions(s: AsyncSession, needles: Sequence[str],
                        skip: Iterable[tuple[str, str]] = ()) -> list[Mention]:
    """Every (table, column) of every table whose text or JSON holds one of the needles, with a row count.
    `skip` names (table, column) pairs allowed to hold them (the audit log's subject)."""
    needles = [n for n in needles if n]
    if not needles:
        return []
    skipped = set(skip)
    out: list[Mention] = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not _is_texty(column) or (table.name, column.name) in skipped:
                continue
            is_json = isinstance(column.type, JSONType | JSON)
            n = await s.scalar(select(func.count()).select_from(table)
                               .where(contains_any(column, needles, is_json))) or 0
            if n:
                out.append(Mention(table.name, column.name, int(n)))
    return out
