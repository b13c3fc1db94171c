"""A small SVG builder and the report's charts (roadmap timeline, staff-vs-customer gap), as inline markup."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from html import escape

from reports.labels import fmt_date, fmt_month

PALETTE = ("#2563eb", "#ea580c", "#16a34a", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563")
STAFF, CUSTOMER = "#2563eb", "#ea580c"
GRID, INK, MUTED = "#e5e7eb", "#111827", "#6b7280"


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


class Svg:
    """Collects shapes and text; render() gives an <svg> element for inline HTML (no xmlns needed there)."""

    def __init__(self, width: float, height: float, label: str):
        self.width, self.height, self.label = width, height, label
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str, rx: float = 0,
             tooltip: str | None = None, opacity: float | None = None) -> None:
        attrs = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}" fill="{escape(fill)}"'
        if rx:
            attrs += f' rx="{_n(rx)}"'
        if opacity is not None:
            attrs += f' fill-opacity="{_n(opacity)}"'
        body = f"<title>{escape(tooltip)}</title>" if tooltip else ""
        self.parts.append(f"<rect {attrs}>{body}</rect>" if body else f"<rect {attrs}/>")

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 1,
             dash: str | None = None) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
                          f'stroke-width="{_n(width)}"{extra}/>')

    def text(self, x: float, y: float, s: str, size: float = 12, anchor: str = "start", fill: str = INK,
             bold: bool = False, tooltip: str | None = None) -> None:
        weight = ' font-weight="600"' if bold else ""
        body = escape(s) + (f"<title>{escape(tooltip)}</title>" if tooltip else "")
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
                          f'fill="{fill}"{weight}>{body}</text>')

    def render(self, css_class: str = "chart") -> str:
        return (f'<svg class="{css_class}" viewBox="0 0 {_n(self.width)} {_n(self.height)}" '
                f'width="{_n(self.width)}" height="{_n(self.height)}" role="img" aria-label="{escape(self.label)}" '
                f'preserveAspectRatio="xMinYMin meet">' + "".join(self.parts) + "</svg>")


def text_width(s: str, size: float) -> float:
    """Rough rendered width: wide (CJK) characters are about one em, Latin about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in s)


def fit(s: str, max_px: float, size: float) -> str:
    """The text, cut with an ellipsis so it fits max_px."""
    if text_width(s, size) <= max_px:
        return s
    out = ""
    for ch in s:
        if text_width(out + ch + "…", size) > max_px:
            break
        out += ch
    return out.rstrip() + "…"


# --- roadmap timeline --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    label: str
    phase: str
    start: date
    end: date


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def timeline(bars: list[Bar], markers: list[tuple[date, str]], lang: str, label: str,
             width: float = 960) -> str:
    """A Gantt chart: one row per project grouped under its phase, month grid, dashed date markers."""
    if not bars:
        return ""
    phases = list(dict.fromkeys(b.phase for b in sorted(bars, key=lambda b: (b.start, b.end))))
    colour = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(phases)}
    lo = _month_start(min(b.start for b in bars))
    hi = max(max(b.end for b in bars), *(d for d, _ in markers)) if markers else max(b.end for b in bars)
    hi = _next_month(hi)
    label_w, pad, top, row = 290.0, 16.0, 46.0, 26.0
    x0, x1 = label_w + pad, width - pad
    span = max((hi - lo).days, 1)

    def x(d: date) -> float:
        return x0 + (x1 - x0) * (d - lo).days / span

    n_rows = len(bars) + len(phases)
    grid_bottom = top + n_rows * row + 4
    height = grid_bottom + (22 if markers else 8)
    svg = Svg(width, height, label)
    months, m = [], lo
    while m <= hi:
        months.append(m)
        m = _next_month(m)
    step = 1 if len(months) <= 20 else 3 if len(months) <= 48 else 6
    for i, m in enumerate(months):
        svg.line(x(m), top - 6, x(m), grid_bottom, GRID)
        if i % step == 0 and m < hi:
            svg.text(x(m) + 3, top - 12, fmt_month(m, lang), 11, fill=MUTED)
            if i == 0 or m.month <= step:
                svg.text(x(m) + 3, top - 28, str(m.year), 11, fill=INK, bold=True)
    y = top
    for phase in phases:
        svg.rect(0, y + 2, width, row - 4, "#f3f4f6", rx=3)
        svg.rect(6, y + 8, 10, 10, colour[phase], rx=2)
        svg.text(22, y + 17, fit(phase, label_w - 24, 12), 12, bold=True, tooltip=phase)
        y += row
        for b in sorted((b for b in bars if b.phase == phase), key=lambda b: (b.start, b.label)):
            dates = f"{fmt_date(b.start, lang)} – {fmt_date(b.end, lang)}"
            svg.text(22, y + 17, fit(b.label, label_w - 24, 12), 12, tooltip=b.label)
            bx, bw = x(b.start), max(x(b.end) - x(b.start), 3)
            svg.rect(bx, y + 5, bw, row - 10, colour[phase], rx=3, tooltip=f"{b.label}: {dates}")
            short = f"{fmt_date(b.start, lang)} – {fmt_date(b.end, lang)}"
            if text_width(short, 10) + 10 < bw:
                svg.text(bx + 6, y + 16.5, short, 10, fill="#ffffff")
            elif bx + bw + 6 + text_width(short, 10) < width:
                svg.text(bx + bw + 6, y + 16.5, short, 10, fill=MUTED)
            else:
                svg.text(bx - 6, y + 16.5, short, 10, anchor="end", fill=MUTED)
            y += row
    for d, text in markers:
        if lo <= d <= hi:
            svg.line(x(d), top - 6, x(d), grid_bottom + 6, INK, 1.2, dash="4 3")
            svg.text(x(d), height - 3, f"{text}: {fmt_date(d, lang)}", 11, anchor="end" if x(d) > width / 2
                     else "start", fill=INK, bold=True)
    return svg.render("chart timeline")


# --- internal vs customer ------------------------------------------------------------------------------------------

def gap_chart(rows: list[tuple[str, float, float, str, str]], staff_label: str, customer_label: str, label: str,
              width: float = 960) -> str:
    """Paired horizontal bars: share of staff and of customers asked about each theme who raised it, each bar
    labelled with its share and base as the table shows it ('60% (3 of 5)')."""
    if not rows:
        return ""
    label_w, pad, top, row = 290.0, 16.0, 30.0, 34.0
    x0, x1 = label_w + pad, width - 130
    height = top + len(rows) * row + 6
    svg = Svg(width, height, label)
    svg.rect(x0, 8, 10, 10, STAFF, rx=2)
    svg.text(x0 + 14, 17, staff_label, 11)
    off = x0 + 24 + text_width(staff_label, 11)
    svg.rect(off, 8, 10, 10, CUSTOMER, rx=2)
    svg.text(off + 14, 17, customer_label, 11)
    for frac in (0, 0.25, 0.5, 0.75, 1.0):
        gx = x0 + (x1 - x0) * frac
        svg.line(gx, top - 4, gx, height - 4, GRID)
    y = top
    for name, staff, customer, staff_text, customer_text in rows:
        svg.text(label_w, y + 19, fit(name, label_w - 8, 12), 12, anchor="end", tooltip=name)
        for i, (share, col, text) in enumerate(((staff, STAFF, staff_text), (customer, CUSTOMER, customer_text))):
            by = y + 4 + i * 13
            svg.rect(x0, by, (x1 - x0) * share, 11, col, rx=2)
            svg.text(x0 + (x1 - x0) * share + 5, by + 9.5, text, 10, fill=MUTED)
        y += row
    return svg.render("chart gap")
