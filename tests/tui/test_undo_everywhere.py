"""One undo stack for the whole review app (issue 18): every change is undoable and named, on any screen."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import DataTable, Input

from storage.models import Assessment, Coding, Opportunity, OpportunityTheme
from tests.tui.helpers import SIZE, make_app, query, settle


async def human_codes(url: str, answer_id: int) -> set[str]:
    return {c for (c,) in await query(url, select(Coding.code_id).where(Coding.answer_id == answer_id,
                                                                       Coding.source == "human"))}


def select_opportunity(screen, oid: int) -> None:
    screen.query_one("#opps", DataTable).move_cursor(row=[o.id for o in screen.ranking.opportunities].index(oid))


async def test_delete_then_undo_brings_the_opportunity_back_not_a_code_elsewhere(demo_url):
    """del, y, ctrl+z on the Opportunities screen used to undo a tag on the Answers screen instead."""
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        answer_id = app.screen.current.id
        untouched = await human_codes(demo_url, answer_id)
        code = next(c.id for c in app.screen.codes if c.kind == "code" and c.id not in untouched)
        await pilot.press("t", *code, "enter")
        await settle(pilot)
        tagged = await human_codes(demo_url, answer_id)
        assert tagged == untouched | {code}
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        victim = screen.ranking.opportunities[1]
        themes = await query(demo_url, select(OpportunityTheme.code_id).where(
            OpportunityTheme.opportunity_id == victim.id))
        select_opportunity(screen, victim.id)
        await pilot.press("delete", "y")
        await settle(pilot)
        assert not await query(demo_url, select(Opportunity.id).where(Opportunity.id == victim.id))
        await pilot.press("ctrl+z")
        await settle(pilot)
        [(title, scores, phase)] = await query(demo_url, select(Opportunity.title, Opportunity.scores,
                                                                Opportunity.phase).where(Opportunity.id == victim.id))
        assert (title, scores, phase) == (victim.title, victim.scores, victim.phase)
        assert await query(demo_url, select(OpportunityTheme.code_id).where(
            OpportunityTheme.opportunity_id == victim.id)) == themes
        assert await human_codes(demo_url, answer_id) == tagged  # the tag on screen 2 is untouched
        assert screen.selected is not None and screen.selected.id == victim.id  # and the cursor is on it again
        # the next ctrl+z reaches the tag on the Answers screen, and says where it is
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert await human_codes(demo_url, answer_id) == untouched
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Undone: delete opportunity") and "(on the" not in m for m in messages)
        assert any(m.startswith(f"Undone: tag {code}") and m.endswith("(on the Answers screen)") for m in messages)


async def test_every_opportunity_edit_and_the_weights_are_undoable(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        o = screen.ranking.opportunities[0]
        [(settings,)] = await query(demo_url, select(Assessment.settings).where(Assessment.id == app.round_id))

        async def current() -> tuple:
            return (await query(demo_url, select(Opportunity.title, Opportunity.scores, Opportunity.phase,
                                                 Opportunity.shortlisted).where(Opportunity.id == o.id)))[0]

        original = await current()
        await pilot.press("e")
        app.screen.query_one(Input).value = "Renamed"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s", "1", "enter")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("w", "9", "enter")
        await settle(pilot)
        assert (await current()) != original
        [(changed,)] = await query(demo_url, select(Assessment.settings).where(Assessment.id == app.round_id))
        assert changed["weights"]["benefit"] == 9
        labels = [c.label for c, _where in app.undo_stack]
        assert labels == [f"rename opportunity '{o.title}'", "score opportunity 'Renamed'",
                          "take off the short list opportunity 'Renamed'" if o.shortlisted
                          else "short-list opportunity 'Renamed'", "change the criterion weights"]
        for _ in labels:
            await pilot.press("ctrl+z")
            await settle(pilot)
        assert await current() == original
        assert (await query(demo_url, select(Assessment.settings).where(Assessment.id == app.round_id)))[0][0] \
            == settings
        await pilot.press("n", *"Mobile quotes", "enter")
        await settle(pilot)
        assert screen.selected.title == "Mobile quotes"  # the cursor follows the new opportunity
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not await query(demo_url, select(Opportunity.id).where(Opportunity.title == "Mobile quotes"))


async def test_palette_names_what_undo_reverts(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("n", *"Mobile quotes", "enter")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Undo: create opportunity 'Mobile quotes' (on Opportunities)" in titles
