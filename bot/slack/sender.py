"""The outbox sender: drains queued Slack calls one at a time, within Slack's limits, once each across restarts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import aiohttp
from slack_sdk.errors import SlackApiError
from sqlalchemy import case, func, or_, select, text, update

from bot.leader import Leader, PgLeader, leader_for, lock_key
from bot.slack.deps import Deps
from bot.slack.outbox import (
    AMBIGUOUS,
    BULK_PREFIXES,
    FAILED,
    PENDING,
    RESPONSE_URL,
    SENDING,
    SENT,
    SKIPPED,
    UNSENT,
    VERIFY,
)
from bot.slack.verify import Verdict, verify_post
from storage.models import OutboxMessage, Workspace

log = logging.getLogger("cna.slack.sender")

SKIP_ERRORS = frozenset({"user_not_found", "user_disabled", "user_not_visible", "cannot_dm_bot", "is_bot"})
HALT_ERRORS = frozenset({"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired",
                         "team_access_not_granted", "app_uninstalled"})
SERVER_ERRORS = frozenset({"fatal_error", "internal_error", "service_unavailable", "request_timeout"})
# A repeated chat.postMessage is a second DM; everything else we send can be repeated harmlessly.
NOT_IDEMPOTENT = frozenset({"chat.postMessage"})
MAX_BACKOFF = 60.0

# One sender per database, not per process: the limits below are kept in memory, so N replicas each sending
# would post N times Slack's caps. Elected like the sweeper (bot.leader), with its own advisory lock key on
# PostgreSQL and its own lock file on SQLite; a standby tries again every STANDBY_RETRY seconds, so it takes
# over within that when the sender's process dies and its session (or file descriptor) goes with the lock.
LOCK_KEY = lock_key(b"cna_send")
LOCK_SUFFIX = ".sender.lock"
STANDBY_RETRY = 2.0
LEADER_CHECK = 1.0  # how often the sender confirms it still holds the lock (a round trip on its connection)
ELECTION_TIMEOUT = 10.0  # a check that hangs this long (a network partition) counts as lost
# Standbys pass their local wake-ups on with NOTIFY; the sender LISTENs on its lock connection (PostgreSQL).
WAKE_CHANNEL = "cna_outbox"


class RateGate:
    """A token bucket: `per_minute` on average, bursts of up to two seconds' worth."""

    def __init__(self, per_minute: float):
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * 2)
        self.tokens = self.capacity
        self.at = time.monotonic()

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class Row:
    id: int
    key: str
    method: str
    channel: str | None
    status: str
    attempts: int
    payload: dict[str, Any]
    created_at: Any


