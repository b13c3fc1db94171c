"""Sampled customers with a Slack user id get their segment's customer script by DM through the running bot
(the fake Slack over HTTP), and the sample's status follows them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.sample_invite import invite_sample
from app.sampling import draw_sample, progress
from core.customer_rows import CustomerRecord
from storage.customers import upsert_customers
from storage.customers_models import SampleMember
from tests.slack.harness import Bot, block_text, mini_catalog


async def test_sampled_customers_are_invited_by_dm_and_followed(bot: Bot) -> None:
    now = datetime.now(UTC)
    people = [CustomerRecord(key=f"K{i}", segment="current" if i < 4 else "past", row=i + 2,
                             organisation=f"Org {i}", contact=f"Person {i}", slack_user=f"UCUST{i:03d}",
                             attributes={"lang": "zh" if i == 1 else "en"}) for i in range(8)]
    async with bot.deps.db.uow() as uow:
        s = uow.session
        await upsert_customers(s, people, now)
        await draw_sample(s, 1, by=["segment"], size=8, share=None, method="proportional", min_per_stratum=1,
                          seed="slack", neyman_by=None, actor="lead", now=now)
        inv = await invite_sample(s, 1, mini_catalog(), now=now)
        await uow.commit()
    assert inv.slack == 8 and inv.call_list == 0
    bot.deps.outbox_wake.set()
    (invite,) = await bot.wait_dms("UCUST001", 1, timeout=30)
    assert "客户" in block_text(invite)  # the list's lang column chose the Chinese script
    (invite,) = await bot.wait_dms("UCUST005", 1, timeout=30)
    assert "former customers" in block_text(invite)  # the segment chose the script
    result = await bot.click("UCUST005", invite, "cna_start")
    assert result.status == 200
    msgs = await bot.wait_dms("UCUST005", 2, timeout=30)
    assert "?" in block_text(msgs[-1]) or "？" in block_text(msgs[-1])
    await bot.settle(timeout=30)
    async with bot.deps.db.uow() as uow:
        p = await progress(uow.session, 1)
        members = (await uow.session.scalars(select(SampleMember))).all()
    assert p is not None and p.total().invited == 8 and p.total().started == 1
    assert all(m.interview_id is not None for m in members)
    # Running the invitation again invites nobody twice.
    async with bot.deps.db.uow() as uow:
        again = await invite_sample(uow.session, 1, mini_catalog(), now=now)
        await uow.commit()
    assert (again.slack, again.already) == (0, 8)
    assert len(await bot.outbox(key=f"invite:{members[0].interview_id}")) == 1
