"""Bench-only accounting inside `cna serve`: SQL statements, transactions and event-loop CPU by layer.

Layers by asyncio task: the inbox worker (its loop and the one-by-one tasks), the outbox sender (its loop and
send lanes), the ack path (aiohttp's request tasks and the group-commit flusher), and the rest (sweeper, leader
election, the lag probe). Callbacks outside any task (socket reads, aiosqlite's hand-backs) are "io". CPU is
the event-loop thread's (time.thread_time around each callback); the driver threads of aiosqlite are not in it.
Written to CNA_BENCH_STATS every 0.25 s, so the bench takes a difference over exactly its load.
"""

from __future__ import annotations

import asyncio
import asyncio.events
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
    @event.listens_for(Engine, "before_cursor_execute")
    def statement(*_a: Any) -> None:
        COUNTS[_current()]["statements"] += 1

    @event.listens_for(Engine, "commit")
    def commit(*_a: Any) -> None:
        COUNTS[_current()]["transactions"] += 1

    original = asyncio.events.Handle._run

    def run(self: asyncio.events.Handle) -> None:
        t0 = time.thread_time()
        try:
            original(self)
        finally:
            owner = getattr(self._callback, "__self__", None)  # type: ignore[attr-defined]
            COUNTS[layer_of(owner if isinstance(owner, asyncio.Task) else None)]["cpu_s"] += time.thread_time() - t0

    asyncio.events.Handle._run = run  # type: ignore[method-assign]


async def lag_probe_stats(_deps: object = None) -> None:
    path = os.environ.get("CNA_BENCH_STATS")
    if not path:
        return
    while True:
        tmp = path + ".tmp"
        with open(tmp, "w") as out:
            json.dump({"at": time.monotonic(), "layers": COUNTS, "process_cpu_s": time.process_time()}, out)
        os.replace(tmp, path)
        await asyncio.sleep(0.25)
