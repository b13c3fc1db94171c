"""Send and settle: one Slack call for a claimed outbox row, and what its outcome makes of the row."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import aiohttp
from slack_sdk.errors import SlackApiError

from app.outbox import AMBIGUOUS, FAILED, NOT_IDEMPOTENT, PENDING, RESPONSE_URL, SENT, SKIPPED, VERIFY
from bot.deps import Deps
from bot.pacing import Pacer
from bot.send_types import Row
from bot.verify import Verdict, verify_post
from storage.models import Workspace

log = logging.getLogger("cna.slack.sender")

MAX_BACKOFF = 60.0

SKIP_ERRORS = frozenset({"user_not_found", "user_disabled", "user_not_visible", "cannot_dm_bot", "is_bot"})
HALT_ERRORS = frozenset({"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired",
                         "team_access_not_granted", "app_uninstalled"})
SERVER_ERRORS = frozenset({"fatal_error", "internal_error", "service_unavailable", "request_timeout"})
# A repeated chat.postMessage is a second DM; everything else we send can be repeated harmlessly.


class Delivery:
    """The sending half of the Sender: calls Slack and records the outcome (sent, retry, verify, skip, give up)."""

    deps: Deps
    pacer: Pacer
    halted: str | None
    _session: aiohttp.ClientSession | None

    if TYPE_CHECKING:  # provided by the Sender, which owns the outbox rows
        async def _set(self, row: Row, **values: Any) -> None: ...
        async def _retry_later(self, row: Row, error: str, *, status: str = PENDING, count: bool = True,
                               delay: float | None = None) -> None: ...
        async def _give_up(self, row: Row, status: str, error: str) -> None: ...

    # --- calls ------------------------------------------------------------------------------------------

    async def _call(self, method: str, payload: dict[str, Any], take: bool = True) -> dict[str, Any]:
        if method == RESPONSE_URL:
            return await self._post_hook(payload)
        if take:  # a batch took its tokens as it picked the rows
            self.pacer.take(method)
        resp = await self.deps.sender_client.api_call(method, json=payload)
        return dict(resp.data) if isinstance(resp.data, dict) else {}

    def _hook_allowed(self, url: str) -> bool:
        """response_urls come in signed payloads, but only Slack's own hosts (or the configured API host, as
        in tests) are ever called: the sender never becomes a way to reach arbitrary addresses."""
        u, api = urlparse(url), urlparse(self.deps.settings.slack_api_url)
        slack = u.scheme == "https" and (u.hostname or "").endswith(".slack.com")
        return slack or (u.scheme, u.hostname, u.port) == (api.scheme, api.hostname, api.port)

    async def _post_hook(self, payload: dict[str, Any]) -> dict[str, Any]:
        if not self._hook_allowed(str(payload.get("url") or "")):
            raise HookError(400, "response_url is not a Slack address")
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.deps.settings.web_timeout))
        async with self._session.post(payload["url"], json=payload["body"]) as r:
            text = await r.text()
            if r.status != 200:
                raise HookError(r.status, text[:100])
        return {"ok": True}

    async def _send(self, row: Row, sent: list[dict[str, Any]] | None = None) -> None:
        """One call and its outcome. With `sent` (a batch, whose pacing was done as it picked the rows), a
        success is added there for the batch to record; anything else is recorded at once."""
        if row.method == "chat.postMessage" and row.channel and sent is None:
            self.pacer.sent_to(row.channel)
        try:
            data = await self._call(row.method, row.payload, take=sent is None)
        except SlackApiError as exc:
            await self._api_error(row, exc)
        except HookError as exc:
            if exc.status >= 500 and row.attempts < 3:
                await self._retry_later(row, f"response_url http {exc.status}")
            else:
                await self._give_up(row, FAILED, f"response_url http {exc.status} {exc.text}")
        except aiohttp.ClientConnectorError as exc:
            if row.method == RESPONSE_URL and row.attempts >= 3:
                await self._give_up(row, FAILED, f"response_url unreachable: {type(exc).__name__}")
                return
            # Never connected, so Slack saw nothing: safe to send again, however often.
            await self._retry_later(row, f"cannot connect: {type(exc).__name__}", count=row.method == RESPONSE_URL,
                                    delay=min(MAX_BACKOFF, 2.0 ** min(row.attempts, 6)))
        except (aiohttp.ClientError, TimeoutError) as exc:
            await self._unclear(row, f"{type(exc).__name__}")
        except Exception as exc:
            # Anything else from the HTTP client (seen: aiohttp's AttributeError on a response without headers,
            # under load) may have come after Slack acted: unclear, for this row alone. Raised, it failed the
            # sender's whole round, and every row of it waited out its lease (35 s) before being checked.
            log.warning("outbox %s: the call failed unexpectedly (%s); checking before any resend", row.id,
                        type(exc).__name__)
            await self._unclear(row, f"{type(exc).__name__}")
        else:
            result = {k: data[k] for k in ("channel", "ts") if isinstance(data.get(k), str)}
            if sent is not None:
                sent.append({"b_id": row.id, "b_at": self.deps.clock(), "b_result": result})
            else:
                await self._set(row, status=SENT, sent_at=self.deps.clock(), result=result, last_error=None)

    async def _api_error(self, row: Row, exc: SlackApiError) -> None:
        status = getattr(exc.response, "status_code", 0)
        err = str(exc.response.get("error") or f"http_{status}")
        if status == 429 or err == "ratelimited":
            self.pacer.pause(row.method, exc)
            await self._retry_later(row, err, count=False, delay=self.pacer.paused_until[row.method] - time.monotonic())
        elif err in HALT_ERRORS:
            await self._halt(err)
            await self._retry_later(row, err, count=False, delay=0)
        elif err in SKIP_ERRORS or (err == "channel_not_found" and (row.channel or "")[:1] in "UW"
                                     and row.method == "chat.postMessage"):
            await self._set(row, status=SKIPPED, last_error=err)
            log.info("outbox %s skipped: %s cannot be messaged (%s)", row.id, row.channel, err)
        elif status >= 500 or err in SERVER_ERRORS:
            await self._unclear(row, err)
        else:
            await self._give_up(row, FAILED, err)

    async def _unclear(self, row: Row, error: str) -> None:
        """Slack may or may not have acted. A postMessage is checked before any resend; others just retry."""
        if row.method in NOT_IDEMPOTENT:
            await self._retry_later(row, error, status=VERIFY, delay=1.0)
        elif row.attempts < self.deps.settings.send_max_attempts:
            await self._retry_later(row, error)
        else:
            await self._give_up(row, FAILED, error)

    async def _halt(self, reason: str) -> None:
        self.halted = reason
        async with self.deps.db.uow() as uow:
            ws = await uow.session.get(Workspace, self.deps.identity.team_id)
            if ws is None:
                ws = Workspace(team_id=self.deps.identity.team_id)
                uow.session.add(ws)
            ws.halted_reason = reason
            await uow.commit()
        log.error("Slack refused the bot token (%s): sending is halted for workspace %s. Fix SLACK_BOT_TOKEN "
                  "(reinstall the app if needed) and restart 'cna serve'.", reason, self.deps.identity.team_id)

    async def _verify(self, row: Row) -> None:
        verdict, detail = await verify_post(self.deps, self.pacer, row)
        if verdict is Verdict.DELIVERED:
            await self._set(row, status=SENT, sent_at=self.deps.clock(), result=detail or {}, last_error=None)
        elif verdict is Verdict.MISSING and row.attempts < 2 * self.deps.settings.send_max_attempts:
            # Slack has no such message: sending it now cannot make a duplicate.
            await self._set(row, status=PENDING, not_before=self.deps.clock())
            self.deps.outbox_wake.set()
        elif verdict is Verdict.MISSING:
            await self._give_up(row, FAILED, "not delivered after repeated unclear sends")
        elif verdict is Verdict.RETRY and row.attempts < self.deps.settings.send_max_attempts + 3:
            await self._retry_later(row, str((detail or {}).get("error", "verify")), status=VERIFY)
        else:
            await self._give_up(row, AMBIGUOUS, str((detail or {}).get("error", "cannot verify")))


class HookError(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(f"http {status}")
        self.status = status
        self.text = text

