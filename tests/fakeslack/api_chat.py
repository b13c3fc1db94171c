"""chat.postMessage, chat.update, chat.delete and chat.postEphemeral with Slack's limits and DM channels."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from tests.fakeslack import ids
from tests.fakeslack.api import error, method, ok
from tests.fakeslack.limits import check_message
from tests.fakeslack.records import Message

if TYPE_CHECKING:
    from tests.fakeslack.server import FakeSlack


def resolve_channel(fake: FakeSlack, channel: Any) -> tuple[str | None, str | None]:
    """(channel id, DM user) for a channel argument; a user id U.. posts to the DM "D"+id as Slack does.

    Returns (None, None) for channel_not_found: missing channel, or a DM with a user who cannot be reached.
    """
    if not isinstance(channel, str) or not channel:
        return None, None
    user = None
    if channel[0] in ("U", "W"):
        user, channel = channel, "D" + channel
    elif channel[0] == "D" and channel[1:2] in ("U", "W"):
        user = channel[1:]
    if user is not None and fake.directory.error(user) is not None:
        return None, None
    return channel, user


def _echo(fake: FakeSlack, body: dict[str, Any], ts: str) -> dict[str, Any]:
    message = {
        "type": "message",
        "user": fake.bot_user_id,
        "bot_id": fake.bot_id,
        "app_id": fake.app_id,
        "team": fake.team_id,
        "text": body.get("text") or "",
        "ts": ts,
    }
    for key in ("blocks", "attachments", "thread_ts", "metadata"):
        if body.get(key) is not None:
            message[key] = body[key]
    return message


@method("chat.postMessage")
def post_message(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    channel, user = resolve_channel(fake, body.get("channel"))
    if channel is None:
        return error("channel_not_found")
    problem = check_message(body)
    if problem:
        return error(*problem)
    ts = ids.next_ts()
    fake.store_message(
        Message(
            channel=channel,
            ts=ts,
            text=body.get("text"),
            blocks=body.get("blocks"),
            body=body,
            at=time.monotonic(),
            user=user,
            thread_ts=body.get("thread_ts"),
        )
    )
    return ok(channel=channel, ts=ts, message=_echo(fake, body, ts))


@method("chat.update")
def update(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    channel, _ = resolve_channel(fake, body.get("channel"))
    message = fake.find_message(channel, body.get("ts"))
    if channel is None:
        return error("channel_not_found")
    if message is None or message.deleted:
        return error("message_not_found")
    problem = check_message(body)
    if problem:
        return error(*problem)
    message.updates.append(body)
    message.text = body.get("text", message.text)
    message.blocks = body.get("blocks", message.blocks)
    return ok(channel=channel, ts=message.ts, text=message.text or "", message=_echo(fake, body, message.ts))


@method("chat.delete")
def delete(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    channel, _ = resolve_channel(fake, body.get("channel"))
    message = fake.find_message(channel, body.get("ts"))
    if channel is None:
        return error("channel_not_found")
    if message is None or message.deleted:
        return error("message_not_found")
    message.deleted = True
    return ok(channel=channel, ts=message.ts)


@method("chat.postEphemeral")
def post_ephemeral(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    channel, _ = resolve_channel(fake, body.get("channel"))
    if channel is None:
        return error("channel_not_found")
    user = body.get("user")
    if not user or fake.directory.get(str(user)) is None:
        return error("user_not_in_channel")
    problem = check_message(body)
    if problem:
        return error(*problem)
    ts = ids.next_ts()
    fake.ephemerals.append({**body, "channel": channel, "message_ts": ts})
    return ok(message_ts=ts)


@method("conversations.history")
def history(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    """A channel's messages, newest first, from `oldest` on; metadata only with include_all_metadata."""
    channel, _ = resolve_channel(fake, body.get("channel"))
    if channel is None:
        return error("channel_not_found")
    oldest = float(body.get("oldest") or 0)
    limit = int(body.get("limit") or 100)
    with_meta = str(body.get("include_all_metadata")).lower() in ("1", "true")
    out = []
    for m in reversed(fake.messages(channel)):
        if float(m.ts) < oldest or m.deleted:
            continue
        msg = {"type": "message", "ts": m.ts, "text": m.text or "", "bot_id": fake.bot_id,
               "user": fake.bot_user_id}
        if with_meta and m.body.get("metadata"):
            msg["metadata"] = m.body["metadata"]
        out.append(msg)
    return ok(messages=out[:limit], has_more=len(out) > limit)
