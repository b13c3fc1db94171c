"""Signed HTTP requests as Slack sends them to the bot: events, interactivity, slash commands."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, NamedTuple
from urllib.parse import urlencode

import aiohttp


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """Slack's v0 signature: "v0=" + hex HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SendResult(NamedTuple):
    """What came back: HTTP status, the response body as text, and the wall time it took."""

    status: int
    body: str
    elapsed: float


class SlackSender:
    """Posts signed requests to ``url`` with one reused aiohttp session; use ``async with``.

    Every method takes ``timestamp`` (default now) and ``signature`` (default: the correct one) so tests can
    send skewed or forged requests; ``headers`` adds or overrides headers, a None value removes one
    (e.g. ``headers={"X-Slack-Signature": None}``).
    """

    def __init__(self, url: str, signing_secret: str, timeout: float = 30.0) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SlackSender:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def event(
        self,
        body: dict[str, Any],
        retry_num: int | None = None,
        retry_reason: str | None = None,
        timestamp: int | str | None = None,
        signature: str | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> SendResult:
        """An Events API delivery (JSON); ``retry_num``/``retry_reason`` set X-Slack-Retry-Num/-Reason."""
        extra = dict(headers or {})
        if retry_num is not None:
            extra["X-Slack-Retry-Num"] = str(retry_num)
        if retry_reason is not None:
            extra["X-Slack-Retry-Reason"] = retry_reason
        raw = json.dumps(body).encode()
        return await self._signed(raw, "application/json", timestamp, signature, extra)

    async def action(
        self,
        payload: dict[str, Any],
        timestamp: int | str | None = None,
        signature: str | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> SendResult:
        """An interactivity request (block_actions, view_submission, ...): form field ``payload=<json>``."""
        raw = urlencode({"payload": json.dumps(payload)}).encode()
        return await self._signed(raw, "application/x-www-form-urlencoded", timestamp, signature, headers)

    async def command(
        self,
        fields: dict[str, str],
        timestamp: int | str | None = None,
        signature: str | None = None,
        headers: dict[str, str | None] | None = None,
    ) -> SendResult:
        """A slash command: the fields form-encoded (payloads.slash_command(...))."""
        raw = urlencode(fields).encode()
        return await self._signed(raw, "application/x-www-form-urlencoded", timestamp, signature, headers)

    async def raw(self, body: bytes, headers: dict[str, str] | None = None) -> SendResult:
        """POST ``body`` with exactly ``headers`` (nothing added, no signature): for fuzzing."""
        session = self._session
        if session is None:
            raise RuntimeError("use SlackSender as 'async with SlackSender(url, secret) as sender:'")
        started = time.perf_counter()
        async with session.post(
            self.url, data=body, headers=headers or {}, skip_auto_headers={"Content-Type"}
        ) as r:
            text = await r.text()
        return SendResult(r.status, text, time.perf_counter() - started)

    async def _signed(
        self,
        raw: bytes,
        content_type: str,
        timestamp: int | str | None,
        signature: str | None,
        headers: dict[str, str | None] | None,
    ) -> SendResult:
        ts = int(time.time()) if timestamp is None else timestamp
        merged = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature if signature is not None else sign(self.signing_secret, ts, raw),
            **(headers or {}),
        }
        return await self.raw(raw, {k: v for k, v in merged.items() if v is not None})
