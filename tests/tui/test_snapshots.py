"""Snapshots of the key screens on the seeded demo data (fixed date, pseudonyms and terminal size).

Regenerate after an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update"""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.helpers import SIZE, make_app, settle


def shot(*keys: str, typed: str = ""):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if typed:
            await pilot.press(*typed)
            await settle(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the picture depend on timing
        await pilot.pause()

    return run_before


def test_dashboard(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot())


def test_answers_with_ladder(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("2", "down", "down"))


def test_code_picker(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("2", "t", typed="deliv"))


def test_themes_board(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("3"))


def test_themes_gap(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("3", "g"))


def test_agreement(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("4"))


def test_opportunities_and_roadmap(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("5"))


def test_help(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("2", "question_mark"))


def test_themes_closed_questions(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SIZE, run_before=shot("3", "q"))


# --- issue 18: 80x24 and wide terminals, Chinese data --------------------------------------------------------

SMALL, WIDE = (80, 24), (160, 45)


def test_answers_at_80x24(snap_compare, demo_url):
    """Chinese answers with 40+ cells of text and the ladder below the list."""
    assert snap_compare(make_app(demo_url), terminal_size=SMALL, run_before=shot("2", "down"))


def test_agreement_at_80x24(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SMALL, run_before=shot("4"))


def test_theme_board_at_80x24(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=SMALL, run_before=shot("3"))


def test_matrix_at_160x45(snap_compare, demo_url):
    assert snap_compare(make_app(demo_url), terminal_size=WIDE, run_before=shot("3", "x"))


def test_chinese_roadmap_at_80x24(snap_compare, demo_url):
    """A Chinese opportunity title in the roadmap: bars still start in one column."""

    async def run_before(pilot) -> None:
        await shot("5")(pilot)
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "主动推送订单状态 🚚"
        await pilot.press("enter")
        await shot()(pilot)

    assert snap_compare(make_app(demo_url), terminal_size=SMALL, run_before=run_before)
