"""Rate-limit pacing for the sender: token buckets per method, 429 pauses, one message per channel at a time."""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select

from app.outbox import NOT_IDEMPOTENT, PENDING, SENT, VERIFY
from storage.models import OutboxMessage
from storage.uow import Database

log = logging.getLogger("cna.slack.sender")


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


class Pacer:
    """When each kind of call may go next. Slack's limits are per method and per channel; the pacer holds them for
    the one elected sender, so they hold for the whole deployment."""

    def __init__(self, post_per_minute: float, open_per_minute: float, per_channel_interval: float,
                 jitter: float = 0.2):
        post_gate = RateGate(post_per_minute)
        self.gates = {"chat.postMessage": post_gate, "chat.update": post_gate, "views.publish": RateGate(100),
                      "conversations.open": RateGate(open_per_minute)}
        self.paused_until: dict[str, float] = {}
        self.limited_at: dict[str, float] = {}  # when Slack last answered 429 to the method (monotonic)
        self.channel_free_at: dict[str, float] = {}
        self.per_channel_interval = per_channel_interval
        self.jitter = jitter

    def take(self, method: str) -> None:
        gate = self.gates.get(method)
        if gate is not None:
            gate.take()

    def sent_to(self, channel: str) -> None:
        """A postMessage to `channel` is going out now: the next one waits per_channel_interval."""
        self.channel_free_at[channel] = time.monotonic() + self.per_channel_interval

    def wait(self, method: str, channel: str | None, kind: str) -> float:
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

    def pause(self, method: str, exc: SlackApiError) -> None:
        headers = getattr(exc.response, "headers", {}) or {}
        raw = headers.get("Retry-After") or headers.get("retry-after") or "1"
        try:
            retry_after = float(raw[0] if isinstance(raw, list) else raw)
        except ValueError:
            retry_after = 1.0
        # Exactly what Slack asked, plus a little jitter (CNA_RETRY_JITTER): there is one sender per database, so
        # nothing of ours returns at the same instant; Slack's 0-1 s advice is for many clients.
        self.paused_until[method] = time.monotonic() + retry_after + random.uniform(0, self.jitter)
        self.limited_at[method] = time.monotonic()
        log.info("Slack rate-limited %s: pausing it for %.0f s", method, retry_after)

    async def inherit(self, db: Database, now: datetime, per_channel_interval: float) -> None:
        """Taking over: what the previous sender posted in the last seconds, and the 429 pauses it honoured, are
        in the table, so the limits start from them, not from a full bucket (which would let a quick takeover
        post up to two bursts within two seconds). A first start with nothing sent lately keeps the full bucket."""
        mono = time.monotonic()
        gates = list({id(g): g for g in self.gates.values()}.values())
        horizon = max([g.capacity / g.rate for g in gates] + [per_channel_interval])
        try:
            async with db.uow() as uow:
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
                free = mono + per_channel_interval - (now - at).total_seconds()
                self.channel_free_at[channel] = max(self.channel_free_at.get(channel, 0.0), free)
        for m, until in paused:
            self.paused_until[m] = max(self.paused_until.get(m, 0.0), mono + (until - now).total_seconds())
