"""The dashboard's customer-sample panel on the demo: response per stratum, hidden for a round without a sample."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import DataTable, Select, Static

from storage.models import Assessment
from tests.tui.helpers import SIZE, make_app, query, settle
from tui.widgets.sample_panel import SamplePanel


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_sample_panel_shows_response_per_stratum(demo_url):
    app = make_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(SamplePanel)
        assert panel.display
        table = panel.query_one("#sample-table", DataTable)
        keys = [k.value for k in table.rows]
        assert keys[-1] == "total" and "current / North" in keys and len(keys) == 10
        total = [str(c) for c in table.get_row("total")]
        assert total[1:7] == ["120", "18", "18", "8", "8", "7"] and total[-1].endswith("39%")
        assert "seed nordwind-2026" in text_of(app, "#sample-title")
        # Strata with fewer in play than the target are marked; the demo's are all at target.
        assert "below target" not in text_of(app, "#sample-title")
        # The first round has no sample: the panel goes away.
        first = (await query(demo_url, select(Assessment.id).order_by(Assessment.id)))[0][0]
        await pilot.press("r")
        app.screen.query_one("#round-picker", Select).value = first
        await settle(pilot)
        assert not app.screen.query_one(SamplePanel).display
