"""Bench-only accounting inside `cna serve`: SQL statements, transactions and event-loop CPU by layer.

Layers by asyncio task: the inbox worker (its loop and the one-by-one tasks), the outbox sender (its loop and
send lanes), the ack path (aiohttp's request tasks and the group-commit flusher), and the rest (sweeper, leader
election, the lag probe). Callbacks outside any task (socket reads, aiosqlite's hand-backs) are "io". CPU is
the event-loop thread's (time.thread_time around each callback); the driver threads of aiosqlite are not in it.
Written to CNA_BENCH_STATS every 0.25 s, so the bench takes a difference over exactly its load.

Also the stalls, to find what makes an ack tail: every loop callback longer than STALL_MS (wall and CPU, the
task and where its coroutine suspended), every garbage collection
longer than GC_MS (generation), and every writer-thread transaction longer than WRITE_MS (who asked).
"""

from __future__ import annotations

import asyncio
import asyncio.events
import gc
import json
import os
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

COUNTS: dict[str, dict[str, float]] = defaultdict(lambda: {"statements": 0, "transactions": 0, "cpu_s": 0.0})
WORKER = ("run_inbox_worker", "inbox-")
SENDER = ("run_outbox_sender", "send-")
OTHER = ("run_sweeper", "lag_probe", "socket", "leader")
STALL_MS, GC_MS, WRITE_MS = 8.0, 3.0, 8.0
KEPT = 2000  # of each kind, the latest (the serve process appends and empties them every 0.25 s)
STALLS: list[dict[str, Any]] = []
# Every ack's way through the service (key, entered InboxWriter.add, its transaction took it, add returned) and
# every writer-thread transaction (started, ended, cpu, who): appended to files as they come.
ACK_TRACE: list[tuple[str, float, float, float]] = []
TX_TRACE: list[tuple[float, float, float, str]] = []
GCS: list[dict[str, Any]] = []
WRITES: list[dict[str, Any]] = []


def _where(coro: Any) -> str:
    """file:line of the innermost frame a coroutine chain is at (where it resumes, or where it suspended)."""
    frame, depth = None, 0
    while coro is not None and depth < 20:
        f = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if f is None:
            break
        frame = f
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
        depth += 1
    if frame is None:
        return "?"
    return f"{frame.f_code.co_filename.rsplit('/', 2)[-1]}:{frame.f_lineno}:{frame.f_code.co_name}"


