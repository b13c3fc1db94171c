"""The Web API method registry, response helpers, token checks, auth.test and apps.connections.open."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakeslack.server import FakeSlack

Handler = Callable[["FakeSlack", dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")


def method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler for one Web API method."""

    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def error(code: str, messages: list[str] | None = None) -> dict[str, Any]:
    """A Slack error body; ``messages`` become response_metadata.messages as Slack sends for bad arguments."""
    body: dict[str, Any] = {"ok": False, "error": code}
    if messages:
        body["response_metadata"] = {"messages": messages}
    return body


def decode_json_fields(body: dict[str, Any]) -> dict[str, Any]:
    """Decode fields that form-encoded callers send as JSON strings (blocks, view, files, ...)."""
    for key in JSON_FIELDS:
        value = body.get(key)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            try:
                body[key] = json.loads(value)
            except json.JSONDecodeError:
                pass  # left as a string; the method's own checks reject it
    return body


def token_error(method_name: str, token: str | None, known: set[str] | None) -> str | None:
    """not_authed / invalid_auth / not_allowed_token_type, as Slack answers before doing anything."""
    if not token:
        return "not_authed"
    if known is not None and token not in known:
        return "invalid_auth"
    if known is None and not token.startswith(("xoxb-", "xoxp-", "xapp-")):
        return "invalid_auth"
    app_token = token.startswith("xapp-")
    if (method_name == "apps.connections.open") != app_token:
        return "not_allowed_token_type"
    return None


@method("auth.test")
def auth_test(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    return ok(
        url="https://fake-workspace.slack.com/",
        team="Fake Workspace",
        user="cna",
        team_id=fake.team_id,
        user_id=fake.bot_user_id,
        bot_id=fake.bot_id,
        is_enterprise_install=False,
    )


@method("apps.connections.open")
def apps_connections_open(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    return ok(url=fake.socket.issue_url(fake.ws_url))
