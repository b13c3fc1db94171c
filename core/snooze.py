"""Snoozes: the day a person means by "remind me next week" / "下周再说", and when that reminder goes out."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.schedule import DAY_NAMES, WorkingHours, local_instant, next_allowed

_WEEKDAYS = {
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                         "sunday"))},
    **{name: i for i, name in enumerate(DAY_NAMES)},
    **{f"周{c}": i for i, c in enumerate("一二三四五六日")}, "周天": 6,
    **{f"星期{c}": i for i, c in enumerate("一二三四五六日")}, "星期天": 6,
    **{f"礼拜{c}": i for i, c in enumerate("一二三四五六日")}, "礼拜天": 6,
}
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def parse_snooze(text: str, today: date) -> date | None:
    """The day a person means by "remind me ..." (English or Chinese), or None when it is not understood.

    "tomorrow"/"明天", "day after tomorrow"/"后天", "next week"/"下周" (its Monday), "next month"/"下个月"
    (its first day), "in 3 days"/"3天后", "in 2 weeks"/"两周后", a weekday ("monday", "周五", "下周三")
    or an ISO date. The result is always after today.
    """
    t = re.sub(r"\s+", " ", text.strip().lower())
    t = re.sub(r"^(please )?(remind me|ask me|ping me|try)( again)? ", "", t)
    t = re.sub(r"^(请)?(下次)?(提醒我|再提醒我|再问我)", "", t).strip(" .!,。！，")
    next_monday = today + timedelta(days=7 - today.weekday())
    fixed = {"tomorrow": 1, "明天": 1, "明日": 1, "day after tomorrow": 2, "the day after tomorrow": 2,
             "后天": 2}
    if t in fixed:
        return today + timedelta(days=fixed[t])
    if t in ("next week", "下周", "下星期", "下礼拜", "下个星期", "下个礼拜"):
        return next_monday
    if t in ("next month", "下个月", "下月"):
        return date(today.year + today.month // 12, today.month % 12 + 1, 1)
    m = re.fullmatch(r"(?:in )?(\d+|an?|one|two|three) (day|week)s?(?: from now)?", t)
    if m:
        n = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}.get(m[1]) or int(m[1])
        return _after(today, n * (7 if m[2] == "week" else 1))
    m = re.fullmatch(r"(\d+|[一二两三四五六七八九十])\s*(?:个)?(天|日|周|星期|礼拜)(?:后|以后|之后)", t)
    if m:
        n = int(m[1]) if m[1].isdigit() else _CN_NUM[m[1]]
        return _after(today, n * (1 if m[2] in ("天", "日") else 7))
    m = re.fullmatch(r"(next |下个?|下)?(?:on )?(\S+)", t)
    if m and m[2] in _WEEKDAYS:
        wd = _WEEKDAYS[m[2]]
        if m[1]:  # "next friday" / "下周五": that weekday in next week
            return next_monday + timedelta(days=wd)
        ahead = (wd - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    try:
        day = date.fromisoformat(t)
    except ValueError:
        return None
    return day if day > today else None


def _after(today: date, days: int) -> date | None:
    return today + timedelta(days=days) if 0 < days <= 366 else None


def snooze_until(day: date, tz: ZoneInfo, hours: WorkingHours) -> datetime:
    """The first working instant of `day` (or of the next working day) in the person's zone."""
    return next_allowed(local_instant(day, time(0), tz), tz, hours)


