"""The lead marks the prober's decisions in the review app; the marks are stored with who and when, and retrain."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Answer, ProbeMark
from tests.tui.helpers import SIZE, make_app, query, settle


async def _move_to(pilot, screen, want) -> object:
    for _ in range(200):
        row = screen.current
        if row is not None and want(row.id):
            return row
        await pilot.press("down")
        await settle(pilot)
    raise AssertionError("no such row on the first page")


async def test_should_have_probed_and_needless_marks_toggle_and_are_stored(demo_url):
    decisions = dict(await query(demo_url, select(Answer.id, Answer.decision)))
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        unprobed = await _move_to(pilot, screen, lambda i: decisions.get(i) == "specific")
        await pilot.press("P")
        await settle(pilot)
        marks = await query(demo_url, select(ProbeMark.answer_id, ProbeMark.verdict, ProbeMark.reviewer))
        assert [(m[0], m[1]) for m in marks] == [(unprobed.id, "should_probe")] and marks[0][2]
        # A follow-up was never asked after this answer, so it cannot be needless: refused, nothing changes.
        await pilot.press("N")
        await settle(pilot)
        assert len(await query(demo_url, select(ProbeMark.id))) == 1
        await pilot.press("P")  # again: unmark
        await settle(pilot)
        assert await query(demo_url, select(ProbeMark.id)) == []
        probed = await _move_to(pilot, screen, lambda i: (decisions.get(i) or "").startswith("surface"))
        await pilot.press("N")
        await settle(pilot)
        assert [(m[0], m[1]) for m in await query(demo_url, select(ProbeMark.answer_id, ProbeMark.verdict))] == [
            (probed.id, "needless")]


async def test_a_probe_mark_is_undone_like_any_other_change(demo_url):
    decisions = dict(await query(demo_url, select(Answer.id, Answer.decision)))
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = pilot.app.screen
        row = await _move_to(pilot, screen, lambda i: decisions.get(i) == "specific")
        await pilot.press("P")
        await settle(pilot)
        assert await query(demo_url, select(ProbeMark.answer_id)) == [(row.id,)]
        assert app.undo_stack[-1][0].label == f"mark answer #{row.id}: should have probed"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert await query(demo_url, select(ProbeMark.id)) == []
