"""Group commit for the ack path: concurrent requests' inbox rows written in one transaction, each acked after it.

A request adds its row and waits. One flusher takes what has gathered (after ACK_GATHER seconds, or at once when
ACK_GATHER_MAX rows wait) and writes it with one multi-row INSERT ... ON CONFLICT (key) DO NOTHING RETURNING; each
waiter learns whether its row is new only once that transaction has committed, so an ack still means "stored".
The unique key keeps a retried or concurrent delivery a no-op. On SQLite the insert and its commit go to the
writer thread in one hand-off (storage/thread_writes.py), before queued worker and sender writes (the write
lock's priority queue). If the shared insert fails, each row is tried on its own, so one bad row fails only its
own request.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from storage.models import InboxEvent
from storage.thread_writes import write_transaction
from storage.uow import Database

log = logging.getLogger("cna.slack.inbox")

ACK_GATHER = 0.002  # seconds a flush waits for company; far below Slack's 3 s, and the loop lag it would add
ACK_GATHER_MAX = 64
INBOX = cast(Table, InboxEvent.__table__)


class InboxWriter:
    """The ack path's inbox inserts, gathered and committed together."""

    def __init__(self, db: Database, gather: float = ACK_GATHER, most: int = ACK_GATHER_MAX):
        self.db = db
        self.gather = gather
        self.most = most
        self.waiting: list[tuple[dict[str, Any], asyncio.Future[int | None]]] = []
        self.flusher: asyncio.Task[None] | None = None
        self.full = asyncio.Event()

    async def add(self, values: dict[str, Any]) -> int | None:
        """Store one row; its id once committed, None when the key was there already."""
        fut: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self.waiting.append((values, fut))
        if len(self.waiting) >= self.most:
            self.full.set()
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self._flush_all(), name="ack-flush")
        return await fut

    async def _flush_all(self) -> None:
        while self.waiting:
            if len(self.waiting) < self.most:
                try:
                    await asyncio.wait_for(self.full.wait(), self.gather)
                except TimeoutError:
                    pass
            self.full.clear()
            group, self.waiting = self.waiting[:self.most], self.waiting[self.most:]
            try:
                await self._write(group)
            except Exception as exc:  # pragma: no cover - _write settles every future itself
                for _v, fut in group:
                    if not fut.done():
                        fut.set_exception(exc)

    async def _write(self, group: list[tuple[dict[str, Any], asyncio.Future[int | None]]]) -> None:
        first: dict[str, dict[str, Any]] = {}
        for values, _fut in group:
            first.setdefault(values["key"], values)  # the same key twice in one group: the first is the delivery
        try:
            ids = await self._insert(list(first.values()))
        except Exception:
            log.warning("group insert of %s inbox rows failed; writing them one by one", len(first))
            for values, fut in group:
                if fut.done():
                    continue
                try:
                    got = await self._insert([values])
                    fut.set_result(got.get(values["key"]))
                except Exception as exc:
                    fut.set_exception(exc)
            return
        for values, fut in group:
            if fut.done():
                continue
            # The first waiter of a key gets its new id; a duplicate in the same group, like one from before, None.
            fut.set_result(ids.pop(values["key"], None))

    async def _insert(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        dialect = self.db.dialect
        stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(INBOX).values(rows) \
            .on_conflict_do_nothing(index_elements=["key"]).returning(INBOX.c.id, INBOX.c.key)
        # One hand-off for the insert and its commit (SQLite: the writer thread, first in the lock's queue).
        got = await write_transaction(self.db, lambda conn: conn.execute(stmt).all(), priority=True)
        return {key: rid for rid, key in got}
