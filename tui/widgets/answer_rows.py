"""The answer list's columns and cells for the terminal's width, search hits marked (widths in terminal cells)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from storage.review import AnswerRow
from tui.widgets.bars import CUSTOMER, DIM, GOOD, INTERNAL, WARN, around, clip, fit
from tui.widgets.ladder import SEARCH_HIT

NARROW = 130  # below this many columns the ladder pane goes under the list instead of beside it
COMPACT = 100  # below this the question and the pseudonym give way, so the answer keeps 40+ cells


class Line(Text):
    """A cell's one line, already fitted to its column: rendered straight to segments, without the wrapping and
    justifying a rich Text does on every render. The table renders every visible cell after each filter or search;
    this takes about a tenth off that first paint of a page."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        if "\n" in self.plain or self.cell_len > options.max_width:
            return super().__rich_console__(console, options)  # not fitted after all: wrap or crop as usual
        if not self.spans:  # Text.render leaves the base style to __rich_console__ when there are no spans
            return [Segment(self.plain, console.get_style(self.style) if self.style else None)]
        return self.render(console)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if "\n" in self.plain:
            return super().__rich_measure__(console, options)
        width = self.cell_len
        return Measurement(width, width)


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
        codes = Line(clip(", ".join(r.codes), self.width("codes")) or "—",
                     style=WARN if r.pending else GOOD if r.reviewed else DIM)
        num = Line("■" if marked else " ", style="bold magenta")
        num.append(str(r.id), style=DIM)
        w = self.text_width
        if self.compact:  # segment only; a follow-up is marked in the answer column
            who = Line(clip(segment, self.width("who")), style=colour)
            text = Line("↳ " + around(r.text, search, w - 2)) if r.step else Line(around(r.text, search, w))
            if r.step:
                text.stylize("magenta", 0, 1)
            return [num, who, codes, highlight(text, search)]
        who = Line(f"{fit(r.who, 11)} ", style=DIM if r.who == "anonymous" else "")
        who.append(segment, style=colour)
        q = Line(clip(r.question_id, 14)) if r.step == 0 else Line(f" ↳ {r.probe_family or 'probe'}", style="magenta")
        text = Line("  " + around(r.text, search, w - 2) if r.step else around(r.text, search, w))
        return [num, who, q, codes, highlight(text, search)]


def highlight(text: Text, search: str) -> Text:
    """The searched words marked (case-insensitive, as the database matched them)."""
    if search.strip():
        text.highlight_words([search.strip()], style=SEARCH_HIT, case_sensitive=False)
    return text
