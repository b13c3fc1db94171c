"""Reading a CRM export as a table: CSV in any delimiter and the encodings Excel writes, or an .xlsx workbook
(merged header cells included). Rows keep their number in the file so problems can name it."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DELIMITERS = ",;\t|"


class FileProblem(ValueError):
    """A file that cannot be read as a customer list, with what to do about it."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, 1-based, cells)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def read_table(path: Path, sheet: str | None = None) -> Table:
    if not path.is_file():
        raise FileProblem(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if path.suffix.lower() == ".xls":
        raise FileProblem(f"{path}: the old .xls format is not read; save it as .xlsx or CSV in Excel")
    return read_csv(path.read_bytes(), str(path))


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding: a BOM decides (UTF-8, UTF-16); else UTF-8; else GB18030 (Chinese Excel's 'CSV')."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise FileProblem(f"{name}: byte {exc.start} is neither UTF-8 nor GB18030; save the file as "
                          "'CSV UTF-8' in Excel") from None


def read_csv(data: bytes, name: str) -> Table:
    text, encoding = decode(data, name)
    if not text.strip():
        raise FileProblem(f"{name}: the file is empty")
    sample = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column, or a sample the sniffer cannot settle: the most frequent candidate in the header line.
        first = text.splitlines()[0]
        delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    headers: list[str] | None = None
    for cells in reader:
        number = reader.line_num  # the physical line where the record ended (quoted newlines span lines)
        if headers is None:
            if not any(c.strip() for c in cells):
                continue
            headers = [c.strip() for c in cells]
            continue
        rows.append((number, cells))
    return Table(headers or [], rows, encoding=encoding, delimiter=delimiter)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 1001 as 1001.0
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10] if getattr(value, "hour", 0) == 0 else str(value.isoformat())
    return str(value)


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    """The first sheet (or `sheet`). Merged cells take their value everywhere they span; a banner row (one value
    across the whole width) is skipped; header rows joined by a vertical merge or under a merged group heading
    become one header per column, 'Contact / Email'."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem(f"{path}: not a readable .xlsx workbook ({exc}); save it again from Excel") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise FileProblem(f"{path}: no sheet {sheet!r}; its sheets are {', '.join(wb.sheetnames)}")
    ws = wb[sheet] if sheet else wb.worksheets[0]
    grid = [[_text(c) for c in row] for row in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    spans = [(m.min_row, m.max_row, m.min_col, m.max_col) for m in ws.merged_cells.ranges]
    for r0, r1, c0, c1 in spans:
        value = grid[r0 - 1][c0 - 1]
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid[r - 1][c - 1] = value
    top = 0
    while top < len(grid) and not any(grid[top]):
        top += 1
    # A title banner: one value across every used column of its row.
    while top < len(grid) - 1 and width > 1 and len({v for v in grid[top] if v}) == 1:
        top += 1
    bottom = top
    for r0, r1, _c0, _c1 in spans:
        if r0 - 1 == top:
            bottom = max(bottom, r1 - 1)
    if bottom == top and any(r0 - 1 == top and c1 > c0 for r0, _r1, c0, c1 in spans) and top + 1 < len(grid):
        bottom = top + 1  # a group heading merged across columns: the row under it names the columns
    if top >= len(grid):
        raise FileProblem(f"{path}: the sheet {ws.title!r} is empty")
    headers = []
    for c in range(width):
        parts: list[str] = []
        for r in range(top, bottom + 1):
            v = grid[r][c].strip()
            if v and v not in parts:
                parts.append(v)
        headers.append(" / ".join(parts))
    rows = [(r + 1, grid[r]) for r in range(bottom + 1, len(grid))]
    return Table(headers, rows, sheet=ws.title)
