"""Storage round trips and migrations on real SQLite and a real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage import repos
from storage.db import DatabaseURLError, async_url, current_revision, downgrade, upgrade
from storage.models import Answer, Code, Coding, InboxEvent, Interview, OutboxMessage, ScheduleItem
from storage.uow import Database


async def test_migrations_upgrade_downgrade_upgrade(db_url):
    db = await Database.open(db_url, migrate=False)
    try:
        assert await current_revision(db.engine) is None
        await upgrade(db.engine)
        head = await current_revision(db.engine)
        assert head is not None
        await downgrade(db.engine, "base")
        assert await current_revision(db.engine) is None
        await upgrade(db.engine)
        assert await current_revision(db.engine) == head
        await upgrade(db.engine)  # idempotent
    finally:
        await db.close()


async def test_round_trip_of_every_concept(db):
    when = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    async with db.uow() as uow:
        s = uow.session
        a = await repos.create_assessment(s, name="CRM 2026", opened_on=date(2026, 1, 10),
                                          key_questions=["What do customers value?"],
                                          goals=["Raise renewal rate to 85% by Q4 2026"],
                                          script_ids=["internal-sales", "customer-current"])
        p = await repos.participant_for_slack_user(s, "U123", team_id="T1", role="sales", tz="Asia/Shanghai")
        p_again = await repos.participant_for_slack_user(s, "U123")
        assert p_again.id == p.id
        sv = await repos.ensure_script_version(s, script_id="internal-sales", lang="zh", version=1, title="销售",
                                               audience="internal:sales", body={"id": "internal-sales", "q": ["价格"]})
        sv2 = await repos.ensure_script_version(s, script_id="internal-sales", lang="zh", version=1, title="销售",
                                                audience="internal:sales", body={"id": "internal-sales", "q": ["价格"]})
        assert sv.id == sv2.id
        iv = Interview(assessment_id=a.id, participant_id=p.id, script_id="internal-sales", script_version_id=sv.id,
                       lang="zh", segment="internal:sales", state={"cursor": "q1"}, last_activity_at=when)
        s.add(iv)
        await s.flush()
        await repos.sync_codes(s, [{"id": "customer-value", "label_en": "Customer value"},
                                   {"id": "price", "parent": "customer-value", "label_en": "Price",
                                    "label_zh": "价格"}])
        ans = Answer(assessment_id=a.id, interview_id=iv.id, ladder_key="L1", script_id="internal-sales",
                     question_id="q1", segment="internal:sales", lang="zh", step=1, probe_text="为什么？",
                     probe_reason="surface:price", text="价格再低一点，因为预算按季度固定", source_event_id="Ev1",
                     created_at=when)
        s.add(ans)
        await s.flush()
        s.add(Coding(answer_id=ans.id, code_id="price", source="auto", confidence=0.8, rule="价格", cue="价格"))
        s.add(ScheduleItem(key="refresh:1", kind="round_refresh", assessment_id=a.id, due_at=when))
        s.add(InboxEvent(key="event:Ev1", kind="event", payload={"text": "价格"}))
        s.add(OutboxMessage(key="out:1", method="chat.postMessage", channel="D1", payload={"text": "hi"}))
        await uow.commit()

    async with db.uow() as uow:
        s = uow.session
        got = await s.scalar(select(Answer).where(Answer.source_event_id == "Ev1"))
        assert got.text == "价格再低一点，因为预算按季度固定" and got.created_at == when
        assert got.created_at.tzinfo is not None
        code = await s.get(Code, "price")
        assert code.parent_id == "customer-value" and code.label_zh == "价格"
        iv = await s.scalar(select(Interview))
        assert iv.state == {"cursor": "q1"} and iv.last_activity_at == when
        counts = await repos.status_counts(s, iv.assessment_id)
        assert counts == {"internal:sales": {"invited": 1}}


async def test_unique_keys_stop_duplicates(db):
    async with db.uow() as uow:
        uow.session.add(InboxEvent(key="event:Ev9", kind="event", payload={}))
        await uow.commit()
    async with db.uow() as uow:
        uow.session.add(InboxEvent(key="event:Ev9", kind="event", payload={}))
        with pytest.raises(IntegrityError):
            await uow.commit()


async def test_uncommitted_work_rolls_back(db):
    async with db.uow() as uow:
        await repos.create_assessment(uow.session, name="never", opened_on=date(2026, 1, 1))
    async with db.uow() as uow:
        assert await repos.list_assessments(uow.session) == []


def test_urls_as_users_write_them():
    assert async_url("sqlite:///cna.db") == "sqlite+aiosqlite:///cna.db"
    assert async_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert async_url("postgres://u:pw@h:5433/db") == "postgresql+asyncpg://u:pw@h:5433/db"
    assert async_url("data/cna.db") == "sqlite+aiosqlite:///data/cna.db"
    with pytest.raises(DatabaseURLError, match="sqlite:///"):
        async_url("mysql://x/y")
    with pytest.raises(DatabaseURLError):
        async_url("nonsense")
