"""`cna serve` wiring: one asyncio loop running Slack ingress (Socket Mode or HTTP) and the background loops."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import aiohttp
from aiohttp import web
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import DBAPIError, OperationalError

from app.catalog import Catalog, load_catalog
from app.interviews import InterviewService
from app.lexicon import warm_judge
from app.settings import MANIFEST_HINT, Settings
from bot.app import build_app, http_app
from bot.deps import BotIdentity, Deps, web_clients
from bot.listeners import PROCESSORS
from bot.sender import Sender
from bot.worker import Worker
from bot.worker_batch import PATH as BATCH_PATH
from storage.db import resolve_url, safe_url
from storage.models import Workspace
from storage.uow import Database

log = logging.getLogger("cna.serve")


async def run_inbox_worker(deps: Deps) -> None:
    await Worker(deps, PROCESSORS, batch=BATCH_PATH).run()


async def run_outbox_sender(deps: Deps) -> None:
    await Sender(deps).run()


async def run_sweeper(deps: Deps) -> None:
    from app.schedule.job import run_scheduler  # refresh reminders, draft rounds, nudges, waves (one elected sweeper)

    await run_scheduler(deps.db, deps.settings)


async def run_coder_refresh(deps: Deps) -> None:
    from app.coder_training import refresh_coder  # the review app stores retrained models; code with the latest

    await refresh_coder(deps.service)


BackgroundFactory = Callable[[Deps], Coroutine[Any, Any, None]]
# Coroutines the serve loop starts after start-up and cancels at shutdown. Add a loop with one line here.
BACKGROUND: list[BackgroundFactory] = [run_inbox_worker, run_outbox_sender, run_sweeper, run_coder_refresh]


class StartupError(Exception):
    """Start-up cannot go on; the message says which setting to fix. `code` is the process exit status."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


async def whoami(deps_client: object) -> BotIdentity:
    """auth.test once at start-up: the bot's ids, so nothing on the ack path needs the network."""
    try:
        r = await deps_client.auth_test()  # type: ignore[attr-defined]
    except SlackApiError as exc:
        err = exc.response.get("error")
        raise StartupError(f"Slack rejected SLACK_BOT_TOKEN ({err}). Copy the Bot User OAuth Token (xoxb-...) "
                           f"from the app's 'OAuth & Permissions' page. {MANIFEST_HINT}") from None
    except Exception as exc:
        raise StartupError(f"cannot reach Slack to check the token ({type(exc).__name__}); check the network "
                           "and CNA_SLACK_API_URL", code=1) from None
    return BotIdentity(team_id=str(r["team_id"]), bot_user_id=str(r["user_id"]), bot_id=r.get("bot_id"),
                       enterprise_id=r.get("enterprise_id"))


