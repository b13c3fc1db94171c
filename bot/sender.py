"""The outbox sender: drains queued Slack calls one at a time, within Slack's limits, once each across restarts."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import random
import time
from datetime import timedelta
from typing import Any, cast

import aiohttp
from sqlalchemy import Table, bindparam, case, or_, select, text, update
from sqlalchemy.engine import Connection

from app.leader import Leader, PgLeader, leader_for, lock_key
from app.outbox import (
    AMBIGUOUS,
    BULK_PREFIXES,
    FAILED,
    NOT_IDEMPOTENT,
    PENDING,
    RESPONSE_URL,
    SENDING,
    SENT,
    UNSENT,
    VERIFY,
)
from bot.delivery import Delivery
from bot.deps import Deps
from bot.pacing import Pacer
from bot.send_types import Row
from storage.models import OutboxMessage, Workspace
from storage.thread_reads import read
from storage.thread_writes import write_transaction

log = logging.getLogger("cna.slack.sender")

MAX_BACKOFF = 60.0
SEND_BATCH = 64  # new rows claimed, sent and recorded per round (the token buckets cap it further)
RECORD_EVERY = 0.25  # seconds between recordings of a long round's sent rows (while its calls go on)
SERIAL_AFTER_429 = 60.0  # seconds a method is sent one call at a time after Slack rate-limited it

# One sender per database, not per process: the limits below are kept in memory, so N replicas each sending
# would post N times Slack's caps. Elected like the sweeper (app.leader), with its own advisory lock key on
# PostgreSQL and its own lock file on SQLite; a standby tries again every STANDBY_RETRY seconds, so it takes
# over within that when the sender's process dies and its session (or file descriptor) goes with the lock.
LOCK_KEY = lock_key(b"cna_send")
LOCK_SUFFIX = ".sender.lock"
STANDBY_RETRY = 2.0
LEADER_CHECK = 1.0  # how often the sender confirms it still holds the lock (a round trip on its connection)
ELECTION_TIMEOUT = 10.0  # a check that hangs this long (a network partition) counts as lost
# Standbys pass their local wake-ups on with NOTIFY; the sender LISTENs on its lock connection (PostgreSQL).
WAKE_CHANNEL = "cna_outbox"


class Sender(Delivery):
    """The database's one sender (elected, see LOCK_KEY). Calls go out one at a time: a 429 then pauses the method
    before anything else is sent, so Retry-After is honoured exactly (the workspace cap is far below what one
    connection does)."""

    def __init__(self, deps: Deps, leader: Leader | None = None):
        self.deps = deps
        s = deps.settings
        self.lease = s.web_timeout + 5.0
        self.pacer = Pacer(s.post_per_minute, s.open_per_minute, s.per_channel_interval,
                           getattr(s, "retry_jitter", 0.2))
        self.halted: str | None = None
        self._session: aiohttp.ClientSession | None = None
        self.leader = leader  # made in run(), so a Sender used only for drain_once() needs no lock
        self.leading: bool | None = None
        self._checked_at = 0.0

    # --- the loop ---------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Drain forever while elected; woken early by `deps.outbox_wake` when something is queued (here, or
        on another replica, which NOTIFYs). Not elected: stand by and try again every STANDBY_RETRY seconds."""
        if self.leader is None:
            self.leader = leader_for(self.deps.db, LOCK_KEY, LOCK_SUFFIX, "outbox sender")
        if isinstance(self.leader, PgLeader):
            await self.leader.listen(WAKE_CHANNEL, self._heard)
        try:
            while True:
                if not await self._elect():
                    await self._stand_by(STANDBY_RETRY)
                    continue
                try:
                    delay = await self.drain_once()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox sender loop failed; retrying")
                    delay = self.deps.settings.poll_interval
                if delay > 0:
                    # Wake up for the next lock check too, so a sender that lost its lock stops within it.
                    delay = min(delay, max(0.01, self._checked_at + LEADER_CHECK - time.monotonic()))
                    try:
                        await asyncio.wait_for(self.deps.outbox_wake.wait(), timeout=delay)
                    except TimeoutError:
                        pass
                self.deps.outbox_wake.clear()
        finally:
            with contextlib.suppress(Exception):
                await self.leader.release()
            if self._session is not None:
                await self._session.close()

    async def _elect(self) -> bool:
        """Whether this process is the database's sender: re-checked every LEADER_CHECK seconds while it is."""
        assert self.leader is not None
        now = time.monotonic()
        if self.leading and now - self._checked_at < LEADER_CHECK:
            return True
        self._checked_at = now
        try:
            leading = await asyncio.wait_for(self.leader.acquire(), timeout=ELECTION_TIMEOUT)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database is away (or hangs): we cannot know, so we do not send
            log.warning("outbox sender: cannot check the sender lock (%s); not sending", type(exc).__name__)
            if isinstance(self.leader, PgLeader):
                await self.leader.abandon()
            leading = False
        if leading != self.leading:
            log.warning("outbox sender: %s (pid %s)", "sending for this database" if leading
                        else "standing by, another process sends", os.getpid())
            self.leading = leading
            if leading:
                await self.pacer.inherit(self.deps.db, self.deps.clock(), self.deps.settings.per_channel_interval)
        return leading

    async def _stand_by(self, seconds: float) -> None:
        """Until the next election: pass this replica's wake-ups (its worker queued a reply, a lead kicked off)
        on to the elected sender instead of sending anything."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                await asyncio.wait_for(self.deps.outbox_wake.wait(), timeout=left)
            except TimeoutError:
                return
            self.deps.outbox_wake.clear()
            await self._notify()

    async def _notify(self) -> None:
        """NOTIFY the elected sender (PostgreSQL); on SQLite, or if it fails, the sender finds the rows when it
        next polls (CNA_POLL_INTERVAL)."""
        if self.deps.db.dialect != "postgresql":
            return
        try:
            async with self.deps.db.engine.connect() as conn:
                await conn.execute(text("SELECT pg_notify(:c, '')"), {"c": WAKE_CHANNEL})
                await conn.commit()
        except Exception as exc:
            log.info("outbox sender: could not wake the elected sender (%s); it will poll", type(exc).__name__)

    def _heard(self, *_args: Any) -> None:
        """asyncpg's LISTEN callback (connection, pid, channel, payload): another replica queued something."""
        self.deps.outbox_wake.set()

    async def drain_once(self) -> float:
        """Send what is due now; returns how long to sleep before the next look (0 = look again at once).

        New rows go in batches: every row the limits allow now (its token taken as it is picked) is claimed with
        one UPDATE, sent (one call at a time per method, so a 429 stops that method before its next call; the
        methods side by side) and the sent ones recorded with one executemany UPDATE. Unclear rows (verify, or a
        sender that died mid-call) are settled one by one, as before."""
        # The halt flag and the unsent rows in one read: one connection, back to back.
        self.halted, rows = await read(self.deps.db, functools.partial(_look, self.deps.identity.team_id))
        next_look = self.deps.settings.poll_interval
        seen: set[str] = set()
        fresh: list[int] = []
        unclear: list[tuple[int, str]] = []
        now = self.deps.clock()
        for rid, channel, method, status, not_before in rows:
            if channel:
                # Messages to one channel go out in order: only its oldest unsent one is a candidate.
                if channel in seen:
                    continue
                seen.add(channel)
            if self.halted and method != RESPONSE_URL:
                continue  # response_urls need no token, so leads still get command answers
            due_in = (not_before - now).total_seconds()
            if due_in > 0:
                next_look = min(next_look, due_in)
                continue
            wait = self.pacer.wait(method, channel, VERIFY if status != PENDING else PENDING)
            if wait > 0:
                next_look = min(next_look, wait)
                continue
            if status == PENDING and len(fresh) < SEND_BATCH:
                self.pacer.take(method)  # taken now, so the next row of the batch sees the bucket without it
                if method == "chat.postMessage" and channel:
                    self.pacer.sent_to(channel)
                fresh.append(rid)
            elif status != PENDING:
                unclear.append((rid, status))
        worked = bool(fresh or unclear)
        if fresh:
            await self._send_batch(await self._claim_batch(fresh))
        for rid, status in unclear:
            if self.halted:
                break
            row = await self._claim(rid, status)
            if row is None:
                continue
            if row.method in NOT_IDEMPOTENT:
                await self._verify(row)  # unclear result, or a sender died mid-call (its lease ran out)
            else:
                await self._send(row)
        return 0.0 if worked else max(next_look, 0.01)

    async def _send_batch(self, claimed: list[Row]) -> None:
        """Send claimed rows, one lane per method, and record the sent ones together."""
        sent: list[dict[str, Any]] = []
        held: list[Row] = []  # claimed but not sent: a 429 or a halt came first
        lanes: dict[str, list[Row]] = {}
        for row in claimed:
            lanes.setdefault(row.method, []).append(row)

        async def lane(rows: list[Row]) -> None:
            while rows:
                row = rows.pop(0)
                if self.pacer.paused_until.get(row.method, 0.0) > time.monotonic() or (
                        self.halted and row.method != RESPONSE_URL):
                    held.append(row)
                    continue
                await self._send(row, sent=sent)

        tasks = []
        for method, rows in lanes.items():
            # Several calls of a method at once (different channels: one row per channel is claimed), unless
            # Slack refused that method lately: then one at a time, so its Retry-After is kept exactly.
            width = 1 if time.monotonic() - self.pacer.limited_at.get(method, -1e9) < SERIAL_AFTER_429 else \
                self.deps.settings.send_parallel
            tasks.extend(asyncio.create_task(lane(rows), name=f"send-{method}-{i}") for i in range(width))
        sending = asyncio.gather(*tasks)
        # The sent ones are recorded every RECORD_EVERY seconds while the lanes go on sending, so the calls do not
        # stand still for the database (a long round of a kickoff: 64 posts at Slack's pace take over a second).
        while not sending.done():
            await asyncio.wait([sending], timeout=RECORD_EVERY)
            if sent and not sending.done():
                part = sent[:]
                del sent[:len(part)]
                await self._record(part, [])
        await sending
        await self._record(sent, held)

    async def _record(self, sent: list[dict[str, Any]], held: list[Row]) -> None:
        """Sent rows as sent; held rows (a 429 or a halt came before their call) back to the queue, untouched.
        One write transaction in one hand-off (SQLite: the writer thread, behind acks)."""
        if not (sent or held):
            return
        back = [{"b_id": r.id, "b_attempts": r.attempts - 1, "b_at": self._resume_at(r.method)} for r in held]
        await write_transaction(self.deps.db, functools.partial(_record_rows, list(sent), back))

    def _resume_at(self, method: str) -> Any:
        left = max(0.0, self.pacer.paused_until.get(method, 0.0) - time.monotonic())
        return self.deps.clock() + timedelta(seconds=left)

    # --- claiming and recording -------------------------------------------------------------------------

    async def _claim(self, rid: int, status: str) -> Row | None:
        """Take the row with a lease (not_before = now + lease) so a second sender or a restart leaves it be."""
        async with self.deps.db.uow() as uow:
            s = uow.session
            m = await s.get(OutboxMessage, rid)
            if m is None or m.status != status:
                return None
            # Read before the UPDATE: the ORM synchronises the loaded row with it.
            row = Row(m.id, m.key, m.method, m.channel, status, m.attempts + 1, m.payload, m.created_at)
            res = await s.execute(update(OutboxMessage).where(
                OutboxMessage.id == rid, OutboxMessage.status == status, OutboxMessage.attempts == row.attempts - 1)
                .values(status=SENDING if status == PENDING else VERIFY, attempts=row.attempts,
                        not_before=self.deps.clock() + timedelta(seconds=self.lease)))
            if res.rowcount != 1:  # type: ignore[attr-defined]
                return None
            await uow.commit()
            return row

    async def _claim_batch(self, ids: list[int]) -> list[Row]:
        """Take new rows with one UPDATE (status sending, a lease in not_before), in the order they were picked.
        One write transaction in one hand-off (SQLite: the writer thread, behind acks)."""
        now = self.deps.clock()
        got = await write_transaction(self.deps.db, functools.partial(
            _claim_rows, ids, now, now + timedelta(seconds=self.lease)))
        by_id = {r.id: Row(r.id, r.key, r.method, r.channel, PENDING, r.attempts, r.payload, r.created_at)
                 for r in got}
        return [by_id[i] for i in ids if i in by_id]

    async def _set(self, row: Row, **values: Any) -> None:
        async with self.deps.db.uow() as uow:
            await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
            await uow.commit()

    async def _retry_later(self, row: Row, error: str, *, status: str = PENDING, count: bool = True,
                           delay: float | None = None) -> None:
        if delay is None:
            delay = min(MAX_BACKOFF, 2.0 ** row.attempts) + random.uniform(0, 1)
        await self._set(row, status=status, last_error=error[:500],
                        attempts=row.attempts if count else row.attempts - 1,
                        not_before=self.deps.clock() + timedelta(seconds=delay))

    async def _give_up(self, row: Row, status: str, error: str) -> None:
        """A final state; for failed or ambiguous sends the leads are told, in the same transaction."""
        from bot.alerts import alert_leads

        async with self.deps.db.uow() as uow:
            await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id)
                                      .values(status=status, last_error=error[:500]))
            if status in (AMBIGUOUS, FAILED) and row.method == "chat.postMessage" and not row.key.startswith("alert:"):
                await alert_leads(uow.session, self.deps.settings.leads, f"outbox:{row.id}",
                                  f"A Slack message (outbox #{row.id}, {row.method}) ended as *{status}* ({error}). "
                                  "Check whether the person received it; only if not: "
                                  f"`cna slack resend {row.id} --yes`.")
            await uow.commit()
        log.warning("outbox %s %s: %s (%s)", row.id, status, error, row.method)



