"""Unicode block bars and small text helpers for terminal charts (rich Text, never markup from user data)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

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


def kappa_words(kappa: float | None) -> tuple[str, str]:
    """Landis & Koch's reading of a kappa value, with a colour."""
    if kappa is None:
        return "undefined", DIM
    for limit, words, colour in ((0.0, "poor", BAD), (0.2, "slight", BAD), (0.4, "fair", WARN),
                                 (0.6, "moderate", WARN), (0.8, "substantial", GOOD)):
        if kappa <= limit:
            return words, colour
    return "almost perfect", GOOD
