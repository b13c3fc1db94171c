"""Build the bolt AsyncApp and the aiohttp server for HTTP mode; signing is checked before bolt sees a body."""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot import listeners
from bot.deps import Deps, pin_sdk_log_level
from bot.listeners import record_status

log = logging.getLogger("cna.slack.app")
EVENTS_PATH = "/slack/events"
# bolt logs the whole body of a request with a bad signature at INFO; bodies carry answers.
QUIET_LOGGERS = ("slack_bolt.RequestVerification", "slack_bolt.AsyncRequestVerification")


def build_app(deps: Deps, *, http: bool) -> AsyncApp:
    """The bolt app with a local authorize (no network on the ack path) and the record-and-ack middleware."""
    ident = deps.identity
    token = deps.settings.slack_bot_token

    async def authorize(enterprise_id: str | None = None, team_id: str | None = None,
                        user_id: str | None = None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=ident.enterprise_id, team_id=ident.team_id, bot_token=token,
                               bot_id=ident.bot_id, bot_user_id=ident.bot_user_id)

    if http and not deps.settings.slack_signing_secret:
        raise ValueError("SLACK_SIGNING_SECRET is empty: refusing to accept unsigned requests")
    app = AsyncApp(name="cna", signing_secret=deps.settings.slack_signing_secret or "unused-in-socket-mode",
                   authorize=authorize,
                   client=AsyncWebClient(base_url=deps.settings.slack_api_url), request_verification_enabled=http,
                   ignoring_self_events_enabled=True, url_verification_enabled=True,
                   raise_error_for_unhandled_request=False)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    pin_sdk_log_level()
    listeners.register(app, deps)
    return app


def http_app(app: AsyncApp, signing_secret: str, deps: Deps | None = None) -> web.Application:
    """POST /slack/events (events, interactivity, commands) and GET /healthz. With `deps`, message events and
    block_actions (DMs and clicks) are recorded without going through bolt; the rest goes through bolt's middlewares."""
    verifier = SignatureVerifier(signing_secret)

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()
        ts = request.headers.get("X-Slack-Request-Timestamp", "")
        sig = request.headers.get("X-Slack-Signature", "")
        # Checked here too so a missing or malformed header is a plain 401 (bolt answers 500 to "abc"),
        # and a forged body is never parsed.
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            # slack_sdk's verifier decodes the body and would raise: check the bytes ourselves instead.
            signed_ok = ts.isdigit() and bool(sig) and _hmac_ok(signing_secret, ts, raw, sig, verifier)
            return web.Response(status=400 if signed_ok else 401,
                                text="body is not UTF-8" if signed_ok else "invalid request")
        if not ts.isdigit() or not sig or not verifier.is_valid(raw, ts, sig):
            return web.Response(status=401, text="invalid request")
        body = _parsed(raw, request.headers.get("Content-Type"))
        if body is not None and "event" in body and not isinstance(body["event"], dict):
            # bolt's own middlewares raise on such bodies and answer 500, which Slack would retry forever.
            return web.Response(status=400, text="not a Slack request body")
        if deps is not None and body is not None and (_dm_event(body) or body.get("type") == "block_actions"):
            # A message event or a click: what bolt would do for it here is done already (the signature above,
            # with its time window) or cannot apply (ssl_check, url_verification, self-events: those are events
            # other than messages, and inbox.identify drops our own and other bots' messages as bolt would), and
            # its only other middleware is RecordAndAck: call that directly, on the body parsed as bolt parses
            # it. Bolt's request, context and middleware chain were about a third of the ack path's CPU
            # (docs/performance.md, sixth round).
            return web.Response(status=await record_status(deps, body), text="")
        try:
            bolt_req = await to_bolt_request(request)
            bolt_resp = await app.async_dispatch(bolt_req)
        except Exception as exc:
            # A signed body bolt cannot read (fields of the wrong shape): a clear 400, not a 500 and a retry.
            log.warning("could not read a signed Slack request (%s)", type(exc).__name__)
            return web.Response(status=400, text="unreadable body")
        return await to_aiohttp_response(bolt_resp)

    async def health(_: web.Request) -> web.Response:
        engine = getattr(deps, "engine", None)
        # Whether the engine's second process has started (the bench waits for it; a probe needs only the 200).
        state = "off" if engine is None else "ready" if engine.started_in is not None else "starting"
        return web.Response(text="ok", headers={"X-CNA-Engine": state})

    web_app = web.Application(client_max_size=4 * 1024 * 1024)
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get("/healthz", health)
    return web_app


def _hmac_ok(secret: str, ts: str, raw: bytes, sig: str, verifier: SignatureVerifier) -> bool:
    """Slack's v0 signature over raw bytes (the body may not be text), within the verifier's time window."""
    if abs(verifier.clock.now() - int(ts)) > 60 * 5:
        return False
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}", sig)


def _parsed(raw: bytes, content_type: str | None) -> dict[str, Any] | None:
    """The body as bolt parses it (JSON, or a form with or without a JSON `payload`), if it is an object."""
    try:
        body = parse_body(raw.decode("utf-8"), content_type.split(";")[0] if content_type else None)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _dm_event(body: dict[str, Any]) -> bool:
    """An Events API callback carrying a message event (a DM, an edit, a bot's message, channel chatter)."""
    event = body.get("event")
    return body.get("type") == "event_callback" and isinstance(event, dict) and event.get("type") == "message"
