"""`cna serve` exactly as shipped, plus one background loop (bench.loop_probe) that records event-loop lag."""

from __future__ import annotations

import os
import sys

import bot.serve
from bench import layers
from bench.loop_probe import run_probe
from cli.main import main


async def lag_probe(_deps: object) -> None:
    await run_probe()


def _experiment(name: str) -> None:
    """Bench-only variants that test a proposed fix without changing the bot: CNA_BENCH_EXPERIMENT=..."""
    import storage.uow

    if name == "sqlite_one_connection":
        # One SQLite connection for the whole process: writers queue in asyncio instead of sleeping in
        # SQLite's busy handler (1, 2, 5, ... 100 ms steps) while the lock is free.
        original = storage.uow.make_engine

        def make_engine(url: str | None = None, **kwargs: object) -> object:
            if (url or "").startswith("sqlite"):
                kwargs.setdefault("pool_size", 1)
                kwargs.setdefault("max_overflow", 0)
            return original(url, **kwargs)

        storage.uow.make_engine = make_engine  # type: ignore[assignment]
    elif name == "pg_pool_30":
        # A bigger PostgreSQL pool: the default (5 + 10 overflow) is shared by the ack path, 8 worker tasks,
        # the sender, lease renewal and the sweeper, so acks can queue for a connection.
        original_pg = storage.uow.make_engine

        def make_engine_pg(url: str | None = None, **kwargs: object) -> object:
            if (url or "").startswith("postgres"):
                kwargs.setdefault("pool_size", 30)
                kwargs.setdefault("max_overflow", 10)
            return original_pg(url, **kwargs)

        storage.uow.make_engine = make_engine_pg  # type: ignore[assignment]
    elif name == "no_fts_trigger":
        # The answers' search index (FTS5 trigrams, migration 0010) not kept in the write: what it costs there.
        import sqlite3

        url = os.environ.get("CNA_DATABASE_URL", "")
        if url.startswith("sqlite:///"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as c:
                c.execute("DROP TRIGGER IF EXISTS answers_search_insert")
    elif name == "sqltrace":
        _trace_sql()
    elif name == "skip_redundant_done":
        _skip_redundant_done()
    elif name == "sqlite_write_lock":
        _sqlite_write_lock(ack_first=False)
    elif name == "sqlite_write_lock_ack_first":
        _sqlite_write_lock(ack_first=True)


class _WriteLock:
    """A lock whose urgent waiters (the ack path's inbox insert) go before the others."""

    def __init__(self) -> None:
        import collections

        self.held = False
        self.urgent: collections.deque[object] = collections.deque()
        self.normal: collections.deque[object] = collections.deque()

    async def acquire(self, urgent: bool) -> None:
        import asyncio

        if not self.held and not self.urgent and not self.normal:
            self.held = True
            return
        fut = asyncio.get_running_loop().create_future()
        (self.urgent if urgent else self.normal).append(fut)
        await fut  # release() hands the lock over by resolving this future

    def release(self) -> None:
        for queue in (self.urgent, self.normal):
            while queue:
                fut = queue.popleft()
                if not fut.done():  # type: ignore[attr-defined]
                    fut.set_result(None)  # type: ignore[attr-defined]
                    return
        self.held = False


def _sqlite_write_lock(ack_first: bool) -> None:
    """One in-process lock for SQLite write transactions, taken at a connection's first write statement and
    released at commit or rollback: writers queue in the event loop and get the database the moment it is
    free, instead of polling it from SQLite's busy handler (sleeps of 1, 2, 5, ... 100 ms). With `ack_first`
    the ack path's inbox insert goes before queued worker and sender transactions."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.util import await_only

    lock = _WriteLock()
    writes = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    @event.listens_for(Engine, "before_cursor_execute")
    def take(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if conn.dialect.name == "sqlite" and not conn.info.get("writer") and \
                statement.lstrip()[:7].upper().startswith(writes):
            await_only(lock.acquire(ack_first and statement.startswith("INSERT INTO inbox")))
            conn.info["writer"] = True

    def release(conn):  # type: ignore[no-untyped-def]
        if conn.info.pop("writer", False):
            lock.release()

    event.listen(Engine, "commit", release)
    event.listen(Engine, "rollback", release)


def _skip_redundant_done() -> None:
    """Worker._process ends every row with its own UPDATE ... status='done' transaction, although the
    processors already marked the row done inside their transaction: skip it when they did."""
    import asyncio

    from sqlalchemy import update

    from bot import worker as w
    from storage.models import InboxEvent

    original_mark = w.Item.mark_done
    original_process = w.Worker._process

    async def mark_done(self: w.Item, s: object, now: object) -> None:
        self.__dict__["_marked"] = True
        await original_mark(self, s, now)  # type: ignore[arg-type]

    async def process(self: w.Worker, item: w.Item) -> None:
        processor = self.processors.get(item.kind)
        if processor is None:
            await original_process(self, item)
            return
        try:
            await processor(self.deps, item)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._failed(item, exc)
            return
        if not item.__dict__.get("_marked"):  # the row still needs its 'done', as the original does it
            async with self.deps.db.uow() as uow:
                await uow.session.execute(update(InboxEvent).where(InboxEvent.id == item.id,
                                                                   InboxEvent.status == w.WORKING)
                                          .values(status=w.DONE, processed_at=self.deps.clock(), last_error=None,
                                                  **w.INBOX_DONE_SCRUB))
                await uow.commit()

    w.Item.mark_done = mark_done  # type: ignore[method-assign]
    w.Worker._process = process  # type: ignore[method-assign]


def _trace_sql() -> None:
    """Time every statement (wall time in the driver's thread) and write a table at exit."""
    import atexit
    import json
    import time
    from collections import defaultdict

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0])

    @event.listens_for(Engine, "before_cursor_execute")
    def before(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        conn.info.setdefault("t", []).append(time.perf_counter())

    @event.listens_for(Engine, "after_cursor_execute")
    def after(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        t = totals[" ".join(statement.split())[:160]]
        t[0] += 1
        t[1] += time.perf_counter() - conn.info["t"].pop()
        t[2] += cursor.rowcount if cursor.rowcount and cursor.rowcount > 0 else 0

    def dump() -> None:
        rows = sorted(totals.items(), key=lambda kv: -kv[1][1])
        with open(os.environ.get("CNA_BENCH_SQLTRACE", "sqltrace.json"), "w") as out:
            json.dump([{"sql": k, "n": v[0], "s": round(v[1], 4), "rows": v[2]} for k, v in rows], out, indent=1)

    atexit.register(dump)


if __name__ == "__main__":
    for experiment in filter(None, os.environ.get("CNA_BENCH_EXPERIMENT", "").split(",")):
        _experiment(experiment)
    # BACKGROUND is the serve loop's own list of background coroutines ("add a loop with one line here").
    bot.serve.BACKGROUND.append(lag_probe)
    if os.environ.get("CNA_BENCH_STATS"):
        layers.install()
        bot.serve.BACKGROUND.append(layers.lag_probe_stats)
    sys.argv = ["cna", "serve", *sys.argv[1:]]
    main()
