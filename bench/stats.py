"""Small statistics for benchmark results: percentiles and summaries in milliseconds."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


def pct(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (nearest rank on sorted values); None for no values."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def summary_ms(seconds: Sequence[float]) -> dict[str, Any]:
    """n, p50, p95, p99 and max of durations given in seconds, reported in ms."""
    ms = [v * 1000 for v in seconds]
    out: dict[str, Any] = {"n": len(ms)}
    for name, p in (("p50", 50), ("p95", 95), ("p99", 99)):
        v = pct(ms, p)
        out[name] = None if v is None else round(v, 2)
    out["max"] = round(max(ms), 2) if ms else None
    return out


def lag_summary(samples_ms: Sequence[float]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": len(samples_ms)}
    for name, p in (("p50", 50), ("p99", 99)):
        v = pct(samples_ms, p)
        out[name] = None if v is None else round(v, 2)
    out["max"] = round(max(samples_ms), 2) if samples_ms else None
    return out


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None
