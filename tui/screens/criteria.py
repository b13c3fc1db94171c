"""Dialogs for opportunities: scores or weights per criterion set with digit keys, and a phase with dates."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from core.analysis import CRITERIA, INVERTED
from tui.widgets.bars import DIM, bar

ABOUT = {
    "benefit": "what it brings customers and the business",
    "cost": "money and effort; a higher cost counts against it",
    "strategic_fit": "how well it serves the company's strategic goals",
    "culture_change": "how much people must change; more counts against it",
    "unit_support": "support from the business unit it affects",
    "competitive_position": "how much it improves our position against competitors",
}
NAMES = {"benefit": "Benefit", "cost": "Cost", "strategic_fit": "Strategic fit", "culture_change": "Culture change",
         "unit_support": "Unit support", "competitive_position": "Competitive position"}


class CriteriaDialog(ModalScreen[dict[str, float | None] | None]):
    """Six criteria, one per row: up/down choose, a digit sets the value, 0 or backspace clears a score,
    enter saves, esc cancels. Used for scores (1-5) and for weights (0-9)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("enter", "save", "Save"),
                Binding("backspace,delete", "set(-1)", "Clear", show=False),
                *[Binding(str(d), f"set({d})", show=False) for d in range(10)]]

    def __init__(self, title: str, values: dict[str, float], *, weights: bool = False):
        super().__init__()
        self.title_text = title
        self.values: dict[str, float | None] = {c: values.get(c) for c in CRITERIA}
        self.weights = weights

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal criteria"):
            yield Label(self.title_text, classes="modal-title")
            yield OptionList(*[Option(self._prompt(c), id=c) for c in CRITERIA], id="criteria")
            hint = ("0-9 sets the weight (0 leaves the criterion out)" if self.weights
                    else "1-5 sets the score · 0 clears it")
            yield Label(f"↑↓ choose · {hint} · enter saves · esc cancels", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#criteria", OptionList).highlighted = 0

    def _prompt(self, c: str) -> Text:
        v = self.values[c]
        t = Text(f"{NAMES[c]:<21}", style="bold")
        top = 10 if self.weights else 5
        if v is None:
            t.append("  —  ", style=DIM)
            t.append_text(bar(0, 10, "grey23"))
        else:
            t.append(f"{v:>4g} ")
            t.append_text(bar(v / top, 10, "#5fafff"))
        t.append(f"  {ABOUT[c]}", style=DIM)
        if c in INVERTED and not self.weights:
            t.append(" (inverted)", style=DIM)
        return t

    def action_set(self, digit: int) -> None:
        options = self.query_one("#criteria", OptionList)
        if options.highlighted is None:
            return
        c = CRITERIA[options.highlighted]
        if digit < 0 or (digit == 0 and not self.weights):
            self.values[c] = None if not self.weights else 0
        elif self.weights or digit <= 5:
            self.values[c] = digit
        else:
            self.notify("Scores run from 1 to 5.", severity="warning")
            return
        options.replace_option_prompt_at_index(options.highlighted, self._prompt(c))
        if options.highlighted < len(CRITERIA) - 1:
            options.highlighted += 1

    def action_save(self) -> None:
        self.dismiss(self.values)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_save()


class PhaseDialog(ModalScreen[tuple[str | None, date | None, date | None] | None]):
    """Phase name, start and end date (YYYY-MM-DD); empty fields clear them."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, phase: str | None, start: date | None, end: date | None):
        super().__init__()
        self.title_text, self.phase, self.start, self.end = title, phase, start, end

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal prompt"):
            yield Label(self.title_text, classes="modal-title")
            yield Input(self.phase or "", placeholder="phase, e.g. Phase 1: quick wins", id="phase")
            yield Input(f"{self.start:%Y-%m-%d}" if self.start else "", placeholder="start YYYY-MM-DD", id="start")
            yield Input(f"{self.end:%Y-%m-%d}" if self.end else "", placeholder="end YYYY-MM-DD", id="end")
            yield Label("tab moves · enter on the last field saves · esc cancels", classes="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "end":
            self.focus_next()
            return
        values = {i.id: i.value.strip() for i in self.query(Input)}
        try:
            start = date.fromisoformat(values["start"]) if values["start"] else None
            end = date.fromisoformat(values["end"]) if values["end"] else None
        except ValueError:
            self.notify("Write dates as YYYY-MM-DD, e.g. 2026-09-01.", severity="error")
            return
        if start and end and end < start:
            self.notify("The end date is before the start date.", severity="error")
            return
        self.dismiss((values["phase"] or None, start, end))
