"""An event-loop lag probe for benchmarked processes: how late a 10 ms timer fires, written once a second."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

INTERVAL = 0.01
ENV = "CNA_BENCH_LAG_FILE"


async def run_probe(path: str | os.PathLike[str] | None = None) -> None:
    """Append one JSON line per second, {"t": wall time, "lag_ms": [...]}, to `path` (default $CNA_BENCH_LAG_FILE).

    Lag is how much later than asked a sleep returns: any blocking work on the loop shows up here, and it
    is what delays acks. Lines are flushed as written so a kill -9 loses at most the current second."""
    target = path or os.environ.get(ENV)
    if not target:
        await asyncio.Event().wait()  # serve stops when a background loop ends: idle instead
        return
    loop = asyncio.get_running_loop()
    with Path(target).open("a", encoding="utf-8") as out:
        samples: list[float] = []
        window = time.time()
        while True:
            t0 = loop.time()
            await asyncio.sleep(INTERVAL)
            samples.append(round(max(0.0, loop.time() - t0 - INTERVAL) * 1000, 2))
            if time.time() - window >= 1.0:
                out.write(json.dumps({"t": time.time(), "lag_ms": samples}) + "\n")
                out.flush()
                samples, window = [], time.time()


def read_lag(path: Path, start: float, end: float) -> list[float]:
    """Every lag sample (ms) written between wall times `start` and `end` (one-second granularity)."""
    out: list[float] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut by kill -9
        if start <= rec["t"] <= end + 1.0:
            out.extend(rec["lag_ms"])
    return out


def max_by_window(path: Path, start: float, end: float, window: float = 10.0) -> list[float]:
    """The worst lag (ms) in each `window` seconds from `start`: shows whether a stall repeats (a periodic job)."""
    out: list[float] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not start <= rec["t"] <= end + 1.0 or not rec["lag_ms"]:
            continue
        i = int((rec["t"] - start) // window)
        out.extend([0.0] * (i + 1 - len(out)))
        out[i] = max(out[i], max(rec["lag_ms"]))
    return out
