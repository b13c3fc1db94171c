"""Opportunities: score them on the sources' criteria, rank them, keep the short list short, plan the roadmap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.text import Text
from sqlalchemy.ext.asyncio import AsyncSession
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from core.analysis import CANDIDATE, CRITERIA, OVER_LIMIT, SHORT
from storage import review
from storage.review import OpportunityView
from tui.screens.base import ReviewScreen
from tui.screens.criteria import CriteriaDialog, PhaseDialog
from tui.screens.modals import CodePicker, Confirm, Prompt
from tui.widgets.bars import BAD, DIM, GOOD, WARN, bar, clip
from tui.widgets.gantt import Item, gantt
from tui.widgets.ladder import MEMO

ABBR = {"benefit": "Ben", "cost": "Cost", "strategic_fit": "Fit", "culture_change": "Cult", "unit_support": "Unit",
        "competitive_position": "Comp"}
MARK = {SHORT: (" ✓", GOOD), OVER_LIMIT: (" !", BAD), CANDIDATE: (" ?", WARN)}  # parked: " ·"


class OpportunitiesScreen(ReviewScreen):
    TITLE = "Opportunities"
    AUTO_FOCUS = "#opps"
    HELP = """Step 6 of the method: judge which opportunities to pursue. Score each on **benefit**, **cost**,
