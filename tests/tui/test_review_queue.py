"""'To review' (u) keeps an answer until every proposal on it is decided, and a second code can be added there."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Coding
from tests.tui.helpers import SIZE, make_app, query, settle


async def human(url: str, answer_id: int) -> dict[str, str]:
    return {c: st for c, st in await query(url, select(Coding.code_id, Coding.status).where(
        Coding.answer_id == answer_id, Coding.source == "human"))}


async def open_queue(pilot):
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    return pilot.app.screen


async def test_an_answer_stays_until_every_proposal_is_decided(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        # an answer whose codes are all undecided proposals, so 'a' and 'r' land on proposals, not on a theme
        index = next(i for i, r in enumerate(screen.rows) if r.pending >= 2 and len(r.codes) == r.pending)
        screen.table.move_cursor(row=index)
        await settle(pilot)
        row = screen.current
        await pilot.press("a")  # accept the first proposal: others are still undecided
        await settle(pilot)
        assert len(await human(demo_url, row.id)) == 1
        assert screen.current.id == row.id and row.id in [r.id for r in screen.rows]
        for _ in range(row.pending - 1):
            await pilot.press("right_square_bracket", "r")  # reject the others one by one
            await settle(pilot)
            if screen.current.id != row.id:
                break
        decided = await human(demo_url, row.id)
        assert len(decided) == row.pending
        assert row.id not in [r.id for r in screen.rows]  # every proposal decided: it left the queue


async def test_a_second_code_can_be_added_in_the_review_queue(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        index = next(i for i, r in enumerate(screen.rows) if not r.pending)
        screen.table.move_cursor(row=index)
        await settle(pilot)
        row = screen.current
        first, second = [c.id for c in screen.codes if c.kind == "code"][:2]
        await pilot.press("t", *first, "enter")
        await settle(pilot)
        assert screen.current.id == row.id  # coded by a person now, but still on screen while the lead is on it
        await pilot.press("t", *second, "enter")
        await settle(pilot)
        assert {first, second} <= set(await human(demo_url, row.id))
        assert screen.current.id == row.id
        await pilot.press("down")
        await settle(pilot)
        await pilot.press("c", "u")  # a fresh "to review" list no longer holds it
        await settle(pilot)
        assert row.id not in [r.id for r in screen.rows]
