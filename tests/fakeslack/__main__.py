"""``python -m tests.fakeslack --port 0``: print one JSON line of URLs, serve until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys

from tests.fakeslack.server import FakeSlack


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakeslack", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = let the OS choose (default)")
    parser.add_argument("--bot-user-id", default="UBOT")
    parser.add_argument("--team-id", default="T111")
    parser.add_argument(
        "--rate-limit",
        action="append",
        default=[],
        metavar="METHOD:EVERY_N:RETRY_AFTER",
        help="e.g. chat.postMessage:50:2 (repeatable)",
    )
    parser.add_argument("--delay", action="append", default=[], metavar="METHOD:SECONDS", help="repeatable")
    return parser.parse_args(argv)


def _configure(fake: FakeSlack, args: argparse.Namespace) -> None:
    for spec in args.rate_limit:
        try:
            method, every_n, retry_after = spec.split(":")
            fake.rate_limit(method, every_n=int(every_n), retry_after=int(retry_after))
        except ValueError:
            sys.exit(
                f"--rate-limit {spec!r}: expected METHOD:EVERY_N:RETRY_AFTER, e.g. chat.postMessage:50:2"
            )
    for spec in args.delay:
        try:
            method, seconds = spec.split(":")
            fake.delay(method, float(seconds))
        except ValueError:
            sys.exit(f"--delay {spec!r}: expected METHOD:SECONDS, e.g. chat.postMessage:0.05")


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeSlack(bot_user_id=args.bot_user_id, team_id=args.team_id, host=args.host, port=args.port)
    _configure(fake, args)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await fake.start()
    urls = {"api_url": fake.api_url, "ws_url": fake.ws_url, "control_url": fake.control_url}
    print(json.dumps(urls), flush=True)
    try:
        await stop.wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()
