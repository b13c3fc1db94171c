"""Themes: the board with counts and quotes, the internal-vs-customer gap, and the change since last round."""

from __future__ import annotations

from rich.text import Text
from sqlalchemy.ext.asyncio import AsyncSession
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from storage import review
from storage.review import ThemeCard
from tui.screens.base import ReviewScreen
from tui.screens.modals import CodePicker, Prompt
from tui.widgets.bars import BAD, CUSTOMER, DIM, GOOD, INTERNAL, bar, clip, pct

BIG_GAP = 0.25  # a gap this large (25 points) is flagged


def reading(gap: float) -> Text:
    if gap >= BIG_GAP:
        return Text("staff rate it higher than customers", style=INTERNAL)
    if gap <= -BIG_GAP:
        return Text("customers raise it more: unexpected driver", style=f"bold {CUSTOMER}")
    return Text("close", style=DIM)


class ThemesScreen(ReviewScreen):
    TITLE = "Themes"
    AUTO_FOCUS = "#board-table"
    HELP = """**Board**: every theme (◆, made by the lead) and codebook code that counts for at least one answer, with
how many internal and customer respondents raised it (a respondent is an interview; an anonymous answer counts
on its own). The right pane shows representative quotes: answers a person confirmed first, then the auto
coder's most confident, deeper ladder steps first; **enter** on a quote opens its ladder.

**Gap** (step 5 of the method): the share of staff who raised a code versus the share of customers, sorted by
the size of the gap. Blue bars are staff belief, orange bars customer reality. A large negative gap is a need
customers have that staff did not expect. **Since last round** compares customers' shares with the previous
round when there is one."""
    BINDINGS = [
        Binding("b", "tab('board')", "Board", tooltip="The theme board with counts and quotes"),
        Binding("g", "tab('gap')", "Gap", tooltip="Internal belief versus customer reality, biggest gap first"),
        Binding("c", "tab('change')", "Since last round", tooltip="Customers' shares now versus the previous round"),
        Binding("T", "new_theme", "New theme", tooltip="Create an empty theme"),
        Binding("R", "rename", "Rename", tooltip="Rename the selected theme"),
        Binding("M", "merge", "Merge", tooltip="Merge the selected theme into another theme or code"),
        Binding("o", "opportunity", "Opportunity", tooltip="Create an opportunity from the selected theme"),
        Binding("enter", "open", "Answers", tooltip="List the answers with the selected code or theme"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[ThemeCard] = []
        self.coding: review.RoundCoding | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        with TabbedContent(initial="board", id="theme-tabs"):
            with TabPane("Board", id="board"), Horizontal():
                yield DataTable(id="board-table", cursor_type="row", zebra_stripes=True)
                with Vertical(id="quotes-pane"):
                    yield Label("Quotes", id="quotes-title")
                    yield OptionList(id="quotes")
            with TabPane("Gap", id="gap"), Vertical():
                yield Static(id="gap-legend")
                yield DataTable(id="gap-table", cursor_type="row")
            with TabPane("Since last round", id="change"), Vertical():
                yield Static(id="change-legend")
                yield DataTable(id="change-table", cursor_type="row")
        yield self.footer()

    def on_mount(self) -> None:
        cols = {"board-table": (("", 1), ("Code / theme", 26), ("Answers", 7), ("Staff", 20), ("Customers", 20)),
                "gap-table": (("Code / theme", 26), ("Staff (internal)", 22), ("Customers", 22), ("Gap", 6),
                              ("Reading", 44)),
                "change-table": (("Code / theme", 26), ("Last round", 22), ("This round", 22), ("Change", 8))}
        for table_id, columns in cols.items():
            table = self.query_one(f"#{table_id}", DataTable)
            for label, width in columns:
                table.add_column(label, width=width)

    async def load(self) -> None:
        scope = self.rapp.scope()
        async with await self.rapp.uow() as uow:
            rc = await review.load_round_coding(uow.session, scope)
            change = await review.round_comparison(uow.session, scope, rc)
        self.coding = rc
        self.cards = rc.board()
        self._fill_board()
        self._fill_gap(rc)
        self._fill_change(rc, change)

    def _label(self, code_id: str) -> Text:
        assert self.coding is not None
        info = self.coding.codebook.codes.get(code_id)
        t = Text("◆ " if info and info.kind == "theme" else "", style="magenta")
        t.append(clip(info.label_en if info else code_id, 24))
        return t

    def _fill_board(self) -> None:
        table = self.query_one("#board-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for c in self.cards:
            icon = Text("◆" if c.kind == "theme" else " ", style="magenta")
            label = Text(clip(c.label, 26), style="bold" if c.kind == "theme" else "")
            table.add_row(icon, label, c.answers, self._share(c.internal, c.internal_total, INTERNAL),
                          self._share(c.customer, c.customer_total, CUSTOMER), key=c.code_id)
        if self.cards:
            table.move_cursor(row=min(keep, len(self.cards) - 1))
            self.load_quotes(self.cards[table.cursor_row].code_id)

    @staticmethod
    def _share(n: int, total: int, colour: str) -> Text:
        share = n / total if total else 0.0
        t = bar(share, 10, colour)
        t.append(f"{pct(share)} {n:>3}" if total < 1000 else pct(share))
        return t

    def _card_summary(self, code_id: str) -> Text:
        card = next((c for c in self.cards if c.code_id == code_id), None)
        if card is None:
            return Text()
        t = Text.assemble((card.label, "bold"), (f"  {card.code_id}", DIM))
        if card.merged:
            t.append(f"\nmerged into it: {', '.join(card.merged)}", style="magenta")
        t.append("\nraised by: ")
        for seg, n in card.by_segment.items():
            t.append(f"{seg.split(':', 1)[1]}({n}) ", style=INTERNAL if seg.startswith("internal") else CUSTOMER)
        if not card.by_segment:
            t.append("nobody yet", style=DIM)
        t.append("\nquotes (enter opens the ladder):", style=DIM)
        return t

    def _fill_gap(self, rc: review.RoundCoding) -> None:
        rows = [g for g in rc.gap() if g.internal_n or g.customer_n]
        staff = len({a.respondent for a in rc.answers.values() if a.segment.startswith("internal")})
        customers = len({a.respondent for a in rc.answers.values() if a.segment.startswith("customer")})
        legend = Text.assemble(("██ staff", INTERNAL), f" ({staff} respondents)   ", ("██ customers", CUSTOMER),
                               f" ({customers})   share who raised each code · biggest gap first · "
                               f"{round(100 * BIG_GAP)} points or more is flagged")
        self.query_one("#gap-legend", Static).update(legend)
        table = self.query_one("#gap-table", DataTable)
        table.clear()
        for g in rows:
            staff = bar(g.internal_share, 14, INTERNAL)
            staff.append(pct(g.internal_share))
            cust = bar(g.customer_share, 14, CUSTOMER)
            cust.append(pct(g.customer_share))
            gap = Text(f"{round(100 * g.gap):+d}", style=INTERNAL if g.gap > 0 else CUSTOMER if g.gap < 0 else DIM)
            table.add_row(self._label(g.code), staff, cust, gap, reading(g.gap), key=g.code)

    def _fill_change(self, rc: review.RoundCoding, change: list[review.RoundChange] | None) -> None:
        legend = self.query_one("#change-legend", Static)
        table = self.query_one("#change-table", DataTable)
        table.clear()
        if change is None:
            legend.update(Text("This is the first round: there is nothing to compare with yet.", style=DIM))
            return
        legend.update(Text.assemble("Share of customer respondents who raised each code, previous round → this "
                                    "round, biggest change first.", ("", DIM)))
        for r in change:
            before = bar(r.before, 14, DIM)
            before.append(pct(r.before))
            after = bar(r.after, 14, CUSTOMER)
            after.append(pct(r.after))
            arrow = "▲" if r.delta > 0 else "▼" if r.delta < 0 else "="
            delta = Text(f"{arrow}{abs(round(100 * r.delta)):3d}", style=GOOD if r.delta > 0 else BAD if r.delta
                         else DIM)
            table.add_row(self._label(r.code), before, after, delta, key=r.code)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "board-table" and event.row_key.value:
            self.load_quotes(event.row_key.value)

    @work(exclusive=True, group="quotes")
    async def load_quotes(self, code_id: str) -> None:
        async with await self.rapp.uow() as uow:
            found = await review.quotes(uow.session, self.rapp.scope(), code_id, limit=6, coding=self.coding)
        label = self.coding.codebook.label(code_id) if self.coding else code_id
        self.query_one("#quotes-title", Label).update(self._card_summary(code_id) if self.cards else label)
        quotes = self.query_one("#quotes", OptionList)
        quotes.clear_options()
        for q in found:
            colour = INTERNAL if q.segment.startswith("internal") else CUSTOMER
            t = Text.assemble((q.segment, colour), (f"  step {q.step} · {q.basis}\n", DIM), f"“{clip(q.text, 400)}”")
            quotes.add_option(Option(t, id=f"{q.ladder_key}:{q.answer_id}"))
        if not found:
            quotes.add_option(Option(Text("No answer counts for this code yet.", style=DIM), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "quotes" and event.option.id:
            ladder, _, answer = event.option.id.rpartition(":")
            self.rapp.show_ladder(ladder, int(answer))

    # --- actions -----------------------------------------------------------------------------------------

    def _selected(self) -> str | None:
        tabs = self.query_one(TabbedContent).active
        table = self.query_one(f"#{'board' if tabs == 'board' else tabs}-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key else None

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-table", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        code = self._selected()
        if code:
            self.rapp.show_code(code)

    def action_new_theme(self) -> None:
        def done(name: str | None) -> None:
            async def create(s: AsyncSession, scope: review.ReviewScope) -> review.Change:
                return (await review.create_theme(s, scope, name or ""))[1]

            if name:
                self.write(create)

        self.app.push_screen(Prompt("New theme", placeholder="e.g. Proactive order updates"), done)

    def action_rename(self) -> None:
        code = self._selected()
        info = self.coding.codebook.codes.get(code) if self.coding and code else None
        if info is None or info.kind != "theme":
            self.notify("Select a theme (◆) to rename; codebook codes are renamed in codebook.yaml.",
                        severity="warning")
            return
        self.app.push_screen(Prompt(f"Rename theme '{info.label_en}'", value=info.label_en),
                             lambda name: self.write(lambda s, _sc: review.rename_theme(s, info.id, name))
                             if name else None)

    def action_merge(self) -> None:
        code = self._selected()
        info = self.coding.codebook.codes.get(code) if self.coding and code else None
        if info is None or info.kind != "theme" or self.coding is None:
            self.notify("Select a theme (◆) to merge into another theme or code.", severity="warning")
            return
        targets = [c for c in self.coding.codebook.active() if c.id != info.id]
        self.app.push_screen(CodePicker(targets, self.rapp.recent_codes, title=f"Merge '{info.label_en}' into…",
                                        allow_new=False),
                             lambda target: self.write(lambda s, _sc: review.merge_themes(s, info.id, target))
                             if target else None)

    def action_opportunity(self) -> None:
        code = self._selected()
        if code is None or self.coding is None:
            return
        label = self.coding.codebook.label(code)

        def create(title: str | None) -> None:
            if title:
                self.write(lambda s, scope: review.create_opportunity(s, scope.round_id, title, theme_ids=[code]),
                           f"Opportunity '{title}' created from '{label}': score it on screen 5")

        self.app.push_screen(Prompt(f"New opportunity from '{label}'", value=label), create)

