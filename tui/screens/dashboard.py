"""The first screen: the round's interview progress per role and segment, coding progress and the next refresh."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Select, Static

from app.sampling import progress
from storage import review
from tui.screens.base import ReviewScreen
from tui.widgets.bars import BAD, CUSTOMER, DIM, GOOD, INTERNAL, WARN, bar, stacked
from tui.widgets.sample_panel import SamplePanel


class DashboardScreen(ReviewScreen):
    TITLE = "Dashboard"
    AUTO_FOCUS = "#progress"
    HELP = """The round at a glance: who was invited and how far each internal role and customer segment got (in
interviews), how many people answered (anonymous answers are counted apart: they cannot be tied to a person),
how much coding is left, and when the next CNA round is due (the method re-runs a CNA every 12-24 months).
When the round has a customer sample (`cna sample draw`), its response per stratum is shown too: strata marked
▼ have fewer people in play than their target (`cna sample top-up` draws replacements).
Pick another round with **r**; every other screen follows the round chosen here."""
    BINDINGS = [Binding("r", "pick_round", "Round", tooltip="Choose the round to review"),
                Binding("i", "memo", "Memo", tooltip="Write a memo on the round (it can go in the report's appendix)")]

    memo: review.MemoView | None = None

    def action_memo(self) -> None:
        self.edit_memo("round", self.rapp.scope().round_id, "Memo on the round")

    def compose(self) -> ComposeResult:
        yield self.header()
        with Vertical(id="dashboard"):
            yield Select[int]([], prompt="Round", id="round-picker", compact=True)
            yield Static(id="round-info")
            yield DataTable(id="progress", cursor_type="row", zebra_stripes=True)
            yield Static(Text.assemble(("█ completed  ", GOOD), ("█ in progress  ", WARN),
                                       ("█ declined or expired  ", BAD), ("░ not started", "grey50")),
                         id="progress-legend")
            yield Static(id="summary")
            yield SamplePanel(id="sample")
        yield self.footer()

    def on_mount(self) -> None:
        table = self.query_one("#progress", DataTable)
        for label, key, width in (("Segment", "segment", 24), ("Invited", "inv", 8), ("Not started", "ns", 11),
                                  ("In progress", "ip", 11), ("Completed", "done", 9), ("Declined", "dec", 8),
                                  ("Progress", "bar", 22), ("Answers", "ans", 8), ("To review", "todo", 9)):
            table.add_column(label, key=key, width=width)

    def action_pick_round(self) -> None:
        picker = self.query_one("#round-picker", Select)
        picker.focus()
        picker.expanded = True

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "round-picker" and isinstance(event.value, int) and event.value != self.rapp.round_id:
            self.rapp.round_id = event.value
            self.query_one("#progress", DataTable).focus()

    async def load(self) -> None:
        async with await self.rapp.uow() as uow:
            rounds = await review.rounds(uow.session)
            data = await review.dashboard(uow.session, self.rapp.scope(), self.rapp.today, with_coding=False)
            self.memo = await review.get_memo(uow.session, self.rapp.scope(), "round", data.round.id)
            sample = await progress(uow.session, data.round.id)
        picker = self.query_one("#round-picker", Select)
        with picker.prevent(Select.Changed):
            picker.set_options([(r.title, r.id) for r in rounds])
            picker.value = data.round.id
        self.query_one("#round-info", Static).update(self._round_info(data))
        self._fill_progress(data, None)
        self.query_one(SamplePanel).show(sample)
        self.query_one("#summary", Static).update(self._summary(data, None))
        self.load_coding(data)

    @work(exclusive=True, group="coding")
    async def load_coding(self, data: review.Dashboard) -> None:
        """The answer aggregates, after the interview progress is on screen (they cost most on big rounds)."""
        async with await self.rapp.uow() as uow:
            coding = await review.coding_progress(uow.session, self.rapp.scope())
        self._fill_progress(data, coding)
        self.query_one("#summary", Static).update(self._summary(data, coding))

    def _round_info(self, d: review.Dashboard) -> Text:
        r = d.round
        t = Text()
        for label, items in (("Key questions", r.key_questions), ("Goals", r.goals)):
            for n, item in enumerate(items):
                t.append(f"{label if not n else '':<14}", style="bold")
                t.append(f"{item}\n")
        if r.previous_id is not None:
            t.append(f"{'Compared with':<14}", style="bold")
            t.append("the previous round (screen 3, tab 'Since last round')\n")
        return t

    def _fill_progress(self, d: review.Dashboard, coding: review.CodingProgress | None) -> None:
        table = self.query_one("#progress", DataTable)
        keep = table.cursor_row
        table.clear()
        segments = [p.segment for p in d.progress] + sorted(set(coding.per_segment if coding else ())
                                                            - {p.segment for p in d.progress})
        by = {p.segment: p for p in d.progress}
        for group, colour, title in (("internal", INTERNAL, "Internal staff"), ("customer", CUSTOMER, "Customers")):
            rows = [by.get(s) or review.SegmentProgress(s, 0, 0, 0, 0) for s in segments
                    if s.startswith(group + ":")]
            if not rows:
                continue
            total = review.SegmentProgress(group, *(sum(getattr(p, f) for p in rows) for f in (
                "invited", "in_progress", "completed", "declined")))
            counts = None
            if coding:
                mine = [coding.per_segment.get(p.segment, (0, 0)) for p in rows]
                counts = (sum(m[0] for m in mine), sum(m[1] for m in mine))
            table.add_row(*self._cells(total, Text(title, style=f"bold {colour}"), counts), key=group)
            for p in rows:
                counts = coding.per_segment.get(p.segment, (0, 0)) if coding else None
                label = Text("  " + p.segment.split(":", 1)[1], style=colour)
                table.add_row(*self._cells(p, label, counts), key=p.segment)
        table.move_cursor(row=min(keep, max(table.row_count - 1, 0)))

    @staticmethod
    def _cells(p: review.SegmentProgress, label: Text, counts: tuple[int, int] | None) -> list[object]:
        n = max(p.invited, 1)
        progress = stacked([(p.completed / n, GOOD), (p.in_progress / n, WARN), (p.declined / n, BAD)], 16)
        progress.append(f" {round(100 * p.completed / n):3d}%")
        answers, todo = (f"{counts[0]:,}", Text(f"{counts[1]:,}", style=WARN if counts[1] else GOOD)) if counts \
            else ("…", Text("…", style=DIM))
        return [label, *(f"{v:,}" for v in (p.invited, p.not_started, p.in_progress, p.completed, p.declined)),
                progress, answers, todo]

    def _summary(self, d: review.Dashboard, c: review.CodingProgress | None) -> Text:
        t = Text()

        def line(label: str, *parts: str | tuple[str, str] | Text) -> None:
            t.append(f"{label:<14}", style="bold")
            for part in parts:
                t.append(part) if isinstance(part, Text) else t.append(*((part,) if isinstance(part, str) else part))
            t.append("\n")

        days = d.days_to_refresh
        when = f"in {days} days" if days >= 0 else f"{-days} days overdue"
        line("Next refresh", f"{d.next_refresh:%Y-%m-%d} ", (when, WARN if days < 60 else GOOD),
             f" (every {d.round.refresh_months} months)")
        if c is None:
            line("Coding", ("counting the answers…", DIM))
        else:
            reviewed = (c.answers - c.to_review) / c.answers if c.answers else 1.0
            line("Coding", f"{c.answers:,} free-text answers · ",
                 (f"{c.to_review:,} still to review", WARN if c.to_review else GOOD),
                 f" · {c.without_code:,} without any code")
            line("", bar(reviewed, 30, GOOD), f" {round(100 * reviewed)}% reviewed by a person")
            anon = sum(c.anonymous.values())
            staff, customers = c.people.get("internal", 0), c.people.get("customer", 0)
            line("People", f"{staff:,} staff · {customers:,} customers answered",
                 (f" (+{anon:,} anonymous answers, not counted as people)" if anon else "", DIM))
        line("Prioritising", f"{d.themes} themes · {d.opportunities} opportunities: {d.shortlisted} on the short list "
             f"(limit {d.shortlist_limit})", (f", {d.candidates} candidates to score" if d.candidates else "", DIM))
        if d.shortlist_warning:
            line("", ("⚠ " + d.shortlist_warning, BAD))
        if c and c.hidden:
            hidden = ", ".join(f"{n:,} answers restricted to {dep}" for dep, n in sorted(c.hidden.items()))
            line("Not shown", (f"{hidden} (not readable by reviewer {self.rapp.reviewer.name}; "
                               "see CNA_REVIEWER_DEPARTMENTS)", DIM))
        nxt = ("2 Answers, then u: code the answers still to review" if c is None or c.to_review else
               "3 Themes: compare what staff believe with what customers said")
        line("Next step", (nxt, "italic"))
        if self.memo is not None:
            line("Memo", (f"{self.memo.author} · {self.memo.updated_at:%Y-%m-%d}"
                          + (" · in the report" if self.memo.in_report else "") + "\n", DIM))
            t.append_text(Text(self.memo.text, style="italic"))
        return t
