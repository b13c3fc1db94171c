"""The load driver: signed Events API and interactivity requests as Slack sends them, with Slack's retries.

A delivery that is not acknowledged with a 2xx (connection refused or reset, a 5xx, no answer within
Slack's 3 s) is sent again with the same body and X-Slack-Retry-Num / X-Slack-Retry-Reason, as Slack does;
unlike Slack (3 retries over ~5 minutes) it keeps retrying on a short backoff until `give_up_after`, so a
crash test can tell "never acknowledged" apart from "acknowledged and then lost".
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp

from bench.respondents import Respondent, Step
from tests.fakeslack import ids, payloads
from tests.fakeslack.sender import sign

SLACK_TIMEOUT = 3.0  # Slack gives up on a request after 3 s and retries it


@dataclass
class Delivery:
    """One input as the driver saw it: when it was due and sent, how it was acknowledged, and what it carries."""

    key: str  # the bot's inbox key for it (msg:<channel>:<ts> or act:<action_ts>:<user>:<action_id>)
    user: str
    kind: str
    answers: list[tuple[str, int, bool]]
    interview_id: int
    scheduled: float  # time.monotonic() when it was due (open-loop latency counts from here)
    sent: float = 0.0
    acked_at: float | None = None
    status: int | None = None
    latency: float | None = None  # HTTP time of the request that was acknowledged
    attempts: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def acked(self) -> bool:
        return self.acked_at is not None


class Driver:
    """Posts to the bot's /slack/events with one pooled aiohttp session."""

    def __init__(self, url: str, secret: str, *, response_url: str, give_up_after: float = 60.0,
                 connections: int = 256) -> None:
        self.url = url
        self.secret = secret
        self.response_url = response_url
        self.give_up_after = give_up_after
        self.connections = connections
        self.session: aiohttp.ClientSession | None = None
        self.deliveries: list[Delivery] = []

    async def __aenter__(self) -> Driver:
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.connections),
                                             timeout=aiohttp.ClientTimeout(total=SLACK_TIMEOUT))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()

    # --- building what Slack would send ------------------------------------------------------------------

    def build(self, r: Respondent, s: Step) -> tuple[str, bytes, str]:
        """(inbox key, body, content type) for one planned input."""
        if s.action is None:
            assert s.text is not None
            body = payloads.message_im(r.user, s.text)
            ev = body["event"]
            return f"msg:{ev['channel']}:{ev['ts']}", json.dumps(body).encode(), "application/json"
        act = dict(s.action)
        state = act.pop("state", {})
        # A unique action_ts per click: the payload builder's time.time() repeats within a microsecond.
        action_ts = ids.next_ts()
        p = payloads.block_actions(r.user, act["action_id"], act.get("value", ""), act["block_id"],
                                   "D" + r.user, ids.next_ts(), action_ts=action_ts,
                                   response_url=self.response_url)
        p["actions"][0].update(act)
        p["state"] = {"values": state}
        # No container: the benchmark does not track the ts of each question message, and a chat.update of
        # a message the fake never saw would fail and alert the leads.
        p.pop("container")
        p.pop("message")
        raw = urlencode({"payload": json.dumps(p)}).encode()
        return f"act:{action_ts}:{r.user}:{act['action_id']}", raw, "application/x-www-form-urlencoded"

    # --- sending -----------------------------------------------------------------------------------------

    async def deliver(self, r: Respondent, s: Step, scheduled: float | None = None) -> Delivery:
        key, raw, ctype = self.build(r, s)
        d = Delivery(key, r.user, s.kind, s.answers, r.interview_id, scheduled or time.monotonic())
        self.deliveries.append(d)
        await self.post(d, raw, ctype)
        return d

    async def post(self, d: Delivery, raw: bytes, ctype: str) -> None:
        """Send until a 2xx, a 4xx (not retried: Slack would not fix it either) or `give_up_after`."""
        assert self.session is not None
        d.sent = time.monotonic()
        retry = 0
        reason = ""
        while True:
            ts = int(time.time())
            headers = {"Content-Type": ctype, "X-Slack-Request-Timestamp": str(ts),
                       "X-Slack-Signature": sign(self.secret, ts, raw)}
            if retry:
                headers["X-Slack-Retry-Num"] = str(retry)
                headers["X-Slack-Retry-Reason"] = reason
            d.attempts += 1
            started = time.monotonic()
            try:
                async with self.session.post(self.url, data=raw, headers=headers) as resp:
                    await resp.read()
                    status = resp.status
            except TimeoutError:
                status, reason = 0, "http_timeout"
                d.errors.append("timeout")
            except aiohttp.ClientError as exc:
                status, reason = 0, "http_error"
                d.errors.append(type(exc).__name__)
            now = time.monotonic()
            if 200 <= status < 300:
                d.status, d.latency, d.acked_at = status, now - started, now
                return
            if 400 <= status < 500:
                d.status = status
                d.errors.append(f"http {status}")
                return
            if status >= 500:
                reason = f"http_{status}"
                d.errors.append(reason)
            if now - d.sent > self.give_up_after:
                d.status = status
                return
            retry += 1
            # Slack retries about at once, then after ~1 and ~5 minutes; compressed here.
            await asyncio.sleep(min(2.0, 0.1 * 2 ** min(retry, 5)) * random.uniform(0.8, 1.2))


# --- load shapes -------------------------------------------------------------------------------------------

async def run_closed(driver: Driver, people: list[Respondent], *, think: float = 0.0) -> None:
    """Every respondent through their whole interview, each input sent once the previous one was acked
    (plus `think` seconds): the most a server can take with this many people typing at once."""

    async def one(r: Respondent) -> None:
        for s in r.steps:
            d = await driver.deliver(r, s)
            if not d.acked:
                return  # the rest of this interview would not fit the server's state
            if think:
                await asyncio.sleep(think * random.uniform(0.5, 1.5))

    await asyncio.gather(*(one(r) for r in people))


async def run_rate(driver: Driver, people: list[Respondent], *, rate: float, duration: float) -> None:
    """Open-loop load: inputs due at a fixed `rate` per second for `duration` seconds, whatever the server
    does; respondent j sends their n-th input at t0 + (n*K + j)/rate, or when their previous one is acked if
    that is later (latency still counts from the due time, so a stalled server shows up in the numbers)."""
    k = len(people)
    t0 = time.monotonic() + 0.2

    async def one(j: int, r: Respondent) -> None:
        for n, s in enumerate(r.steps):
            due = t0 + (n * k + j) / rate
            if due > t0 + duration:
                return
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            d = await driver.deliver(r, s, scheduled=due)
            if not d.acked:
                return

    await asyncio.gather(*(one(j, r) for j, r in enumerate(people)))
