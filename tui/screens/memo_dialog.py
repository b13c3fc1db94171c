"""The memo dialog: a note on an answer, a theme, an opportunity or the round, and whether the report shows it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Label, TextArea

from storage.review import MemoView


class MemoDialog(ModalScreen[tuple[str, bool] | None]):
    """Write or edit a memo; returns (text, in the report's appendix) or None. Empty text deletes the memo."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, memo: MemoView | None):
        super().__init__()
        self.title_text, self.memo = title, memo

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal memo"):
            yield Label(self.title_text, classes="modal-title")
            if self.memo is not None:
                yield Label(f"last written by {self.memo.author} on {self.memo.updated_at:%Y-%m-%d %H:%M} UTC",
                            classes="modal-hint")
            yield TextArea(self.memo.text if self.memo else "", id="memo-text", soft_wrap=True)
            yield Checkbox("show it in the report's appendix", self.memo.in_report if self.memo else False,
                           id="memo-report", compact=True)
            yield Label("ctrl+s saves · esc cancels · an empty memo is deleted", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss((self.query_one(TextArea).text, self.query_one(Checkbox).value))
