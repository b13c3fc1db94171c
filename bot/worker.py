"""The inbox worker: processes recorded events in order per person, retries with backoff, dead-letters."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts import alert_leads
from bot.deps import Deps
from storage.models import InboxEvent
from storage.privacy import INBOX_DONE_SCRUB  # a processed event keeps its dedupe key, not its text

log = logging.getLogger("cna.slack.worker")

PENDING, WORKING, DONE, DEAD = "pending", "working", "done", "dead"
FINISHED_KEPT = 4096  # finished ids remembered, against ids queued late by the ack path (Worker.finished)
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
INBOX = cast(Table, InboxEvent.__table__)
_OLDER = INBOX.alias("older")


def claimable(now: Any) -> Any:
    """Unfinished, due, and no earlier unfinished row of the same person (one person's inputs run in order,
    across replicas too): the condition of every claim."""
    older = exists().where(_OLDER.c.slack_user_id == INBOX.c.slack_user_id, _OLDER.c.id < INBOX.c.id,
                           _OLDER.c.status.in_((PENDING, WORKING)))
    return and_(INBOX.c.status.in_((PENDING, WORKING)),
                or_(INBOX.c.processed_at.is_(None), INBOX.c.processed_at <= now), ~older)


@dataclass
class BatchResult:
    """What one batch did with the rows it was given."""

    done: int = 0
    finished: list[int] = field(default_factory=list)  # the ids of the rows written done
    slow: list[Item] = field(default_factory=list)  # claimed for the one-by-one processors
    failed: list[tuple[Item, Exception]] = field(default_factory=list)  # claimed, for the retry path
    gone: list[int] = field(default_factory=list)  # not claimable now (finished elsewhere, or must wait)


@dataclass(frozen=True)
class BatchPath:
    """The batch path (bot/worker_batch.py), handed in by `cna serve`: which kinds it takes, and how it runs."""

    takes: Callable[[dict[str, Processor], str], bool]
    run: Callable[[Deps, list[int], list[int]], Awaitable[BatchResult]]


class Worker:
    """Drains the inbox: ids come in memory from the ack path (`deps.inbox_new`); the table stays the source of
    truth, rescanned at start and every poll interval (rows of other replicas, backoffs, expired leases). Rows
    go in batches of up to `worker_batch` (one person at most once per batch, earliest first); kinds the batch
    path does not take, or rows it hands back, run one by one, up to `worker_concurrency` at a time."""

    def __init__(self, deps: Deps, processors: dict[str, Processor], batch: BatchPath | None = None):
        self.deps = deps
        self.processors = processors
        self.batch = batch
        self.inflight: dict[int, asyncio.Task[None]] = {}
        self.busy: dict[str, int] = {}  # person -> their row running one by one
        self.batching: set[str] = set()  # people with a row in a batch in flight (one batch each at most)
        self.slow_picked = 0  # rows for the one-by-one path in batches in flight, not started yet
        self.ready: dict[int, tuple[str | None, str]] = {}  # id -> (person, kind), due now
        self.waiting: set[str] = set()  # people whose earliest row is not due yet (backoff, another's lease)
        self.next_scan = 0.0
        # Rows this worker finished for good (done or dead), the latest FINISHED_KEPT of them. The ack handler
        # queues a new id only after its commit, and the loop may run a rescan in between: the rescan then finds
        # the row, a batch finishes it, and the late id must not put it back in `ready` (a batch would be handed
        # a finished row, and the person's place in that batch with it).
        self.finished: dict[int, None] = {}
        self.done = asyncio.Event()  # set whenever a row finishes (tests wait on it)

    async def run(self) -> None:
        renew = asyncio.create_task(self._renew_leases())
        try:
            while True:
                try:
                    delay = await self.drain_once(rescan=time.monotonic() >= self.next_scan)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("inbox worker loop failed; retrying")
                    delay = self.deps.settings.poll_interval
                    self.next_scan = 0.0
                if delay > 0 and not self.deps.inbox_new:
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

    async def drain_once(self, rescan: bool = True) -> float:
        """Work off what is ready (batch after batch); returns how long until the next rescan."""
        self._take_new()
        if rescan:
            await self._rescan()
        if self._depth() == 1:
            while picked := self._pick():
                await self._run(picked)
                self._take_new()
                await asyncio.sleep(0)  # let acks and replies in between batches
        else:
            await self._pipelined()
        return max(0.01, self.next_scan - time.monotonic())

    def _depth(self) -> int:
        """Batches in flight at once: two when the engine runs in its own process (one batch is decided there
        while the serve process reads, renders and writes the other), else one (the engine holds the loop)."""
        return 2 if self.batch is not None and self.deps.engine is not None else 1

    async def _pipelined(self) -> None:
        """Batch after batch, two in flight: a person is in one of them at most (the next batch leaves out
        everyone in the other), so one person's inputs still run in order; each batch is its own transaction."""
        running: set[asyncio.Task[None]] = set()
        wake: asyncio.Task[bool] | None = None
        try:
            while True:
                self._take_new()
                while len(running) < 2 and (picked := self._pick()):
                    running.add(self._launch(picked))
                if not running:
                    return
                if wake is None and len(running) < 2:
                    # New rows (acked meanwhile) may make a second batch: wait for them too, not only the batch.
                    self.deps.inbox_wake.clear()
                    wake = asyncio.create_task(self.deps.inbox_wake.wait())
                done, running = await asyncio.wait(running | ({wake} if wake else set()),
                                                   return_when=asyncio.FIRST_COMPLETED)
                if wake is not None and wake in done:
                    done.discard(wake)
                    wake = None
                running.discard(wake)  # type: ignore[arg-type]
                for t in done:
                    if not t.cancelled() and t.exception() is not None:
                        # As the loop in run() does for a batch run in line: log it, rescan the table soon.
                        log.error("inbox batch failed", exc_info=t.exception())
                        self.next_scan = 0.0
        finally:
            for t in [*running, *([wake] if wake else [])]:
                t.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)

    def _launch(self, picked: list[tuple[int, str | None, str]]) -> asyncio.Task[None]:
        users = {u for _, u, _ in picked if u}
        slow = sum(1 for _, _, kind in picked if self.batch is None or not self.batch.takes(self.processors, kind))
        for rid, _u, _k in picked:
            self.ready.pop(rid, None)  # now, not when the task starts: the next pick must not take them again
        self.batching |= users
        self.slow_picked += slow

        def landed(_t: object) -> None:
            self.batching -= users
            self.slow_picked -= slow
            self.deps.inbox_wake.set()

        task = asyncio.create_task(self._run(picked), name="inbox-batch")
        task.add_done_callback(landed)
        return task

    def _take_new(self) -> None:
        new = self.deps.inbox_new
        while new:
            rid, user, kind = new.popleft()
            if rid not in self.inflight and rid not in self.finished:
                self.ready[rid] = (user, kind)

    async def _rescan(self) -> None:
        s = self.deps.settings
        now = self.deps.clock()
        async with self.deps.db.engine.connect() as conn:
            rows = (await conn.execute(
                select(InboxEvent.id, InboxEvent.slack_user_id, InboxEvent.kind, InboxEvent.processed_at)
                .where(InboxEvent.status.in_((PENDING, WORKING))).order_by(InboxEvent.id).limit(1000))).all()
        next_look = s.poll_interval
        self.waiting = set()
        for rid, user, kind, not_before in rows:
            if rid in self.inflight or rid in self.finished:  # finished while the rows were read
                continue
            if not_before is not None and not_before > now:
                next_look = min(next_look, (not_before - now).total_seconds())
                if user:
                    self.waiting.add(user)  # one person's events run in the order they arrived
                continue
            self.ready[rid] = (user, kind)
        self.next_scan = time.monotonic() + max(0.01, next_look)

    def _pick(self) -> list[tuple[int, str | None, str]]:
        s = self.deps.settings
        slots = s.worker_concurrency - len(self.inflight) - self.slow_picked
        seen: set[str] = set()
        out: list[tuple[int, str | None, str]] = []
        for rid in sorted(self.ready):
            user, kind = self.ready[rid]
            if user:
                if user in seen or user in self.busy or user in self.waiting or user in self.batching:
                    seen.add(user)
                    continue
                seen.add(user)
            fast = self.batch is not None and self.batch.takes(self.processors, kind)
            if not fast:
                if slots <= 0:
                    continue
                slots -= 1
            out.append((rid, user, kind))
            if len(out) >= s.worker_batch:
                break
        return out

    async def _run(self, picked: list[tuple[int, str | None, str]]) -> None:
        for rid, _u, _k in picked:
            self.ready.pop(rid, None)
        if self.batch is None:
            for rid, _u, _k in picked:
                await self._one(rid)
            return
        fast = [rid for rid, _u, kind in picked if self.batch.takes(self.processors, kind)]
        slow = [rid for rid, _u, kind in picked if not self.batch.takes(self.processors, kind)]
        try:
            res = await self.batch.run(self.deps, fast, slow)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Nothing of the batch was written: each row goes its own way, so one bad row holds up no other.
            log.warning("inbox batch of %s failed (%s); processing its rows one by one", len(picked),
                        type(exc).__name__)
            log.debug("inbox batch failed", exc_info=True)
            for rid, _u, _k in picked:
                await self._one(rid)
            return
        log.debug("inbox batch: %s done, %s one by one, %s failed, %s not claimable", res.done, len(res.slow),
                  len(res.failed), len(res.gone))
        self._finish(res.finished)
        for item in res.slow:
            self._start(item)
        for item, error in res.failed:
            await self._failed(item, error)
            if item.user:
                self.waiting.add(item.user)  # its later rows wait for the retry (found again by the rescan)
        if res.done:
            self.done.set()

    def _finish(self, ids: list[int]) -> None:
        for rid in ids:
            self.finished[rid] = None
        while len(self.finished) > FINISHED_KEPT:
            del self.finished[next(iter(self.finished))]

    async def _one(self, rid: int) -> None:
        item = await self._claim(rid)
        if item is not None:
            self._start(item)

    def _start(self, item: Item) -> None:
        task = asyncio.create_task(self._process(item), name=f"inbox-{item.id}")
        self.inflight[item.id] = task
        if item.user:
            self.busy[item.user] = item.id
        task.add_done_callback(functools.partial(self._finished, item.id, item.user))

    def _finished(self, rid: int, user: str | None, _task: object = None) -> None:
        self.inflight.pop(rid, None)
        if user and self.busy.get(user) == rid:
            del self.busy[user]
        self.done.set()
        self.deps.inbox_wake.set()  # the person's next event may now run

    async def _claim(self, rid: int) -> Item | None:
        """Take one row for a processor (working, with a lease), if it is due and the person's earliest."""
        now = self.deps.clock()
        lease = now + timedelta(seconds=self.deps.settings.inbox_lease)
        async with self.deps.db.engine.begin() as conn:
            r = (await conn.execute(
                update(INBOX).where(INBOX.c.id == rid, claimable(now))
                .values(status=WORKING, attempts=INBOX.c.attempts + 1, processed_at=lease)
                .returning(INBOX.c.id, INBOX.c.key, INBOX.c.kind, INBOX.c.slack_user_id, INBOX.c.payload,
                           INBOX.c.attempts))).first()
        return None if r is None else Item(r.id, r.key, r.kind, r.slack_user_id, r.payload, r.attempts)

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
            self._finish([item.id])
            return
        async with self.deps.db.uow() as uow:
            await uow.session.execute(update(InboxEvent).where(InboxEvent.id == item.id,
                                                               InboxEvent.status == WORKING)
                                      .values(status=DONE, processed_at=self.deps.clock(), last_error=None,
                                              **INBOX_DONE_SCRUB))
            await uow.commit()
        self._finish([item.id])

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
            self._finish([item.id])
            log.error("inbox %s (%s) dead after %s attempts: %s", item.id, item.kind, item.attempts, error)
            self.deps.outbox_wake.set()
        else:
            log.warning("inbox %s (%s) failed (%s); retry in %.0f s", item.id, item.kind, error, delay)
