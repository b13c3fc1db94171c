"""The report's customer-sample section on the demo: per stratum, the representativeness check and its margin,
design weights stated as such, both languages, and no customer's name anywhere."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.access import Reviewer
from reports import render_report
from storage.customers_models import CustomerContact
from storage.models import Assessment


def _section(md: str, title: str) -> str:
    return md.split(f"### {title}", 1)[1].split("\n## ", 1)[0]


async def test_sample_section_states_the_sample(demo):
    md = await render_report(demo, None, "md", "en", Reviewer())
    sec = _section(md, "Customer sample")
    assert "18 of 120 customers on the list were drawn at random within strata by segment, region" in sec
    assert "seed nordwind-2026" in sec
    total = next(line for line in sec.splitlines() if line.startswith("| **Total**"))
    assert re.sub(r"[*\s]", "", total) == "|Total|120||18|7||39%||"
    flagged = [line for line in sec.splitlines() if "⚠ |" in line]
    assert flagged and "differ from the customer list by more than 5 points" in sec
    assert "indicative" in sec  # 7 completed interviews
    assert "Design weights" in sec and "unweighted" in sec
    row = next(line for line in sec.splitlines() if line.startswith("| current / North"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:] == ["37", "31%", "5", "1", "14%", "20%", "37.0"]
    async with demo.uow() as uow:
        names = (await uow.session.execute(select(CustomerContact.organisation, CustomerContact.contact_name,
                                                  CustomerContact.key))).all()
    listed_only = [(org, contact, key) for org, contact, key in names if contact.startswith(("Contact ", "联系人"))]
    assert len(listed_only) == len(names) - 8  # the eight interviewed customers carry the demo's names
    for _org, _contact, key in names:
        assert key not in md
    for org, contact, _key in listed_only:
        assert org not in md and contact not in md


async def test_margin_setting_and_chinese(demo):
    async with demo.uow() as uow:
        a = (await uow.session.scalars(select(Assessment).order_by(Assessment.id.desc()))).first()
        a.settings = {**(a.settings or {}), "sample_margin_points": 25}
        await uow.commit()
    md = await render_report(demo, None, "md", "en", Reviewer())
    sec = _section(md, "Customer sample")
    assert "⚠" not in sec and "within 25 points" in sec
    zh = await render_report(demo, None, "md", "zh", Reviewer())
    sec = _section(zh, "客户抽样")
    assert "从名单上的 120 位客户中" in sec and "现有 / North" in sec and "设计权重" in sec


async def test_no_section_without_a_sample(demo):
    async with demo.uow() as uow:
        first = (await uow.session.scalars(select(Assessment.id).order_by(Assessment.id))).first()
    md = await render_report(demo, first, "md", "en", Reviewer())
    assert "Customer sample" not in md
