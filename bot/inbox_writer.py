"""Group commit for the ack path: concurrent requests' inbox rows written in one transaction, each acked after it.

A request adds its row and waits. A write is asked for at once (unless one is already queued, or running), and
the rows it writes are the ones waiting when it *starts*, not when it was asked for: every row that arrived
while it waited for SQLite's write lock (a worker batch holding it) goes into that one transaction, with one
multi-row INSERT ... ON CONFLICT (key) DO NOTHING RETURNING. So no ack waits for an earlier group of acks that
is still waiting for the lock, and no timer decides the group (a timer on a busy loop fires late:
the 2 ms wait this replaced made the slowest 1 % of acks wait 37-73 ms before their write was even asked for,
bench/results/ack_tail.md). Each waiter learns whether its row is new only once that transaction has
committed, so an ack still means "stored". The unique key keeps a retried or concurrent delivery a no-op. On
SQLite the insert and its commit go to the writer thread in one hand-off (storage/thread_writes.py), before
queued worker and sender writes (the write lock's priority queue). If the shared insert fails, each row is tried
on its own, so one bad row fails only its own request.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from storage.models import InboxEvent
from storage.thread_writes import write_transaction
from storage.uow import Database

log = logging.getLogger("cna.slack.inbox")

ACK_GATHER = 0.0  # seconds a write waits for company before it is asked for (the group forms while it queues)
ACK_GATHER_MAX = 64
INBOX = cast(Table, InboxEvent.__table__)
Waiter = tuple[dict[str, Any], "asyncio.Future[int | None]"]


class InboxWriter:
    """The ack path's inbox inserts, gathered and committed together."""

    def __init__(self, db: Database, gather: float = ACK_GATHER, most: int = ACK_GATHER_MAX):
        self.db = db
        self.gather = gather
        self.most = most
        self.waiting: list[Waiter] = []
        # The writer thread takes the waiting rows when its transaction starts: the list is shared with it.
        self.mutex = threading.Lock()
        self.queued = False  # a write is asked for and has not taken its rows yet
        self.running = False  # a write has taken its rows and not come back: the next one waits for it
        self.tasks: set[asyncio.Task[None]] = set()

    async def add(self, values: dict[str, Any]) -> int | None:
        """Store one row; its id once committed, None when the key was there already."""
        fut: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        with self.mutex:
            self.waiting.append((values, fut))
        self._ask()
        return await fut

    def _ask(self) -> None:
        """Ask for a write unless one is queued that will take the waiting rows anyway, or one is running: rows
        that come meanwhile go together once it is back, and the worker's write queued behind it has its turn
        in between (asked for back to back, acks-first writes kept the worker from the lock under load)."""
        with self.mutex:
            if self.queued or self.running or not self.waiting:
                return
            self.queued = True
        task = asyncio.create_task(self._flush(), name="ack-flush")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _take(self, dropped: list[bool] | None = None) -> list[Waiter]:
        """The rows this transaction writes: those waiting now (called as it starts, on the writer thread); none
        when its flush was cancelled meanwhile (the writer thread runs a queued job anyway)."""
        with self.mutex:
            if dropped and dropped[0]:
                return []
            group, self.waiting = self.waiting[:self.most], self.waiting[self.most:]
            self.queued, self.running = False, True
        return group

    async def _flush(self) -> None:
        if self.gather > 0:
            await asyncio.sleep(self.gather)
        taken: list[list[Waiter]] = []
        dropped = [False]

        def write(conn: Connection) -> list[Any]:
            group = self._take(dropped)
            taken.append(group)
            rows = _first_of_each_key(group)
            return conn.execute(_insert(self.db.dialect), rows).all() if rows else []

        try:
            # One hand-off for the insert and its commit (SQLite: the writer thread, first in the lock's queue).
            got = await write_transaction(self.db, write, priority=True)
        except Exception:
            group = taken[0] if taken else self._take()
            log.warning("group insert of %s inbox rows failed; writing them one by one", len(group))
            await self._one_by_one(group)
        else:
            ids = {key: rid for rid, key in got}
            for values, fut in taken[0] if taken else []:
                if not fut.done():
                    # The first waiter of a key gets its new id; a duplicate in the same group, like one from
                    # before, None.
                    fut.set_result(ids.pop(values["key"], None))
        finally:
            with self.mutex:
                if not taken:  # cancelled before the write started: another write takes the rows
                    self.queued, dropped[0] = False, True
                self.running = False
            self._ask()  # rows beyond `most`, or ones that came while this write ran

    async def _one_by_one(self, group: list[Waiter]) -> None:
        for values, fut in group:
            if fut.done():
                continue
            try:
                got = await write_transaction(
                    self.db, lambda conn, v=values: conn.execute(_insert(self.db.dialect), [v]).all(), priority=True)
                fut.set_result(next((rid for rid, key in got if key == values["key"]), None))
            except Exception as exc:
                fut.set_exception(exc)


def _first_of_each_key(group: list[Waiter]) -> list[dict[str, Any]]:
    first: dict[str, dict[str, Any]] = {}
    for values, _fut in group:
        first.setdefault(values["key"], values)  # the same key twice in one group: the first is the delivery
    return list(first.values())


@functools.cache
def _insert(dialect: str) -> Any:
    """One statement per dialect, run as an executemany of the group's rows: SQLAlchemy sends it as multi-row
    INSERTs ("insertmanyvalues"). `.values(rows)` compiled a statement with every row's parameters for every group
    (a fifth of the writer thread's samples); this compiles one row's VALUES, whatever the group's size. (Not
    cached: SQLAlchemy 2.0 caches no ON CONFLICT statement, its dialects' Insert sets inherit_cache=False.)
    RETURNING gives (id, key) pairs in no promised order: they are matched by key."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(INBOX) \
        .on_conflict_do_nothing(index_elements=["key"]).returning(INBOX.c.id, INBOX.c.key)