OUTBOX = cast(Table, OutboxMessage.__table__)


def _claim_rows(ids: list[int], now: Any, lease_until: Any, conn: Connection) -> list[Any]:
    t = OUTBOX
    return list(conn.execute(
        update(t).where(t.c.id.in_(ids), t.c.status == PENDING, t.c.not_before <= now)
        .values(status=SENDING, attempts=t.c.attempts + 1, not_before=lease_until)
        .returning(t.c.id, t.c.key, t.c.method, t.c.channel, t.c.attempts, t.c.payload, t.c.created_at)).all())


def _record_rows(sent: list[dict[str, Any]], back: list[dict[str, Any]], conn: Connection) -> None:
    t = OUTBOX
    if sent:
        conn.execute(update(t).where(t.c.id == bindparam("b_id")).values(
            status=SENT, sent_at=bindparam("b_at"), result=bindparam("b_result"), last_error=None), sent)
    if back:
        # Back to the queue as they were (their try did not happen), after the method's pause.
        conn.execute(update(t).where(t.c.id == bindparam("b_id")).values(
            status=PENDING, attempts=bindparam("b_attempts"), not_before=bindparam("b_at")), back)


def _look(team_id: str | None, conn: Connection) -> tuple[str | None, list[Any]]:
    """The workspace's halt reason and the first 500 unsent rows (bulk ones last), for one round of drain_once."""
    halted = conn.scalar(select(Workspace.halted_reason).where(Workspace.team_id == team_id))
    rows = conn.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.method, OutboxMessage.status,
               OutboxMessage.not_before)
        .where(OutboxMessage.status.in_(UNSENT))
        .order_by(case((_BULK, 1), else_=0), OutboxMessage.id).limit(500)).all()
    return halted, list(rows)


_BULK = or_(*(OutboxMessage.key.like(p + "%") for p in BULK_PREFIXES))
