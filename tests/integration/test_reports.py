"""The CNA report from demo data: both formats and languages, self-contained HTML, privacy and escaping."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from core.access import Reviewer
from reports import render_report
from reports.svg import Bar, fit, timeline
from storage import repos
from storage.models import Answer, Assessment, Code, Coding, Identity, Interview, Opportunity, Participant
from storage.uow import Database

EXTERNAL = re.compile(r"""(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//"""
                      r"""|@import|<link\b|<script\b|<iframe\b""", re.I)


async def _names(db: Database) -> list[str]:
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(Identity.display_name, Identity.organisation))).all()
    return sorted({x for r in rows for x in r if x})


async def _rounds(db: Database) -> tuple[int, int]:
    async with db.uow() as uow:
        ids = (await uow.session.scalars(select(Assessment.id).order_by(Assessment.id))).all()
    return ids[0], ids[-1]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_html_report_is_complete_self_contained_and_pseudonymous(demo, lang):
    html = await render_report(demo, None, "html", lang, Reviewer())
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">' in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "http://" not in html and "https://" not in html
    assert "Noto Sans CJK SC" in html and "@media print" in html and "break-before: page" in html
    # the roadmap chart: inline SVG with every scheduled short-listed project and the next refresh marker
    svg = re.search(r'<svg class="chart timeline".*?</svg>', html, re.S)
    assert svg, "roadmap SVG missing"
    for title in ("Proactive order status messages", "Fixed-price service contracts"):
        assert title in svg.group(0)
    # not scored on competitive position: a candidate, so neither on the short list nor on the roadmap
    assert "Mobile visit notes" not in svg.group(0) and "Mobile visit notes" in html
    assert ("Next assessment" if lang == "en" else "下次评估") in svg.group(0)
    assert '<svg class="chart gap"' in html
    labels = (["Participation", "Top themes by segment", "Internal belief vs customer reality", "Ratings and choices",
               "Coding agreement", "Prioritised opportunities", "Roadmap", "Next assessment", "Method",
               "Compared with the previous round"]
              if lang == "en" else
              ["参与情况", "各群体的主要主题", "内部认知与客户现实", "评分与选择题", "编码一致性", "优先级排序的机会",
               "路线图", "下次评估", "方法", "与上一轮比较"])
    for label in labels:
        assert label in html, label
    assert ("10 Jan 2028" if lang == "en" else "2028年1月10日") in html  # opened 2026-07-10 + 18 months
    assert "What do our customers really need and value?" in html
    for name in await _names(demo):  # participants' names and organisations never appear
        assert name not in html, name
    async with demo.uow() as uow:
        pseudonyms = (await uow.session.scalars(select(Participant.pseudonym))).all()
    assert not [p for p in pseudonyms if p in html]  # quotes carry the segment only


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_markdown_report_has_every_section(demo, lang):
    md = await render_report(demo, None, "md", lang, Reviewer())
    heads = re.findall(r"^## (\d+)\. ", md, re.M)
    assert heads == [str(i) for i in range(1, 13)]  # 6 "Ratings and choices" (closed questions) is new
    assert "```mermaid\ngantt" in md and "Phase 1  quick wins" in md  # ':' is not allowed in mermaid names
    assert "| 1 | **Proactive order status messages**" in md
    themes = len(re.findall(r"^\*\*.+\*\*: (?:\d+%|not asked|未被问到)", md, re.M))
    quotes = len(re.findall(r"^> “", md, re.M))
    assert themes >= 20 and quotes >= themes - 3  # nearly every theme shows a representative answer
    if lang == "zh":
        assert "## 8. 路线图" in md and "内部员工 · 销售" in md
    for name in await _names(demo):
        assert name not in md
    block: list[int] = []
    for line in [*md.splitlines(), ""]:  # every table row has as many cells as its header
        if line.startswith("|"):
            block.append(len(re.findall(r"(?<!\\)\|", line)))
        elif block:
            assert len(set(block)) == 1, block
            block = []
    assert "Raise the renewal rate from 80% to 88% by Q4 2027 (SMART)" in md or lang == "zh"


async def test_first_round_has_no_comparison_and_the_second_has_one(demo):
    first, second = await _rounds(demo)
    md1 = await render_report(demo, first, "md", "en", Reviewer())
    md2 = await render_report(demo, second, "md", "en", Reviewer())
    assert "Compared with the previous round" not in md1 and "## 12." not in md1
    assert "Round 2 followed; it opened on 10 Jul 2026." in md1 and "(overdue)" not in md1
    assert "## 12. Compared with the previous round" in md2 and "Round 1" in md2


