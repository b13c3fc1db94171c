"""The answer list's columns and cells for the terminal's width, search hits marked (widths in terminal cells)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from storage.review import AnswerRow
from tui.widgets.bars import CUSTOMER, DIM, GOOD, INTERNAL, WARN, around, clip, fit
from tui.widgets.ladder import SEARCH_HIT

NARROW = 130  # below this many columns the ladder pane goes under the list instead of beside it
COMPACT = 100  # below this the question and the pseudonym give way, so the answer keeps 40+ cells


@dataclass(frozen=True)
class Layout:
    """Column (label, key, width) for a terminal width; the answer takes the width that is left."""

    columns: tuple[tuple[str, str, int], ...]
    text_width: int

    @classmethod
    def for_width(cls, width: int) -> Layout:
        if width < COMPACT:
            fixed: tuple[tuple[str, str, int], ...] = ((" #", "id", 5), ("Segment", "who", 11), ("Codes", "codes", 10))
        else:
            fixed = ((" #", "id", 6), ("Who · segment", "who", 22), ("Question", "q", 14), ("Codes", "codes", 18))
        room = width if width < NARROW else width * 3 // 5
        left = max(20, room - sum(w + 2 for *_x, w in fixed) - 4)
        return cls((*fixed, ("Answer", "text", left)), left)

    @property
    def compact(self) -> bool:
        return not any(key == "q" for _l, key, _w in self.columns)

    def width(self, key: str) -> int:
        return next(w for _l, k, w in self.columns if k == key)

    def cells(self, r: AnswerRow, marked: bool, search: str) -> list[object]:
        colour = INTERNAL if r.segment.startswith("internal") else CUSTOMER
        segment = r.segment.split(":", 1)[1]
        codes = Text(clip(", ".join(r.codes), self.width("codes")) or "—",
                     style=WARN if r.pending else GOOD if r.reviewed else DIM)
        num = Text("■" if marked else " ", style="bold magenta")
        num.append(str(r.id), style=DIM)
        w = self.text_width
        if self.compact:  # segment only; a follow-up is marked in the answer column
            who = Text(clip(segment, self.width("who")), style=colour)
            text = Text("↳ " + around(r.text, search, w - 2)) if r.step else Text(around(r.text, search, w))
            if r.step:
                text.stylize("magenta", 0, 1)
            return [num, who, codes, highlight(text, search)]
        who = Text(f"{fit(r.who, 11)} ", style=DIM if r.who == "anonymous" else "")
        who.append(segment, style=colour)
        q = Text(clip(r.question_id, 14)) if r.step == 0 else Text(f" ↳ {r.probe_family or 'probe'}", style="magenta")
        text = Text("  " + around(r.text, search, w - 2) if r.step else around(r.text, search, w))
        return [num, who, q, codes, highlight(text, search)]


def highlight(text: Text, search: str) -> Text:
    """The searched words marked (case-insensitive, as the database matched them)."""
    if search.strip():
        text.highlight_words([search.strip()], style=SEARCH_HIT, case_sensitive=False)
    return text
