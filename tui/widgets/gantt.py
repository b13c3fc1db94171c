"""The roadmap as a text Gantt chart: one bar per scheduled opportunity on a month scale, coloured by phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text

from tui.widgets.bars import DIM, clip, fit

PHASE_COLOURS = ["#5fafff", "#ffaf00", "#5fd75f", "#d787ff", "#ff875f", "#5fd7d7"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Item:
    title: str
    phase: str | None
    start: date | None
    end: date | None
    shortlisted: bool = True


def gantt(items: list[Item], width: int = 90, label: int = 30, today: date | None = None) -> Text:
    """Bars between start and end on a shared month axis; items without both dates are listed below."""
    dated = [i for i in items if i.start and i.end]
    out = Text()
    if not dated:
        out.append("No opportunity has a phase with dates yet: press p to give one a phase, start and end.",
                   style=DIM)
        return out
    first = min(i.start for i in dated if i.start)
    last = max(i.end for i in dated if i.end)
    first = date(first.year, first.month, 1)
    span = max((last - first).days, 1)

    def col(d: date) -> int:
        return min(width - 1, max(0, round((d - first).days / span * (width - 1))))

    axis = [" "] * width
    years = [" "] * width
    y, m = first.year, first.month
    while date(y, m, 1) <= last:
        c = col(date(y, m, 1))
        name = MONTHS[m - 1]
        if all(ch == " " for ch in axis[c:c + 4]):
            axis[c:c + 3] = name
        if (m == 1 or (y, m) == (first.year, first.month)) and c + 4 <= width:
            years[c:c + 4] = str(y)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    out.append(" " * (label + 1) + "".join(years).rstrip() + "\n", style="bold")
    out.append(" " * (label + 1) + "".join(axis).rstrip() + "\n", style=DIM)
    phases = list(dict.fromkeys(i.phase or "no phase" for i in dated))
    for i in sorted(dated, key=lambda i: (i.start, i.title)):
        assert i.start and i.end
        colour = PHASE_COLOURS[phases.index(i.phase or "no phase") % len(PHASE_COLOURS)]
        a, b = col(i.start), col(i.end)
        row = Text(f"{fit(i.title, label)} ", style="" if i.shortlisted else DIM)
        row.append("·" * a, style="grey23")
        row.append("█" * max(1, b - a + 1), style=colour if i.shortlisted else DIM)
        row.append("·" * (width - b - 1), style="grey23")
        out.append_text(row)
        out.append("\n")
    if today and first <= today <= last:
        out.append(" " * (label + 1 + col(today)) + f"▲ today {today:%Y-%m-%d}\n", style="bold red")
    legend = Text(" " * (label + 1))
    for n, p in enumerate(phases):
        legend.append("██ ", style=PHASE_COLOURS[n % len(PHASE_COLOURS)])
        legend.append(f"{p}   ")
    out.append_text(legend)
    undated = [i for i in items if not (i.start and i.end)]
    if undated:
        out.append("\nNot scheduled: " + ", ".join(clip(i.title, 40) for i in undated), style=DIM)
    return out