def _keep(into: list[dict[str, Any]], rec: dict[str, Any]) -> None:
    into.append(rec)
    if len(into) > KEPT:
        del into[:KEPT // 4]


def layer_of(task: Any) -> str:
    if task is None:
        return "io"
    name = task.get_name() if hasattr(task, "get_name") else ""
    if name.startswith(WORKER):
        return "worker"
    if name.startswith(SENDER):
        return "sender"
    if name.startswith(OTHER):
        return "other"
    return "ingress"  # aiohttp's request tasks (Task-N) and the ack flusher ("ack-...")


def _current() -> str:
    try:
        return layer_of(asyncio.current_task())
    except RuntimeError:
        return "io"


def install() -> None:
    if getattr(install, "done", False):
        return  # once per process
    install.done = True  # type: ignore[attr-defined]
    @event.listens_for(Engine, "before_cursor_execute")
    def statement(*_a: Any) -> None:
        COUNTS[_current()]["statements"] += 1

    @event.listens_for(Engine, "commit")
    def commit(*_a: Any) -> None:
        COUNTS[_current()]["transactions"] += 1

    original = asyncio.events.Handle._run

    def run(self: asyncio.events.Handle) -> None:
        owner = getattr(self._callback, "__self__", None)  # type: ignore[attr-defined]
        task = owner if isinstance(owner, asyncio.Task) else None
        t0 = time.thread_time()
        w0 = time.perf_counter()
        try:
            original(self)
        finally:
            cpu = time.thread_time() - t0
            wall = time.perf_counter() - w0
            COUNTS[layer_of(task)]["cpu_s"] += cpu
            if wall * 1000 > STALL_MS:
                # Where the coroutine suspended (the code it ran ends there); where it resumed is not looked up
                # for every callback: that walk cost the bench's arm measurable CPU.
                what = (f"{task.get_name()} -> {_where(task.get_coro())}" if task is not None
                        else getattr(self._callback, "__qualname__", repr(self._callback))[:120])  # type: ignore[attr-defined]
                _keep(STALLS, {"t": round(time.time(), 4), "wall_ms": round(wall * 1000, 1),
                               "cpu_ms": round(cpu * 1000, 1), "what": what})

    asyncio.events.Handle._run = run  # type: ignore[method-assign]
    started = [0.0]

    def collected(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - started[0]) * 1000
        if ms > GC_MS:
            _keep(GCS, {"t": round(time.time(), 4), "gen": info["generation"], "ms": round(ms, 1),
                        "collected": info["collected"]})

    # The tracing of garbage collections, writer transactions and every ack's way costs the service enough to
    # double the ack p99 it measures (31 -> 70 ms at 200/s on a quiet machine): only on request.
    if os.environ.get("CNA_BENCH_TRACE"):
        gc.callbacks.append(collected)
        _time_writes()


def _time_writes() -> None:
    """Writer-thread transactions (storage/thread_writes.py) longer than WRITE_MS: the SQL, the commit, any
    WAL checkpoint the commit ran, and waiting for the GIL on the way."""
    from storage import thread_writes

    original = thread_writes.ThreadWriter._transaction

    def transaction(self: Any, fn: Any) -> Any:
        w0, c0, t0 = time.perf_counter(), time.thread_time(), time.time()
        try:
            return original(self, fn)
        finally:
            ms = (time.perf_counter() - w0) * 1000
            TX_TRACE.append((t0, time.time(), time.thread_time() - c0, thread_writes.CALLER.get()))
            if ms > WRITE_MS:
                _keep(WRITES, {"t": round(time.time(), 4), "ms": round(ms, 1),
                               "cpu_ms": round((time.thread_time() - c0) * 1000, 1),
                               "caller": thread_writes.CALLER.get()})

    thread_writes.ThreadWriter._transaction = transaction  # type: ignore[method-assign]
    _trace_acks()


def _trace_acks() -> None:
    from bot import inbox_writer

    took: dict[str, float] = {}
    add = inbox_writer.InboxWriter.add
    take = getattr(inbox_writer.InboxWriter, "_take", None)  # None in checkouts before the fourth round

    async def traced_add(self: Any, values: dict[str, Any]) -> Any:
        t_in = time.time()
        try:
            return await add(self, values)
        finally:
            ACK_TRACE.append((values["key"], t_in, took.pop(values["key"], 0.0), time.time()))

    def traced_take(self: Any, *args: Any) -> Any:
        assert take is not None
        group = take(self, *args)
        now = time.time()
        for values, _fut in group:
            took[values["key"]] = now
        return group

    inbox_writer.InboxWriter.add = traced_add  # type: ignore[method-assign]
    if take is not None:
        inbox_writer.InboxWriter._take = traced_take  # type: ignore[method-assign]


def _append(path: str, recs: list[Any]) -> None:
    if not recs:
        return
    part = recs[:]
    del recs[:len(part)]
    with open(path, "a") as out:
        out.write("".join(json.dumps(r) + "\n" for r in part))


async def lag_probe_stats(_deps: object = None) -> None:
    path = os.environ.get("CNA_BENCH_STATS")
    if not path:
        return
    while True:
        tmp = path + ".tmp"
        with open(tmp, "w") as out:
            json.dump({"at": time.monotonic(), "layers": COUNTS, "process_cpu_s": time.process_time()}, out)
        os.replace(tmp, path)
        # Appended as they come (a few lines each time): dumping whole lists every 0.25 s was itself a stall.
        for suffix, recs in ((".acks.jsonl", ACK_TRACE), (".tx.jsonl", TX_TRACE), (".stalls.jsonl", STALLS),
                             (".gcs.jsonl", GCS), (".writes.jsonl", WRITES)):
            _append(path + suffix, recs)
        await asyncio.sleep(0.25)
