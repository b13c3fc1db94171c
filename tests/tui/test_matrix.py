"""The code x segment matrix on the Themes screen: people per role and segment, enter drills down (issue 18)."""

from __future__ import annotations

from tests.tui.helpers import SIZE, make_app, settle
from tui.widgets.matrix import CodeMatrix


async def test_the_matrix_counts_people_per_segment_and_drills_down_to_the_answers(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        matrix = app.screen.query_one(CodeMatrix)
        assert app.focused is matrix
        segment = "customer:current"
        # "price" when the demo's current customers mention it; which codes they do depends on the interviewer's
        # follow-ups (each one draws the demo's next answer), so otherwise the first code they do mention.
        cards = sorted(app.screen.cards, key=lambda c: c.code_id != "price")
        card = next(c for c in cards if c.by_segment.get(segment))
        assert matrix.segments[0].startswith("internal:") and segment in matrix.segments
        row, col = matrix.get_row_index(card.code_id), matrix.segments.index(segment) + 1
        assert str(matrix.get_cell_at((row, col))).strip() == str(card.by_segment[segment])
        assert str(matrix.get_cell_at((row, len(matrix.segments) + 2))).strip() == str(card.customer.people)
        matrix.move_cursor(row=row, column=col)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "answers"
        screen = app.screen
        assert screen.filter.code_id == card.code_id and screen.filter.segment == segment
        assert screen.rows and all(r.segment == segment and card.code_id in r.codes for r in screen.rows)
        assert len({r.ladder_key for r in screen.rows}) >= card.by_segment[segment]  # each person: a ladder at least
