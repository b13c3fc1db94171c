"""The cursor follows the item through re-ranking, creating and filtering (issue 18), so the next key edits
the item the lead was looking at."""

from __future__ import annotations

from textual.widgets import DataTable, Select

from tests.tui.helpers import SIZE, make_app, settle


async def test_rescoring_moves_the_opportunity_and_the_cursor_with_it(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        scored = [o for o in screen.ranking.opportunities if o.score is not None]
        top = scored[0]
        table = screen.query_one("#opps", DataTable)
        table.move_cursor(row=screen.ranking.opportunities.index(top))
        await settle(pilot)
        await pilot.press("s", "1", "5", "1", "5", "1", "1", "enter")  # now the worst bet of all
        await settle(pilot)
        assert [o.id for o in screen.ranking.opportunities].index(top.id) != 0  # it moved down the ranking
        assert screen.selected.id == top.id  # and the cursor went with it
        await pilot.press("n", *"Quote on the phone", "enter")
        await settle(pilot)
        assert screen.selected.title == "Quote on the phone"


async def test_a_filter_keeps_the_answer_under_the_cursor_when_it_still_matches(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        segment = screen.rows[30].segment
        screen.table.move_cursor(row=30)
        await settle(pilot)
        answer = screen.current.id
        screen.query_one("#f-segment", Select).value = segment
        await settle(pilot)
        assert all(r.segment == segment for r in screen.rows)
        assert screen.current.id == answer and screen.table.cursor_row > 0


async def test_a_new_theme_is_selected_on_the_board(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("T", *"Quotes by phone", "enter")
        await settle(pilot)
        board = app.screen.query_one("#board-table", DataTable)
        key = board.coordinate_to_cell_key(board.cursor_coordinate).row_key.value
        assert key == "theme-quotes-by-phone"