async def connect_socket(handler: Any, unit: float, attempts: int = 6) -> None:
    """Open the Socket Mode connection, retrying apps.connections.open with a bounded backoff."""
    for n in range(attempts):
        try:
            await handler.connect_async()
            return
        except Exception as exc:  # slack_sdk raises plain errors for 5xx and closed sessions alike
            if n == attempts - 1:
                raise StartupError(f"cannot open the Socket Mode connection ({type(exc).__name__}); check "
                                   "SLACK_APP_TOKEN (connections:write) and the network", code=1) from None
            delay = min(30.0, unit * 2 ** n)
            log.warning("Socket Mode connection failed (%s); retrying in %.1f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)


async def socket_watchdog(handler: Any, unit: float) -> None:
    """slack_sdk reconnects stale sockets itself, but its monitor can die quietly: if the client stays
    disconnected for several intervals, force a new connection and say so loudly."""
    down = 0
    while True:
        await asyncio.sleep(unit * 4)
        try:
            connected = await handler.client.is_connected()
        except Exception:
            connected = False
        down = 0 if connected else down + 1
        if down >= 3:
            log.error("Socket Mode has been disconnected for %.0f s; forcing a reconnect", unit * 4 * down)
            try:
                await handler.client.connect_to_new_endpoint(force=True)
                down = 0
            except Exception as exc:
                log.error("Socket Mode reconnect failed (%s); will try again", type(exc).__name__)


class Service:
    """Everything `cna serve` runs; tests start it in-process with `async with Service(settings, ...)`."""

    def __init__(self, settings: Settings, *, http: bool, host: str = "0.0.0.0", port: int = 3000,
                 background: list[BackgroundFactory] | None = None, catalog: Catalog | None = None):
        self.settings = settings
        self.http = http
        self.host = host
        self.port = port
        self.background = BACKGROUND if background is None else background
        self.catalog = catalog
        self.deps: Deps | None = None
        self.tasks: list[asyncio.Task[None]] = []
        self._runner: web.AppRunner | None = None
        self._socket: object | None = None
        self._db: Database | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> Service:
        problems = self.settings.problems(http=self.http)
        if problems:
            raise StartupError("\n".join(problems) + "\n" + MANIFEST_HINT)
        self._session = aiohttp.ClientSession()  # one connection pool for every Web API call
        sender_client, lookup_client = web_clients(self.settings, self._session)
        # Both checks run before either failure is reported, so one start says everything that needs fixing.
        failed: list[StartupError] = []
        try:
            identity = await whoami(lookup_client)
        except StartupError as exc:
            failed.append(exc)
        try:
            self._db = db = await Database.open(self.settings.database_url)
        except (OperationalError, DBAPIError, OSError) as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            failed.append(StartupError(f"CNA_DATABASE_URL: cannot open "
                                       f"{safe_url(resolve_url(self.settings.database_url))} ({reason}); check the "
                                       "URL and that the server is running"))
        if failed:
            raise StartupError("\n".join(str(e) for e in failed), failed[0].code)
        catalog = self.catalog or load_catalog()
        warm_judge(catalog.prober)  # jieba's dictionary now, not on the first Chinese answer in Slack
        service = InterviewService(db, catalog)
        await service.sync_codebook()
        deps = self.deps = Deps(self.settings, db, service, identity, sender_client, lookup_client)
        if self.settings.engine_process and self.catalog is None:
            # The child loads the same catalog from the same files; a catalog handed in (tests) stays in-process.
            from app.engine_process import EngineProcess

            deps.engine = EngineProcess(service, self.settings.engine_timeout)
            deps.engine.start()
        await self._resume_workspace(deps)
        app = build_app(deps, http=self.http)
        for factory in self.background:
            self.tasks.append(asyncio.create_task(factory(deps), name=getattr(factory, "__name__", "background")))
        if self.http:
            self._runner = web.AppRunner(http_app(app, self.settings.slack_signing_secret, deps), access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, self.host, self.port)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            log.warning("cna serve: HTTP mode on %s:%s%s", self.host, self.port, "/slack/events")
        else:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
            from slack_sdk.web.async_client import AsyncWebClient

            client = AsyncWebClient(token=self.settings.slack_bot_token, base_url=self.settings.slack_api_url)
            handler = AsyncSocketModeHandler(app, self.settings.slack_app_token, web_client=client,
                                             ping_interval=self.settings.socket_ping_interval)
            self._socket = handler
            await connect_socket(handler, self.settings.socket_ping_interval)
            self.tasks.append(asyncio.create_task(socket_watchdog(handler, self.settings.socket_ping_interval),
                                                  name="socket_watchdog"))
            log.warning("cna serve: Socket Mode connected as %s in %s", identity.bot_user_id, identity.team_id)
        return self

    async def _resume_workspace(self, deps: Deps) -> None:
        """The token works (auth.test passed): lift a halt left by an earlier revocation."""
        async with deps.db.uow() as uow:
            ws = await uow.session.get(Workspace, deps.identity.team_id)
            if ws is None:
                uow.session.add(Workspace(team_id=deps.identity.team_id))
            elif ws.halted_reason:
                log.warning("sending was halted (%s); the token works again, so sending resumes", ws.halted_reason)
                ws.halted_reason = None
                ws.revoked_at = None
            await uow.commit()

    async def stop(self) -> None:
        # Every step is bounded: a Socket Mode client or a stuck connection must not hang the shutdown.
        if self._socket is not None:
            await _bounded(self._socket.close_async(), "closing Socket Mode")  # type: ignore[attr-defined]
        if self._runner is not None:
            await _bounded(self._runner.cleanup(), "stopping the HTTP server")
        for t in self.tasks:
            t.cancel()
        await _bounded(asyncio.gather(*self.tasks, return_exceptions=True), "stopping background loops")
        if self.deps is not None and self.deps.engine is not None:
            await _bounded(self.deps.engine.close(), "stopping the engine process")
        if self._session is not None:
            await _bounded(self._session.close(), "closing the HTTP client session")
        if self._db is not None:
            await _bounded(self._db.close(), "closing the database")

    async def __aenter__(self) -> Service:
        try:
            return await self.start()
        except BaseException:
            await self.stop()
            raise

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def _bounded(aw: Awaitable[object], what: str, seconds: float = 10.0) -> None:
    """Await a shutdown step for at most `seconds`; log and go on when it hangs or fails."""
    try:
        await asyncio.wait_for(aw, seconds)
    except TimeoutError:
        log.warning("shutdown: %s took longer than %.0f s; going on", what, seconds)
    except Exception as exc:  # shutting down: report and continue with the next step
        log.warning("shutdown: %s failed (%s)", what, type(exc).__name__)


async def serve(settings: Settings, *, http: bool, host: str, port: int) -> None:
    """Run until SIGINT/SIGTERM; a background loop that dies takes the service down (loudly)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with Service(settings, http=http, host=host, port=port) as svc:
        if settings.gc_freeze:
            # Started: what is alive now (modules, mappers, the catalog) lives as long as the process. Frozen, a
            # full garbage collection no longer scans it: 85-145 ms stalls of the loop (acks wait) become 5-35.
            gc.collect()
            gc.freeze()
        waiter = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([waiter, *svc.tasks], return_when=asyncio.FIRST_COMPLETED)
        for t in done:
            if t is not waiter and t.exception() is not None:
                log.error("background loop %s stopped: %s", t.get_name(), type(t.exception()).__name__)
        waiter.cancel()
