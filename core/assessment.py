"""Assessment rules from the sources: the refresh interval, SMART goals and the CNA team's make-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

REFRESH_DEFAULT = 18
REFRESH_MIN, REFRESH_MAX = 12, 24
SCOPES = ("department", "enterprise")


class AssessmentRuleError(ValueError):
    """A value the CNA method does not allow, with what to do instead."""


def check_refresh_months(months: int) -> int:
    if not REFRESH_MIN <= months <= REFRESH_MAX:
        raise AssessmentRuleError(
            f"refresh interval {months} months is outside {REFRESH_MIN}-{REFRESH_MAX}: the sources re-run a CNA "
            f"every one to two years; use a value from {REFRESH_MIN} to {REFRESH_MAX} (default {REFRESH_DEFAULT})")
    return months


def add_months(d: date, months: int) -> date:
    """Calendar month arithmetic; the day is clamped to the month's length (Jan 31 + 1 = Feb 28/29)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_refresh(opened_on: date, refresh_months: int) -> date:
    return add_months(opened_on, refresh_months)


_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万两半]\s*[%个成倍天周月年]|percent|百分")
_DATE = re.compile(
    r"\b(19|20)\d{2}\b|\bQ[1-4]\b|\b(by|before|until|within)\b.*\b(day|week|month|quarter|year|end)s?\b"
    r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|年底|季度|月底|年内|\d+\s*(月|年|季度|周|天)|[一二三四五六七八九十两半]+\s*(个月|年|季度|周)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    level: str  # error | warning
    message: str


def check_goal(goal: str) -> list[Finding]:
    """A SMART goal is measurable (a number) and time-bound (a date or deadline)."""
    out = []
    if not _NUMBER.search(goal):
        out.append(Finding("warning", f"goal {goal!r} has no number: make it measurable "
                                      "(e.g. 'raise renewal rate from 70% to 80%')"))
    if not _DATE.search(goal):
        out.append(Finding("warning", f"goal {goal!r} has no date: make it time-bound (e.g. 'by Q4 2027')"))
    return out


@dataclass(frozen=True)
class Member:
    name: str
    internal: bool
    business_unit: str | None


def check_team(members: list[Member], affected_units: set[str]) -> list[Finding]:
    """At least half the team internal, and at least half of those from the business units affected."""
    if not members:
        return [Finding("warning", "no CNA team recorded: add members with 'cna assessment team add'")]
    out = []
    internal = [m for m in members if m.internal]
    if len(internal) * 2 < len(members):
        out.append(Finding("error", f"only {len(internal)} of {len(members)} team members are internal; the sources "
                                    "want at least 50% internal (handing the CNA to consultants is a common mistake)"))
    if affected_units and internal:
        from_units = [m for m in internal if (m.business_unit or "").lower() in {u.lower() for u in affected_units}]
        if len(from_units) * 2 < len(internal):
            out.append(Finding("error", f"only {len(from_units)} of {len(internal)} internal members come from the "
                                        f"affected business units ({', '.join(sorted(affected_units))}); "
                                        "the sources want at least 50%"))
    return out
