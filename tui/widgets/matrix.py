"""The code x segment matrix: people who raised each code per internal role and customer segment, shaded by the
share of that segment's people; enter on a cell lists those answers."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from storage.review import ThemeCard
from tui.widgets.bars import CUSTOMER, DIM, INTERNAL

SHADES = ("#303030", "#3a3a5f", "#3f4f87", "#4f6faf", "#5f87d7")  # background by the share of people


def segment_order(segment: str) -> tuple[int, str]:
    return (0 if segment.startswith("internal") else 1, segment)


@dataclass
class Drill(Message):
    """The answers behind a cell: a code, and a segment or group (None: every segment)."""

    code_id: str
    segment: str | None


class CodeMatrix(DataTable[object]):
    """Rows are codes and themes (board order), columns the segments, then staff and customers in all."""

    def __init__(self, **kw: object) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, **kw)  # type: ignore[arg-type]
        self.segments: list[str] = []

    def fill(self, cards: list[ThemeCard], people: dict[str, int], compact: bool) -> None:
        key = None
        if self.row_count:
            try:
                key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            except Exception:
                key = None
        column = self.cursor_column
        self.clear(columns=True)
        self.segments = sorted((s for s in people if ":" in s), key=segment_order)
        width, total_w = (3, 4) if compact else (6, 5)  # 80 columns: three-letter segment names
        self.add_column("Code / theme", width=14 if compact else 26)
        for s in self.segments:
            name = s.split(":", 1)[1]
            self.add_column(Text(name[:width], style=INTERNAL if s.startswith("internal") else CUSTOMER), width=width)
        self.add_column(Text("Stf" if compact else "Staff", style=INTERNAL), width=total_w)
        self.add_column(Text("Cus" if compact else "Cust.", style=CUSTOMER), width=total_w)
        for c in cards:
            cells: list[object] = [Text(("◆ " if c.kind == "theme" else "") + c.label, style="bold" if c.kind ==
                                        "theme" else "")]
            for s in self.segments:
                n, total = c.by_segment.get(s, 0), people.get(s, 0)
                shade = SHADES[min(len(SHADES) - 1, round(4 * n / total))] if total and n else ""
                cells.append(Text(f"{n:>{width}}" if n else f"{'·':>{width}}",
                                  style=f"on {shade}" if shade else DIM))
            cells += [Text(f"{c.internal.people:>{total_w}}", style=INTERNAL),
                      Text(f"{c.customer.people:>{total_w}}", style=CUSTOMER)]
            self.add_row(*cells, key=c.code_id)
        if key is not None and self.row_count:
            try:
                self.move_cursor(row=self.get_row_index(key), column=column)
            except Exception:
                self.move_cursor(row=0, column=column)

    def target(self) -> tuple[str, str | None] | None:
        """What the cursor's cell stands for: (code, segment or group, or None for every segment)."""
        if not self.row_count:
            return None
        code = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        col = self.cursor_column
        if code is None:
            return None
        if 1 <= col <= len(self.segments):
            return code, self.segments[col - 1]
        if col == len(self.segments) + 1:
            return code, "internal"
        if col == len(self.segments) + 2:
            return code, "customer"
        return code, None

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        target = self.target()
        if target is not None:
            self.post_message(Drill(*target))
