"""The dashboard's customer-sample panel: per stratum, drawn, invited, started, completed and the response rate,
with strata below their target marked (hidden when the round has no sample)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from app.sampling import SampleProgress, StratumProgress
from tui.widgets.bars import BAD, DIM, GOOD, WARN, stacked

COLUMNS = (("Stratum", "stratum", 24), ("List", "pop", 6), ("Target", "target", 6), ("Drawn", "drawn", 6),
           ("Invited", "inv", 7), ("Started", "started", 7), ("Done", "done", 6), ("Lost", "lost", 5),
           ("Response", "bar", 20))


class SamplePanel(Vertical):
    """Filled by `show(progress)`; `progress` None hides it."""

    DEFAULT_CSS = """
    SamplePanel { height: auto; max-height: 14; display: none; }
    SamplePanel > DataTable { height: auto; max-height: 12; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="sample-title")
        yield DataTable(id="sample-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#sample-table", DataTable)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)

    def show(self, progress: SampleProgress | None) -> None:
        self.display = progress is not None
        if progress is None:
            return
        sm = progress.sample
        below = [x for x in progress.strata if x.in_play < x.target]
        title = Text.assemble(("Customer sample", "bold"), f" · by {', '.join(sm.strata_by)} · {sm.allocation}"
                              f" · seed {sm.seed}",
                              (f" · {len(below)} below target: cna sample top-up" if below else "", WARN))
        self.query_one("#sample-title", Static).update(title)
        table = self.query_one("#sample-table", DataTable)
        table.clear()
        for x in [*progress.strata, progress.total()]:
            table.add_row(*self._cells(x, x.in_play < x.target), key=x.stratum)

    @staticmethod
    def _cells(x: StratumProgress, short: bool) -> list[object]:
        n = max(x.drawn, 1)
        bar = stacked([(x.completed / n, GOOD), ((x.started - x.completed) / n, WARN),
                       ((x.declined + x.erased) / n, BAD)], 12)
        bar.append(f" {round(100 * x.completed / n):3d}%")
        label = Text(x.stratum, style="bold" if x.stratum == "total" else "")
        if short and x.stratum != "total":
            label.append(" ▼", style=WARN)
        return [label, *(f"{v:,}" for v in (x.population, x.target, x.drawn, x.invited, x.started, x.completed)),
                Text(f"{x.declined + x.erased:,}", style=BAD if x.declined + x.erased else DIM), bar]
