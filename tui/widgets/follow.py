"""Selection that follows the item: a table's cursor goes back to the same row key after a refill."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist


def key_at_cursor(table: DataTable[object]) -> str | None:
    """The row key under the cursor (None for an empty table)."""
    if not table.row_count:
        return None
    try:
        value = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except (RowDoesNotExist, CellDoesNotExist):  # the cursor is past a table that just shrank
        return None
    return value


def follow(table: DataTable[object], key: str | None, index: int) -> None:
    """Put the cursor on the row `key` wherever sorting, ranking or filtering moved it; else near `index`."""
    if not table.row_count:
        return
    if key is not None:
        try:
            table.move_cursor(row=table.get_row_index(key), scroll=True)
            return
        except RowDoesNotExist:
            pass
    table.move_cursor(row=min(max(index, 0), table.row_count - 1))
