"""Agreement: Cohen's kappa (pooled and per code) between the auto coder and people on finished answers, with
confidence intervals, and the disagreements to adjudicate."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from app.coder_training import gates_in_effect
from core.agreement import MIN_ANSWERS, MIN_CASES
from core.coder_model import ACTIVE, CodeGate
from storage import review
from storage.review import AnswerRow, Disagreement
from tui.screens.base import ReviewScreen
from tui.widgets.bars import BAD, CUSTOMER, DIM, GOOD, INTERNAL, WARN, bar, clip, kappa_words
from tui.widgets.follow import follow, key_at_cursor

SHOWN = 300  # disagreements listed at once (the worst codes come first)


def _ci(ci: tuple[float, float] | None) -> str:
    return f"{ci[0]:.2f}–{ci[1]:.2f}" if ci else "—"


def _k(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def coder_cell(gate: CodeGate | None) -> Text:
    """Which coder decides the code and why: the learned model's kappa against the cue rule's (the lead's pair
    where they reviewed enough answers with the code)."""
    if gate is None:
        return Text("cues (no model)", style=DIM)
    if gate.decided_by_lead:  # the gate used the lead's decisions (enough answers and cases: app.train_coder)
        spread = gate.kappa_lead_range
        # The mean over repeated splits into folds, with its lowest and highest: how steady the evidence is.
        mean = _k(gate.kappa_lead_model) + (f" ({spread[0]:.2f}–{spread[1]:.2f})" if spread else "")
        pair = f"lead κ {mean} vs {_k(gate.kappa_lead_cues)}"
        if gate.statistic == "ac1":  # the code is on nearly every answer: AC1 decided, kappa shown for reference
            pair = f"lead AC1 {_k(gate.ac1_lead_model)} vs {_k(gate.ac1_lead_cues)}, κ {_k(gate.kappa_lead_model)}"
        if gate.lead_positives:  # the evidence: cross-validated over every reviewed answer, so many with the code
            pair += f" ({gate.lead_positives}/{gate.lead_answers})"
    else:
        pair = f"κ {_k(gate.kappa_model)} vs {_k(gate.kappa_cues)}"
    if gate.active == ACTIVE:
        return Text(f"model · {pair}", style=GOOD)
    if gate.kappa_model is None:
        return Text(f"cues · {gate.positives} examples", style=DIM)
    return Text(f"cues · {pair}", style=WARN)


class AgreementScreen(ReviewScreen):
    TITLE = "Agreement"
    AUTO_FOCUS = "#kappa"
    HELP = f"""How far the auto coder agrees with people: Cohen's **κ** (agreement beyond chance) on answer x code
