"""Kickoff run: `/cna invite` to N people under chat.postMessage rate limits, against the least time they allow."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bench import procs
from bench.seed import open_round
from storage.uow import Database
from tests.fakeslack import payloads
from tests.fakeslack.sender import sign


def min_time(n: int, per_minute: float, every_n: int, retry_after: float) -> dict[str, float]:
    """The least time to deliver n DMs for a perfect sender: the bot's own token bucket (per_minute, bursts of
    two seconds' worth, as bot/sender.py's RateGate) and the fake's rule (every `every_n`-th call is
    refused with Retry-After, after which nothing may be sent for that long). No jitter, no processing time."""
    rate = per_minute / 60.0
    cap = max(1.0, rate * 2)
    tokens, t, calls, delivered, refused = cap, 0.0, 0, 0, 0
    while delivered < n:
        if tokens < 1:
            t += (1 - tokens) / rate
            tokens = 1.0
        tokens -= 1
        calls += 1
        if every_n and calls % every_n == 0:
            refused += 1
            tokens = min(cap, tokens + retry_after * rate)
            t += retry_after
        else:
            delivered += 1
    return {"seconds": t, "calls": calls, "refused": refused}


async def run_kickoff(n: int, *, per_minute: int, every_n: int, retry_after: int, script: str = "internal-sales",
                      db_url: str | None = None, timeout: float = 600.0,
                      settings: dict[str, Any] | None = None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="cna-bench-kickoff-"))
    fake = procs.start_fake(work, rate_limits=[f"chat.postMessage:{every_n}:{retry_after}"],
                            usergroups=[f"SBENCH:UK:{n}"])
    serve: procs.Proc | None = None
    try:
        url = db_url or f"sqlite:///{work}/cna.db"
        await open_round(url)
        port = procs.free_port()
        env = procs.serve_env(fake.info["api_url"], url, work / "kickoff.lag.jsonl",
                              **{"post_per_minute": per_minute, **(settings or {})})
        serve = procs.start_serve(work, port, env)
        cmd = payloads.slash_command(procs.LEAD, "/cna", f"invite <!subteam^SBENCH|everyone> {script}",
                                     response_url=procs.api(fake, "bench.response_url")["url"])
        raw = urlencode(cmd).encode()
        ts = int(time.time())
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": str(ts),
                   "X-Slack-Signature": sign(procs.SECRET, ts, raw)}
        async with aiohttp.ClientSession() as http:
            t0 = time.monotonic()
            async with http.post(f"http://127.0.0.1:{port}/slack/events", data=raw, headers=headers) as r:
                status = r.status
            ack_ms = (time.monotonic() - t0) * 1000
        delivered: dict[str, Any] = {}
        while time.monotonic() - t0 < timeout:
            delivered = await asyncio.to_thread(procs.api, fake, "bench.delivery")
            if sum(1 for u in delivered.get("per_user", {}) if u.startswith("UK")) >= n:
                break
            await asyncio.sleep(0.5)
        mem = serve.memory_mb()
        invited = sum(1 for u in delivered.get("per_user", {}) if u.startswith("UK"))
        dup = sum(c - 1 for u, c in delivered.get("per_user", {}).items() if u.startswith("UK") and c > 1)
        last = delivered.get("last_post") or time.monotonic()
        first = delivered.get("first_post") or t0
        best = min_time(n, per_minute, every_n, retry_after)
        took = last - t0
        db = await Database.open(url, migrate=False)
        try:
            from sqlalchemy import func, select

            from storage.models import OutboxMessage

            async with db.uow() as uow:
                statuses = dict((await uow.session.execute(
                    select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all())
        finally:
            await db.close()
        return {
            "name": "kickoff", "people": n, "ack_status": status, "ack_ms": round(ack_ms, 1),
            "post_per_minute": per_minute, "fake_rate_limit": {"every_n": every_n, "retry_after": retry_after},
            "invitations_delivered": invited, "duplicated": dup, "outbox": {str(k): v for k, v in statuses.items()},
            "seconds": round(took, 2), "first_post_after_s": round(first - t0, 2),
            "min_seconds": round(best["seconds"], 2), "ratio": round(took / best["seconds"], 3),
            "calls": delivered.get("post_calls"), "ratelimited": delivered.get("ratelimited"),
            "retry_after_violations": delivered.get("violations"), "peak_rss_mb": round(mem.get("peak_rss_mb", 0), 1),
            "settings": settings or {}, "ok": invited == n and dup == 0 and not delivered.get("violations"),
        }
    finally:
        if serve is not None:
            serve.stop()
        fake.stop()


async def alternate(people: int, repeats: int, jitters: list[float]) -> list[dict[str, Any]]:
    """Kickoffs at the full size's limits, each CNA_RETRY_JITTER in turn, `repeats` times (the load recorded)."""
    out = []
    for _ in range(repeats):
        for jitter in jitters:
            load0 = os.getloadavg()[0]
            r = await run_kickoff(people, per_minute=3000, every_n=500, retry_after=2,
                                  settings={"retry_jitter": jitter})
            r["loadavg"] = [round(load0, 2), round(os.getloadavg()[0], 2)]
            print(json.dumps(r), flush=True)
            out.append(r)
    return out


if __name__ == "__main__":
    # python -m bench.kickoff [people] [repeats] [jitter ...]: e.g. 5000 2 1.0 0.2 (what kickoff_5000.md shows)
    args = sys.argv[1:]
    asyncio.run(alternate(int(args[0]) if args else 500, int(args[1]) if len(args) > 1 else 1,
                          [float(j) for j in args[2:]] or [0.2]))
