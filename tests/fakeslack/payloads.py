"""Builders for what Slack sends the bot: event_callback bodies, interactivity, slash commands."""

from __future__ import annotations

import time
from typing import Any

from tests.fakeslack import ids

TEAM_ID = "T111"
APP_ID = "A111"
BOT_USER_ID = "UBOT"  # FakeSlack's default bot_user_id
RESPONSE_URL = "https://hooks.slack.com/commands/T111/111/xxxxx"  # pass fake.new_response_url() to use one


def event_callback(
    event: dict[str, Any],
    event_id: str | None = None,
    team_id: str = TEAM_ID,
    bot_user_id: str = BOT_USER_ID,
) -> dict[str, Any]:
    """Wrap an inner event as Slack's Events API body, with a fresh event_id unless one is given."""
    return {
        "token": "verification-token",
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or ids.event_id(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def message_im(
    user: str,
    text: str,
    channel: str | None = None,
    ts: str | None = None,
    event_id: str | None = None,
    client_msg_id: str | None = None,
) -> dict[str, Any]:
    """A user's DM to the bot; ``channel`` defaults to "D" + user, as the fake's conversations.open."""
    ts = ts or ids.next_ts()
    event = {
        "client_msg_id": client_msg_id or ids.client_msg_id(),
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "team": TEAM_ID,
        "channel": channel or "D" + user,
        "event_ts": ts,
        "channel_type": "im",
    }
    return event_callback(event, event_id)


def message_changed(
    user: str, channel: str, ts: str, new_text: str, event_id: str | None = None
) -> dict[str, Any]:
    """The user edited their message ``ts`` to ``new_text`` (subtype message_changed, hidden)."""
    edit_ts = ids.next_ts()
    event = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel,
        "channel_type": "im",
        "ts": edit_ts,
        "event_ts": edit_ts,
        "message": {
            "type": "message",
            "user": user,
            "text": new_text,
            "ts": ts,
            "edited": {"user": user, "ts": edit_ts},
        },
        "previous_message": {"type": "message", "user": user, "text": "(before the edit)", "ts": ts},
    }
    return event_callback(event, event_id)


def bot_message(
    text: str = "bot says hi",
    channel: str = "DUBOT",
    bot_id: str = "BBOT",
    user: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """A bot's message. Without ``user``: classic subtype bot_message. With ``user`` (e.g. the bot's own
    user id): no subtype but ``bot_id`` set, as the echo of the bot's own chat.postMessage arrives."""
    ts = ids.next_ts()
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "bot_id": bot_id,
        "ts": ts,
        "event_ts": ts,
        "channel": channel,
        "channel_type": "im",
    }
    if user is None:
        event["subtype"] = "bot_message"
    else:
        event.update(user=user, app_id=APP_ID)
    return event_callback(event, event_id)


def message_subtype(
    subtype: str,
    user: str = "U111",
    channel: str | None = None,
    text: str = "",
    event_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message event with any subtype (message_deleted, file_share, ...); ``extra`` is merged."""
    ts = ids.next_ts()
    event = {
        "type": "message",
        "subtype": subtype,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel": channel or "D" + user,
        "channel_type": "im",
        **extra,
    }
    return event_callback(event, event_id)


def app_home_opened(user: str, tab: str = "home", channel: str | None = None) -> dict[str, Any]:
    """The user opened the app's Home (or Messages) tab."""
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": channel or "D" + user,
        "tab": tab,
        "event_ts": ids.next_ts(),
    }
    return event_callback(event)


def app_uninstalled() -> dict[str, Any]:
    """The app was uninstalled from the workspace."""
    return event_callback({"type": "app_uninstalled", "event_ts": ids.next_ts()})


def tokens_revoked(oauth: list[str] | None = None, bot: list[str] | None = None) -> dict[str, Any]:
    """Tokens were revoked; lists hold user ids (Slack sends ids, not tokens)."""
    tokens = {"oauth": oauth or [], "bot": bot if bot is not None else [BOT_USER_ID]}
    return event_callback({"type": "tokens_revoked", "tokens": tokens, "event_ts": ids.next_ts()})


def _user(user: str, team_id: str = TEAM_ID) -> dict[str, Any]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id}


def _team(team_id: str = TEAM_ID) -> dict[str, Any]:
    return {"id": team_id, "domain": "fake-workspace"}


def block_actions(
    user: str,
    action_id: str,
    value: str,
    block_id: str,
    channel: str,
    message_ts: str,
    action_ts: str | None = None,
    trigger_id: str | None = None,
    response_url: str = RESPONSE_URL,
    text: str = "Button",
) -> dict[str, Any]:
    """A button click in a message (in ``channel`` at ``message_ts``); a fresh trigger_id unless given."""
    return {
        "type": "block_actions",
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": "verification_token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id or ids.trigger_id(),
        "team": _team(),
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "user": BOT_USER_ID, "ts": message_ts, "text": ""},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": text, "emoji": True},
                "value": value,
                "type": "button",
                # Unique per click: time.time() repeats under load, and clicks are keyed by it.
                "action_ts": action_ts or ids.next_ts(),
            }
        ],
    }


def _state_values(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Accept {block_id: {action_id: "text"}} shorthand as well as Slack's full value objects."""
    return {
        block_id: {
            action_id: v if isinstance(v, dict) else {"type": "plain_text_input", "value": v}
            for action_id, v in actions.items()
        }
        for block_id, actions in values.items()
    }


def view_submission(
    user: str,
    callback_id: str,
    values: dict[str, dict[str, Any]],
    private_metadata: str = "",
    view_id: str = "V111",
) -> dict[str, Any]:
    """A modal submitted; ``values`` is {block_id: {action_id: "text" or a full value object}}."""
    return {
        "type": "view_submission",
        "team": _team(),
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": "verification_token",
        "trigger_id": ids.trigger_id(),
        "view": {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": _state_values(values)},
            "hash": f"{int(time.time())}.abcdefgh",
            "title": {"type": "plain_text", "text": "Interview"},
            "clear_on_close": False,
            "notify_on_close": False,
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": "BBOT",
        },
        "response_urls": [],
    }


def slash_command(
    user: str, command: str, text: str = "", channel: str = "C111", response_url: str = RESPONSE_URL
) -> dict[str, str]:
    """The form fields of a slash command (all strings), with a fresh trigger_id."""
    return {
        "token": "verification_token",
        "team_id": TEAM_ID,
        "team_domain": "fake-workspace",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": ids.trigger_id(),
    }


def url_verification(
    challenge: str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
) -> dict[str, Any]:
    """The Events API URL handshake; the app must echo ``challenge``."""
    return {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": challenge, "type": "url_verification"}
