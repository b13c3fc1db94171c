"""The inbox worker: processes recorded events in order per person, retries with backoff, dead-letters."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts import alert_leads
from bot.deps import Deps
from storage.models import InboxEvent
from storage.privacy import INBOX_DONE_SCRUB  # a processed event keeps its dedupe key, not its text

log = logging.getLogger("cna.slack.worker")

PENDING, WORKING, DONE, DEAD = "pending", "working", "done", "dead"
# For rows not finished, processed_at holds the earliest time of the next attempt: a backoff after a
# failure, or the lease of the worker holding it (renewed while it works). Finished rows: when they ended.


@dataclass
class Item:
    """One claimed inbox row, handed to a processor."""

    id: int
    key: str
    kind: str
    user: str | None
    payload: dict[str, Any]
    attempts: int
    # Set by mark_done. A processor that calls it commits that transaction or raises (then the row is retried),
    # so the worker need not write 'done' again: that update would change 0 rows, one write transaction wasted.
    marked_done: bool = False

    async def mark_done(self, s: AsyncSession, now: Any) -> None:
        """Finish the row inside the processor's own transaction, so its effects and 'done' commit together."""
        await s.execute(update(InboxEvent).where(InboxEvent.id == self.id)
                        .values(status=DONE, processed_at=now, last_error=None, **INBOX_DONE_SCRUB))
        self.marked_done = True


Processor = Callable[[Deps, Item], Awaitable[None]]


class Worker:
    """Drains the inbox with up to `worker_concurrency` rows at once, never two of one person at a time."""

    def __init__(self, deps: Deps, processors: dict[str, Processor]):
        self.deps = deps
        self.processors = processors
        self.inflight: dict[int, asyncio.Task[None]] = {}
        self.done = asyncio.Event()  # set whenever a row finishes (tests wait on it)

    async def run(self) -> None:
        renew = asyncio.create_task(self._renew_leases())
        try:
            while True:
                try:
                    delay = await self.drain_once()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("inbox worker loop failed; retrying")
                    delay = self.deps.settings.poll_interval
                if delay > 0:
                    try:
                        await asyncio.wait_for(self.deps.inbox_wake.wait(), timeout=delay)
                    except TimeoutError:
                        pass
                self.deps.inbox_wake.clear()
        finally:
            renew.cancel()
            for t in list(self.inflight.values()):
                t.cancel()
            await asyncio.gather(renew, *self.inflight.values(), return_exceptions=True)

    async def drain_once(self) -> float:
        s = self.deps.settings
        now = self.deps.clock()
        async with self.deps.db.uow() as uow:
            rows = (await uow.session.execute(
                select(InboxEvent.id, InboxEvent.slack_user_id, InboxEvent.status, InboxEvent.processed_at)
                .where(InboxEvent.status.in_((PENDING, WORKING))).order_by(InboxEvent.id).limit(1000))).all()
        next_look = s.poll_interval
        seen: set[str] = set()
        for rid, user, status, not_before in rows:
            if user:
                # One person's events run in the order they arrived: a later answer waits for an earlier one.
                if user in seen:
                    continue
                seen.add(user)
            if rid in self.inflight:
                continue
            if not_before is not None and not_before > now:
                next_look = min(next_look, (not_before - now).total_seconds())
                continue
            if len(self.inflight) >= s.worker_concurrency:
                break
            item = await self._claim(rid, status)
            if item is not None:
                task = asyncio.create_task(self._process(item))
                self.inflight[rid] = task
                task.add_done_callback(functools.partial(self._finished, rid))
        return max(next_look, 0.01)

    def _finished(self, rid: int, _task: object = None) -> None:
        self.inflight.pop(rid, None)
        self.done.set()
        self.deps.inbox_wake.set()  # the person's next event may now run

    async def _claim(self, rid: int, status: str) -> Item | None:
        async with self.deps.db.uow() as uow:
            s = uow.session
            row = await s.get(InboxEvent, rid)
            if row is None or row.status != status:
                return None
            lease = self.deps.clock() + timedelta(seconds=self.deps.settings.inbox_lease)
            # Read before the UPDATE: the ORM synchronises the loaded row with it.
            item = Item(row.id, row.key, row.kind, row.slack_user_id, row.payload, row.attempts + 1)
            res = await s.execute(update(InboxEvent).where(
                InboxEvent.id == rid, InboxEvent.status == status, InboxEvent.attempts == item.attempts - 1)
                .values(status=WORKING, attempts=item.attempts, processed_at=lease))
            if res.rowcount != 1:  # type: ignore[attr-defined]
                return None
            await uow.commit()
            return item

    async def _renew_leases(self) -> None:
        every = max(0.5, self.deps.settings.inbox_lease / 3)
        while True:
            await asyncio.sleep(every)
            if not self.inflight:
                continue
            try:
                async with self.deps.db.uow() as uow:
                    lease = self.deps.clock() + timedelta(seconds=self.deps.settings.inbox_lease)
                    await uow.session.execute(update(InboxEvent).where(
                        InboxEvent.id.in_(list(self.inflight)), InboxEvent.status == WORKING)
                        .values(processed_at=lease))
                    await uow.commit()
            except Exception:
                log.warning("could not renew inbox leases", exc_info=True)

    async def _process(self, item: Item) -> None:
        processor = self.processors.get(item.kind)
        try:
            if processor is not None:
                await processor(self.deps, item)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._failed(item, exc)
            return
        if item.marked_done:
            return
        async with self.deps.db.uow() as uow:
            await uow.session.execute(update(InboxEvent).where(InboxEvent.id == item.id,
                                                               InboxEvent.status == WORKING)
                                      .values(status=DONE, processed_at=self.deps.clock(), last_error=None,
                                              **INBOX_DONE_SCRUB))
            await uow.commit()

    async def _failed(self, item: Item, exc: Exception) -> None:
        s = self.deps.settings
        # Exception text can quote SQL parameters (answer text): the log gets the type only, DEBUG the rest.
        error = type(exc).__name__
        log.debug("inbox %s failed", item.id, exc_info=True)
        dead = item.attempts >= s.inbox_max_attempts
        delay = s.inbox_backoff * 2 ** (item.attempts - 1)
        async with self.deps.db.uow() as uow:
            await uow.session.execute(update(InboxEvent).where(InboxEvent.id == item.id).values(
                status=DEAD if dead else PENDING, last_error=error,
                processed_at=self.deps.clock() + timedelta(seconds=0 if dead else delay)))
            if dead:
                await alert_leads(uow.session, s.leads, f"dead:{item.id}",
                                  f"A Slack event (inbox #{item.id}, {item.kind}) failed {item.attempts} times "
                                  f"({error}) and was set aside. `cna slack inbox --dead` lists such events; "
                                  f"`cna slack retry {item.id}` runs it again.")
            await uow.commit()
        if dead:
            log.error("inbox %s (%s) dead after %s attempts: %s", item.id, item.kind, item.attempts, error)
            self.deps.outbox_wake.set()
        else:
            log.warning("inbox %s (%s) failed (%s); retry in %.0f s", item.id, item.kind, error, delay)
