"""The outbox: outgoing Slack calls stored with an idempotency key, in the caller's transaction."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.blocks import Message
from storage.models import OutboxMessage

# Row states. pending -> sending -> sent | skipped | failed; an unclear postMessage goes to verify, which
# ends in sent, back to pending (Slack has no such message) or ambiguous (could not tell: reported).
PENDING, SENDING, SENT, SKIPPED, FAILED, VERIFY, AMBIGUOUS = (
    "pending", "sending", "sent", "skipped", "failed", "verify", "ambiguous")
UNSENT = (PENDING, SENDING, VERIFY)
# Bulk sends (kick-offs, reminders) wait behind replies to people who are mid-interview.
BULK_PREFIXES = ("invite:", "remind:")
# A chat.postMessage that may or may not have reached Slack is checked in the DM history, never re-sent blindly.
NOT_IDEMPOTENT = frozenset({"chat.postMessage"})
RESPONSE_URL = "response_url"  # pseudo-method: POST to a slash command's response_url


def insert_ignore(dialect: str, table: Any, values: dict[str, Any]) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING on the unique key: dedupe by constraint, not check-then-insert."""
    if dialect == "postgresql":
        return postgresql.insert(table).values(**values).on_conflict_do_nothing(index_elements=["key"])
    return sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=["key"])


def _dialect(s: AsyncSession) -> str:
    return s.get_bind().dialect.name


def marker(key: str) -> str:
    """An opaque tag for a message's metadata, so an unclear send can be looked up in the DM history."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


async def enqueue(s: AsyncSession, *, key: str, method: str, payload: dict[str, Any], channel: str | None = None,
                  user: str | None = None, not_before: datetime | None = None) -> bool:
    """Add one call unless its key is already queued; True when it was new."""
    values: dict[str, Any] = {"key": key[:300], "method": method, "payload": payload, "channel": channel,
                              "slack_user_id": user}
    if not_before is not None:
        values["not_before"] = not_before
    result = await s.execute(insert_ignore(_dialect(s), OutboxMessage.__table__, values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def post_row(key: str, channel: str, message: Message, *, user: str | None = None) -> dict[str, Any]:
    """The outbox row of a chat.postMessage (a user id as channel opens the DM). Metadata carries a marker of
    the key, so an unclear send can be found in the DM history."""
    meta: dict[str, Any] = {"m": marker(key)}
    if message.asks is not None:
        meta["i"], meta["q"] = message.asks
    payload = {"channel": channel, **message.payload(),
               "metadata": {"event_type": "cna_outbox", "event_payload": meta}}
    return {"key": key[:300], "method": "chat.postMessage", "payload": payload, "channel": channel,
            "slack_user_id": user or (channel if channel[:1] in "UW" else None)}


def update_row(key: str, channel: str, ts: str, message: Message) -> dict[str, Any]:
    """The outbox row of a chat.update of a message we sent."""
    return {"key": key[:300], "method": "chat.update", "payload": {"channel": channel, "ts": ts, **message.payload()},
            "channel": None, "slack_user_id": None}


def respond_row(key: str, response_url: str, text: str, *, user: str | None = None,
                blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The outbox row of an ephemeral answer through a response_url."""
    body: dict[str, Any] = {"response_type": "ephemeral", "replace_original": False, **Message(text, blocks or [])
                            .payload()}
    return {"key": key[:300], "method": RESPONSE_URL, "payload": {"url": response_url, "body": body},
            "channel": None, "slack_user_id": user}


def insert_many(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (key) DO NOTHING for an executemany of rows made by the *_row functions above."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(OutboxMessage.__table__) \
        .on_conflict_do_nothing(index_elements=["key"])


async def post(s: AsyncSession, key: str, channel: str, message: Message, *, user: str | None = None,
               not_before: datetime | None = None) -> bool:
    """Queue a chat.postMessage (a user id as channel opens the DM)."""
    row = post_row(key, channel, message, user=user)
    return await enqueue(s, key=row["key"], method=row["method"], payload=row["payload"], channel=channel,
                         user=row["slack_user_id"], not_before=not_before)


async def post_many(s: AsyncSession, key: str, channel: str, msgs: list[Message], *,
                    user: str | None = None) -> int:
    """Queue several messages in order under keys key:0, key:1, ..."""
    n = 0
    for i, m in enumerate(msgs):
        n += await post(s, f"{key}:{i}", channel, m, user=user)
    return n


async def update(s: AsyncSession, key: str, channel: str, ts: str, message: Message) -> bool:
    """Queue a chat.update of a message we sent (e.g. to take the buttons off an answered question)."""
    row = update_row(key, channel, ts, message)
    return await enqueue(s, key=row["key"], method=row["method"], payload=row["payload"], channel=None)


async def respond(s: AsyncSession, key: str, response_url: str, text: str, *, user: str | None = None,
                  blocks: list[dict[str, Any]] | None = None) -> bool:
    """Queue an ephemeral answer to a slash command or click through its response_url."""
    row = respond_row(key, response_url, text, user=user, blocks=blocks)
    return await enqueue(s, key=row["key"], method=row["method"], payload=row["payload"], user=user)


async def publish_home(s: AsyncSession, key: str, user: str, view: dict[str, Any]) -> bool:
    return await enqueue(s, key=key, method="views.publish", payload={"user_id": user, "view": view}, user=None)

