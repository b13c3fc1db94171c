"""Themes: the board with counts and quotes, the like-with-like gap, closed questions and the change since last
round, all in people with their bases (the same figures as the report)."""

from __future__ import annotations

from rich.text import Text
from sqlalchemy.ext.asyncio import AsyncSession
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from core.topics import GapRow
from storage import review
from storage.review import ThemeCard
from tui.screens.base import ReviewScreen
from tui.screens.modals import CodePicker, Prompt
from tui.widgets.bars import (
    BAD,
    CUSTOMER,
    DIM,
    GOOD,
    INTERNAL,
    clip,
    closed_detail,
    closed_headline,
    share_cell,
    topic_cell,
)
from tui.widgets.follow import follow, key_at_cursor
from tui.widgets.ladder import MEMO
from tui.widgets.matrix import CodeMatrix, Drill

BIG_GAP = 25  # a gap this large (points) is flagged
SECTION = "§"  # row keys of section headings in the gap table


def reading(row: GapRow) -> Text:
    gap = row.gap or 0
    if row.indicative:
        return Text("fewer than 5 people asked on a side: indicative", style=DIM)
    if gap >= BIG_GAP:
        return Text("staff rate it higher than customers", style=INTERNAL)
    if gap <= -BIG_GAP:
        return Text("customers raise it more: unexpected driver", style=f"bold {CUSTOMER}")
    return Text("close", style=DIM)


