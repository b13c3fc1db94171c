"""The fake Slack as a benchmark process: tests.fakeslack plus a delivery tally."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from collections import Counter
from typing import Any

from tests.fakeslack.api import method, ok
from tests.fakeslack.server import FakeSlack


@method("bench.delivery")
def delivery(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    """What the benchmark checks messages against: delivered DMs per outbox marker and per user."""
    markers: Counter[str] = Counter()
    per_user: Counter[str] = Counter()
    for m in fake.messages():
        meta = m.body.get("metadata") if isinstance(m.body, dict) else None
        payload = meta.get("event_payload") if isinstance(meta, dict) else None
        if isinstance(payload, dict) and payload.get("m"):
            markers[str(payload["m"])] += 1
        if m.user:
            per_user[m.user] += 1
    posts = [c for c in fake.calls if c.method == "chat.postMessage"]
    posted_at: dict[str, float] = {}  # marker -> when the fake first took a post carrying it (time.monotonic)
    for c in posts:
        meta = c.body.get("metadata") if c.ok and isinstance(c.body, dict) else None
        mk = (meta.get("event_payload") or {}).get("m") if isinstance(meta, dict) else None
        if mk and mk not in posted_at:
            posted_at[str(mk)] = c.at
    return ok(markers=dict(markers), per_user=dict(per_user), messages=len(fake.messages()), posted_at=posted_at,
              post_calls=len(posts), ratelimited=sum(1 for c in posts if c.status == 429),
              violations=len(fake.retry_after_violations("chat.postMessage")),
              first_post=min((c.at for c in posts), default=None),
              last_post=max((c.at for c in posts if c.ok), default=None))


@method("bench.response_url")
def response_url(fake: FakeSlack, body: dict[str, Any]) -> dict[str, Any]:
    """A response_url on the fake for the driver's clicks and commands (never hooks.slack.com)."""
    return ok(url=fake.new_response_url())


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.fake_proc", description=__doc__)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--rate-limit", action="append", default=[], metavar="METHOD:EVERY_N:RETRY_AFTER")
    p.add_argument("--usergroup", action="append", default=[], metavar="S1:PREFIX:N",
                   help="a user group of N users PREFIX0000001 ... (for a kickoff)")
    return p.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    groups = {}
    for spec in args.usergroup:
        gid, prefix, n = spec.split(":")
        groups[gid] = [f"{prefix}{i:07d}" for i in range(1, int(n) + 1)]
    fake = FakeSlack(usergroups=groups, port=args.port)
    for spec in args.rate_limit:
        name, every_n, retry_after = spec.split(":")
        fake.rate_limit(name, every_n=int(every_n), retry_after=int(retry_after))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await fake.start()
    print(json.dumps({"api_url": fake.api_url, "control_url": fake.control_url}), flush=True)
    try:
        await stop.wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(_serve(_parse(argv)))


if __name__ == "__main__":
    main()
