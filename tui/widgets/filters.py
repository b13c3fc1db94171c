"""The answer filters: round, segment, script, question, code, to-review, disagreements and text search."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select

from storage.review import AnswerFilter, CodeInfo, FilterChoices, RoundInfo
from tui.widgets.bars import clip

SEARCH_DELAY = 0.25  # seconds after the last keystroke before the search runs


class FilterSelect(Select[str], inherit_bindings=False):
    """A filter dropdown that opens with enter or space (or its key on the screen); ↑/↓ are left to the screen,
    which moves in the answer list, instead of reopening the dropdown."""

    BINDINGS = [Binding("enter,space", "show_overlay", "Show menu", show=False)]


class RoundSelect(Select[int], inherit_bindings=False):
    """The round picker, with the same keys as the filter dropdowns."""

    BINDINGS = FilterSelect.BINDINGS


class FilterBar(Vertical):
    """Two compact rows of filters; posts FilterBar.Changed with the resulting AnswerFilter."""

    @dataclass
    class Changed(Message):
        filter: AnswerFilter

    @dataclass
    class RoundChanged(Message):
        round_id: int

    def __init__(self) -> None:
        super().__init__(id="filters")
        self._questions: list[tuple[str, str, str]] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filter-row"):
            yield RoundSelect([], prompt="Round", id="f-round", compact=True, allow_blank=True)
            yield FilterSelect([], prompt="All segments", id="f-segment", compact=True)
            yield FilterSelect([], prompt="All scripts", id="f-script", compact=True)
            yield FilterSelect([], prompt="All questions", id="f-question", compact=True)
        with Horizontal(classes="filter-row"):
            yield FilterSelect([], prompt="Any code", id="f-code", compact=True)
            yield Checkbox("to review (u)", id="f-uncoded", compact=True)
            yield Checkbox("disagreements (d)", id="f-disagree", compact=True)
            yield Input(placeholder="/ search answers", id="f-search", compact=True)

    def set_choices(self, rounds: list[RoundInfo], round_id: int, choices: FilterChoices,
                    codes: list[CodeInfo]) -> None:
        """Fill the pickers for a round, keeping what is still valid."""
        with self.prevent(Select.Changed):
            r = self.query_one("#f-round", Select)
            r.set_options([(f"round {x.round_no} · {x.status} · {x.opened_on:%Y-%m-%d}", x.id) for x in rounds])
            r.value = round_id
            groups = [("internal (all roles)", "internal"), ("customer (all segments)", "customer")]
            self._set("#f-segment", groups + [(f"  {s}", s) for s in choices.segments])
            self._set("#f-script", [(s, s) for s in choices.scripts])
            self._questions = choices.questions
            self._fill_questions()
        self.set_codes(codes)

    def set_codes(self, codes: list[CodeInfo]) -> None:
        """The code filter's choices (themes change while the lead works)."""
        with self.prevent(Select.Changed):
            self._set("#f-code", [(f"{'◆ ' if c.kind == 'theme' else ''}{c.id} · {clip(c.label_en, 28)}", c.id)
                                  for c in codes])

    def _set(self, selector: str, options: list[tuple[str, str]]) -> None:
        sel = self.query_one(selector, Select)
        keep = sel.value
        sel.set_options(options)
        if any(v == keep for _l, v in options):
            sel.value = keep

    def _fill_questions(self) -> None:
        script = self.query_one("#f-script", Select).value
        opts = [(f"{sid}/{qid}: {clip(text, 60)}" if script == Select.NULL else f"{qid}: {clip(text, 70)}", qid)
                for sid, qid, text in self._questions if script == Select.NULL or sid == script]
        self._set("#f-question", opts)

    def current(self) -> AnswerFilter:
        def val(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return v if isinstance(v, str) else None

        return AnswerFilter(script_id=val("#f-script"), question_id=val("#f-question"), segment=val("#f-segment"),
                            code_id=val("#f-code"), uncoded=self.query_one("#f-uncoded", Checkbox).value,
                            disagreement=self.query_one("#f-disagree", Checkbox).value,
                            search=self.query_one("#f-search", Input).value)

    def show(self, f: AnswerFilter) -> None:
        """Make the pickers show a filter chosen elsewhere, without posting a change."""
        with self.prevent(Select.Changed, Checkbox.Changed, Input.Changed):
            for sel, value in (("#f-segment", f.segment), ("#f-script", f.script_id), ("#f-code", f.code_id)):
                self.query_one(sel, Select).value = value if value is not None else Select.NULL
            self._fill_questions()
            q = self.query_one("#f-question", Select)
            q.value = f.question_id if f.question_id is not None else Select.NULL
            self.query_one("#f-uncoded", Checkbox).value = f.uncoded
            self.query_one("#f-disagree", Checkbox).value = f.disagreement
            self.query_one("#f-search", Input).value = f.search


    def open(self, which: str) -> None:
        """Focus one dropdown and open it."""
        sel = self.query_one(f"#f-{which}", Select)
        sel.focus()
        sel.action_show_overlay()

    def toggle(self, which: str) -> None:
        box = self.query_one(f"#f-{which}", Checkbox)
        box.value = not box.value

    def clear(self) -> None:
        with self.prevent(Select.Changed, Checkbox.Changed, Input.Changed):
            for sel in ("#f-segment", "#f-script", "#f-question", "#f-code"):
                self.query_one(sel, Select).clear()
            self.query_one("#f-uncoded", Checkbox).value = False
            self.query_one("#f-disagree", Checkbox).value = False
            self.query_one("#f-search", Input).value = ""
        self._fill_questions()
        self.post_message(self.Changed(self.current()))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "f-round":
            if isinstance(event.value, int):
                self.post_message(self.RoundChanged(event.value))
            return
        if event.select.id == "f-script":
            with self.prevent(Select.Changed):
                self._fill_questions()
        self._changed()

    def _changed(self) -> None:
        self.post_message(self.Changed(self.current()))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self._changed)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._changed()
