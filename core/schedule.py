"""Scheduling rules, dates in and dates out: working hours, refresh reminders and nudges."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.assessment import add_months, check_refresh_months

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REMINDER_DAYS_DEFAULT = (30, 7)
NUDGE_AFTER_DAYS_DEFAULT = 3
NUDGE_MAX_DEFAULT = 2


class ScheduleConfigError(ValueError):
    """A scheduling setting that cannot be used, naming the setting and what to write instead."""


class Clock(Protocol):
    """Where the service gets the time from; tests pass a clock they move by hand."""

    def now(self) -> datetime: ...


@dataclass
class FixedClock:
    """A clock that stands still until moved: for tests and for `cna schedule run-due --now`."""

    at: datetime

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


def aware(instant: datetime) -> datetime:
    """Refuse naive datetimes: every instant in scheduling is absolute."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given; scheduling needs an aware datetime (e.g. UTC)")
    return instant


def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    """The IANA zone Slack gave us (users.info `tz`); an unknown or empty name falls back rather than failing,
    because one bad profile must not stop everyone else's reminders."""
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def check_zone(name: str, setting: str = "tz") -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleConfigError(f"setting {setting}: {name!r} is not an IANA time zone; write e.g. "
                                  "Europe/Berlin, Asia/Shanghai or America/Los_Angeles") from None
    return name


def parse_clock_time(value: object, setting: str) -> time:
    """'09:00' -> time(9, 0)."""
    if isinstance(value, time):
        return value
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(value))
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise ScheduleConfigError(f"setting {setting}: {value!r} is not a time of day; "
                                  "write HH:MM, e.g. 09:00")
    return time(int(m[1]), int(m[2]))


def parse_days(value: object, setting: str = "working_hours.days") -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri' or a list of names/numbers (0 = Monday) -> weekday numbers."""
    items: list[object]
    if isinstance(value, str):
        items = [p for p in re.split(r"[,\s]+", value.strip().lower()) if p]
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        items = [value]
    out: set[int] = set()
    for item in items:
        text = str(item).strip().lower()
        if "-" in text and not text.lstrip("-").isdigit():
            a, _, b = text.partition("-")
            lo, hi = _day(a, setting), _day(b, setting)
            out.update(range(lo, hi + 1) if lo <= hi else [*range(lo, 7), *range(0, hi + 1)])
        else:
            out.add(_day(text, setting))
    if not out:
        raise ScheduleConfigError(f"setting {setting}: no working days given; write e.g. mon-fri")
    return frozenset(out)


def _day(text: str, setting: str) -> int:
    text = text.strip()[:3]
    if text.isdigit() and int(text) < 7:
        return int(text)
    if text in DAY_NAMES:
        return DAY_NAMES.index(text)
    raise ScheduleConfigError(f"setting {setting}: {text!r} is not a weekday; write mon..sun, e.g. mon-fri")


@dataclass(frozen=True)
class WorkingHours:
    """When a person may be messaged, in their own zone. Default 09:00-17:00, Monday to Friday."""

    start: time = time(9)
    end: time = time(17)
    days: frozenset[int] = frozenset(range(5))

    def __post_init__(self) -> None:
        if self.start >= self.end:
            # Overnight shifts would make "the same day" ambiguous; nobody interviews at night.
            raise ScheduleConfigError(f"setting working_hours: start {self.start:%H:%M} must be before end "
                                      f"{self.end:%H:%M} (same day), e.g. 09:00-17:00")
        if not self.days:
            raise ScheduleConfigError("setting working_hours.days: no working days given; write e.g. mon-fri")

    @classmethod
    def from_config(cls, raw: Mapping[str, Any] | None) -> WorkingHours:
        raw = dict(raw or {})
        unknown = set(raw) - {"start", "end", "days"}
        if unknown:
            raise ScheduleConfigError(f"setting working_hours: unknown key(s) {', '.join(sorted(unknown))}; "
                                      "allowed: start, end, days")
        return cls(start=parse_clock_time(raw.get("start", "09:00"), "working_hours.start"),
                   end=parse_clock_time(raw.get("end", "17:00"), "working_hours.end"),
                   days=parse_days(raw.get("days", "mon-fri")))

    def to_config(self) -> dict[str, Any]:
        return {"start": f"{self.start:%H:%M}", "end": f"{self.end:%H:%M}",
                "days": [DAY_NAMES[d] for d in sorted(self.days)]}

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """`at` o'clock on `day` in `tz`, as UTC; a wall time skipped by a DST jump maps to just after it."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_allowed(instant: datetime, tz: ZoneInfo, hours: WorkingHours) -> datetime:
    """The earliest instant at or after `instant` inside working hours in `tz` (UTC result)."""
    instant = aware(instant).astimezone(UTC)
    first = instant.astimezone(tz).date()
    for offset in range(8):  # a week always contains a working day (days is never empty)
        day = first + timedelta(days=offset)
        if not hours.is_working_day(day):
            continue
        end = local_instant(day, hours.end, tz)
        if instant < end:
            return max(instant, local_instant(day, hours.start, tz))
    raise AssertionError("unreachable: no working day within a week")


def is_allowed(instant: datetime, tz: ZoneInfo, hours: WorkingHours) -> bool:
    return next_allowed(instant, tz, hours) == aware(instant).astimezone(UTC)


def next_working_day(day: date, hours: WorkingHours) -> date:
    """`day` itself if it is a working day, else the next one."""
    while not hours.is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, hours: WorkingHours) -> date:
    while not hours.is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days(start: date, count: int, hours: WorkingHours) -> list[date]:
    """The first `count` working days on or after `start`."""
    out: list[date] = []
    day = start
    while len(out) < count:
        day = next_working_day(day, hours)
        out.append(day)
        day += timedelta(days=1)
    return out


# --- round refresh ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RefreshPlan:
    """When the next round is due and when the lead hears about it."""

    due_on: date
    due_at: datetime
    reminders: tuple[tuple[int, date, datetime], ...]  # (days before, date, instant)


def refresh_plan(opened_on: date, refresh_months: int, *,
                 reminder_days: Sequence[int] = REMINDER_DAYS_DEFAULT, at: time = time(9),
                 tz: ZoneInfo | None = None, hours: WorkingHours | None = None) -> RefreshPlan:
    """The next round falls due `refresh_months` after opening (12-24, else AssessmentRuleError); a reminder
    that would land on a non-working day moves to the working day before, so the heads-up is never late."""
    check_refresh_months(refresh_months)
    tz = tz or ZoneInfo("UTC")
    hours = hours or WorkingHours()
    due_on = add_months(opened_on, refresh_months)
    reminders = []
    for days in sorted(set(reminder_days), reverse=True):
        day = previous_working_day(due_on - timedelta(days=days), hours)
        reminders.append((days, day, local_instant(day, at, tz)))
    return RefreshPlan(due_on, local_instant(due_on, at, tz), tuple(reminders))


# --- interview nudges -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NudgePolicy:
    """After `after_days` without progress, up to `max_nudges` nudges, inside the person's working hours."""

    after_days: int = NUDGE_AFTER_DAYS_DEFAULT
    max_nudges: int = NUDGE_MAX_DEFAULT
    hours: WorkingHours = field(default_factory=WorkingHours)

    def __post_init__(self) -> None:
        if not 1 <= self.after_days <= 60:
            raise ScheduleConfigError(f"setting nudges.after_days: {self.after_days} is outside 1-60 days")
        if not 0 <= self.max_nudges <= 10:
            raise ScheduleConfigError(f"setting nudges.max: {self.max_nudges} is outside 0-10 "
                                      "(0 turns nudges off)")


