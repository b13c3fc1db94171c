"""Filters by a key each and from the palette, ↑/↓ always in the list, search hits marked, no stale search box
after a jump, and a status line that says what is shown (issue 18)."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from tests.tui.helpers import SIZE, make_app, settle
from tui.widgets.ladder import SEARCH_HIT


def hit_words(text) -> list[str]:
    """The words a rich Text or a rendered Content shows in the search-hit style (bold reverse amber)."""
    def is_hit(style) -> bool:
        return str(style) == SEARCH_HIT or (getattr(style, "reverse", False) and getattr(style, "bold", False)
                                            and "255, 175, 0" in str(getattr(style, "foreground", "")))

    return [text.plain[s.start:s.end].lower() for s in text.spans if is_hit(s.style)]


async def test_a_filter_key_opens_its_dropdown_and_the_arrows_stay_in_the_list(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        await pilot.press("s")
        segment = screen.query_one("#f-segment", Select)
        assert segment.expanded and app.focused is not screen.table
        await pilot.press("down", "down", "enter")  # internal (all roles), then customer (all segments)
        await settle(pilot)
        assert screen.filter.segment == "customer" and app.focused is screen.table
        assert all(r.segment.startswith("customer:") for r in screen.rows)
        segment.focus()
        await pilot.press("down", "down")
        await settle(pilot)
        assert not segment.expanded and app.focused is screen.table and screen.table.cursor_row == 2
        screen.query_one("#f-search", Input).focus()
        await pilot.press("down")
        assert app.focused is screen.table and screen.table.cursor_row == 3
        titles = {title for title, _help, _action in screen.commands()}
        assert {"Answers: Segment", "Answers: Script", "Answers: Question", "Answers: Code filter",
                "Answers: To review", "Answers: Disagreements", "Answers: Search"} <= titles


async def test_search_hits_are_marked_and_a_jump_leaves_no_stale_search(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        await pilot.press("slash", *"invoice", "enter")
        await settle(pilot)
        assert screen.rows and screen.filter.search == "invoice"
        cell = screen.table.get_row_at(0)[-1]
        assert "invoice" in hit_words(cell)
        assert "invoice" in hit_words(screen.query_one("#ladder", Static).render())
        assert "matching “invoice”" in str(screen.query_one("#answers-status", Static).render())
        other = next(r for r in screen.rows if r.ladder_key != screen.rows[0].ladder_key) if len(
            {r.ladder_key for r in screen.rows}) > 1 else screen.rows[0]
        app.show_ladder(other.ladder_key, other.id)
        await settle(pilot)
        assert screen.filter.ladder_key == other.ladder_key
        assert screen.query_one("#f-search", Input).value == ""  # the box shows what is listed: one ladder
        status = str(screen.query_one("#answers-status", Static).render())
        assert status.startswith(f"all {len(screen.rows)} answers · one ladder shown") and "load" not in status
        await pilot.press("escape")
        await settle(pilot)
        assert screen.filter.search == "invoice" and screen.query_one("#f-search", Input).value == "invoice"


async def test_the_status_says_how_more_answers_load(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        status = str(app.screen.query_one("#answers-status", Static).render())
        assert status.startswith("100 of ") and "the next 100 load at the last row (or m)" in status
