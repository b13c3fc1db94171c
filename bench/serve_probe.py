"""`cna serve` exactly as shipped, plus one background loop (bench.loop_probe) that records event-loop lag."""

from __future__ import annotations

import os
import sys

import bot.serve
from bench.loop_probe import run_probe
from bot.cli import main


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
    elif name == "sqltrace":
        _trace_sql()


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
    if os.environ.get("CNA_BENCH_EXPERIMENT"):
        _experiment(os.environ["CNA_BENCH_EXPERIMENT"])
    # BACKGROUND is the serve loop's own list of background coroutines ("add a loop with one line here").
    bot.serve.BACKGROUND.append(lag_probe)
    sys.argv = ["cna", "serve", *sys.argv[1:]]
    main()