class Sender:
    """The database's one sender (elected, see LOCK_KEY). Calls go out one at a time: a 429 then pauses the method
    before anything else is sent, so Retry-After is honoured exactly (the workspace cap is far below what one
    connection does)."""

    def __init__(self, deps: Deps, leader: Leader | None = None):
        self.deps = deps
        s = deps.settings
        self.lease = s.web_timeout + 5.0
        post_gate = RateGate(s.post_per_minute)
        self.gates = {"chat.postMessage": post_gate, "chat.update": post_gate, "views.publish": RateGate(100),
                      "conversations.open": RateGate(s.open_per_minute)}
        self.paused_until: dict[str, float] = {}
        self.channel_free_at: dict[str, float] = {}
        self.halted: str | None = None
        self._session: aiohttp.ClientSession | None = None
        self.leader = leader  # made in run(), so a Sender used only for drain_once() needs no lock
        self.leading: bool | None = None
        self._checked_at = 0.0

    # --- the loop ---------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Drain forever while elected; woken early by `deps.outbox_wake` when something is queued (here, or
        on another replica, which NOTIFYs). Not elected: stand by and try again every STANDBY_RETRY seconds."""
        if self.leader is None:
            self.leader = leader_for(self.deps.db, LOCK_KEY, LOCK_SUFFIX, "outbox sender")
        if isinstance(self.leader, PgLeader):
            await self.leader.listen(WAKE_CHANNEL, self._heard)
        try:
            while True:
                if not await self._elect():
                    await self._stand_by(STANDBY_RETRY)
                    continue
                try:
                    delay = await self.drain_once()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox sender loop failed; retrying")
                    delay = self.deps.settings.poll_interval
                if delay > 0:
                    # Wake up for the next lock check too, so a sender that lost its lock stops within it.
                    delay = min(delay, max(0.01, self._checked_at + LEADER_CHECK - time.monotonic()))
                    try:
                        await asyncio.wait_for(self.deps.outbox_wake.wait(), timeout=delay)
                    except TimeoutError:
                        pass
                self.deps.outbox_wake.clear()
        finally:
            with contextlib.suppress(Exception):
                await self.leader.release()
            if self._session is not None:
                await self._session.close()

    async def _elect(self) -> bool:
        """Whether this process is the database's sender: re-checked every LEADER_CHECK seconds while it is."""
        assert self.leader is not None
        now = time.monotonic()
        if self.leading and now - self._checked_at < LEADER_CHECK:
            return True
        self._checked_at = now
        try:
            leading = await asyncio.wait_for(self.leader.acquire(), timeout=ELECTION_TIMEOUT)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database is away (or hangs): we cannot know, so we do not send
            log.warning("outbox sender: cannot check the sender lock (%s); not sending", type(exc).__name__)
            if isinstance(self.leader, PgLeader):
                await self.leader.abandon()
            leading = False
        if leading != self.leading:
            log.warning("outbox sender: %s (pid %s)", "sending for this database" if leading
                        else "standing by, another process sends", os.getpid())
            self.leading = leading
            if leading:
                await self._inherit_limits()
        return leading

    async def _inherit_limits(self) -> None:
        """Taking over: what the previous sender posted in the last seconds, and the 429 pauses it honoured, are
        in the table, so the limits start from them, not from a full bucket (which would let a quick takeover
        post up to two bursts within two seconds). A first start with nothing sent lately keeps the full bucket."""
        now, mono = self.deps.clock(), time.monotonic()
        gates = list({id(g): g for g in self.gates.values()}.values())
        horizon = max([g.capacity / g.rate for g in gates] + [self.deps.settings.per_channel_interval])
        try:
            async with self.deps.db.uow() as uow:
                sent = (await uow.session.execute(
                    select(OutboxMessage.method, OutboxMessage.channel, OutboxMessage.sent_at).where(
                        OutboxMessage.status == SENT, OutboxMessage.sent_at >= now - timedelta(seconds=horizon)))).all()
                paused = (await uow.session.execute(
                    select(OutboxMessage.method, func.max(OutboxMessage.not_before)).where(
                        OutboxMessage.status == PENDING, OutboxMessage.last_error.in_(("ratelimited", "http_429")),
                        OutboxMessage.not_before > now).group_by(OutboxMessage.method))).all()
        except Exception as exc:  # cannot tell: start with empty buckets, the safe side
            log.warning("outbox sender: cannot read recent sends (%s); starting slow", type(exc).__name__)
            for g in gates:
                g.tokens, g.at = 0.0, mono
            return
        for g in gates:
            window = g.capacity / g.rate
            recent = sum(1 for m, _c, at in sent if self.gates.get(m) is g and (now - at).total_seconds() <= window)
            g.wait(mono)  # bring the bucket up to now, then take off what the other sender used
            g.tokens = min(g.tokens, max(0.0, g.capacity - recent))
        for m, channel, at in sent:
            if m == "chat.postMessage" and channel:
                free = mono + self.deps.settings.per_channel_interval - (now - at).total_seconds()
                self.channel_free_at[channel] = max(self.channel_free_at.get(channel, 0.0), free)
        for m, until in paused:
            self.paused_until[m] = max(self.paused_until.get(m, 0.0), mono + (until - now).total_seconds())

    async def _stand_by(self, seconds: float) -> None:
        """Until the next election: pass this replica's wake-ups (its worker queued a reply, a lead kicked off)
        on to the elected sender instead of sending anything."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                await asyncio.wait_for(self.deps.outbox_wake.wait(), timeout=left)
            except TimeoutError:
                return
            self.deps.outbox_wake.clear()
            await self._notify()

    async def _notify(self) -> None:
        """NOTIFY the elected sender (PostgreSQL); on SQLite, or if it fails, the sender finds the rows when it
        next polls (CNA_POLL_INTERVAL)."""
        if self.deps.db.dialect != "postgresql":
            return
        try:
            async with self.deps.db.engine.connect() as conn:
                await conn.execute(text("SELECT pg_notify(:c, '')"), {"c": WAKE_CHANNEL})
                await conn.commit()
        except Exception as exc:
            log.info("outbox sender: could not wake the elected sender (%s); it will poll", type(exc).__name__)

    def _heard(self, *_args: Any) -> None:
        """asyncpg's LISTEN callback (connection, pid, channel, payload): another replica queued something."""
        self.deps.outbox_wake.set()

    async def drain_once(self) -> float:
        """Send what is due now; returns how long to sleep before the next look (0 = look again at once)."""
        self.halted = await self._halted_reason()
        bulk = or_(*(OutboxMessage.key.like(p + "%") for p in BULK_PREFIXES))
        async with self.deps.db.uow() as uow:
            rows = (await uow.session.execute(
                select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.method, OutboxMessage.status,
                       OutboxMessage.not_before)
                .where(OutboxMessage.status.in_(UNSENT))
                .order_by(case((bulk, 1), else_=0), OutboxMessage.id).limit(500))).all()
        next_look = self.deps.settings.poll_interval
        seen: set[str] = set()
        worked = False
        for rid, channel, method, status, not_before in rows:
            if channel:
                # Messages to one channel go out in order: only its oldest unsent one is a candidate.
                if channel in seen:
                    continue
                seen.add(channel)
            if self.halted and method != RESPONSE_URL:
                continue  # response_urls need no token, so leads still get command answers
            due_in = (not_before - self.deps.clock()).total_seconds()
            if due_in > 0:
                next_look = min(next_look, due_in)
                continue
            wait = self._gate_wait(method, channel, VERIFY if status != PENDING else PENDING)
            if wait > 0:
                next_look = min(next_look, wait)
                continue
            row = await self._claim(rid, status)
            if row is None:
                continue
            worked = True
            if status == PENDING:
                await self._send(row)
            elif row.method in NOT_IDEMPOTENT:
                await self._verify(row)  # unclear result, or a sender died mid-call (its lease ran out)
            else:
                await self._send(row)
            if self.halted:
                break
        return 0.0 if worked else max(next_look, 0.01)

    def _gate_wait(self, method: str, channel: str | None, kind: str) -> float:
        now = time.monotonic()
        if kind == VERIFY and method in NOT_IDEMPOTENT:
            methods = ["conversations.open", "conversations.history"]
        else:
            methods = [method]
        waits = [self.paused_until.get(m, 0.0) - now for m in methods]
        if method == "chat.postMessage" and channel and kind == PENDING:
            waits.append(self.channel_free_at.get(channel, 0.0) - now)
        gate = self.gates.get(methods[0])
        if gate is not None:
            waits.append(gate.wait(now))
        return max(0.0, *waits)

    async def _halted_reason(self) -> str | None:
        async with self.deps.db.uow() as uow:
            ws = await uow.session.get(Workspace, self.deps.identity.team_id)
            return ws.halted_reason if ws is not None else None

    # --- claiming and recording -------------------------------------------------------------------------

    async def _claim(self, rid: int, status: str) -> Row | None:
        """Take the row with a lease (not_before = now + lease) so a second sender or a restart leaves it be."""
        async with self.deps.db.uow() as uow:
            s = uow.session
            m = await s.get(OutboxMessage, rid)
            if m is None or m.status != status:
                return None
            # Read before the UPDATE: the ORM synchronises the loaded row with it.
            row = Row(m.id, m.key, m.method, m.channel, status, m.attempts + 1, m.payload, m.created_at)
            res = await s.execute(update(OutboxMessage).where(
                OutboxMessage.id == rid, OutboxMessage.status == status, OutboxMessage.attempts == row.attempts - 1)
                .values(status=SENDING if status == PENDING else VERIFY, attempts=row.attempts,
                        not_before=self.deps.clock() + timedelta(seconds=self.lease)))
            if res.rowcount != 1:  # type: ignore[attr-defined]
                return None
            await uow.commit()
            return row

    async def _set(self, row: Row, **values: Any) -> None:
        async with self.deps.db.uow() as uow:
            await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
            await uow.commit()

    async def _retry_later(self, row: Row, error: str, *, status: str = PENDING, count: bool = True,
                           delay: float | None = None) -> None:
        if delay is None:
            delay = min(MAX_BACKOFF, 2.0 ** row.attempts) + random.uniform(0, 1)
        await self._set(row, status=status, last_error=error[:500],
                        attempts=row.attempts if count else row.attempts - 1,
                        not_before=self.deps.clock() + timedelta(seconds=delay))

    async def _give_up(self, row: Row, status: str, error: str) -> None:
        """A final state; for failed or ambiguous sends the leads are told, in the same transaction."""
        from bot.slack.alerts import alert_leads

        async with self.deps.db.uow() as uow:
            await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id)
                                      .values(status=status, last_error=error[:500]))
            if status in (AMBIGUOUS, FAILED) and row.method == "chat.postMessage" and not row.key.startswith("alert:"):
                await alert_leads(uow.session, self.deps.settings.leads, f"outbox:{row.id}",
                                  f"A Slack message (outbox #{row.id}, {row.method}) ended as *{status}* ({error}). "
                                  "Check whether the person received it; only if not: "
                                  f"`cna slack resend {row.id} --yes`.")
            await uow.commit()
        log.warning("outbox %s %s: %s (%s)", row.id, status, error, row.method)

    # --- calls ------------------------------------------------------------------------------------------

    async def _call(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        if method == RESPONSE_URL:
            return await self._post_hook(payload)
        gate = self.gates.get(method)
        if gate is not None:
            gate.take()
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

    async def _send(self, row: Row) -> None:
        if row.method == "chat.postMessage" and row.channel:
            self.channel_free_at[row.channel] = time.monotonic() + self.deps.settings.per_channel_interval
        try:
            data = await self._call(row.method, row.payload)
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
        else:
            result = {k: data[k] for k in ("channel", "ts") if isinstance(data.get(k), str)}
            await self._set(row, status=SENT, sent_at=self.deps.clock(), result=result, last_error=None)

    async def _api_error(self, row: Row, exc: SlackApiError) -> None:
        status = getattr(exc.response, "status_code", 0)
        err = str(exc.response.get("error") or f"http_{status}")
        if status == 429 or err == "ratelimited":
            self._pause(row.method, exc)
            await self._retry_later(row, err, count=False, delay=self.paused_until[row.method] - time.monotonic())
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

    def _pause(self, method: str, exc: SlackApiError) -> None:
        headers = getattr(exc.response, "headers", {}) or {}
        raw = headers.get("Retry-After") or headers.get("retry-after") or "1"
        try:
            retry_after = float(raw[0] if isinstance(raw, list) else raw)
        except ValueError:
            retry_after = 1.0
        # Exactly what Slack asked, plus jitter so several senders do not return at the same instant.
        self.paused_until[method] = time.monotonic() + retry_after + random.uniform(0, 1)
        log.info("Slack rate-limited %s: pausing it for %.0f s", method, retry_after)

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
        verdict, detail = await verify_post(self, row)
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

