"""The top line of every screen: the five screens with their keys, the round, the reviewer and the names state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SCREENS = (("1", "Dashboard"), ("2", "Answers"), ("3", "Themes"), ("4", "Agreement"), ("5", "Opportunities"))


class NavBar(Static):
    """`1 Dashboard  2 Answers ...` with the current screen highlighted, state on the right."""

    def __init__(self, current: str):
        super().__init__(id="nav")
        self.current = current

    def show(self, round_label: str, reviewer: str, names_hidden: bool) -> None:
        """The widest form that fits; the names state is always shown (NAMES SHOWN in red), whatever the width."""
        names = Text("names hidden" if names_hidden else "NAMES SHOWN",
                     style="grey62" if names_hidden else "bold reverse red")
        width = self.size.width or 200
        both = (round_label, f"reviewer {reviewer}")
        for full_nav, extras, tail in ((True, both, " · ? help "), (True, both, " "), (True, (round_label,), " "),
                                       (False, both, " "), (False, (round_label,), " "), (False, (), " ")):
            left = self._screens(full_nav)
            right = Text(" · ".join(e for e in extras if e) + (" · " if any(extras) else ""))
            right.append_text(names)
            right.append(tail)
            if left.cell_len + right.cell_len + 1 <= width:
                break
        left.append(" " * max(1, width - left.cell_len - right.cell_len))
        left.append_text(right)
        self.update(left)

    def _screens(self, full: bool) -> Text:
        """`1 Dashboard 2 Answers …`, or in a narrow terminal only the current screen's name beside the keys."""
        t = Text(" CNA review ", style="bold reverse") if full else Text()
        t.append(" ")
        for key, title in SCREENS:
            if title == self.current:
                t.append(f" {key} {title} ", style="bold reverse #5fafff")
            elif full:
                t.append(f" {key} ", style="bold")
                t.append(f"{title} ", style="grey62")
            else:
                t.append(f" {key} ", style="bold")
        return t
