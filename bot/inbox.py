"""The inbox: each inbound Slack request recorded under its Slack identity before the ack, then worked off.

Keys: a DM by channel + ts (every delivery and retry of one message shares them, and an edit names the
original by them); an edit by channel + ts + edit ts; other events by event_id; a click by action_ts + user +
action_id; a modal by view id + hash; a slash command by trigger_id. The unique key makes a retried or
concurrent delivery a no-op at the database, not by check-then-insert.
"""

from __future__ import annotations

import logging
from typing import Any

from app.actions import ACTION_MULTI
from bot.deps import Deps
from bot.inbox_writer import InboxWriter

log = logging.getLogger("cna.slack.inbox")
# Clicks that change something are recorded; checkbox and multi-select toggles only matter on "Submit".
RECORDED_PREFIX = "cna_"
IGNORED_ACTIONS = frozenset({ACTION_MULTI})
# Message subtypes that carry what a person wrote: a message with a file (every screenshot) is still an answer,
# and so is a thread reply the person also sent to the conversation (thread_broadcast: Slack delivers it once,
# under that subtype only) or a /me message.
PERSON_SUBTYPES = frozenset({None, "file_share", "thread_broadcast", "me_message"})
SLACK_ID_MAX = 32  # the column's width; Slack's ids are far shorter, so a longer one is not from Slack


def identify(body: dict[str, Any], bot_user_id: str | None = None,
             command: str = "/cna") -> tuple[str, str, str | None] | None:
    """(key, kind, Slack user) for a request worth processing; None for ones we only acknowledge."""
    kind = body.get("type")
    if kind == "event_callback":
        return _event(body, bot_user_id)
    if kind == "block_actions":
        acts = body.get("actions") or []
        if not acts:
            return None
        a = acts[0]
        aid = str(a.get("action_id") or "")
        if not aid.startswith(RECORDED_PREFIX) or aid in IGNORED_ACTIONS:
            return None
        user = (body.get("user") or {}).get("id")
        # action_ts is a microsecond timestamp, not an id: two people may click in the same one. Rows stored
        # under the older act:{ts}:{action_id} keys stay as they are; keys only meet on new inserts.
        return f"act:{a.get('action_ts')}:{user}:{aid}", "block_actions", user
    if kind == "view_submission":
        view = body.get("view") or {}
        return f"view:{view.get('id')}:{view.get('hash')}", "view_submission", (body.get("user") or {}).get("id")
    if body.get("command") == command and body.get("trigger_id"):
        return f"cmd:{body['trigger_id']}", "command", body.get("user_id")
    return None


def _event(body: dict[str, Any], bot_user_id: str | None) -> tuple[str, str, str | None] | None:
    ev = body.get("event") or {}
    etype = ev.get("type")
    event_id = body.get("event_id")
    if etype == "message":
        if ev.get("channel_type") != "im":
            return None  # channel chatter: the bot only listens in its DMs
        subtype = ev.get("subtype")
        if subtype == "message_changed":
            msg = ev.get("message") or {}
            user = msg.get("user")
            if not user or msg.get("bot_id") or user == bot_user_id:
                return None
            if not _strings(msg, "user", "ts") or not isinstance(msg.get("text") or "", str) \
                    or not isinstance(ev.get("channel"), str):
                return None
            edit_ts = (msg.get("edited") or {}).get("ts") or ev.get("ts")
            return f"edit:{ev.get('channel')}:{msg.get('ts')}:{edit_ts}", "message_changed", user
        if subtype not in PERSON_SUBTYPES or ev.get("bot_id") or not ev.get("user") or ev.get("user") == bot_user_id:
            return None  # bots (ourselves included), joins, deletions, topic changes
        if not _strings(ev, "user", "channel", "ts") or not isinstance(ev.get("text") or "", str) \
                or not isinstance(ev.get("files") or [], list):
            return None  # signed, but not a message Slack would send: nothing to answer
        return f"msg:{ev.get('channel')}:{ev.get('ts')}", "message", ev.get("user")
    if etype == "app_home_opened":
        if ev.get("tab", "home") != "home" or not event_id:
            return None
        return f"ev:{event_id}", "app_home_opened", ev.get("user")
    if etype in ("app_uninstalled", "tokens_revoked") and event_id:
        return f"ev:{event_id}", etype, None
    return None


def _strings(d: dict[str, Any], *keys: str) -> bool:
    """Every key holds a non-empty string of a sensible length (ids, timestamps)."""
    return all(isinstance(d.get(k), str) and 0 < len(d[k]) <= 300 for k in keys)


def _user_ok(user: object) -> bool:
    """A Slack user id as the inbox can store it: absent, or a short string (never an object or a list)."""
    return user is None or (isinstance(user, str) and 0 < len(user) <= SLACK_ID_MAX)


async def record(deps: Deps, body: dict[str, Any]) -> bool | None:
    """Store the request if it matters (True new, False duplicate, None not recorded) and wake the worker."""
    try:
        ident = identify(body, deps.identity.bot_user_id, deps.settings.slash_command)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        # Signed but not shaped like anything Slack documents: acknowledge it and keep nothing.
        log.warning("ignored a Slack request of an unexpected shape (%s)", type(exc).__name__)
        return None
    if ident is None:
        return None
    key, kind, user = ident
    if not _user_ok(user) or (kind in ("block_actions", "view_submission", "command") and user is None):
        # e.g. "user": {"id": {...}}: storing it would fail and answer 500, and Slack would retry it forever.
        log.warning("ignored a Slack %s whose user is not an id", kind)
        return None
    # The deprecated verification token is of no use to us; do not keep it.
    payload = {k: v for k, v in body.items() if k != "token"}
    values = {"key": key[:300], "kind": kind, "slack_user_id": user, "payload": payload,
              "received_at": deps.clock(), "status": "pending", "attempts": 0}
    if deps.inbox_writer is None:
        deps.inbox_writer = InboxWriter(deps.db)
    # Committed (with the other requests of these few milliseconds) before we return: only then is it acked.
    rid = await deps.inbox_writer.add(values)
    if rid is None:
        return False
    deps.inbox_new.append((rid, user, kind))
    deps.inbox_wake.set()
    return True
