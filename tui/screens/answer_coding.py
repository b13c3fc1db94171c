"""The Answers screen's writes: tag, accept, reject, untag, themes, probe marks, passages (span coding) and memos."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from textual.widgets import DataTable

from storage import review
from storage.review import AnswerFilter, AnswerRow, CodeInfo, probe_marks
from storage.review.coding import passage_text
from storage.review.history import ProbeMarkState
from tui.screens.base import ReviewScreen
from tui.screens.modals import NEW_THEME, CodePicker, Prompt
from tui.screens.span_picker import SpanPicker
from tui.widgets.ladder import LadderPane


class CodingActions(ReviewScreen):
    """The coding keys of the answer list; AnswersScreen supplies the rows, the cursor and the filter."""

    def __init__(self) -> None:
        super().__init__()
        self.filter = AnswerFilter()
        self.rows: list[AnswerRow] = []
        self.marked: set[int] = set()
        self.codes: list[CodeInfo] = []
        self._pinned: int | None = None  # in "to review", the answer being coded stays until the cursor leaves it

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#answers", DataTable)

    @property
    def current(self) -> AnswerRow | None:
        row = self.table.cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    def _status(self) -> None:
        """The status line (AnswersScreen)."""

    def _targets(self) -> list[int]:
        if self.marked:
            return sorted(self.marked)
        return [self.current.id] if self.current else []

    def _apply(self, code_id: str) -> None:
        targets = self._targets()
        if not targets:
            self.notify("No answer selected.", severity="warning")
            return
        self.rapp.use_code(code_id)
        self._pin()
        self.marked.clear()
        self.write(lambda s, scope: review.apply_code(s, scope, targets, code_id))

    def _pin(self) -> None:
        """Keep the answer being coded on screen in "to review", so more codes can be added to it."""
        if self.filter.uncoded and not self.marked and self.current is not None:
            self._pinned = self.current.id

    def action_tag(self) -> None:
        if not self._targets():
            self.notify("No answer selected.", severity="warning")
            return
        self.app.push_screen(CodePicker(self.codes, self.rapp.recent_codes,
                                        title=f"Tag {self._which()} with code"), self._picked)

    def _which(self) -> str:
        return f"{len(self.marked)} marked answers" if self.marked else f"answer #{self.current.id}" \
            if self.current else "answer"

    def _picked(self, choice: str | None) -> None:
        if not choice:
            return
        if choice.startswith(NEW_THEME):
            self._create_theme(choice[len(NEW_THEME):])
        else:
            self._apply(choice)

    def action_repeat(self) -> None:
        if self.rapp.last_code is None:
            self.notify("No code used yet in this session: tag with t first.", severity="warning")
        else:
            self._apply(self.rapp.last_code)

    def _on_code(self, verb: str) -> None:
        code, row = self.query_one(LadderPane).highlighted_code(), self.current
        if row is None or code is None:
            self.notify("No code on this step: press t to tag it.", severity="warning")
            return
        fn = {"accept": review.accept_code, "reject": review.reject_code, "untag": review.remove_code}[verb]
        self.write(lambda s, scope: fn(s, scope, row.id, code))

    def action_accept(self) -> None:
        self._on_code("accept")

    def action_reject(self) -> None:
        self._on_code("reject")

    def action_untag(self) -> None:
        self._on_code("untag")

    def action_probe_mark(self, verdict: str) -> None:
        row = self.current
        if row is None:
            return

        async def toggle(s: AsyncSession, scope: review.ReviewScope) -> review.Change:
            had = (await probe_marks.marks_of(s, scope, [row.id])).get(row.id)
            await probe_marks.set_mark(s, scope, row.id, None if had == verdict else verdict)
            label = f"unmark the probe on answer #{row.id}" if had == verdict else (
                f"mark answer #{row.id}: " + ("should have probed" if verdict == probe_marks.SHOULD_PROBE
                                              else "needless follow-up"))
            return review.Change(label, probe_mark=ProbeMarkState(row.id, scope.reviewer.name, had))

        self.write(toggle, done=lambda c: f"{c.label[0].upper()}{c.label[1:]} ('cna train prober "
                                          "--include-feedback' learns from marks)")

    def action_accept_all(self) -> None:
        row = self.current
        if row is not None:
            self.write(lambda s, scope: review.accept_all(s, scope, row.id))

    def action_theme(self) -> None:
        if not self._targets():
            self.notify("No answer selected.", severity="warning")
            return
        self.app.push_screen(Prompt(f"New theme from {self._which()}", placeholder="e.g. Predictable billing"),
                             lambda name: self._create_theme(name) if name else None)

    def _create_theme(self, name: str) -> None:
        targets = self._targets()
        self._pin()
        self.marked.clear()

        async def create(s: AsyncSession, scope: review.ReviewScope) -> review.Change:
            code_id, change = await review.create_theme(s, scope, name, answer_ids=targets)
            self.rapp.use_code(code_id)
            return change

        self.write(create)

    def action_mark(self) -> None:
        row = self.current
        if row is None:
            return
        self.marked ^= {row.id}
        self.table.update_cell(str(row.id), "id", self._cells(row)[0])
        self._status()
        if self.table.cursor_row < len(self.rows) - 1:
            self.table.move_cursor(row=self.table.cursor_row + 1)

    def action_next_code(self) -> None:
        self.query_one(LadderPane).move(1)

    def action_prev_code(self) -> None:
        self.query_one(LadderPane).move(-1)

    # --- passages and memos ------------------------------------------------------------------------------

    def action_span(self) -> None:
        """Select part of the answer by keyboard, then pick the code for that passage."""
        row = self.current
        if row is None:
            self.notify("No answer selected.", severity="warning")
            return
        text = passage_text(row.text)

        def picked(span: tuple[int, int] | None) -> None:
            if span is None:
                return
            start, end = span
            self.app.push_screen(CodePicker(self.codes, self.rapp.recent_codes, allow_new=False,
                                            title=f"Code “{text[start:end][:60]}” (answer #{row.id}) with"),
                                 lambda code: self._code_passage(row.id, code, start, end) if code else None)

        self.app.push_screen(SpanPicker(f"Select a passage of answer #{row.id}", text), picked)

    def _code_passage(self, answer_id: int, code_id: str, start: int, end: int) -> None:
        self.rapp.use_code(code_id)
        self._pin()
        self.write(lambda s, scope: review.code_passage(s, scope, answer_id, code_id, start, end))

    def action_memo(self) -> None:
        row = self.current
        if row is None:
            self.notify("No answer selected.", severity="warning")
        else:
            self.edit_memo("answer", row.id, f"Memo on answer #{row.id}")
