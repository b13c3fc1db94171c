"""Listeners by Slack surface. On the ack path one bolt middleware records every request in the inbox and
answers 200 (bolt would 404 an unmatched event and ack events before a listener could record them); the
worker then calls the processor for the row's kind, from the surface modules below."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot import inbox
from bot.deps import Deps
from bot.listeners import actions, commands, events, home, messages, views
from bot.worker import Processor

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


class RecordAndAck(AsyncMiddleware):
    """Store the request if it matters, then answer 200; 500 when it could not be stored (Slack retries).
    A plain AsyncMiddleware: bolt's function middleware would first build every listener argument from the
    body and fail on oddly shaped (but signed) payloads."""

    def __init__(self, deps: Deps):
        self.deps = deps

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        return BoltResponse(status=await record_status(self.deps, req.body), body="")


async def record_status(deps: Deps, body: dict[str, Any]) -> int:
    """Store the request if it matters: 200 once it is committed (or when there is nothing to keep), 500 when it
    could not be stored, so Slack delivers it again. Bolt's last middleware, and the HTTP fast path for DMs."""
    try:
        await inbox.record(deps, body)
    except Exception as exc:  # not stored means not acked: Slack delivers it again
        log.error("could not record a Slack request (%s); answering 500 so Slack retries", type(exc).__name__)
        return 500
    return 200


def register(app: AsyncApp, deps: Deps) -> None:
    """Install the record-and-ack middleware: every request Slack sends gets a 200 once it is stored."""
    app.use(RecordAndAck(deps))
