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
        t = Text(" CNA review ", style="bold reverse")
        t.append(" ")
        for key, title in SCREENS:
            if title == self.current:
                t.append(f" {key} {title} ", style="bold reverse #5fafff")
            else:
                t.append(f" {key} ", style="bold")
                t.append(f"{title} ", style="grey62")
        right = Text(f"{round_label + ' · ' if round_label else ''}reviewer {reviewer} · ")
        right.append("names hidden" if names_hidden else "NAMES SHOWN", style="grey62" if names_hidden
                     else "bold reverse red")
        right.append(" · ? help ")
        gap = max(1, self.size.width - t.cell_len - right.cell_len) if self.size.width else 2
        t.append(" " * gap)
        t.append_text(right)
        self.update(t)
