"""Pick a passage of an answer by keyboard: a selection of whole words, grown and moved a word at a time."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

# A word: a run of letters or digits, or one CJK character (Chinese has no spaces; a character is its unit).
WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\s\u3000-\u303f\uff00-\uffef.,;:!?()\[\]\"“”‘’]+")
SENTENCE_END = re.compile(r"[.!?;。！？；]")
SELECTED = "bold reverse #5fd7d7"


def words(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word in the text."""
    return [(m.start(), m.end()) for m in WORD.finditer(text)]


class SpanPicker(ModalScreen[tuple[int, int] | None]):
    """→/← grow or shrink the selection by a word, shift+→/shift+← move its start, . grows it to the end of the
    sentence; enter picks the code for it. Offsets are characters of the text, end exclusive."""

    BINDINGS = [Binding("right", "grow(1)", "Grow"), Binding("left", "grow(-1)", "Shrink"),
                Binding("shift+right", "start(1)", "Start →"), Binding("shift+left", "start(-1)", "Start ←"),
                Binding("full_stop", "sentence", "To sentence end", key_display="."),
                Binding("enter", "pick", "Code it"), Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, text: str, start_word: int = 0):
        super().__init__()
        self.title_text, self.text = title, text
        self.words = words(text)
        self.first = min(start_word, max(len(self.words) - 1, 0))
        self.last = self.first

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal"):
            yield Label(self.title_text, classes="modal-title")
            with VerticalScroll(id="span-scroll"):
                yield Static(id="span-text")
            yield Label(id="span-info", classes="modal-hint")
            yield Label("→/← grow or shrink by a word · shift+→/← move the start · . to the sentence's end · "
                        "enter codes the passage · esc cancels", classes="modal-hint")

    def on_mount(self) -> None:
        self._show()

    @property
    def span(self) -> tuple[int, int] | None:
        if not self.words:
            return None
        return self.words[self.first][0], self.words[self.last][1]

    def _show(self) -> None:
        t = Text(self.text)
        span = self.span
        if span:
            t.stylize(SELECTED, *span)
            n = self.last - self.first + 1
            self.query_one("#span-info", Label).update(f"{n} word{'s' if n > 1 else ''} selected · characters "
                                                       f"{span[0]}-{span[1]} of {len(self.text)}")
        self.query_one("#span-text", Static).update(t)

    def action_grow(self, delta: int) -> None:
        self.last = min(max(self.last + delta, self.first), len(self.words) - 1)
        self._show()

    def action_start(self, delta: int) -> None:
        self.first = min(max(self.first + delta, 0), len(self.words) - 1)
        self.last = max(self.last, self.first)
        self._show()

    def action_sentence(self) -> None:
        if not self.words:
            return
        end = SENTENCE_END.search(self.text, self.words[self.last][1])
        stop = end.start() if end else len(self.text)
        while self.last + 1 < len(self.words) and self.words[self.last + 1][1] <= stop:
            self.last += 1
        self._show()

    def action_pick(self) -> None:
        self.dismiss(self.span)
