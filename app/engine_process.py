"""The serve process's handle on the engine's second process: a batch's inputs out, their decisions back.

Every thread of the serve process shares one GIL, so the engine's CPU (the judge, the prober, the coder: about
a quarter of the process's CPU per input) can only leave it for another process. The child holds no database
connection: it gets an interview row, its frozen script and the input, and gives back InterviewService.decide's
Decision; the serve process writes it exactly as before, so durability is untouched. A child that dies, hangs
past `timeout` or answers garbage is killed and started again; the batch it held fails as a whole (the worker's
retry path), and until a child is ready the worker decides in its own process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.engine_child import HEADER, model_id
from app.interviews import Decision, InterviewService
from core.inputs import Input

log = logging.getLogger("cna.engine")

START_TIMEOUT = 120.0  # the child loads the catalog and the judge's word lists: 1-4 s on a busy machine
RESTART_PAUSE = 30.0  # after a child that could not start, before trying again (the worker decides in-process)
CHILD = "app.engine_child"  # the module the child runs (`python -m`)


class EngineDown(RuntimeError):
    """The child died, hung or answered garbage: this batch was not decided there."""


class EngineNotReady(EngineDown):
    """No child is up (starting, or replaced while this batch waited for the one before): nothing was sent."""


Job = tuple[Any, int, Input, str | None, datetime]  # interview row, script version id, input, event id, now


class EngineProcess:
    """One child process deciding the worker's batches; start() returns at once, `ready` says when it can."""

    def __init__(self, service: InterviewService, timeout: float = 10.0):
        self.service = service
        self.timeout = timeout
        self.started_in: float | None = None  # seconds from spawn to ready, for the bench
        self.pid: int | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._ready = False
        self._model: str | None = None  # the child's coder model id
        self._sent_coder: Any = None  # the coder object whose model the child has
        self._scripts: set[int] = set()  # script versions the child holds
        self._lock = asyncio.Lock()  # one request in flight: the replies carry no ids
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def ready(self) -> bool:
        """A child is up (a batch that finds it busy with the other batch in flight queues for it)."""
        return self._ready

    def start(self, pause: float = 0.0) -> None:
        if not self._closed and (self._task is None or self._task.done()):
            self._task = asyncio.create_task(self._spawn(pause), name="engine_process")

    async def _spawn(self, pause: float) -> None:
        if pause:
            await asyncio.sleep(pause)
        while True:
            t0 = time.monotonic()
            try:
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", CHILD, stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE)
            except OSError as exc:
                hello, failed = None, exc
            else:
                self._proc = proc
                try:
                    hello, failed = await asyncio.wait_for(self._recv(proc), START_TIMEOUT), None
                    if not (isinstance(hello, tuple) and hello[0] == "ready"):
                        failed = EngineDown(f"unexpected greeting {type(hello).__name__}")
                except asyncio.CancelledError:
                    await self._kill(proc)
                    raise
                except Exception as exc:
                    failed = exc
                if failed is not None:
                    await self._kill(proc)
            if failed is None:
                break
            log.warning("the engine process did not start (%s); deciding in the serve process, retry in %.0f s",
                        type(failed).__name__, RESTART_PAUSE)
            await asyncio.sleep(RESTART_PAUSE)
        assert isinstance(hello, tuple)
        self._model, self.pid = hello[1], hello[2]
        self._sent_coder, self._scripts = None, set()
        self.started_in = time.monotonic() - t0
        self._ready = True
        log.info("engine process %s ready in %.1f s", self.pid, self.started_in)

    async def decide(self, jobs: Sequence[Job]) -> list[Decision | Exception]:
        """Each job's Decision, or the exception the engine raised on that input alone. Raises EngineDown (and
        restarts the child) when the child failed as a whole."""
        async with self._lock:
            proc = self._proc
            if not self._ready or proc is None:
                raise EngineNotReady("no engine process")
            try:
                await self._sync_coder(proc)
                scripts = {}
                for _, sv_id, _, _, _ in jobs:
                    if sv_id not in self._scripts:
                        script = self.service.cached_script(sv_id)
                        if script is None:
                            raise KeyError(sv_id)  # the caller only sends inputs whose script it holds
                        scripts[sv_id] = script
                self._send(proc, ("decide", scripts,
                                  [(dict(iv._mapping), sv_id, inp, src, now) for iv, sv_id, inp, src, now in jobs]))
                got = await asyncio.wait_for(self._recv(proc), self.timeout)
                if not isinstance(got, list) or len(got) != len(jobs):
                    raise EngineDown(f"unexpected reply {type(got).__name__}")
                self._scripts.update(scripts)
            except (Exception, asyncio.CancelledError) as exc:
                # A reply cut short or never read would be taken for the next request's: this child is done.
                self._ready = False
                await self._kill(proc)
                if not isinstance(exc, asyncio.CancelledError):
                    self.start()
                    if not isinstance(exc, EngineDown):
                        raise EngineDown(type(exc).__name__) from exc
                raise
        return [RuntimeError(f"{r[1]}: {r[2]}") if isinstance(r, tuple) else r for r in got]

    async def _sync_coder(self, proc: asyncio.subprocess.Process) -> None:
        """The coder the serve process codes with now (the lead may have retrained one into the database)."""
        coder = self.service.catalog.coder
        if coder is self._sent_coder:
            return
        if model_id(coder) != self._model:
            body = await asyncio.to_thread(pickle.dumps, ("coder", coder.model), pickle.HIGHEST_PROTOCOL)
            self._send_bytes(proc, body)
            await self._drain(proc)
            reply = await asyncio.wait_for(self._recv(proc), max(self.timeout, 60.0))
            if reply != ("ok", model_id(coder)):
                raise EngineDown("the coder model did not load")
            self._model = reply[1]
        self._sent_coder = coder

    def _send(self, proc: asyncio.subprocess.Process, msg: Any) -> None:
        self._send_bytes(proc, pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def _send_bytes(proc: asyncio.subprocess.Process, body: bytes) -> None:
        assert proc.stdin is not None
        proc.stdin.write(HEADER.pack(len(body)) + body)

    @staticmethod
    async def _drain(proc: asyncio.subprocess.Process) -> None:
        assert proc.stdin is not None
        await proc.stdin.drain()

    async def _recv(self, proc: asyncio.subprocess.Process) -> Any:
        assert proc.stdin is not None and proc.stdout is not None
        await proc.stdin.drain()  # a large request leaves the pipe's buffer only as the child reads it
        try:
            head = await proc.stdout.readexactly(HEADER.size)
            return pickle.loads(await proc.stdout.readexactly(HEADER.unpack(head)[0]))
        except asyncio.IncompleteReadError:
            raise EngineDown(f"the engine process ended (exit {proc.returncode})") from None

    @staticmethod
    async def _kill(proc: asyncio.subprocess.Process) -> None:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(proc.wait(), 5.0)

    async def close(self) -> None:
        self._closed = True
        self._ready = False
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        if self._proc is not None:
            if self._proc.stdin is not None:
                self._proc.stdin.close()  # the child ends at the end of its input
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._proc.wait(), 2.0)
            await self._kill(self._proc)