**strategic fit**, **culture change**, **business-unit support** and **competitive position** (1-5; higher cost
and more culture change count against it). The score is the weighted mean on 0-100; weights are per round
(**w**). A new opportunity is a **candidate** (?) until it is scored on every weighted criterion: only then has
it a comparable score and a rank. **space** puts a scored opportunity on the short list (✓) or takes it off
(· parked); the short list refuses candidates and stops at the round's limit, because budget and culture let
a company do only a few things well. "Why" in the detail shows the points each criterion adds to the score.
Warnings flag poor bets (costs more than it returns, too much culture change, no strategic fit, no unit
support). Give short-listed opportunities a phase with dates (**p**) to build the roadmap below."""
    BINDINGS = [
        Binding("n", "new", "New", tooltip="Create an opportunity"),
        Binding("s", "score", "Score", tooltip="Score the selected opportunity on the six criteria"),
        Binding("w", "weights", "Weights", tooltip="Change the round's criterion weights"),
        Binding("p", "phase", "Phase & dates", tooltip="Set the phase, start and end of the selected opportunity"),
        Binding("space", "shortlist", "Short list", tooltip="Put the selected opportunity on or off the short list"),
        Binding("e", "rename", "Rename", tooltip="Rename the selected opportunity"),
        Binding("l", "link", "Link theme", tooltip="Link a theme or code the opportunity answers"),
        Binding("delete", "delete", "Delete", tooltip="Delete the selected opportunity"),
        Binding("i", "memo", "Memo", tooltip="Write a memo on the selected opportunity"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ranking: review.Ranking | None = None
        self.codes: list[review.CodeInfo] = []
        self._follow: int | None = None  # the opportunity the cursor goes to on the next load
        self._follow_deleted: int | None = None
        self._laid_out_compact = False
        self.memos: dict[int, review.MemoView] = {}
        self._title_w, self._bar_w = 36, 10

    def compose(self) -> ComposeResult:
        yield self.header()
        with Vertical(id="opportunities"):
            yield Static(id="opp-warning")
            yield DataTable(id="opps", cursor_type="row", zebra_stripes=True)
            yield Static(id="opp-detail")
            with VerticalScroll(id="roadmap-box"):
                yield Static(id="roadmap")
        yield self.footer()

    def on_mount(self) -> None:
        self._add_columns()
        self.query_one("#roadmap-box").border_title = "Roadmap"

    def _add_columns(self) -> None:
        """At 80 columns the title shortens and the warning moves beside it, so scores and criteria stay visible."""
        c = self._laid_out_compact = self.compact
        self._title_w, self._bar_w = (18, 5) if c else (36, 10)
        head = [("#", 2), ("", 2) if c else ("List", 4), ("Opportunity", self._title_w)]
        crit = [(ABBR[k], 4) for k in CRITERIA]
        cols = [*head, ("⚠", 1), ("Score", 11), *crit, ("Phase", 20)] if c else \
            [*head, ("Score", 16), *crit, ("Phase", 20), ("⚠", 2)]
        table = self.query_one("#opps", DataTable)
        table.clear(columns=True)
        for label, width in cols:
            table.add_column(label, width=width)

    def on_resize(self) -> None:
        if self.compact != self._laid_out_compact:
            self._add_columns()
            self.reload()

    @property
    def selected(self) -> OpportunityView | None:
        table = self.query_one("#opps", DataTable)
        if not self.ranking or not self.ranking.opportunities or not table.row_count:
            return None
        return self.ranking.opportunities[min(table.cursor_row, len(self.ranking.opportunities) - 1)]

    @property
    def selected_id(self) -> int | None:
        o = self.selected
        return o.id if o else None

    async def load(self) -> None:
        async with await self.rapp.uow() as uow:
            self.ranking = await review.ranking(uow.session, self.rapp.round_id or 0)
            self.codes = (await review.load_codebook(uow.session)).active()
            self.memos = {int(m.target): m for m in await review.list_memos(uow.session, self.rapp.round_id or 0,
                                                                           "opportunity")}
        r = self.ranking
        head = Text.assemble((f"{len(r.short)} on the short list", "bold"), f" (limit {r.shortlist_limit}) · ",
                             (f"{len(r.candidates)} candidates to score", WARN if r.candidates else DIM),
                             f" · {len(r.parked)} parked · {len(r.opportunities)} opportunities · weights: ",
                             (", ".join(f"{ABBR[c]} {r.weights[c]:g}" for c in CRITERIA), DIM))
        if r.warning:
            head.append("\n⚠ " + r.warning, style=f"bold {BAD}")
        self.query_one("#opp-warning", Static).update(head)
        table = self.query_one("#opps", DataTable)
        keep = table.cursor_row
        current = self.selected_id
        undone = self.rapp.undone
        if undone is not None and undone.opportunity is not None and undone.opportunity.present:
            self._follow = undone.opportunity.id  # an undone delete or edit: show the opportunity it brought back
            self.rapp.undone = None
        follow, self._follow, self._follow_deleted = self._follow or current, None, None
        table.clear()
        for o in r.opportunities:
            score = bar((o.score or 0) / 100, self._bar_w, GOOD if (o.score or 0) >= 60 else WARN)
            score.append(f" {o.score:5.1f}" if o.score is not None else "   —")
            cells = [Text(str(o.scores[c]) if c in o.scores else "·", style="" if c in o.scores else DIM)
                     for c in CRITERIA]
            real = [w for w in o.warnings if not w.startswith("not scored")]
            mark, style = MARK.get(o.status, (" ·", DIM))
            warn = Text("⚠" if real else "", style=BAD)
            title = Text(clip(o.title, self._title_w), style="" if o.status == SHORT else DIM)
            head = [o.rank if o.rank is not None else "", Text(mark, style=style), title]
            row = [*head, warn, score, *cells, clip(o.phase or "—", 20)] if self._laid_out_compact else \
                [*head, score, *cells, clip(o.phase or "—", 20), warn]
            table.add_row(*row, key=str(o.id))
        if r.opportunities:
            ids = [o.id for o in r.opportunities]
            table.move_cursor(row=ids.index(follow) if follow in ids else min(keep, len(ids) - 1))
        self._detail()
        self.query_one("#roadmap", Static).update(gantt(
            [Item(o.title, o.phase, o.start_on, o.end_on, o.status == SHORT) for o in r.opportunities],
            width=max(40, self.app.size.width - 40), today=self.rapp.today))

    def _detail(self) -> None:
        o = self.selected
        box = self.query_one("#opp-detail", Static)
        if o is None:
            box.update(Text("No opportunities yet: press n, or o on a theme (screen 3) to build one from it.",
                            style=DIM))
            return
        t = Text.assemble((o.title, "bold"), "  ")
        labels = {c.id: c.label_en for c in self.codes}
        t.append(f"from: {', '.join(labels.get(c, c) for c in o.themes) or 'no theme linked (l)'}", style=DIM)
        if o.start_on or o.end_on:
            t.append(f" · {o.phase or 'no phase'}: {o.start_on or '?'} → {o.end_on or '?'}", style=DIM)
        status = {SHORT: f"on the short list, #{o.rank} by score", OVER_LIMIT: "held back: the short list is full",
                  CANDIDATE: "candidate: score every criterion to rank it", "parked": f"parked, #{o.rank} by score"}
        t.append(f"\n{status.get(o.status, o.status)}", style=GOOD if o.status == SHORT else WARN)
        if o.score is not None and o.contributions:
            parts = sorted(o.contributions.items(), key=lambda kv: -kv[1])
            t.append(f" · why {o.score:.0f} = " + " + ".join(f"{ABBR[c]} {o.scores[c]}→{v:.0f}" for c, v in parts),
                     style=DIM)
        for w in o.warnings:
            t.append("\n⚠ " + w, style=DIM if w.startswith("not scored") else BAD)
        if (memo := self.memos.get(o.id)) is not None:
            t.append(f"\n✎ memo · {memo.author} · {memo.updated_at:%Y-%m-%d}: ", style=MEMO)
            t.append(memo.text, style="italic")
        box.update(t)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    # --- actions -----------------------------------------------------------------------------------------

    def _need(self) -> OpportunityView | None:
        o = self.selected
        if o is None:
            self.notify("No opportunity selected: press n to create one.", severity="warning")
        return o

    def _edit(self, fn: Callable[[AsyncSession, review.ReviewScope], Awaitable[review.Change]],
              done: str | None = None) -> None:
        """An undoable edit; the cursor follows the opportunity it touched (it may move in the ranking)."""

        async def run(s: AsyncSession, scope: review.ReviewScope) -> review.Change:
            change = await fn(s, scope)
            if change.opportunity is not None and change.opportunity.id != self._follow_deleted:
                self._follow = change.opportunity.id
            return change

        self.write(run, done)

    def action_new(self) -> None:
        self.app.push_screen(Prompt("New opportunity", placeholder="e.g. Proactive order status messages"),
                             lambda title: self._edit(lambda s, scope: review.new_opportunity(
                                 s, scope.round_id, title), f"Opportunity '{title}' created") if title else None)

    def action_rename(self) -> None:
        if (o := self._need()) is not None:
            self.app.push_screen(Prompt("Rename opportunity", value=o.title),
                                 lambda t: self._edit(lambda s, _sc: review.edit_opportunity(
                                     s, o.id, "rename", title=t), "Renamed") if t else None)

    def action_score(self) -> None:
        if (o := self._need()) is None:
            return

        def save(values: dict[str, float | None] | None) -> None:
            if values is not None:
                scores = {c: int(v) if v is not None else None for c, v in values.items()}
                self._edit(lambda s, _sc: review.score_opportunity(s, o.id, scores), f"Scores saved for '{o.title}'")

        self.app.push_screen(CriteriaDialog(f"Score '{clip(o.title, 50)}'", dict(o.scores)), save)

    def action_weights(self) -> None:
        if self.ranking is None:
            return

        def save(values: dict[str, float | None] | None) -> None:
            if values is not None:
                weights = {c: float(v or 0) for c, v in values.items()}
                self.write(lambda s, scope: review.change_weights(s, scope.round_id, weights), "Weights saved")

        self.app.push_screen(CriteriaDialog("Criterion weights for this round", dict(self.ranking.weights),
                                            weights=True), save)

    def action_phase(self) -> None:
        if (o := self._need()) is None:
            return

        def save(v: tuple[object, object, object] | None) -> None:
            if v is not None:
                self._edit(lambda s, _sc: review.edit_opportunity(s, o.id, "set the phase of", phase=v[0],
                                                                  start_on=v[1], end_on=v[2]), "Phase saved")

        self.app.push_screen(PhaseDialog(f"Phase and dates of '{clip(o.title, 50)}'", o.phase, o.start_on,
                                         o.end_on), save)

    def action_shortlist(self) -> None:
        """On or off the short list; storage refuses candidates and a full list with a message saying why."""
        if (o := self._need()) is not None:
            self._edit(lambda s, _sc: review.edit_opportunity(
                s, o.id, "take off the short list" if o.shortlisted else "short-list", shortlisted=not o.shortlisted),
                ("Off" if o.shortlisted else "On") + f" the short list: '{o.title}'")

    def action_link(self) -> None:
        if (o := self._need()) is not None:
            self.app.push_screen(CodePicker(self.codes, self.rapp.recent_codes, title=f"Link '{o.title}' to…",
                                            allow_new=False),
                                 lambda code: self._edit(lambda s, _sc: review.link_opportunity(s, o.id, code),
                                                         f"Linked {code}") if code else None)

    def action_memo(self) -> None:
        if (o := self._need()) is not None:
            self.edit_memo("opportunity", o.id, f"Memo on '{clip(o.title, 50)}'", name=o.title)

    def action_delete(self) -> None:
        if (o := self._need()) is not None:
            def delete(yes: bool | None) -> None:
                if yes:
                    self._follow_deleted = o.id
                    self._edit(lambda s, _sc: review.remove_opportunity(s, o.id), f"Deleted '{o.title}'")

            self.app.push_screen(Confirm(f"Delete opportunity '{o.title}'?"), delete)
