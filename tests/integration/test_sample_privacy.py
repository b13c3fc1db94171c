"""The customer list under the privacy rules, on SQLite and PostgreSQL: the sample and its Slack invitations,
export, erasure from either side, retention of contacts, and top-ups that skip the erased."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from app.sample_invite import call_list, invite_sample
from app.sampling import draw_sample, progress, top_up
from core.customer_rows import CustomerRecord
from storage import repos
from storage.customers import upsert_customers
from storage.customers_erase import erase_customer_rows, find_customer
from storage.customers_models import Customer, CustomerContact, SampleMember
from storage.models import Assessment, AuditEntry, Interview, OutboxMessage
from storage.privacy import erase_person, export_person
from storage.retention import purge_retention

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def records(n: int = 40) -> list[CustomerRecord]:
    return [CustomerRecord(key=f"K{i}", segment=("current", "past", "prospective")[i % 3], row=i + 2,
                           organisation=f"Org {i:03d}", contact=f"Person {i:03d}", email=f"p{i:03d}@example.com",
                           slack_user=f"UCUST{i:04d}" if i % 2 else None, attributes={"region": "NS"[i % 2]})
            for i in range(n)]


async def _setup(db, catalog):
    async with db.uow() as uow:
        s = uow.session
        a = await repos.create_assessment(s, name="R", opened_on=date(2026, 11, 1))
        await upsert_customers(s, records(), NOW)
        await draw_sample(s, a.id, by=["segment"], size=12, share=None, method="proportional", min_per_stratum=1,
                          seed="t", neyman_by=None, actor="lead", now=NOW)
        inv = await invite_sample(s, a.id, catalog, now=NOW)
        await uow.commit()
        return a.id, inv


async def test_invite_export_erase_and_top_up(db, catalog):
    rid, inv = await _setup(db, catalog)
    async with db.uow() as uow:
        s = uow.session
        members = (await s.scalars(select(SampleMember))).all()
        assert len(members) == 12 and inv.slack + inv.call_list == 12 and inv.slack > 0
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.key.like("invite:%"))) == inv.slack
        calls = await call_list(s, rid)
        assert len(calls) == inv.call_list and all(c["command"].startswith("cna try --script customer-")
                                                   for c in calls)
        invited = next(m for m in members if m.participant_id is not None)
        pid, cid = invited.participant_id, invited.customer_id
        iv = await s.get(Interview, invited.interview_id)
        assert iv is not None and iv.status == "invited" and iv.script_id.startswith("customer-")
    doc = await export_person(db, participant_id=pid, actor="dpo")
    assert len(doc["customers"]) == 1 and doc["customers"][0]["contact"]["organisation"].startswith("Org ")
    assert doc["customers"][0]["samples"][0]["round"] == rid
    # Erasing the participant erases the customer entry they were invited from.
    result = await erase_person(db, participant_id=pid, actor="dpo")
    assert result.counts.get("customers", 0) >= 2 and not result.residue
    async with db.uow() as uow:
        s = uow.session
        c = await s.get(Customer, cid)
        assert c is not None and c.status == "erased" and c.attributes == {}
        assert await s.scalar(select(CustomerContact).where(CustomerContact.customer_id == cid)) is None
        # And a customer erased from the list side: contact gone, audited, idempotent.
        other = await find_customer(s, "K0")
        assert other is not None
        counts = await erase_customer_rows(s, other, actor="dpo", now=NOW)
        assert counts["customer_contacts"] == 1
        assert await erase_customer_rows(s, other, actor="dpo", now=NOW) == {}
        assert other.id != cid  # K0 has no Slack id, so it was never invited
        # One entry per erasure: through the participant, of K0, and K0's repeat (nothing left, still recorded).
        assert await s.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "erase.customer")) == 3
        await uow.commit()
    async with db.uow() as uow:
        s = uow.session
        before = set((await s.scalars(select(SampleMember.customer_id))).all())
        prog = await progress(s, rid)
        assert prog is not None and prog.total().erased == 1 + (other.id in before)
        t = await top_up(s, rid, actor="lead", now=NOW)
        await uow.commit()
        after = (await s.scalars(select(SampleMember.customer_id))).all()
        assert sum(t.added.values()) == prog.total().erased
        assert len(after) == len(set(after)) and not (set(after) - before) & {cid, other.id}
    # Re-importing the CRM export does not bring an erased customer back.
    async with db.uow() as uow:
        counts = await upsert_customers(uow.session, records(), NOW)
        await uow.commit()
    assert len(counts.erased_skipped) == 2


async def test_retention_forgets_the_contacts_of_a_purged_round(db, catalog):
    rid, _ = await _setup(db, catalog)
    async with db.uow() as uow:
        a = await uow.session.get(Assessment, rid)
        assert a is not None
        a.status, a.closed_on = "closed", date(2026, 11, 20)
        a.settings = {"retention_days": 10, "retention_mode": "identities"}
        await uow.commit()
    report = await purge_retention(db, NOW + timedelta(days=30), env={})
    assert report.purged[0].counts["customer_contacts"] == 12
    async with db.uow() as uow:
        s = uow.session
        left = await s.scalar(select(func.count()).select_from(CustomerContact))
        assert left == 40 - 12
        # The list's own retention: nothing was listed by an import for 60 days.
    report = await purge_retention(db, NOW + timedelta(days=61), env={"CNA_CUSTOMER_RETENTION_DAYS": "60"})
    assert report.customer_contacts == 28
    again = await purge_retention(db, NOW + timedelta(days=61), env={"CNA_CUSTOMER_RETENTION_DAYS": "60"})
    assert again.changed == 0


async def test_erasing_an_assisted_participant_erases_their_list_entry(db, catalog):
    """The call list's interview ran before anyone linked it to the sample: the name still finds the entry."""
    await _setup(db, catalog)
    async with db.uow() as uow:
        p = await repos.participant_for_name(uow.session, "Org 002 / Person 002", kind="customer", segment="past")
        await uow.commit()
        pid = p.id
    doc = await export_person(db, participant_id=pid, actor="dpo")
    assert [c["contact"]["key"] for c in doc["customers"]] == ["K2"]
    result = await erase_person(db, participant_id=pid, actor="dpo")
    assert not result.residue
    async with db.uow() as uow:
        c = await find_customer(uow.session, "K2")
        assert c is not None and c.status == "erased"