def nudge_due(*, last_activity: datetime, last_nudge: datetime | None, nudges_sent: int,
              snoozed_until: datetime | None, policy: NudgePolicy, tz: ZoneInfo) -> datetime | None:
    """When the next nudge may go out, or None when no more are due.

    The clock restarts at the later of the last progress and the last nudge. A snooze the person asked for
    ("remind me next week") is honoured even past the nudge limit, but never makes a nudge come earlier.
    """
    if snoozed_until is None and nudges_sent >= policy.max_nudges:
        return None
    base = max(aware(last_activity), aware(last_nudge) if last_nudge else aware(last_activity))
    due = base + timedelta(days=policy.after_days)
    if snoozed_until is not None:
        due = max(due, aware(snoozed_until))
    return next_allowed(due, tz, policy.hours)


# --- settings ---------------------------------------------------------------------------------------------

SETTING_KEYS = {"tz", "refresh", "nudges", "working_hours"}


@dataclass(frozen=True)
class ScheduleSettings:
    """Scheduling configuration of one assessment, read from Assessment.settings (other keys are not ours)."""

    tz: str = "UTC"
    reminder_days: tuple[int, ...] = REMINDER_DAYS_DEFAULT
    reminder_at: time = time(9)
    refresh_enabled: bool = True
    nudges: NudgePolicy = field(default_factory=NudgePolicy)

    @property
    def hours(self) -> WorkingHours:
        return self.nudges.hours

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> ScheduleSettings:
        s = dict(settings or {})
        tz = check_zone(str(s.get("tz") or "UTC"))
        refresh = _section(s, "refresh", {"reminder_days", "at", "enabled"})
        nudges = _section(s, "nudges", {"after_days", "max"})
        hours = WorkingHours.from_config(_section(s, "working_hours", {"start", "end", "days"}))
        days = refresh.get("reminder_days", list(REMINDER_DAYS_DEFAULT))
        if not isinstance(days, list | tuple) or not all(isinstance(d, int) and 1 <= d <= 180 for d in days):
            raise ScheduleConfigError(f"setting refresh.reminder_days: {days!r} must be a list of days "
                                      "from 1 to 180, e.g. [30, 7]")
        return cls(tz=tz, reminder_days=tuple(sorted(set(days), reverse=True)),
                   reminder_at=parse_clock_time(refresh.get("at", "09:00"), "refresh.at"),
                   refresh_enabled=bool(refresh.get("enabled", True)),
                   nudges=NudgePolicy(after_days=_int(nudges.get("after_days", NUDGE_AFTER_DAYS_DEFAULT),
                                                      "nudges.after_days"),
                                      max_nudges=_int(nudges.get("max", NUDGE_MAX_DEFAULT), "nudges.max"),
                                      hours=hours))

    def to_settings(self) -> dict[str, Any]:
        return {"tz": self.tz,
                "refresh": {"reminder_days": list(self.reminder_days), "at": f"{self.reminder_at:%H:%M}",
                            "enabled": self.refresh_enabled},
                "nudges": {"after_days": self.nudges.after_days, "max": self.nudges.max_nudges},
                "working_hours": self.hours.to_config()}


def _section(s: Mapping[str, Any], name: str, allowed: set[str]) -> dict[str, Any]:
    raw = s.get(name)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ScheduleConfigError(f"setting {name}: expected a mapping with keys "
                                  f"{', '.join(sorted(allowed))}")
    unknown = set(raw) - allowed
    if unknown:
        raise ScheduleConfigError(f"setting {name}: unknown key(s) {', '.join(sorted(unknown))}; "
                                  f"allowed: {', '.join(sorted(allowed))}")
    return dict(raw)


def _int(value: object, setting: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleConfigError(f"setting {setting}: {value!r} is not a whole number")
    return value
