"""Answers and coding: a paged, filtered list of ladder steps beside the whole ladder and the step's codes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from storage import review
from storage.review import AnswerFilter, AnswerRow
from tui.screens.answer_coding import CodingActions
from tui.screens.answer_keys import KEYS
from tui.widgets.answer_rows import NARROW, Layout
from tui.widgets.filters import FilterBar
from tui.widgets.ladder import LadderPane

ROWS = 100  # rows per page: two screens of scrolling before the next page loads (in the background)


class AnswersScreen(CodingActions):
    TITLE = "Answers"
    AUTO_FOCUS = "#answers"
    HELP = """One row per **ladder step**: the first answer (step 0) and each answer to a follow-up probe (↳), in
interview order, so a ladder reads top to bottom. Codes attach to steps because the real need often surfaces
two probes deep; the pane on the right always shows the whole ladder, with the selected step marked ▶, the
probe asked and why, and the step's codes: **?** proposed by the auto coder (with confidence and cue),
**✓** accepted, **+** added by a person, **✗** rejected, **·** below the auto threshold.

Coding keeps the auto coder's proposals and stores your decision beside them (coder = CNA_REVIEWER or 'lead'),
so agreement can be measured. Mark several rows with **space** to tag them or build a theme from them at once;
**v** codes just a passage (select it word by word), **i** writes a memo on the answer. "To review" keeps an
answer until every proposal on it is decided. Filters and search run in the database; 100 rows load at a time
and more load when you reach the end."""
    BINDINGS = KEYS

    def __init__(self) -> None:
        super().__init__()
        self.total: int | None = 0  # None while the count runs (the page shows before its total)
        self.more = False
        self._choices_round: int | None = None
        self._keep_rows = False
        self._loading_more = False
        self._focus_answer: int | None = None
        self._before_ladder: AnswerFilter | None = None
        self._show_filter = False
        self._codes_generation = -1
        self.layout_ = Layout.for_width(150)

    def compose(self) -> ComposeResult:
        yield self.header()
        yield FilterBar()
        with Horizontal(id="answers-main"):
            yield DataTable(id="answers", cursor_type="row", zebra_stripes=True)
            yield LadderPane(id="detail")
        yield Static(id="answers-status")
        yield self.footer()

    def on_mount(self) -> None:
        self._laid_out_for = self.app.size.width
        self._add_columns()

    def _add_columns(self) -> None:
        """Few, wide columns (the table's cost is per cell); see tui.widgets.answer_rows.Layout."""
        width = self.app.size.width
        self.set_class(width < NARROW, "narrow")
        self.layout_ = Layout.for_width(width)
        for label, key, w in self.layout_.columns:
            self.table.add_column(label, key=key, width=w)

    def on_resize(self) -> None:
        if self._laid_out_for == self.app.size.width:
            return
        self._laid_out_for = self.app.size.width
        cursor = self.table.cursor_row
        self.table.clear(columns=True)
        self._add_columns()
        for r in self.rows:
            self.table.add_row(*self._cells(r), key=str(r.id))
        if self.rows:
            self.table.move_cursor(row=min(cursor, len(self.rows) - 1))

    # --- loading ---------------------------------------------------------------------------------------

    async def load(self) -> None:
        scope = self.rapp.scope()
        keep = self._keep_rows
        self._keep_rows = True  # later reloads (after writes) keep the loaded rows and the cursor
        async with await self.rapp.uow() as uow:
            s = uow.session
            if self._codes_generation != self.rapp.generation:  # themes may have changed
                self.codes = (await review.load_codebook(s)).active()
                self._codes_generation = self.rapp.generation
                if self._choices_round == scope.round_id:
                    self.query_one(FilterBar).set_codes(self.codes)
            if self._choices_round != scope.round_id:
                self._choices_round = scope.round_id
                self.query_one(FilterBar).set_choices(await review.rounds(s), scope.round_id,
                                                      await review.filter_choices(s, scope), self.codes)
            if self._show_filter:
                self._show_filter = False
                self.query_one(FilterBar).show(self.filter)
            limit = max(ROWS, len(self.rows)) if keep else ROWS
            # One row more than shown tells whether there are more, without waiting for the count.
            page = await review.list_answers(s, scope, self.filter, limit=limit + 1, with_total=False,
                                             show_names=not self.rapp.hide_names)
            rows = page.rows[:limit]
            if keep and self._pinned is not None and self._pinned not in {r.id for r in rows}:
                rows = await self._with_pinned(s, scope, rows)
        more = len(page.rows) > limit
        self.more = more  # before the fill, whose status line says whether more will load
        self._fill(rows, None if more else len(rows), keep)
        if more:
            self.count_total(self.filter)

    async def _with_pinned(self, s: AsyncSession, scope: review.ReviewScope, rows: list[AnswerRow]) -> list[AnswerRow]:
        """The page with the pinned answer put back where it was: a second code can be added to an answer that
        the first one took out of the "to review" list."""
        pinned = await review.list_answers(s, scope, AnswerFilter(), only_ids=[self._pinned or 0], with_total=False,
                                           show_names=not self.rapp.hide_names)
        if not pinned.rows:
            return rows
        at = min(self.table.cursor_row, len(rows))
        return [*rows[:at], pinned.rows[0], *rows[at:]]

    @work(exclusive=True, group="count")
    async def count_total(self, f: AnswerFilter) -> None:
        """The number of matching answers, counted after the first page is on screen."""
        async with await self.rapp.uow() as uow:
            total = await review.count_answers(uow.session, self.rapp.scope(), f)
        if f == self.filter:
            self.total = total
            self._status()

    def _fill(self, rows: list[AnswerRow], total: int | None, keep: bool) -> None:
        table = self.table
        before = self.current.id if self.current else None  # a new filter keeps the answer if it still matches
        index = table.cursor_row if keep else 0
        want = self._focus_answer or before
        self._focus_answer = None
        self.rows, self.total = rows, total
        table.clear()
        for r in rows:
            table.add_row(*self._cells(r), key=str(r.id))
        if rows:
            ids = [r.id for r in rows]
            target = ids.index(want) if want in ids else min(max(index, 0), len(rows) - 1)
            table.move_cursor(row=target, scroll=True)
        self._status()
        self._show_detail()

    def _cells(self, r: AnswerRow) -> list[object]:
        return self.layout_.cells(r, r.id in self.marked, self.filter.search)

    def _status(self) -> None:
        total = "…" if self.total is None else f"{self.total:,}"
        shown = len(self.rows)
        parts = [f"all {shown:,} answers" if not self.more and self.total == shown else
                 f"{shown:,} of {total} answers"]
        if self.more:
            parts.append(f"the next {ROWS} load at the last row (or m)")
        if self.filter.search.strip():
            parts.append(f"matching “{self.filter.search.strip()}”")
        if self.marked:
            parts.append(f"{len(self.marked)} marked (esc clears)")
        if self.filter.ladder_key:
            parts.append("one ladder shown (esc returns to the list)")
        self.query_one("#answers-status", Static).update(" · ".join(parts))

    @work(exclusive=True, group="more")
    async def load_more(self) -> None:
        if self._loading_more or not self.more:
            return
        self._loading_more = True
        try:
            async with await self.rapp.uow() as uow:
                page = await review.list_answers(uow.session, self.rapp.scope(), self.filter, offset=len(self.rows),
                                                 limit=ROWS + 1, show_names=not self.rapp.hide_names,
                                                 with_total=False)
            rows = page.rows[:ROWS]
            for r in rows:
                self.table.add_row(*self._cells(r), key=str(r.id))
            self.rows.extend(rows)
            self.more = len(page.rows) > ROWS
            self._status()
        finally:
            self._loading_more = False

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "answers":
            return
        if self._pinned is not None and (self.current is None or self.current.id != self._pinned):
            self._pinned = None  # the lead moved on: the answer leaves the "to review" list at the next reload
        self._show_detail()
        if event.cursor_row >= len(self.rows) - 1 and self.more:
            self.load_more()

    def _show_detail(self) -> None:
        row = self.current
        self.load_detail(row.ladder_key if row else None, row.id if row else None)

    @work(exclusive=True, group="detail")
    async def load_detail(self, ladder_key: str | None, answer_id: int | None) -> None:
        pane = self.query_one(LadderPane)
        if ladder_key is None:
            pane.show(None, None)
            return
        async with await self.rapp.uow() as uow:
            ladder = await review.get_ladder(uow.session, self.rapp.scope(), ladder_key,
                                             show_names=not self.rapp.hide_names)
            memos = {int(m.target): m for m in await review.list_memos(
                uow.session, self.rapp.scope().round_id, "answer", [st.answer_id for st in ladder.steps])}
        pane.show(ladder, answer_id, search=self.filter.search, memos=memos)

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self.filter, self._before_ladder = event.filter, None  # any filter change leaves the ladder view
        self._pinned = None
        if not isinstance(self.focused, Input):
            self.table.focus()  # a picked filter hands the keys back to the list
        self._keep_rows = False
        self.marked.clear()
        self.reload()

    def on_filter_bar_round_changed(self, event: FilterBar.RoundChanged) -> None:
        if event.round_id != self.rapp.round_id:
            self.filter = AnswerFilter()
            self._keep_rows = False
            self.rapp.round_id = event.round_id

    def show_filter(self, f: AnswerFilter) -> None:
        """Show the answers matching a filter set elsewhere (e.g. a theme on the board)."""
        self.filter, self._before_ladder = f, None
        self._show_filter, self._keep_rows = True, False
        self.marked.clear()
        self._reload_now()

    def _reload_now(self) -> None:
        self.loaded_generation = -1  # a screen still being mounted reloads when it is shown
        if self.is_mounted:
            self.reload()
            self.table.focus()

    def show_ladder(self, ladder_key: str, answer_id: int | None = None) -> None:
        """Show one ladder (from a quote or a disagreement); esc goes back to the list as it was."""
        if self._before_ladder is None:
            self._before_ladder = self.filter
        self.filter = AnswerFilter(ladder_key=ladder_key)
        self._focus_answer = answer_id
        self._keep_rows, self._show_filter = False, True  # the filter bar empties: no stale search stays
        self._reload_now()

    # --- filters -----------------------------------------------------------------------------------------

    def action_toggle(self, which: str) -> None:
        self.query_one(FilterBar).toggle(which)

    def action_pick_filter(self, which: str) -> None:
        """Open one filter's dropdown by its key (s segment, p script, Q question, C code)."""
        self.query_one(FilterBar).open(which)

    def action_move_list(self, delta: int) -> None:
        """↑/↓ move in the list wherever the focus is in the filter bar (they never open a dropdown)."""
        table = self.table
        table.focus()
        if self.rows:
            table.move_cursor(row=min(max(table.cursor_row + delta, 0), len(self.rows) - 1))

    def action_search(self) -> None:
        self.query_one("#f-search", Input).focus()

    def action_clear_filters(self) -> None:
        self._before_ladder = None
        self.query_one(FilterBar).clear()

    def action_more(self) -> None:
        self.load_more()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()
        elif self.filter.ladder_key and self._before_ladder is not None:
            self.filter, self._before_ladder = self._before_ladder, None
            self._keep_rows, self._show_filter = False, True
            self.reload()
        elif self.marked:
            self.marked.clear()
            self.reload()