units, per codebook code and **pooled** over every code (the figure the report shows too). Only *finished*
answers count: a person made a decision on a codebook code and decided on every automatic proposal on the
answer (accept **a** or reject **r** each). A proposal left standing is never read as agreement, and an answer
only tagged with a theme does not count. Below {MIN_ANSWERS} finished answers there is no number ("not enough
reviewed answers"); a code needs {MIN_CASES} cases (answers where either side applied it). The 95% interval is
large-sample for a code and a jackknife over answers for the pooled value. Below 0.4 the code's cues need work
in interview_scripts/codebook.yaml, or the code's meaning needs agreeing in the team.

**Coder** says which coder proposes the code: the learned **model** replaces the cue rule only where its κ on
held-out answers is at least 0.6 and not below the cue rule's: the lead's answers once there are 20 of them with 5
cases of the code, else the shipped corpus (`cna train coder` retrains it; the figures are model κ vs cue rule κ,
"lead κ" where the lead's answers decided). The lead's κ is cross-validated: every reviewed answer is coded by
a model trained without it (five folds), so all of them count, not one held-out slice; it is the mean over three
splits into folds, its lowest and highest in brackets ("0.66 (0.61–0.70)"), so the choice does not hang on one
split; the last brackets say how many of them have the code ("(12/100)"). With fewer than 5 of the lead's
answers with the code the cue rule stays. A code the lead gives to 90% or more of their answers is judged by
Gwet's **AC1** instead ("lead AC1 0.95 vs 0.10"): there κ stays near 0 for any coder, even one that agrees with
the lead on nearly every answer (the kappa paradox).

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
        self._laid_out_compact = False
        self._code_w = 22

    def compose(self) -> ComposeResult:
        yield self.header()
        with Vertical(id="agreement"):
            yield Static(id="kappa-legend")
            yield DataTable(id="kappa", cursor_type="row", zebra_stripes=True)
            yield Label("Disagreements", id="disagree-title")
            yield DataTable(id="disagree", cursor_type="row", zebra_stripes=True)
        yield self.footer()

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        """At 80 columns the headings shorten so κ and its interval stay in view."""
        c = self._laid_out_compact = self.compact
        self._code_w = 18 if c else 22
        for table_id, columns in (
                ("kappa", (("Code", self._code_w), ("Cases", 5), ("Both", 5),
                           ("Auto" if c else "Auto only", 4 if c else 9),
                           ("Pers." if c else "Person only", 5 if c else 11),
                           ("κ", 5 if c else 6), ("95% CI", 9 if c else 10), ("", 12), ("Reading", 22),
                           ("Coder", 30))),
                ("disagree", (("#", 5 if c else 6), ("Segment", 14 if c else 20), ("Code", 14 if c else 20),
                              ("Side", 11), ("Auto", 5), ("Answer", 70)))):
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear(columns=True)
            for label, width in columns:
                table.add_column(label, width=width)

    def on_resize(self) -> None:
        if self.compact != self._laid_out_compact:
            self._add_columns()
            self.reload()

    async def load(self) -> None:
        async with await self.rapp.uow() as uow:
            rc = await review.load_round_coding(uow.session, self.rapp.scope())
            result = rc.agreement()
            self.disagreements = rc.disagreements()
            model_id, gates = await gates_in_effect(uow.session)
            wanted = [d.answer_id for d in self.disagreements]
            self.texts = await review.excerpts(uow.session, self.rapp.scope(), wanted[:2000])
        rows = sorted(result.codes, key=lambda r: (r.kappa is None, r.kappa if r.kappa is not None else 0.0,
                                                   -r.table.cases, r.code))
        legend = Text(f"Auto coder vs people over {result.answers} finished answers "
                      f"({result.unfinished} reviewed but not finished, not counted) · ")
        if result.kappa is None:
            why = ("not enough reviewed answers" if result.status == "too_few_answers" else "undefined")
            legend.append(f"pooled κ: {why} ({result.answers} of {MIN_ANSWERS} needed)", style=WARN)
        else:
            words, colour = kappa_words(result.kappa)
            legend.append(f"pooled κ {result.kappa:.2f} ({words}; 95% CI {_ci(result.pooled_ci)})", style=colour)
            legend.append(f" · {result.disagreements} disagreements")
        legend.append(f" · coder model {model_id}: {sum(g.active == ACTIVE for g in gates.values())} codes by model",
                      style=DIM)
        legend.append("  · worst first · e lists every disagreement", style=DIM)
        self.query_one("#kappa-legend", Static).update(legend)
        table = self.query_one("#kappa", DataTable)
        keep, key = table.cursor_row, key_at_cursor(table)
        table.clear()
        for r in rows:
            k, t = r.kappa, r.table
            if k is None:
                words, colour = {"too_few_answers": "not enough reviewed answers",
                                 "too_few_cases": f"too few cases ({t.cases} < {MIN_CASES})"}.get(
                    r.status, "undefined"), DIM
            else:
                words, colour = kappa_words(k)
            kbar = bar(max(k, 0.0), 12, colour) if k is not None else Text("")
            table.add_row(clip(rc.codebook.label(r.code), self._code_w), t.cases, t.both,
                          Text(str(t.auto_only), style=WARN),
                          Text(str(t.human_only), style=WARN), Text(f"{k:.2f}" if k is not None else "—", style=colour),
                          _ci(t.ci95) if k is not None else "—", kbar, Text(words, style=colour),
                          coder_cell(gates.get(r.code)), key=r.code)
        follow(table, key, keep)  # worst first: a decision re-sorts the codes
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