async def test_html_escapes_what_people_typed(demo):
    _, round_id = await _rounds(demo)
    async with demo.uow() as uow:
        a = await uow.session.get(Assessment, round_id)
        a.key_questions = [*a.key_questions, "<script>alert('q')</script> & more"]
        uow.session.add(Opportunity(assessment_id=round_id, title="<img src=x onerror=alert(1)> | pipes",
                                    scores={"benefit": 5, "cost": 1, "strategic_fit": 5, "culture_change": 1,
                                            "unit_support": 5, "competitive_position": 5}, phase="Phase 1: <b>",
                                    start_on=date(2026, 9, 1), end_on=date(2026, 10, 1)))
        await uow.commit()
    html = await render_report(demo, round_id, "html", "en", Reviewer())
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt; &amp; more" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    md = await render_report(demo, round_id, "md", "en", Reviewer())
    row = next(line for line in md.splitlines() if "onerror" in line and line.startswith("| 1 |"))
    assert "\\| pipes" in row  # a pipe in a title does not split the table row


async def test_restricted_quote_only_for_reviewers_of_its_department(tmp_path):
    db = await Database.open(f"sqlite:///{tmp_path}/r.db")
    secret = "Payroll runs late every quarter because approvals sit in e-mail"
    try:
        async with db.uow() as uow:
            s = uow.session
            a = await repos.create_assessment(s, name="Restricted", opened_on=date(2026, 1, 5))
            await repos.sync_codes(s, [{"id": "speed", "label_en": "Speed"}])
            sv = await repos.ensure_script_version(
                s, script_id="internal-finance", lang="en", version=1, title="Finance", audience="internal:finance",
                body={"questions": [{"id": "q1", "kind": "open", "text": "What slows you down?"}]})
            for i, (text, dep) in enumerate(((secret, "finance"), ("Invoices take a week to approve", None))):
                p = await repos.participant_for_name(s, f"Person {i}", kind="internal", role="finance")
                iv = Interview(assessment_id=a.id, participant_id=p.id, script_id="internal-finance",
                               script_version_id=sv.id, lang="en", segment="internal:finance", status="completed")
                s.add(iv)
                await s.flush()
                ans = Answer(assessment_id=a.id, interview_id=iv.id, ladder_key=f"L{i}", script_id="internal-finance",
                             question_id="q1", segment="internal:finance", lang="en", text=text, department=dep)
                s.add(ans)
                await s.flush()
                s.add(Coding(answer_id=ans.id, code_id="speed", source="human", status="applied", coder="lead"))
            await uow.commit()
            round_id = a.id
        for fmt in ("html", "md"):
            hidden = await render_report(db, round_id, fmt, "en", Reviewer("lead", frozenset({"sales"})))
            shown = await render_report(db, round_id, fmt, "en", Reviewer("cfo", frozenset({"finance"})))
            assert secret not in hidden and "Invoices take a week" in hidden
            assert secret in shown
            assert "Restricted answers not shown to this reader" in hidden
            assert "Restricted answers not shown" not in shown
    finally:
        await db.close()


async def test_report_of_an_empty_round_still_renders(tmp_path):
    db = await Database.open(f"sqlite:///{tmp_path}/e.db")
    try:
        async with db.uow() as uow:
            await repos.create_assessment(uow.session, name="Empty", opened_on=date(2026, 2, 1))
            uow.session.add(Code(id="x", label_en="X"))
            await uow.commit()
        for fmt in ("md", "html"):
            for lang in ("en", "zh"):
                out = await render_report(db, None, fmt, lang, Reviewer())
                assert ("No opportunities recorded yet." in out) or ("尚未记录机会。" in out)
    finally:
        await db.close()


def test_svg_timeline_and_text_fitting():
    assert timeline([], [], "en", "x") == ""
    svg = timeline([Bar("Alpha & <beta>", "Phase 1", date(2026, 1, 1), date(2026, 3, 1)),
                    Bar("销售漏斗报表", "阶段二", date(2026, 2, 1), date(2026, 6, 30))],
                   [(date(2026, 5, 1), "Next")], "zh", "Roadmap")
    assert svg.startswith('<svg class="chart timeline"') and "xmlns" not in svg
    assert "Alpha &amp; &lt;beta&gt;" in svg and "销售漏斗报表" in svg and 'stroke-dasharray="4 3"' in svg
    assert fit("short", 100, 12) == "short"
    cut = fit("一个非常非常非常长的中文项目名称", 60, 12)
    assert cut.endswith("…") and len(cut) < 8
