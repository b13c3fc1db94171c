"""Replies in a thread: which question the person is answering when they reply under one of our messages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.outbox import SENT
from storage.models import OutboxMessage

# How far back to look for the message a thread hangs under: one person's recent posts, an interview's worth.
RECENT_POSTS = 300


def thread_root(event: dict[str, Any]) -> str | None:
    """The ts of the message a reply hangs under; None for a message in the conversation itself."""
    root = event.get("thread_ts")
    return root if isinstance(root, str) and root and root != event.get("ts") else None


async def asked_under(s: AsyncSession, user: str, root: str) -> tuple[int, str] | None:
    """(interview id, question id) of the question or follow-up we posted to `user` as message `root`, if any."""
    rows = await s.execute(
        select(OutboxMessage.payload, OutboxMessage.result)
        .where(OutboxMessage.slack_user_id == user, OutboxMessage.method == "chat.postMessage",
               OutboxMessage.status == SENT)
        .order_by(OutboxMessage.id.desc()).limit(RECENT_POSTS))
    for payload, result in rows:
        if (result or {}).get("ts") != root:
            continue
        meta = ((payload or {}).get("metadata") or {}).get("event_payload") or {}
        iid, qid = meta.get("i"), meta.get("q")
        return (iid, qid) if isinstance(iid, int) and isinstance(qid, str) else None
    return None
