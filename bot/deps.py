"""What the Slack adapter's parts share: settings, database, interview service, Web API clients, wake-ups."""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from app.interviews import InterviewService
from app.settings import Settings
from storage.uow import Database

log = logging.getLogger("cna.slack")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class BotIdentity:
    """Who the bot is in the workspace, from auth.test at start-up."""

    team_id: str
    bot_user_id: str
    bot_id: str | None = None
    enterprise_id: str | None = None


@dataclass
class Deps:
    """Built once in `cna serve` (or a test) and handed to every listener, the inbox worker and the sender."""

    settings: Settings
    db: Database
    service: InterviewService
    identity: BotIdentity
    # The sender's client never retries on its own: a blind retry of chat.postMessage can DM twice.
    sender_client: AsyncWebClient
    # Reads (usergroups.users.list, conversations.members, ...) are idempotent and may retry freely.
    lookup_client: AsyncWebClient
    clock: Callable[[], datetime] = utc_now
    inbox_wake: asyncio.Event = field(default_factory=asyncio.Event)
    # New inbox rows (id, person, kind), handed from the ack path to the worker without a table scan.
    inbox_new: collections.deque[tuple[int, str | None, str]] = field(default_factory=collections.deque)
    inbox_writer: Any = None  # bot.inbox_writer.InboxWriter, made on the first request (group commit of acks)
    outbox_wake: asyncio.Event = field(default_factory=asyncio.Event)
    engine: Any = None  # app.engine_process.EngineProcess when the engine runs in a second process, else None


SDK_LOGGER = "slack_sdk.web.async_base_client"  # every AsyncWebClient's logger unless it is given one


def pin_sdk_log_level() -> None:
    """slack_sdk builds its DEBUG lines (URL, params, headers, the whole response) on every call whenever its
    logger's own level is NOTSET: it tests `logger.level <= DEBUG`, not `isEnabledFor`, and then drops them. That
    was a sixth of each post's loop CPU. Pinning the level to the effective one (WARNING, or DEBUG under `cna -v`)
    logs exactly what it logged before and skips the formatting."""
    sdk = logging.getLogger(SDK_LOGGER)
    if sdk.level == logging.NOTSET:
        sdk.setLevel(sdk.getEffectiveLevel())


def web_clients(settings: Settings, session: aiohttp.ClientSession | None = None,
                ) -> tuple[AsyncWebClient, AsyncWebClient]:
    """(sender client without retries, lookup client with 429/connection/5xx retries), sharing `session`."""
    pin_sdk_log_level()
    common = {"token": settings.slack_bot_token, "base_url": settings.slack_api_url,
              "timeout": max(1, int(settings.web_timeout)), "session": session}
    sender = AsyncWebClient(retry_handlers=[], **common)  # type: ignore[arg-type]
    lookup = AsyncWebClient(retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3),
                                            AsyncConnectionErrorRetryHandler(max_retry_count=2),
                                            AsyncServerErrorRetryHandler(max_retry_count=2)],
                            **common)  # type: ignore[arg-type]
    return sender, lookup
