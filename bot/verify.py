"""Settle an unclear chat.postMessage (connection dropped, 5xx, a crash mid-call) by reading the DM's history.

Every message we post carries metadata with a marker of its outbox key; conversations.history (the
im:history scope the bot already has for message.im) with include_all_metadata shows whether Slack has it.
When the history cannot be read, the row is marked ambiguous and the leads are told: never re-sent blindly.
"""

from __future__ import annotations

import enum
import time
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from app.outbox import marker
from bot.deps import Deps
from bot.pacing import Pacer
from bot.send_types import Row


class Verdict(enum.Enum):
    DELIVERED = "delivered"
    MISSING = "missing"
    RETRY = "retry"  # could not tell yet (rate limit, network): ask again later
    UNKNOWN = "unknown"  # cannot tell at all (no history access): give up, report


async def verify_post(deps: Deps, pacer: Pacer, row: Row) -> tuple[Verdict, dict[str, Any] | None]:
    client = deps.sender_client
    channel = str(row.payload.get("channel") or "")
    try:
        if channel[:1] in "UW":
            pacer.take("conversations.open")
            opened = await client.conversations_open(users=channel)
            channel = str((opened.get("channel") or {}).get("id") or "")
            if not channel:
                return Verdict.UNKNOWN, {"error": "conversations.open gave no channel"}
        oldest = row.created_at.timestamp() - 1.0
        history = await client.conversations_history(channel=channel, oldest=f"{oldest:.6f}", limit=200,
                                                     include_all_metadata=True)
    except SlackApiError as exc:
        err = str(exc.response.get("error") or f"http_{getattr(exc.response, 'status_code', 0)}")
        if getattr(exc.response, "status_code", 0) == 429 or err == "ratelimited":
            pacer.pause("conversations.history", exc)
            pacer.pause("conversations.open", exc)
            return Verdict.RETRY, {"error": err}
        if getattr(exc.response, "status_code", 0) >= 500:
            return Verdict.RETRY, {"error": err}
        return Verdict.UNKNOWN, {"error": err}
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Verdict.RETRY, {"error": type(exc).__name__}
    messages = history.get("messages")
    if not isinstance(messages, list):
        return Verdict.UNKNOWN, {"error": "conversations.history returned no message list"}
    wanted = marker(row.key)
    for m in messages:
        meta = (m.get("metadata") or {}).get("event_payload") or {}
        if meta.get("m") == wanted:
            return Verdict.DELIVERED, {"channel": channel, "ts": m.get("ts"), "verified": time.time()}
    if history.get("has_more"):
        return Verdict.UNKNOWN, {"error": "history too long to check"}
    return Verdict.MISSING, None
