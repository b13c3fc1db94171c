"""Socket Mode over a real WebSocket: hello, envelopes, acks, disconnect/refresh, and pings that can stop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from tests.fakeslack import ids

log = logging.getLogger(__name__)


@dataclass
class Sent:
    """An envelope the fake sent, and when (monotonic)."""

    envelope: dict[str, Any]
    at: float


class SocketHub:
    """The WebSocket side of the fake: one hub per FakeSlack, any number of connections."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.connections: list[web.WebSocketResponse] = []
        self.connects_total = 0
        self.tickets: set[str] = set()
        self.sent: dict[str, Sent] = {}
        self.acks: dict[str, dict[str, Any]] = {}
        self.ack_at: dict[str, float] = {}
        self.other_messages: list[str] = []
        self.answer_pings = True
        self._next = 0

    def issue_url(self, ws_url: str) -> str:
        """A fresh connection URL as apps.connections.open returns; /ws accepts only issued tickets."""
        ticket = str(uuid.uuid4())
        self.tickets.add(ticket)
        return f"{ws_url}?ticket={ticket}&app_id={self.app_id}"

    @property
    def open_connections(self) -> list[web.WebSocketResponse]:
        return [ws for ws in self.connections if not ws.closed]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """GET /ws: accept, say hello, answer pings (unless stopped), record acks."""
        if request.query.get("ticket") not in self.tickets:
            return web.json_response({"ok": False, "error": "invalid_ticket"}, status=401)
        ws = web.WebSocketResponse(autoping=False)
        await ws.prepare(request)
        self.connections.append(ws)
        self.connects_total += 1
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self.open_connections),
                "debug_info": {"host": "fakeslack", "build_number": 1, "approximate_connection_time": 18060},
                "connection_info": {"app_id": self.app_id},
            }
        )
        try:
            async for msg in ws:
                if msg.type == WSMsgType.PING and self.answer_pings:
                    await ws.pong(msg.data)
                elif msg.type == WSMsgType.TEXT:
                    self._receive(msg.data)
        finally:
            if ws in self.connections:
                self.connections.remove(ws)
        return ws

    def _receive(self, text: str) -> None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("envelope_id"), str):
            self.acks[data["envelope_id"]] = data
            self.ack_at[data["envelope_id"]] = time.monotonic()
        else:
            self.other_messages.append(text)

    async def wait_for_connection(self, timeout: float) -> web.WebSocketResponse:
        """The next open connection (round robin), waiting up to ``timeout`` for one to appear."""
        deadline = time.monotonic() + timeout
        while True:
            live = self.open_connections
            if live:
                self._next = (self._next + 1) % len(live)
                return live[self._next]
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"fakeslack: no Socket Mode connection within {timeout} s "
                    f"(connections so far: {self.connects_total}, tickets issued: {len(self.tickets)})"
                )
            await asyncio.sleep(0.01)

    async def send(self, kind: str, payload: dict[str, Any], timeout: float, **fields: Any) -> str:
        """Wrap ``payload`` in a ``kind`` envelope, send it to one connection, return the envelope_id."""
        envelope = {"envelope_id": ids.envelope_id(), "payload": payload, "type": kind, **fields}
        await self.send_envelope(envelope, timeout)
        return envelope["envelope_id"]

    async def send_envelope(self, envelope: dict[str, Any], timeout: float) -> None:
        """Send a ready-made envelope (or any JSON message) to one live connection."""
        ws = await self.wait_for_connection(timeout)
        if "envelope_id" in envelope:
            self.sent[envelope["envelope_id"]] = Sent(envelope, time.monotonic())
        await ws.send_str(json.dumps(envelope))

    async def disconnect(self, reason: str, grace: float) -> None:
        """Send {"type": "disconnect"} to every connection, let clients leave for ``grace`` s, then close."""
        targets = self.open_connections
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fakeslack"}}
        for ws in targets:
            try:
                await ws.send_json(message)
            except ConnectionError:
                pass
        deadline = time.monotonic() + grace
        while any(not ws.closed for ws in targets) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for ws in targets:
            await ws.close(code=WSCloseCode.GOING_AWAY, message=reason.encode())

    async def close_all(self) -> None:
        for ws in list(self.connections):
            # Bounded: a client that stopped answering must not hang the fake's shutdown.
            with contextlib.suppress(asyncio.TimeoutError, ConnectionError):
                await asyncio.wait_for(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown"), 3)

    def reset(self) -> None:
        self.sent.clear()
        self.acks.clear()
        self.ack_at.clear()
        self.other_messages.clear()
        self.answer_pings = True
