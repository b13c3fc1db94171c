"""80x24 works on every screen (issue 18): the essential column of each screen in view, the names state always
visible, and every width measured in terminal cells so Chinese titles keep the roadmap aligned."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from textual.widgets import DataTable, Static

from tests.tui.helpers import make_app, settle
from tui.widgets.gantt import Item, gantt


def visible_columns(table: DataTable) -> list[str]:
    """Labels of the columns that end inside the table's visible width."""
    right, out = 0, []
    for col in table.ordered_columns:
        right += col.get_render_width(table)
        if right <= table.size.width:
            out.append(str(col.label))
    return out


async def test_every_screen_keeps_its_essential_column_at_80x24(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert screen.table.columns["text"].width >= 40
        assert "Answer" in visible_columns(screen.table)
        ladder = screen.query_one("#detail")
        assert ladder.region.height >= 6 and ladder.region.bottom <= 24  # the ladder is on screen
        assert "QUESTION" in str(screen.query_one("#ladder", Static).render())
        await pilot.press("3")
        await settle(pilot)
        assert {"Staff", "Customers"} <= set(visible_columns(app.screen.query_one("#board-table", DataTable)))
        await pilot.press("g")
        await settle(pilot)
        assert "Gap" in visible_columns(app.screen.query_one("#gap-table", DataTable))
        await pilot.press("4")
        await settle(pilot)
        assert {"κ", "95% CI"} <= set(visible_columns(app.screen.query_one("#kappa", DataTable)))
        await pilot.press("5")
        await settle(pilot)
        opps = visible_columns(app.screen.query_one("#opps", DataTable))
        assert {"Score", "⚠", "Ben", "Unit"} <= set(opps)
        assert app.screen.query_one("#roadmap-box").region.bottom <= 24


async def test_the_names_state_is_always_visible(demo_url):
    for width in (80, 120, 150):
        app = make_app(demo_url)
        async with app.run_test(size=(width, 24)) as pilot:
            for key in "12345":
                await pilot.press(key)
                await settle(pilot)
                nav = str(app.screen.query_one("#nav", Static).render())
                assert "names hidden" in nav and cell_len(nav.rstrip()) <= width, (width, key, nav)
            await pilot.press("h")
            await settle(pilot)
            nav = str(app.screen.query_one("#nav", Static).render())
            assert "NAMES SHOWN" in nav, (width, nav)


def test_the_roadmap_pads_chinese_titles_by_cells():
    items = [Item("移动报价和拜访记录", "第一阶段", date(2026, 9, 1), date(2026, 11, 30)),
             Item("Proactive order status", "第一阶段", date(2026, 10, 1), date(2027, 1, 31)),
             Item("客户统一视图 🚀 ERP", "Phase 2", date(2027, 1, 1), date(2027, 6, 30))]
    rows = [line for line in gantt(items, width=40, label=20).plain.splitlines() if "█" in line and "██ " not in line]
    assert len(rows) == 3
    starts = {cell_len(line[:min(i for i, ch in enumerate(line) if ch in "·█")]) for line in rows}
    ends = {cell_len(line) for line in rows}
    assert starts == {21} and ends == {61}  # bars start in the same column and end at the same width
