"""The '?' help: what the current screen is for and every key it and the app answer to."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

GLOBAL = """**Everywhere**: 1 Dashboard · 2 Answers · 3 Themes · 4 Agreement · 5 Opportunities · h hide/show names ·
ctrl+z undo the last change, on any screen (it says which) · i memo · ctrl+p command palette (every action by
name) · ? this help · q quit. Names are hidden by default: pseudonyms only; showing them is recorded in the audit
log. Answers
restricted to a department are shown only to reviewers allowed to read it (CNA_REVIEWER_DEPARTMENTS)."""


def _key(b: Binding) -> str:
    return b.key_display or {"space": "space", "full_stop": ".", "slash": "/", "question_mark": "?",
                             "left_square_bracket": "[", "right_square_bracket": "]"}.get(b.key, b.key)


class HelpScreen(ModalScreen[None]):
    """Keys and purpose of the screen underneath."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]
    AUTO_FOCUS = "VerticalScroll"

    def __init__(self, target: Screen[Any]):
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        title = getattr(self.target, "TITLE", "") or "Review"
        lines = [f"# {title}", "", getattr(self.target, "HELP", ""), "", "## Keys", ""]
        for b in self.target.BINDINGS:
            if isinstance(b, Binding) and b.description:
                lines.append(f"- `{_key(b)}` {b.tooltip or b.description}")
        lines += ["", GLOBAL, "", "*esc closes this help*"]
        with VerticalScroll(classes="modal help"):
            yield Markdown("\n".join(lines))
