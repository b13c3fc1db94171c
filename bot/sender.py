"""The outbox sender: drains queued Slack calls one at a time, within Slack's limits, once each across restarts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import time
from datetime import timedelta
from typing import Any

import aiohttp
from sqlalchemy import case, or_, select, text, update

from app.leader import Leader, PgLeader, leader_for, lock_key
from app.outbox import (
    AMBIGUOUS,
    BULK_PREFIXES,
    FAILED,
    NOT_IDEMPOTENT,
    PENDING,
    RESPONSE_URL,
    SENDING,
    UNSENT,
    VERIFY,
)
from bot.delivery import Delivery
from bot.deps import Deps
from bot.pacing import Pacer
from bot.send_types import Row
from storage.models import OutboxMessage, Workspace

log = logging.getLogger("cna.slack.sender")

MAX_BACKOFF = 60.0

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
        self.pacer = Pacer(s.post_per_minute, s.open_per_minute, s.per_channel_interval)
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
        """Send what is due now; returns how long to sleep before the next look (0 = look again at once)."""
        self.halted = await self._halted_reason()
        bulk = or_(*(OutboxMessage.key.like(p + "%") for p in BULK_PREFIXES))
        async with self.deps.db.uow() as uow:
            rows = (await uow.session.execute(
                select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.method, OutboxMessage.status,
                       OutboxMessage.not_before)
                .where(OutboxMessage.status.in_(UNSENT))
                .order_by(case((bulk, 1), else_=0), OutboxMessage.id).limit(500))).all()
        next_look = self.deps.settings.poll_interval
        seen: set[str] = set()
        worked = False
        for rid, channel, method, status, not_before in rows:
            if channel:
                # Messages to one channel go out in order: only its oldest unsent one is a candidate.
                if channel in seen:
                    continue
                seen.add(channel)
            if self.halted and method != RESPONSE_URL:
                continue  # response_urls need no token, so leads still get command answers
            due_in = (not_before - self.deps.clock()).total_seconds()
            if due_in > 0:
                next_look = min(next_look, due_in)
                continue
            wait = self.pacer.wait(method, channel, VERIFY if status != PENDING else PENDING)
            if wait > 0:
                next_look = min(next_look, wait)
                continue
            row = await self._claim(rid, status)
            if row is None:
                continue
            worked = True
            if status == PENDING:
                await self._send(row)
            elif row.method in NOT_IDEMPOTENT:
                await self._verify(row)  # unclear result, or a sender died mid-call (its lease ran out)
            else:
                await self._send(row)
            if self.halted:
                break
        return 0.0 if worked else max(next_look, 0.01)

    async def _halted_reason(self) -> str | None:
        async with self.deps.db.uow() as uow:
            ws = await uow.session.get(Workspace, self.deps.identity.team_id)
            return ws.halted_reason if ws is not None else None

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

