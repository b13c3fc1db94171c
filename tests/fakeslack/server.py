"""FakeSlack: Web API, upload URLs, response_urls and Socket Mode on 127.0.0.1, recorded, with faults."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

# the method modules register their handlers in api.HANDLERS on import
from tests.fakeslack import api_chat, api_files, api_people, api_views  # noqa: F401
from tests.fakeslack.api import HANDLERS, decode_json_fields, error, ok, token_error
from tests.fakeslack.control import add_control_routes
from tests.fakeslack.directory import Directory
from tests.fakeslack.faults import Failure, Faults, RateLimit
from tests.fakeslack.http_extras import hook, upload
from tests.fakeslack.records import Call, HookPost, Message, Upload, View, fingerprint
from tests.fakeslack.socket_mode import SocketHub

_REDACTED = "Bearer <redacted>"


class FakeSlack:
    """A fake Slack workspace over real HTTP and WebSocket on 127.0.0.1 (port 0 = chosen by the OS).

    Tokens: with ``tokens=None`` any ``xoxb-``/``xoxp-`` token works for the Web API and any ``xapp-`` token
    for apps.connections.open; other tokens get invalid_auth. Pass ``tokens={...}`` to allow only those.
    """

    def __init__(
        self,
        bot_user_id: str = "UBOT",
        team_id: str = "T111",
        users: dict[str, dict[str, Any]] | None = None,
        *,
        bot_id: str = "BBOT",
        app_id: str = "A111",
        usergroups: dict[str, list[str]] | None = None,
        channels: dict[str, list[str]] | None = None,
        tokens: set[str] | None = None,
        auto_users: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.bot_user_id, self.team_id, self.bot_id, self.app_id = bot_user_id, team_id, bot_id, app_id
        self.directory = Directory(team_id, bot_user_id, bot_id, users, auto_users, usergroups, channels)
        self.tokens = set(tokens) if tokens is not None else None
        self.host, self.port = host, port
        self.faults = Faults()
        self.socket = SocketHub(app_id)
        self.trigger_ttl: float | None = 3.0  # seconds a payloads.* trigger_id lives; None = forever
        self.calls: list[Call] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.views: list[View] = []
        self.uploads: list[Upload] = []
        self.response_url_posts: list[HookPost] = []
        self.hooks_issued: dict[str, float] = {}
        self.opened_channels: set[str] = set()
        self.used_triggers: set[str] = set()
        self._messages: list[Message] = []
        self._by_key: dict[tuple[str, str], Message] = {}
        self._runner: web.AppRunner | None = None

    # --- lifecycle ------------------------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        """Bind and serve; afterwards ``port``, ``api_url``, ``ws_url`` and ``control_url`` are set."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/ws", self.socket.handle)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        app.router.add_post("/hooks/{hook_id}", self._hook)
        add_control_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None)  # access logs would carry query strings
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        """Close WebSocket connections, then the server."""
        await self.socket.close_all()
        if self._runner is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._runner.cleanup(), 15)  # never hang a test's teardown
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """For ``AsyncWebClient(base_url=...)``; ends in "/" because slack_sdk joins with urljoin."""
        return f"{self.base_url}/api/"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    @property
    def control_url(self) -> str:
        return f"{self.base_url}/_control/"

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        return await upload(self, request)

    async def _hook(self, request: web.Request) -> web.StreamResponse:
        return await hook(self, request)

    # --- the Web API ----------------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        arrived = time.monotonic()
        body, parse_error = await _read_body(request)
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        token = token or body.pop("token", None)
        headers = {k: (_REDACTED if k.lower() == "authorization" else v) for k, v in request.headers.items()}
        call = Call(method, body, headers, arrived, fingerprint(token) if token else "")
        self.calls.append(call)
        self.faults.on_arrival(call)

        status, extra_headers = 200, {}
        if token and self.faults.is_revoked(call.token_fingerprint):
            response = error("token_revoked")
        elif (auth_problem := token_error(method, token, self.tokens)) is not None:
            response = error(auth_problem)
        elif (retry_after := self.faults.rate_limited(method, time.monotonic())) is not None:
            status, response = 429, error("ratelimited")
            extra_headers["Retry-After"] = str(retry_after)
        elif (failure := self.faults.failure(method)) is not None:
            status, response = failure.status, error(failure.error)
        elif parse_error:
            response = error(parse_error)
        else:
            pause = self.faults.delay(method)
            if pause:
                await asyncio.sleep(pause)
            handler = HANDLERS.get(method)
            response = handler(self, body) if handler else ok()
            if self.faults.take_reset(method):
                call.status, call.response, call.dropped = 0, response, True
                if request.transport is not None:
                    request.transport.abort()  # the client sees the connection drop, not the answer
                return web.Response(status=204)
        call.status, call.response = status, response
        return web.json_response(response, status=status, headers=extra_headers)

    # --- recordings -----------------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """Every recorded call to ``method`` (including ones answered 429, errors and dropped ones)."""
        return [c for c in self.calls if c.method == method]

    async def wait_for(
        self, predicate: Callable[[list[Call]], Any], timeout: float = 5.0, what: str = ""
    ) -> Any:
        """Poll ``predicate(fake.calls)`` until truthy, return its value; else AssertionError with calls."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate(self.calls)
            if result:
                return result
            if time.monotonic() >= deadline:
                shown = "\n  ".join(c.summary() for c in self.calls[-40:]) or "(none)"
                label = f" ({what})" if what else ""
                raise AssertionError(
                    f"fakeslack: condition{label} not met within {timeout} s; "
                    f"{len(self.calls)} calls, last ones:\n  {shown}"
                )
            await asyncio.sleep(0.01)

    def store_message(self, message: Message) -> None:
        self._messages.append(message)
        self._by_key[(message.channel, message.ts)] = message

    def find_message(self, channel: str | None, ts: Any) -> Message | None:
        return self._by_key.get((channel or "", str(ts)))

    def messages(self, channel: str | None = None) -> list[Message]:
        """Messages chat.postMessage delivered (answered ok, or performed then dropped), in order.

        A user id as ``channel`` means that user's DM ("D" + user id). Deleted ones stay, with ``deleted``.
        """
        if channel and channel[0] in ("U", "W"):
            channel = "D" + channel
        return [m for m in self._messages if channel is None or m.channel == channel]

    def dm_count(self, user_id: str) -> int:
        """How many messages were delivered to this user's DM (the number to assert "exactly once" with)."""
        return len(self.messages("D" + user_id))

    @property
    def connections_open_calls(self) -> int:
        """How many times apps.connections.open was called (whatever the answer)."""
        return len(self.calls_to("apps.connections.open"))

    def reset(self, keep_faults: bool = False) -> None:
        """Forget recordings, trigger/hook state and (unless ``keep_faults``) fault rules; keep users, groups,
        channels and open connections."""
        self.calls.clear()
        self._messages.clear()
        self._by_key.clear()
        for store in (self.ephemerals, self.views, self.uploads, self.response_url_posts):
            store.clear()
        self.hooks_issued.clear()
        self.opened_channels.clear()
        self.used_triggers.clear()
        if keep_faults:
            self.faults.violations.clear()
        else:
            self.faults = Faults()
        self.socket.reset()

    # --- faults ---------------------------------------------------------------------------------------------

    def rate_limit(self, method: str, every_n: int = 50, retry_after: int = 2, strict: bool = False) -> None:
        """Every ``every_n``-th call to ``method`` gets HTTP 429, Retry-After and {"ok": false, "error":
        "ratelimited"}, and is not performed. ``strict``: calls inside the window also get 429 (as Slack
        would); either way they are listed by :meth:`retry_after_violations`. ``"*"`` = every method."""
        if every_n < 1 or int(retry_after) != retry_after:
            raise ValueError("every_n must be >= 1 and retry_after whole seconds (Slack sends an integer)")
        self.faults.rate_limits[method] = RateLimit(every_n, int(retry_after), strict)

    def fail(self, method: str, error: str = "fatal_error", status: int = 200, times: int | None = 1) -> None:
        """The next ``times`` calls (None = all) get {"ok": false, "error": error} with HTTP ``status``,
        without being performed."""
        self.faults.failures[method] = Failure(error, status, times)

    def delay(self, method: str, seconds: float) -> None:
        """Wait ``seconds`` before performing each call to ``method`` (0 removes the delay)."""
        self.faults.delays[method] = seconds

    def reset_after_processing(self, method: str, times: int = 1) -> None:
        """For the next ``times`` calls: perform and record the call (a postMessage counts as delivered),
        then drop the connection without an answer (the client gets ServerDisconnectedError)."""
        self.faults.resets[method] = times

    def revoke_token(self, token: str | None = None) -> None:
        """Calls with ``token`` (default: any token) get token_revoked from now on."""
        self.faults.revoked.add("*" if token is None else fingerprint(token))

    def clear_faults(self, method: str | None = None) -> None:
        """Remove the fault rules for ``method``, or all rules and revocations."""
        self.faults.clear(method)

    def retry_after_violations(self, method: str) -> list[Call]:
        """Calls to ``method`` that arrived before the Retry-After of an earlier 429 had elapsed."""
        return list(self.faults.violations.get(method, []))

    # --- directory ------------------------------------------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Add or change a user (tz, tz_offset, real_name, is_bot, deleted, profile={...}, error=...)."""
        return self.directory.add(user_id, **fields)

    def set_usergroup(self, usergroup_id: str, user_ids: list[str]) -> None:
        self.directory.usergroups[usergroup_id] = list(user_ids)

    def set_channel_members(self, channel_id: str, user_ids: list[str]) -> None:
        self.directory.channels[channel_id] = list(user_ids)

    # --- response_url ---------------------------------------------------------------------------------------

    def new_response_url(self) -> str:
        """A response_url on this fake (for payloads.slash_command / block_actions); 5 uses, 30 minutes."""
        hook_id = secrets.token_hex(8)
        self.hooks_issued[hook_id] = time.monotonic()
        return f"{self.base_url}/hooks/{hook_id}"

    def response_url_uses(self, url: str) -> list[HookPost]:
        """The POSTs made to one response_url (including refused ones, with their status)."""
        hook_id = url.rstrip("/").rsplit("/", 1)[-1]
        return [p for p in self.response_url_posts if p.hook_id == hook_id]

    # --- Socket Mode ----------------------------------------------------------------------------------------

    async def socket_send_event(
        self, payload: dict[str, Any], retry_attempt: int = 0, retry_reason: str = "", timeout: float = 5.0
    ) -> str:
        """Send an event_callback body (payloads.message_im(...), ...) as an events_api envelope; returns
        its envelope_id. Waits up to ``timeout`` for a connection."""
        return await self.socket.send(
            "events_api",
            payload,
            timeout,
            accepts_response_payload=False,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )

    async def socket_send_slash_command(self, fields: dict[str, Any], timeout: float = 5.0) -> str:
        """Send slash-command fields (payloads.slash_command(...)) as a slash_commands envelope."""
        return await self.socket.send("slash_commands", fields, timeout, accepts_response_payload=True)

    async def socket_send_interactive(self, payload: dict[str, Any], timeout: float = 5.0) -> str:
        """Send block_actions / view_submission / ... as an interactive envelope."""
        accepts = payload.get("type") in ("view_submission", "block_suggestion")
        return await self.socket.send("interactive", payload, timeout, accepts_response_payload=accepts)

    async def socket_send_raw(self, message: dict[str, Any], timeout: float = 5.0) -> None:
        """Send any JSON message as is (a hand-made envelope, an unknown type, ...)."""
        await self.socket.send_envelope(message, timeout)

    async def socket_redeliver(
        self, envelope_id: str, retry_reason: str = "timeout", timeout: float = 5.0
    ) -> str:
        """Resend an earlier envelope's payload with retry_attempt + 1 (as Slack retries), new envelope_id."""
        old = self.socket.sent[envelope_id].envelope
        fields = {k: v for k, v in old.items() if k not in ("envelope_id", "payload", "type")}
        fields["retry_attempt"] = int(fields.get("retry_attempt", 0)) + 1
        fields["retry_reason"] = retry_reason
        return await self.socket.send(old["type"], old["payload"], timeout, **fields)

    @property
    def socket_acks(self) -> dict[str, dict[str, Any]]:
        """envelope_id -> the ack the client sent ({"envelope_id": ..., "payload": ... if any})."""
        return self.socket.acks

    def socket_ack_latency(self, envelope_id: str) -> float | None:
        """Seconds from sending an envelope to receiving its ack, or None if not acked."""
        if envelope_id not in self.socket.ack_at:
            return None
        return self.socket.ack_at[envelope_id] - self.socket.sent[envelope_id].at

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The ack for ``envelope_id``; AssertionError after ``timeout`` listing what is still unacked."""
        deadline = time.monotonic() + timeout
        while envelope_id not in self.socket.acks:
            if time.monotonic() >= deadline:
                pending = [e for e in self.socket.sent if e not in self.socket.acks]
                raise AssertionError(
                    f"fakeslack: no ack for envelope {envelope_id} within {timeout} s; "
                    f"unacked: {pending}; connections open: {self.socket_connections}"
                )
            await asyncio.sleep(0.01)
        return self.socket.acks[envelope_id]

    async def socket_disconnect(self, reason: str = "refresh_requested", grace: float = 1.0) -> None:
        """Send {"type": "disconnect", "reason": reason} to every connection, then close them (after
        ``grace`` seconds at most, letting a well-behaved client reconnect first)."""
        await self.socket.disconnect(reason, grace)

    def stop_pings(self) -> None:
        """Stop answering WebSocket pings (the client should see a stale connection and reconnect)."""
        self.socket.answer_pings = False

    def resume_pings(self) -> None:
        self.socket.answer_pings = True

    @property
    def socket_connections(self) -> int:
        """WebSocket connections open right now."""
        return len(self.socket.open_connections)

    @property
    def socket_connects(self) -> int:
        """WebSocket connections accepted since start (reconnects included)."""
        return self.socket.connects_total

    async def wait_for_socket(self, connects: int = 1, timeout: float = 5.0) -> None:
        """Wait until at least ``connects`` connections were accepted and one is open."""
        deadline = time.monotonic() + timeout
        while self.socket.connects_total < connects or not self.socket.open_connections:
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"fakeslack: wanted {connects} socket connects within {timeout} s, got "
                    f"{self.socket.connects_total} ({self.socket_connections} open, "
                    f"{self.connections_open_calls} apps.connections.open calls)"
                )
            await asyncio.sleep(0.01)


async def _read_body(request: web.Request) -> tuple[dict[str, Any], str | None]:
    """Query string + form or JSON body, merged; JSON-in-form fields decoded. Second item: a parse error."""
    body: dict[str, Any] = dict(request.query)
    raw = await request.read()
    if not raw:
        return decode_json_fields(body), None
    if request.content_type == "application/json":
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return body, "invalid_json"
        if not isinstance(data, dict):
            return body, "invalid_json"
        body.update(data)
    else:
        form = await request.post()
        body.update({k: v if isinstance(v, str) else getattr(v, "filename", "") for k, v in form.items()})
    return decode_json_fields(body), None
