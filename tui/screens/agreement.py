"""Agreement: Cohen's kappa per code between the auto coder and people, and the disagreements to adjudicate."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from storage import review
from storage.review import AnswerRow, Disagreement
from tui.screens.base import ReviewScreen
from tui.widgets.bars import BAD, CUSTOMER, DIM, GOOD, INTERNAL, WARN, bar, clip, kappa_words

SHOWN = 300  # disagreements listed at once (the worst codes come first)
MIN_CASES = 5  # fewer answers with the code (by either coder) make kappa meaningless


class AgreementScreen(ReviewScreen):
    TITLE = "Agreement"
    AUTO_FOCUS = "#kappa"
    HELP = """How far the auto coder agrees with people, per codebook code, over the answers a person has reviewed
(answers with at least one human decision). A person's codes are the ones that count after review: proposals
left standing count as kept. **κ** is Cohen's kappa (agreement beyond chance): below 0.4 the code's cues need
work in interview_scripts/codebook.yaml, or the code's meaning needs agreeing in the team.

The lower table lists the disagreements for the selected code: **auto only** (a person rejected the proposal)
and **person only** (the auto coder missed it). **enter** opens the answer's ladder to adjudicate with a / r."""
    BINDINGS = [
        Binding("enter", "open", "Open answer", tooltip="Open the selected code's disagreements or the answer"),
        Binding("e", "every", "All disagreements", tooltip="List the disagreements of every code"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.disagreements: list[Disagreement] = []
        self.texts: dict[int, AnswerRow] = {}
        self.code: str | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        with Vertical(id="agreement"):
            yield Static(id="kappa-legend")
            yield DataTable(id="kappa", cursor_type="row", zebra_stripes=True)
            yield Label("Disagreements", id="disagree-title")
            yield DataTable(id="disagree", cursor_type="row", zebra_stripes=True)
        yield self.footer()

    def on_mount(self) -> None:
        for table_id, columns in (
                ("kappa", (("Code", 22), ("Reviewed", 8), ("Both", 5), ("Auto only", 9), ("Person only", 11),
                           ("Agree", 5), ("κ", 6), ("", 12), ("Reading", 14))),
                ("disagree", (("#", 6), ("Segment", 20), ("Code", 20), ("Side", 11), ("Auto", 5), ("Answer", 70)))):
            table = self.query_one(f"#{table_id}", DataTable)
            for label, width in columns:
                table.add_column(label, width=width)

    async def load(self) -> None:
        async with await self.rapp.uow() as uow:
            rc = await review.load_round_coding(uow.session, self.rapp.scope())
            rows = rc.agreement()
            self.disagreements = rc.disagreements()
            wanted = [d.answer_id for d in self.disagreements]
            self.texts = await review.excerpts(uow.session, self.rapp.scope(), wanted[:2000])
        n = rows[0].n if rows else 0
        rows.sort(key=lambda r: (r.n - r.neither < MIN_CASES, r.kappa if r.kappa is not None else 2.0, r.code))
        kappas = [r.kappa for r in rows if r.kappa is not None and r.n - r.neither >= MIN_CASES]
        mean = sum(kappas) / len(kappas) if kappas else None
        words, colour = kappa_words(mean)
        self.query_one("#kappa-legend", Static).update(Text.assemble(
            f"Auto coder vs people over {n} reviewed answers · {len(self.disagreements)} disagreements · mean κ ",
            (f"{mean:.2f} ({words})" if mean is not None else "n/a", colour),
            ("  · worst first · e lists every disagreement", DIM)))
        table = self.query_one("#kappa", DataTable)
        keep = table.cursor_row
        table.clear()
        for r in rows:
            words, colour = kappa_words(r.kappa)
            if r.n - r.neither < MIN_CASES:
                words, colour = f"too few ({r.n - r.neither})", DIM
            k = r.kappa
            kbar = bar(max(k, 0.0), 12, colour) if k is not None else Text("")
            table.add_row(clip(rc.codebook.label(r.code), 22), r.n, r.both, Text(str(r.auto_only), style=WARN),
                          Text(str(r.human_only), style=WARN), f"{round(100 * r.observed)}%",
                          Text(f"{k:.2f}" if k is not None else "—", style=colour), kbar, Text(words, style=colour),
                          key=r.code)
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self._fill_disagreements()

    def _fill_disagreements(self) -> None:
        rows = [d for d in self.disagreements if self.code is None or d.code_id == self.code]
        title = f"Disagreements on {self.code}" if self.code else "Disagreements on every code"
        self.query_one("#disagree-title", Label).update(
            f"{title}: {len(rows)}" + (f" (first {SHOWN})" if len(rows) > SHOWN else "") +
            " · enter opens the answer to accept (a) or reject (r)")
        table = self.query_one("#disagree", DataTable)
        table.clear()
        for d in rows[:SHOWN]:
            row = self.texts.get(d.answer_id)
            colour = INTERNAL if d.segment.startswith("internal") else CUSTOMER
            side = Text(d.side, style=BAD if d.side == "auto only" else GOOD)
            conf = f"{d.confidence:.2f}" if d.confidence is not None else "—"
            table.add_row(Text(str(d.answer_id), style=DIM), Text(d.segment, style=colour), d.code_id, side, conf,
                          clip(row.text, 90) if row else "", key=f"{d.answer_id}:{d.code_id}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "kappa" and event.row_key.value and event.row_key.value != self.code:
            self.code = event.row_key.value
            self._fill_disagreements()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "kappa":
            self.query_one("#disagree", DataTable).focus()
        elif event.row_key.value:
            self._open(int(event.row_key.value.split(":")[0]))

    def action_open(self) -> None:
        table = self.query_one("#disagree", DataTable)
        if self.focused is table and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self._open(int(key.split(":")[0]))
        else:
            table.focus()

    def action_every(self) -> None:
        self.code = None
        self._fill_disagreements()
        self.query_one("#disagree", DataTable).focus()

    @work(group="open")
    async def _open(self, answer_id: int) -> None:
        row = self.texts.get(answer_id)
        if row is None:
            async with await self.rapp.uow() as uow:
                row = (await review.excerpts(uow.session, self.rapp.scope(), [answer_id])).get(answer_id)
        if row is not None:
            self.rapp.show_ladder(row.ladder_key, answer_id)
