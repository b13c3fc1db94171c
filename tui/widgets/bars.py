"""Unicode block bars and small text helpers for terminal charts (rich Text, never markup from user data)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from core.shares import Share
from core.topics import TopicCount
from storage.review import ClosedQuestion

BLOCKS = " ▏▎▍▌▋▊▉█"
INTERNAL = "#5fafff"  # staff belief
CUSTOMER = "#ffaf00"  # customer reality
GOOD, WARN, BAD, DIM = "#5fd75f", "#d7af00", "#ff5f5f", "grey50"


def bar(share: float, width: int, colour: str, track: str = "grey23") -> Text:
    """A horizontal bar for a share 0-1, with eighth-block precision on the last cell."""
    share = min(max(share, 0.0), 1.0)
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    body = "█" * full + (BLOCKS[part] if part else "")
    out = Text(body, style=colour)
    out.append("░" * (width - len(body)), style=track)
    return out


def stacked(parts: list[tuple[float, str]], width: int, track: str = "grey23") -> Text:
    """Consecutive shares (each 0-1 of the whole) as one bar of whole cells."""
    out = Text()
    used = 0
    for share, colour in parts:
        n = min(width - used, round(share * width))
        out.append("█" * n, style=colour)
        used += n
    out.append("░" * (width - used), style=track)
    return out


def pct(share: float) -> str:
    return f"{round(100 * share):>3d}%"


def clip(text: str, width: int) -> str:
    """One line of at most `width` terminal cells (CJK characters take two), with an ellipsis when cut."""
    flat = " ".join(text.split())
    if cell_len(flat) <= width:
        return flat
    out, used = [], 0
    for ch in flat:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def around(text: str, needle: str, width: int) -> str:
    """Like clip, but when `needle` (case-insensitive) lies past the width, start a little before it with '…', so a
    search hit is always in view."""
    flat = " ".join(text.split())
    at = flat.lower().find(needle.strip().lower()) if needle.strip() else -1
    if at < 0 or cell_len(flat[:at + len(needle.strip())]) <= width - 1:
        return clip(flat, width)
    return clip("…" + flat[max(0, at - min(12, width // 4)):], width)


def fit(text: str, width: int) -> str:
    """Exactly `width` terminal cells: clipped with an ellipsis, or padded with spaces (CJK and emoji count as
    the two cells they take, so columns line up whatever the language)."""
    out = clip(text, width)
    return out + " " * max(0, width - cell_len(out))


def kappa_words(kappa: float | None) -> tuple[str, str]:
    """Landis & Koch's reading of a kappa value, with a colour."""
    if kappa is None:
        return "undefined", DIM
    for limit, words, colour in ((0.0, "poor", BAD), (0.2, "slight", BAD), (0.4, "fair", WARN),
                                 (0.6, "moderate", WARN), (0.8, "substantial", GOOD)):
        if kappa <= limit:
            return words, colour
    return "almost perfect", GOOD


def share_cell(share: Share, colour: str, width: int = 10) -> Text:
    """A bar with '60% 3/5' (its base always shown); † when the base is under 5 people; '—' for nobody."""
    if not share.n:
        return Text("—", style=DIM)
    t = bar(share.value or 0.0, width, colour)
    t.append(f"{share.points():>4d}% {share.k}/{share.n}")
    if share.indicative:
        t.append("†", style=DIM)
    return t


def topic_cell(c: TopicCount, colour: str, width: int = 10) -> Text:
    """A topic in one group: the share of people asked, then unprompted people and anonymous answers."""
    t = share_cell(c.share, colour, width) if c.asked else Text("not asked", style=DIM)
    extra = [f"+{c.unprompted} unp."] if c.unprompted else []  # raised without being asked (people)
    extra += [f"+{c.anonymous} anon"] if c.anonymous else []
    if extra:
        t.append(" " + " ".join(extra), style=DIM)
    return t


def closed_headline(q: ClosedQuestion) -> Text:
    """One line per closed question: the NPS of customers, a scale's mean, or the most picked option."""
    d = q.distribution
    scores = q.nps()
    for key in ("customer", "internal", *sorted(scores)):
        if key in scores:
            n = scores[key]
            return Text(f"NPS {n.score or 0:+d} (n={n.n}{'†' if n.indicative else ''})", style=DIM if n.indicative
                        else "")
    group = d.by_group.get("customer") or d.by_group.get("internal")
    if group is None or not group.n:
        return Text("")
    if q.key.kind == "scale":
        return Text(f"mean {group.mean:.1f} (n={group.n})" if group.mean is not None else "")
    top = max(q.key.options, key=lambda o: (group.counts.get(o, 0), -q.key.options.index(o)))
    return Text(f"{clip(q.label(top, 'en'), 14)} {pct(group.share(top).value or 0.0).strip()}")


def closed_detail(q: ClosedQuestion) -> Text:
    """A question's answers per group and segment as bars; staff and customers side by side when paired."""
    d = q.distribution
    t = Text.assemble((q.question("en"), "bold"), (f"\n{q.key.kind} · people who answered · † fewer than 5\n", DIM))
    if q.paired:
        staff, cust = d.by_group["internal"], d.by_group["customer"]
        t.append(f"\nstaff (n={staff.n}) for customers vs customers (n={cust.n}) for themselves\n", style="bold")
        for r in q.paired:
            t.append(f"{fit(q.label(r.option, 'en'), 18)} ")
            t.append_text(share_cell(r.internal, INTERNAL, 4))
            t.append(" ")
            t.append_text(share_cell(r.customer, CUSTOMER, 4))
            t.append(f" {r.gap or 0:+d}\n", style=DIM)
    several = {g for g in d.by_group if sum(1 for seg in d.by_segment if seg.startswith(g + ":")) > 1}
    shown = [*sorted(d.by_group.items()), *((k, v) for k, v in d.by_segment.items() if k.split(":")[0] in several)]
    for key, tally in shown:
        colour = INTERNAL if key.startswith("internal") else CUSTOMER
        name = {"internal": "Staff", "customer": "Customers"}.get(key, key)
        t.append(f"\n{name} (n={tally.n}{'†' if Share(0, tally.n).indicative else ''})\n", style=f"bold {colour}")
        for o in q.key.options:
            t.append(f"  {fit(q.label(o, 'en'), 28)} ")
            t.append_text(share_cell(tally.share(o), colour, 8))
            t.append("\n")
        if q.key.kind == "scale" and tally.mean is not None:
            t.append(f"  mean {tally.mean:.1f} · median {tally.median:.1f}\n", style=DIM)
        if key in q.nps():
            n = q.nps()[key]
            t.append(f"  NPS {n.score or 0:+d}: {n.promoters} promoters, {n.passives} passives, {n.detractors} "
                     "detractors\n", style=DIM)
    return t
