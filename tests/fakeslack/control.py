"""The control API under /_control/ for a benchmark in another process: read recordings, set faults, reset."""

from __future__ import annotations

import dataclasses
import inspect
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.fakeslack.server import FakeSlack


def _call(call: Any, full: bool) -> dict[str, Any]:
    data = {"method": call.method, "at": call.at, "status": call.status, "ok": call.ok, "error": call.error}
    data["dropped"] = call.dropped
    if full:
        data["body"] = call.body
    return data


def _message(message: Any) -> dict[str, Any]:
    data = dataclasses.asdict(message)
    data.pop("body")
    return data


def add_control_routes(app: web.Application, fake: FakeSlack) -> None:
    """Register GET calls/messages/stats/violations and POST reset/rate_limit/fail/delay/... routes."""

    async def calls(request: web.Request) -> web.Response:
        method = request.query.get("method")
        chosen = fake.calls_to(method) if method else fake.calls
        full = request.query.get("full", "1") != "0"
        return web.json_response({"count": len(chosen), "calls": [_call(c, full) for c in chosen]})

    async def messages(request: web.Request) -> web.Response:
        chosen = fake.messages(request.query.get("channel"))
        return web.json_response({"count": len(chosen), "messages": [_message(m) for m in chosen]})

    async def stats(request: web.Request) -> web.Response:
        per_method: dict[str, int] = {}
        for c in fake.calls:
            per_method[c.method] = per_method.get(c.method, 0) + 1
        dms: dict[str, int] = {}
        for m in fake.messages():
            if m.user:
                dms[m.user] = dms.get(m.user, 0) + 1
        violations = {m: len(v) for m, v in fake.faults.violations.items()}
        limited = {m: r.limited for m, r in fake.faults.rate_limits.items()}
        return web.json_response(
            {
                "calls": per_method,
                "messages": len(fake.messages()),
                "dm_counts": dms,
                "ratelimited": limited,
                "retry_after_violations": violations,
                "socket": {"connections": fake.socket_connections, "acks": len(fake.socket_acks)},
            }
        )

    async def violations(request: web.Request) -> web.Response:
        chosen = fake.retry_after_violations(request.query.get("method", ""))
        return web.json_response({"count": len(chosen), "calls": [_call(c, False) for c in chosen]})

    def setter(apply: Any) -> Any:
        async def handle(request: web.Request) -> web.Response:
            try:
                args = await request.json() if request.can_read_body else {}
                result = apply(args or {})
                if inspect.isawaitable(result):
                    result = await result
            except (TypeError, ValueError, KeyError) as exc:
                return web.json_response({"ok": False, "error": str(exc)}, status=400)
            return web.json_response({"ok": True, **(result or {})})

        return handle

    async def socket_event(args: dict[str, Any]) -> dict[str, Any]:
        return {"envelope_id": await fake.socket_send_event(**args)}

    app.router.add_get("/_control/calls", calls)
    app.router.add_get("/_control/messages", messages)
    app.router.add_get("/_control/stats", stats)
    app.router.add_get("/_control/retry_after_violations", violations)
    app.router.add_post("/_control/reset", setter(lambda a: fake.reset(**a)))
    app.router.add_post("/_control/rate_limit", setter(lambda a: fake.rate_limit(**a)))
    app.router.add_post("/_control/fail", setter(lambda a: fake.fail(**a)))
    app.router.add_post("/_control/delay", setter(lambda a: fake.delay(**a)))
    app.router.add_post(
        "/_control/reset_after_processing", setter(lambda a: fake.reset_after_processing(**a))
    )
    app.router.add_post("/_control/revoke_token", setter(lambda a: fake.revoke_token(**a)))
    app.router.add_post("/_control/clear_faults", setter(lambda a: fake.clear_faults(**a)))
    app.router.add_post("/_control/users", setter(lambda a: {"user": fake.add_user(**a)}))
    app.router.add_post("/_control/socket/event", setter(socket_event))
    app.router.add_post("/_control/socket/disconnect", setter(_disconnect(fake)))


def _disconnect(fake: FakeSlack) -> Any:
    async def disconnect(args: dict[str, Any]) -> None:
        await fake.socket_disconnect(**args)

    return disconnect
