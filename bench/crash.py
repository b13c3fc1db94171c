"""Crash run: kill -9 `cna serve` at random moments of a load run, restart it, and count what was lost or doubled.

Lost = an input the service acknowledged with a 2xx whose answer never got stored (or whose reply was never
delivered); duplicated = an answer stored twice or a DM delivered twice (the fake counts DMs per outbox marker
and per person). The driver resends unacknowledged deliveries as Slack does, with X-Slack-Retry-Num.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from bench import accounting, procs
from bench.driver import Driver, run_closed
from bench.load import make_respondents
from bench.seed import open_round, scripts_mix, seed_interviews
from storage.uow import Database

# Short leases so rows held by a killed process come back within seconds instead of the production 30 s;
# the sender's lease is CNA_WEB_TIMEOUT + 5 s.
CRASH_SETTINGS = {"inbox_lease": 2, "web_timeout": 2, "poll_interval": 0.5, "post_per_minute": 1_000_000,
                  "per_channel_interval": 0}


# The long run's spacing of kills: the restarted service must ack this many new inputs and have run this long,
# longer than the driver's longest pause between two tries of a delivery (2.4 s), so every delivery waiting for
# it gets a try while it is up. At 5 acks it was up a fraction of a second between 6-10 s restarts: deliveries
# missed every window for a minute and were abandoned (9-12 respondents in the first 20-kill runs).
LONG_RUN_SPACING = (20, 2.5)
LONG_RUN_THINK = 3.0  # seconds a respondent pauses between inputs, so the load lasts through 20 such kills


def _acked(drv: Driver) -> int:
    return sum(1 for d in drv.deliveries if d.acked)


async def run_crash(people: int = 10, kills: int = 2, *, seed: int = 7, think: float = 0.05,
                    window: tuple[float, float] = (0.1, 0.9), db_url: str | None = None,
                    drain_timeout: float = 40.0, workdir: Path | None = None,
                    spacing: tuple[int, float] = (5, 0.0)) -> dict[str, Any]:
    """`kills` kill -9s, each followed by a restart, at random points of the load: when the share of planned
    inputs sent reaches a random fraction inside `window` (so they land mid-load however fast the run is), and
    not before the restarted service acked `spacing[0]` new inputs and ran `spacing[1]` seconds."""
    catalog = load_catalog()
    work = workdir or Path(tempfile.mkdtemp(prefix="cna-crash-"))
    rng = random.Random(seed)
    fake = procs.start_fake(work)
    serve: procs.Proc | None = None
    db: Database | None = None
    kill_log: list[dict[str, Any]] = []
    try:
        url = db_url or f"sqlite:///{work}/cna.db"
        aid = await open_round(url)
        users = [f"UC{seed:02d}{i:05d}" for i in range(1, people + 1)]
        seeded = await seed_interviews(url, aid, users, scripts_mix(catalog), catalog)
        respondents = make_respondents(seeded, catalog, rng, click_share=0.3)
        port = procs.free_port()
        env = procs.serve_env(fake.info["api_url"], url, work / "crash.lag.jsonl", **CRASH_SETTINGS)
        serve = procs.start_serve(work, port, env)
        points = sorted(rng.uniform(*window) for _ in range(kills))
        planned = sum(len(r.steps) for r in respondents)

        async def killer(t0: float, drv: Driver) -> None:
            nonlocal serve
            floor, up_until = 0, 0.0
            for n, share in enumerate(points, start=1):
                # The next kill point, but never before the restarted service acked some new inputs: kill
                # points reached while it was down would otherwise kill it again at once, back to back, until
                # respondents gave up (the first 20-kill run: 15 of them).
                while len(drv.deliveries) < share * planned or _acked(drv) < floor or time.monotonic() < up_until:
                    await asyncio.sleep(0.005)
                assert serve is not None
                serve.kill9()
                down = time.monotonic()
                await asyncio.sleep(rng.uniform(0.1, 0.5))
                # Taking traffic as soon as /healthz answers, as a restarted service does: the engine's second
                # process joins when it is ready, the worker decides in-process until then.
                serve = await asyncio.to_thread(procs.start_serve, work, port, env, name=f"serve{n}", engine_wait=0)
                kill_log.append({"at_s": round(down - t0, 2), "at_input": len(drv.deliveries),
                                 "down_s": round(time.monotonic() - down, 2),
                                 "startup_s": round(serve.info["startup_s"], 2)})
                floor = _acked(drv) + spacing[0]
                up_until = time.monotonic() + spacing[1]

        response_url = procs.api(fake, "bench.response_url")["url"]
        async with Driver(f"http://127.0.0.1:{port}/slack/events", procs.SECRET, response_url=response_url,
                          give_up_after=60.0) as drv:
            t0 = time.monotonic()
            kill_task = asyncio.create_task(killer(t0, drv))
            await run_closed(drv, respondents, think=think)
            run_s = time.monotonic() - t0
            if not kill_task.done():
                # The load ended before the last kill points (respondents stop at an input that was never
                # acknowledged): do not wait for inputs that will not come.
                kill_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await kill_task
            unacked = [{"kind": d.kind, "status": d.status, "attempts": d.attempts, "errors": d.errors[-3:]}
                       for d in drv.deliveries if not d.acked]
        db = await Database.open(url, migrate=False)
        drained = await accounting.wait_drained(db, drain_timeout, poll=0.25)
        delivered = procs.api(fake, "bench.delivery")
        result = await accounting.check(db, drv.deliveries, delivered)
        completed = sum(1 for r in respondents if r.final_status == "completed")
        return {"name": "crash", "people": people, "kills": kill_log, "run_s": round(run_s, 2), "unacked": unacked,
                "drain_s": None if drained is None else round(drained, 2),
                "retried_deliveries": sum(1 for d in drv.deliveries if d.attempts > 1),
                "max_attempts": max((d.attempts for d in drv.deliveries), default=0),
                "interviews_planned_complete": completed, "accounting": result,
                "ok": drained is not None and accounting.ok(result), "workdir": str(work)}
    finally:
        if db is not None:
            await db.close()
        if serve is not None:
            serve.stop()
        fake.stop()
