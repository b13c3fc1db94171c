"""Listeners by Slack surface. On the ack path one bolt middleware records every request in the inbox and
answers 200 (bolt would 404 an unmatched event and ack events before a listener could record them); the
worker then calls the processor for the row's kind, from the surface modules below."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.slack import inbox
from bot.slack.deps import Deps
from bot.slack.listeners import actions, commands, events, home, messages, views
from bot.slack.worker import Processor

log = logging.getLogger("cna.slack.ingress")

PROCESSORS: dict[str, Processor] = {
    "message": messages.on_message,
    "message_changed": messages.on_message_changed,
    "block_actions": actions.on_block_actions,
    "view_submission": views.on_view_submission,
    "command": commands.on_command,
    "app_home_opened": home.on_app_home_opened,
    "app_uninstalled": events.on_revoked,
    "tokens_revoked": events.on_revoked,
}


def register(app: AsyncApp, deps: Deps) -> None:
    """Install the record-and-ack middleware: every request Slack sends gets a 200 once it is stored."""

    async def record_and_ack(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> BoltResponse:
        try:
            await inbox.record(deps, body)
        except Exception as exc:
            log.error("could not record a Slack request (%s); answering 500 so Slack retries", type(exc).__name__)
            return BoltResponse(status=500, body="")
        return BoltResponse(status=200, body="")

    app.middleware(record_and_ack)
