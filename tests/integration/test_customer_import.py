"""Customer lists as CRMs and Excel really write them: GB18030 CSV, semicolon CSV with BOM, .xlsx with merged
header cells, repeated keys, and values that must be refused with their row and column."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from app.customer_files import FileProblem, read_table
from core.customer_rows import MappingError, check_rows, map_columns, parse_pairs
from storage.customers import customers_with_contacts, upsert_customers
from storage.uow import Database


def _check(path: Path, mapping: str | None = None, segments: str | None = None):
    table = read_table(path)
    cmap = map_columns(table.headers, parse_pairs(mapping, "--map"))
    assert not cmap.missing()
    return table, check_rows(table.headers, table.rows, cmap, parse_pairs(segments, "--segment-values"))


def test_gb18030_csv_as_chinese_excel_saves_it(tmp_path):
    # Excel on a Chinese Windows: "CSV (逗号分隔)" is GB18030/GBK, CRLF, no BOM, quotes around commas.
    text = ("客户编号,公司名称,联系人,客户类型,地区,邮箱\r\n"
            "C-001,\"北京某某科技有限公司, 分公司\",张伟,现有客户,华北,zhang@example.cn\r\n"
            "C-002,上海某某贸易,李娜,流失客户,华东,\r\n"
            "C-003,广州某某,王芳,潜在客户,华南,wang@example.cn\r\n")
    f = tmp_path / "客户.csv"
    f.write_bytes(text.encode("gb18030"))
    table, checked = _check(f)
    assert table.encoding == "gb18030" and table.delimiter == ","
    assert not checked.problems
    first = checked.records[0]
    assert (first.key, first.organisation, first.contact, first.segment) == (
        "C-001", "北京某某科技有限公司, 分公司", "张伟", "current")
    assert [r.segment for r in checked.records] == ["current", "past", "prospective"]
    assert first.attributes == {"地区": "华北"}
    assert checked.records[1].email is None


def test_semicolon_csv_with_bom_and_german_headers(tmp_path):
    text = ("\ufeffKundennummer;Firma;Ansprechpartner;Kundentyp;Gebiet;Umsatz\n"
            "K-1;Müller GmbH;Frau Schmidt;Bestand;Nord;1.234,50\n"
            "K-2;Weber AG;Herr Becker;Verloren;Süd;99,00\n")
    f = tmp_path / "kunden.csv"
    f.write_bytes(text.encode("utf-8"))
    table, checked = _check(f, "region=Gebiet", "Bestand=current,Verloren=past")
    assert table.encoding == "utf-8-sig" and table.delimiter == ";"
    assert not checked.problems
    assert [(r.key, r.segment, r.attributes["region"]) for r in checked.records] == [
        ("K-1", "current", "Nord"), ("K-2", "past", "Süd")]
    assert checked.records[0].attributes["umsatz"] == "1.234,50"
    assert checked.records[0].organisation == "Müller GmbH"


def test_xlsx_with_a_banner_and_merged_header_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws["A1"] = "CRM export 2026-12-01"
    ws.merge_cells("A1:F1")  # a title banner across the sheet
    ws["A2"], ws["B2"], ws["C2"], ws["E2"], ws["F2"] = "Customer ID", "Company", "Contact", "Segment", "Region"
    for col in "ABEF":
        ws.merge_cells(f"{col}2:{col}3")  # single headers spanning both header rows
    ws.merge_cells("C2:D2")  # a group heading over two columns
    ws["C3"], ws["D3"] = "Name", "Email"
    ws.append([1001, "Acme Ltd", "J. Doe", "j.doe@acme.example", "Current", "North"])
    ws.append([1002, "Beta plc", "A. Roe", None, "prospect", "South"])
    f = tmp_path / "crm.xlsx"
    wb.save(f)
    table = read_table(f)
    assert table.headers == ["Customer ID", "Company", "Contact / Name", "Contact / Email", "Segment", "Region"]
    assert [n for n, _ in table.rows] == [4, 5]
    cmap = map_columns(table.headers, parse_pairs("contact=Contact / Name", "--map"))
    checked = check_rows(table.headers, table.rows, cmap)
    assert not checked.problems
    r = checked.records[0]
    assert (r.key, r.organisation, r.contact, r.email, r.segment, r.attributes) == (
        "1001", "Acme Ltd", "J. Doe", "j.doe@acme.example", "current", {"region": "North"})
    assert checked.records[1].segment == "prospective"


def test_duplicate_keys_keep_the_first_row(tmp_path):
    f = tmp_path / "dups.csv"
    f.write_text("key,segment,organisation\nA-1,current,Acme\nB-2,past,Beta\na-1 ,current,Acme\n"
                 "B-2,current,Beta (moved)\n", encoding="utf-8")
    _, checked = _check(f)
    assert [r.key for r in checked.records] == ["A-1", "B-2"]
    assert checked.duplicates == ["row 4 repeats key 'a-1' of row 2 with the same values; row 2 is kept",
                                  "row 5 repeats key 'B-2' of row 3 with different values; row 3 is kept"]


def test_bad_values_are_named_by_row_and_column(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("Customer ID;Type;Slack;E-mail\nX1;current;U0123ABCD;x@example.com\nX2;gold;;\n"
                 ";past;;\nX4;past;jdoe;not-an-address\n", encoding="utf-8")
    _, checked = _check(f)
    assert [str(p) for p in checked.problems] == [
        "row 3, column 'Type': segment 'gold' is not current, past or prospective; fix the file or map it: "
        "--segment-values 'gold=current'",
        "row 4, column 'Customer ID': the customer key is empty; every customer needs one",
        "row 5, column 'E-mail': 'not-an-address' is not an e-mail address (name@example.com); correct it or "
        "leave it empty",
        "row 5, column 'Slack': 'jdoe' is not a Slack user id (U…) or a Slack Connect channel id (C…); copy it "
        "from the profile or leave it empty",
    ]
    assert [r.key for r in checked.records] == ["X1"]
    assert checked.records[0].slack_user == "U0123ABCD"


def test_mapping_errors_say_which_columns_exist(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("id,kind\n1,current\n", encoding="utf-8")
    table = read_table(f)
    with pytest.raises(MappingError, match="no column 'Kundentyp'; its columns are 'id', 'kind'"):
        map_columns(table.headers, parse_pairs("segment=Kundentyp", "--map"))
    with pytest.raises(MappingError, match="not NAME=VALUE"):
        parse_pairs("segment", "--map")
    assert map_columns(table.headers, {}).missing() == ["segment"]
    with pytest.raises(FileProblem, match="no such file"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf")
    with pytest.raises(FileProblem, match=r"save it as \.xlsx"):
        read_table(tmp_path / "old.xls")


async def test_reimport_updates_by_key(tmp_path, sqlite_url):
    db = await Database.open(sqlite_url)
    f = tmp_path / "l.csv"
    f.write_text("key,segment,region,contact\nA,current,N,Ann\nB,past,S,Bob\n", encoding="utf-8")
    _, checked = _check(f)
    now = datetime.now(UTC)
    async with db.uow() as uow:
        counts = await upsert_customers(uow.session, checked.records, now)
        await uow.commit()
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)
    f.write_text("key,segment,region,contact\nA ,current,N,Ann\nB,current,S,Bob\nC,prospective,N,Cy\n",
                 encoding="utf-8")
    _, checked = _check(f)
    async with db.uow() as uow:
        counts = await upsert_customers(uow.session, checked.records, now)
        await uow.commit()
        rows = await customers_with_contacts(uow.session)
    assert (counts.new, counts.updated, counts.unchanged) == (1, 1, 1)
    assert sorted((k.key, c.segment) for c, k in rows if k) == [("A", "current"), ("B", "current"),
                                                                ("C", "prospective")]
    await db.close()
