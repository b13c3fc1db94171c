"""The baseline: a minimal Bolt app (AsyncApp over aiohttp, HTTP mode) that acks and posts one reply, no storage.

Run as `python -m bench.bare_bolt --port N` with SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and CNA_SLACK_API_URL
set, as for `cna serve --http`. It shares one aiohttp session for its Web API calls, as cna does, so the
comparison is about what cna adds (inbox, engine, storage, outbox), not about connection handling.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import re
import signal
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.loop_probe import run_probe


def build(session: aiohttp.ClientSession) -> AsyncApp:
    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["CNA_SLACK_API_URL"],
                            session=session)
    app = AsyncApp(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client,
                   raise_error_for_unhandled_request=False)

    @app.event("message")
    async def on_message(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("subtype") or event.get("bot_id"):
            return
        # The marker cna's outbox puts on the first reply to this DM, so reply latency is measured the same way.
        key = f"reply:msg:{event.get('channel')}:{event.get('ts')}:0"
        await client.chat_postMessage(channel=event["user"], text="Thanks! Next question?", metadata=_meta(key))

    @app.action(re.compile(".*"))
    async def on_click(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        a = (body.get("actions") or [{}])[0]
        key = f"reply:act:{a.get('action_ts')}:{body['user']['id']}:{a.get('action_id')}:0"
        await client.chat_postMessage(channel=body["user"]["id"], text="Thanks! Next question?", metadata=_meta(key))

    return app


def _meta(key: str) -> dict[str, Any]:
    return {"event_type": "cna_outbox", "event_payload": {"m": hashlib.sha256(key.encode()).hexdigest()[:24]}}


async def serve(port: int) -> None:
    session = aiohttp.ClientSession()
    app = build(session)

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    web_app = app.web_app(path="/slack/events")
    web_app.router.add_get("/healthz", health)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    probe = asyncio.create_task(run_probe())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"bare bolt on 127.0.0.1:{port}", flush=True)
    try:
        await stop.wait()
    finally:
        probe.cancel()
        await runner.cleanup()
        await session.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_bolt", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
