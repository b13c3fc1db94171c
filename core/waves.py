"""Waves: a round's invitations spread over groups and working days."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from core.schedule import WorkingHours, next_working_day, working_days

T = TypeVar("T")


class WaveSpecError(ValueError):
    """A --waves value that cannot be used."""


def parse_waves(spec: str) -> list[frozenset[str]]:
    """'internal,customer' -> [{internal}, {customer}]; '+' joins groups into one wave:
    'internal:sales+internal:service,internal,customer:current'."""
    waves = []
    for part in spec.split(","):
        tokens = frozenset(t.strip().lower() for t in part.split("+") if t.strip())
        if not tokens:
            raise WaveSpecError(f"--waves {spec!r}: empty wave; write groups separated by commas, e.g. "
                                "internal,customer or internal:sales+internal:service,customer")
        waves.append(tokens)
    return waves


def wave_of(tags: Iterable[str], waves: Sequence[frozenset[str]]) -> int | None:
    """Index of the first wave whose tokens match one of the participant's tags (kind, role, segment)."""
    lowered = {t.lower() for t in tags if t}
    for i, tokens in enumerate(waves):
        if lowered & tokens:
            return i
    return None


def wave_days(start: date, count: int, gap_days: int, hours: WorkingHours) -> list[date]:
    """Wave i starts `gap_days * i` after `start`, moved forward to a working day."""
    if gap_days < 1:
        raise WaveSpecError(f"--gap-days {gap_days}: waves must be at least one day apart")
    return [next_working_day(start + timedelta(days=gap_days * i), hours) for i in range(count)]


def per_day(items: Sequence[T], per_day: int, start: date, hours: WorkingHours) -> list[tuple[date, list[T]]]:
    """Spread `items` over working days, `per_day` a day, in order."""
    if per_day < 1:
        raise WaveSpecError(f"--per-day {per_day}: send at least one invitation a day")
    chunks = [list(items[i:i + per_day]) for i in range(0, len(items), per_day)]
    return list(zip(working_days(start, len(chunks), hours), chunks, strict=True))