class ThemesScreen(ReviewScreen):
    TITLE = "Themes"
    AUTO_FOCUS = "#board-table"
    DEFAULT_CSS = """
    #closed-table { width: 3fr; }
    #closed-pane { width: 2fr; padding: 0 1; border-left: vkey $primary 50%; }
    """
    HELP = """Every figure is in **people** (distinct participants) with its base: "60% 3/5" is 3 of the 5 people
asked about the topic. A person was *asked* when they answered a question whose code hints (in the script)
name the topic or a broader code above it; people who raised it without being asked count as **+unprompted**,
and anonymous answers, which cannot be tied to a person, as **+anon** (answers, never people). A base under
5 people is marked † and is indicative only.

**Board**: every theme (◆, made by the lead) and codebook code that counts for at least one answer, with the
staff and customer shares. The right pane shows representative quotes: answers a person confirmed first, then
the auto coder's most confident, deeper ladder steps first; **enter** on a quote opens its ladder.

**Gap** (step 5 of the method): staff share versus customer share, only for topics asked of **both** sides,
biggest gap first; topics asked of one side only are listed below it, not compared (a difference there would
only reflect the scripts). Give a theme a parent code so it inherits that code's questions.

**Ratings & choices**: closed questions per segment and group, NPS (promoters 9-10 minus detractors 0-6) on
0-10 likelihood questions, and the forced choice asked of staff and customers side by side.
**Since last round** compares customers' shares with the previous round when there is one."""
    BINDINGS = [
        Binding("b", "tab('board')", "Board", tooltip="The theme board with counts and quotes"),
        Binding("x", "tab('matrix')", "Matrix", tooltip="Codes by role and segment: people who raised each"),
        Binding("g", "tab('gap')", "Gap", tooltip="Internal belief versus customer reality, biggest gap first"),
        Binding("q", "tab('closed')", "Ratings & choices", tooltip="Closed questions, NPS, the paired forced choice"),
        Binding("c", "tab('change')", "Since last round", tooltip="Customers' shares now versus the previous round"),
        Binding("T", "new_theme", "New theme", tooltip="Create an empty theme"),
        Binding("R", "rename", "Rename", tooltip="Rename the selected theme"),
        Binding("M", "merge", "Merge", tooltip="Merge the selected theme into another theme or code"),
        Binding("o", "opportunity", "Opportunity", tooltip="Create an opportunity from the selected theme"),
        Binding("i", "memo", "Memo", tooltip="Write a memo on the selected theme or code"),
        Binding("enter", "open", "Answers", tooltip="List the answers with the selected code or theme"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[ThemeCard] = []
        self.coding: review.RoundCoding | None = None
        self.closed: list[review.ClosedQuestion] = []
        self._follow: str | None = None  # the code the board's cursor goes to on the next load (a new theme)
        self._laid_out_compact = False
        self.memos: dict[str, review.MemoView] = {}
        self._name, self._bar = 26, 12

    def compose(self) -> ComposeResult:
        yield self.header()
        with TabbedContent(initial="board", id="theme-tabs"):
            with TabPane("Board", id="board"), Horizontal(classes="split"):
                yield DataTable(id="board-table", cursor_type="row", zebra_stripes=True)
                with Vertical(id="quotes-pane"):
                    yield Label("Quotes", id="quotes-title")
                    yield OptionList(id="quotes")
            with TabPane("Matrix", id="matrix"), Vertical():
                yield Static(id="matrix-legend")
                yield CodeMatrix(id="matrix-table")
            with TabPane("Gap", id="gap"), Vertical():
                yield Static(id="gap-legend")
                yield DataTable(id="gap-table", cursor_type="row")
            with TabPane("Ratings & choices", id="closed"), Horizontal(classes="split"):
                yield DataTable(id="closed-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="closed-pane"):
                    yield Static(id="closed-detail")
            with TabPane("Since last round", id="change"), Vertical():
                yield Static(id="change-legend")
                yield DataTable(id="change-table", cursor_type="row")
        yield self.footer()

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        """Columns for the terminal's width: at 80 columns names shorten and bars narrow, never the counts."""
        c = self._laid_out_compact = self.compact
        name = 16 if c else 26
        self._name, self._bar = name, 5 if c else 12
        cols = {"board-table": (("", 1), ("Code / theme", name), ("Ans." if c else "Answers", 4 if c else 7),
                                ("Staff", 24 if c else 25), ("Customers", 23 if c else 25)),
                "gap-table": (("Code / theme", name), ("Staff" if c else "Staff (people asked)", 24 if c else 31),
                              ("Customers" if c else "Customers (people asked)", 23 if c else 31), ("Gap", 5),
                              ("Reading", 38)),
                "closed-table": (("Question", 30 if c else 38), ("Kind", 6), ("Staff", 5), ("Cust.", 5),
                                 ("Headline", 22)),
                "change-table": (("Code / theme", name), ("Last round", 22), ("This round", 22), ("Change", 8))}
        for table_id, columns in cols.items():
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear(columns=True)
            for label, width in columns:
                table.add_column(label, width=width)

    def on_resize(self) -> None:
        if self.compact != self._laid_out_compact:
            self._add_columns()
            if self.coding is not None:
                self.reload()

    async def load(self) -> None:
        scope = self.rapp.scope()
        async with await self.rapp.uow() as uow:
            rc = await review.load_round_coding(uow.session, scope)
            change = await review.round_comparison(uow.session, scope, rc)
            self.closed = await review.closed_questions(uow.session, scope)
            self.memos = {m.target: m for m in await review.list_memos(uow.session, scope.round_id, "code")}
        self.coding = rc
        self.cards = rc.board()
        self._fill_board()
        self._fill_matrix(rc)
        self._fill_gap(rc)
        self._fill_closed()
        self._fill_change(rc, change)

    def _label(self, code_id: str) -> Text:
        assert self.coding is not None
        info = self.coding.codebook.codes.get(code_id)
        t = Text("◆ " if info and info.kind == "theme" else "", style="magenta")
        t.append(clip(info.label_en if info else code_id, self._name - 2))
        return t

    def _fill_board(self) -> None:
        table = self.query_one("#board-table", DataTable)
        keep, key = table.cursor_row, self._follow or key_at_cursor(table)
        self._follow = None
        table.clear()
        for c in self.cards:
            icon = Text("◆" if c.kind == "theme" else " ", style="magenta")
            label = Text(clip(c.label, self._name), style="bold" if c.kind == "theme" else "")
            table.add_row(icon, label, c.answers, topic_cell(c.internal, INTERNAL, 5),
                          topic_cell(c.customer, CUSTOMER, 5), key=c.code_id)
        if self.cards:
            follow(table, key, keep)  # the board is sorted by counts: a tag can move the theme
            self.load_quotes(self.cards[table.cursor_row].code_id)

    def _fill_matrix(self, rc: review.RoundCoding) -> None:
        people = rc.people()
        self.query_one(CodeMatrix).fill(self.cards, people, self.compact)
        legend = Text("People who raised each code or theme, per internal role and customer segment (shaded by the "
                      "share of that segment's people) · enter lists those answers · ")
        legend.append(" · ".join(f"{s.split(':', 1)[1]} {n}" for s, n in sorted(people.items()) if ":" in s),
                      style=DIM)
        self.query_one("#matrix-legend", Static).update(legend)

    def on_drill(self, event: Drill) -> None:
        self.rapp.show_filter(review.AnswerFilter(code_id=event.code_id, segment=event.segment))

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
        memo = self.memos.get(code_id)
        if memo is not None:
            t.append(f"\n✎ memo · {memo.author} · {memo.updated_at:%Y-%m-%d}: ", style=MEMO)
            t.append(memo.text, style="italic")
        t.append("\nquotes (enter opens the ladder):", style=DIM)
        return t

    def _fill_gap(self, rc: review.RoundCoding) -> None:
        g, people = rc.gap(), rc.people()
        legend = Text.assemble(("██ staff", INTERNAL), f" ({people.get('internal', 0)} people)   ",
                               ("██ customers", CUSTOMER), f" ({people.get('customer', 0)} people)   share of the "
                               f"people asked about each topic who raised it · only topics asked of both sides are "
                               f"compared · {BIG_GAP} points or more is flagged · † fewer than 5 people asked · "
                               "+unp. raised it unprompted (people) · +anon anonymous answers")
        self.query_one("#gap-legend", Static).update(legend)
        table = self.query_one("#gap-table", DataTable)
        table.clear()
        for r in g.comparable:
            if not (r.internal.raised or r.customer.raised):
                continue
            d = r.gap or 0
            gap = Text(f"{d:+d}", style=DIM if r.indicative else INTERNAL if d > 0 else CUSTOMER if d < 0 else DIM)
            table.add_row(self._label(r.code), topic_cell(r.internal, INTERNAL, self._bar),
                          topic_cell(r.customer, CUSTOMER, self._bar), gap, reading(r), key=r.code)
        for title, rows in (("staff only", g.internal_only), ("customers only", g.customer_only)):
            if rows:
                table.add_row(Text(f"── {title} ──", style=f"bold {DIM}"), "", "", "",
                              Text(f"asked of {title}: not compared", style=f"bold {DIM}"), key=SECTION + title)
            for r in rows:
                table.add_row(self._label(r.code), topic_cell(r.internal, INTERNAL, self._bar),
                              topic_cell(r.customer, CUSTOMER, self._bar), "", Text("not compared", style=DIM),
                              key=r.code)
        if g.untied:
            table.add_row(Text("── no question ──", style=f"bold {DIM}"), "", "", "",
                          Text("people who raised them, no share", style=f"bold {DIM}"), key=SECTION + "untied")
        for r in g.untied:
            table.add_row(self._label(r.code), Text(f"{r.internal.people} staff", style=INTERNAL),
                          Text(f"{r.customer.people} customers", style=CUSTOMER), "",
                          Text("give it a parent code to compare it", style=DIM), key=r.code)

    def _fill_closed(self) -> None:
        table = self.query_one("#closed-table", DataTable)
        keep, key = table.cursor_row, key_at_cursor(table)
        table.clear()
        for i, q in enumerate(self.closed):
            d = q.distribution
            staff, cust = d.by_group.get("internal"), d.by_group.get("customer")
            table.add_row(("⇄ " if d.paired else "") + clip(q.question("en"), 36), q.key.kind,
                          staff.n if staff else "", cust.n if cust else "", closed_headline(q), key=str(i))
        if self.closed:
            follow(table, key, keep)
            self._closed_detail(table.cursor_row)
        else:
            self.query_one("#closed-detail", Static).update(Text("No closed question answered yet.", style=DIM))

    def _closed_detail(self, index: int) -> None:
        if 0 <= index < len(self.closed):
            self.query_one("#closed-detail", Static).update(closed_detail(self.closed[index]))

    def _fill_change(self, rc: review.RoundCoding, change: list[review.RoundChange] | None) -> None:
        legend = self.query_one("#change-legend", Static)
        table = self.query_one("#change-table", DataTable)
        table.clear()
        if change is None:
            legend.update(Text("This is the first round: there is nothing to compare with yet.", style=DIM))
            return
        legend.update(Text.assemble("Share of the customers asked about each topic who raised it, previous round → "
                                    "this round, biggest change first.", (" † fewer than 5 people", DIM)))
        for r in change:
            delta = r.delta or 0
            arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
            style = DIM if r.indicative or not delta else GOOD if delta > 0 else BAD
            table.add_row(self._label(r.code), share_cell(r.before, DIM, 12), share_cell(r.after, CUSTOMER, 12),
                          Text(f"{arrow}{abs(delta):3d}", style=style), key=r.code)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "board-table" and event.row_key.value:
            self.load_quotes(event.row_key.value)
        elif event.data_table.id == "closed-table" and event.row_key.value:
            self._closed_detail(int(event.row_key.value))

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
        if tabs == "closed":
            return None
        table = self.query_one(f"#{'board' if tabs == 'board' else tabs}-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key and not str(key).startswith(SECTION) else None

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-table", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        code = self._selected()
        if code:
            self.rapp.show_code(code)

    def action_memo(self) -> None:
        code = self._selected()
        if code and self.coding is not None:
            label = self.coding.codebook.label(code)
            self.edit_memo("code", code, f"Memo on '{label}'", name=label)

    def action_new_theme(self) -> None:
        def done(name: str | None) -> None:
            async def create(s: AsyncSession, scope: review.ReviewScope) -> review.Change:
                code_id, change = await review.create_theme(s, scope, name or "")
                self._follow = code_id
                return change

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
                self.write(lambda s, scope: review.new_opportunity(s, scope.round_id, title, theme_ids=[code]),
                           f"Opportunity '{title}' created from '{label}': score it on screen 5")

        self.app.push_screen(Prompt(f"New opportunity from '{label}'", value=label), create)

