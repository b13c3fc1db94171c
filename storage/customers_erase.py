"""Privacy for the customer list: export one customer, erase them (identity gone, a key digest kept so they are
never imported or drawn again), and forget contacts when a round's retention falls due or the list goes stale."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.customers import ERASED, key_digest
from storage.customers_models import Customer, CustomerContact, Sample, SampleMember
from storage.models import AuditEntry, Identity
from storage.privacy_base import rowcount

ERASE_CUSTOMER = "erase.customer"


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: (v.isoformat() if hasattr(v := getattr(obj, c.key), "isoformat") else v)
            for c in obj.__table__.columns}


async def find_customer(s: AsyncSession, key: str) -> Customer | None:
    found: Customer | None = await s.scalar(select(Customer).where(Customer.key_digest == key_digest(key)))
    return found


async def customers_of_participant(s: AsyncSession, participant_id: int) -> list[Customer]:
    """The customer-list entries that are this participant: the ones they were invited from (a sample), and any
    with their Slack user id or, for the assisted mode, their organisation and contact name (the link may not
    have been made yet when nobody ran `cna sample status` after the interview)."""
    ids = set((await s.scalars(select(SampleMember.customer_id).where(
        SampleMember.participant_id == participant_id))).all())
    ident = await s.scalar(select(Identity).where(Identity.participant_id == participant_id))
    if ident is not None:
        if ident.slack_user_id:
            ids |= set((await s.scalars(select(CustomerContact.customer_id).where(
                CustomerContact.slack_user_id == ident.slack_user_id))).all())
        elif ident.display_name and ident.organisation:
            # 'cna try --participant "Org / Contact"'; a contact without organisation is named 'Contact / Contact'.
            ids |= set((await s.scalars(select(CustomerContact.customer_id).where(
                CustomerContact.organisation == ident.organisation,
                (CustomerContact.contact_name == ident.display_name)
                | (CustomerContact.contact_name.is_(None) & (CustomerContact.organisation == ident.display_name)))
            )).all())
    return list((await s.scalars(select(Customer).where(Customer.id.in_(sorted(ids))))).all()) if ids else []


async def export_customer(s: AsyncSession, c: Customer) -> dict[str, Any]:
    """The customer's row, contact and sample memberships (round, stratum, probability, outcome)."""
    contact = await s.scalar(select(CustomerContact).where(CustomerContact.customer_id == c.id))
    members = (await s.execute(select(SampleMember, Sample.assessment_id).join(Sample, Sample.id ==
                                                                             SampleMember.sample_id)
                               .where(SampleMember.customer_id == c.id).order_by(SampleMember.id))).all()
    return {"customer": _row(c), "contact": _row(contact) if contact is not None else None,
            "samples": [{**_row(m), "round": aid} for m, aid in members]}


async def erase_customer_rows(s: AsyncSession, c: Customer, *, actor: str, now: datetime) -> dict[str, int]:
    """The contact row goes; the customer keeps its segment and key digest only (status erased: never imported or
    drawn again); sample memberships keep their stratum and record the outcome 'erased'. Audited, idempotent."""
    counts = {"customer_contacts": rowcount(await s.execute(
        delete(CustomerContact).where(CustomerContact.customer_id == c.id)
        .execution_options(synchronize_session=False)))}
    if c.status != ERASED or c.attributes:
        c.status, c.attributes, c.updated_at = ERASED, {}, now
        counts["customers"] = 1
    counts["sample_members"] = rowcount(await s.execute(
        update(SampleMember).where(SampleMember.customer_id == c.id,
                                   (SampleMember.outcome.is_(None)) | (SampleMember.outcome != ERASED))
        .values(outcome=ERASED, participant_id=None).execution_options(synchronize_session=False)))
    counts = {k: v for k, v in counts.items() if v}
    s.add(AuditEntry(at=now, actor=actor[:100], action=ERASE_CUSTOMER, subject=f"customer:{c.id}",
                     detail={**counts, "nothing_left": not counts}))
    await s.flush()
    return counts


async def erase_customers_of(s: AsyncSession, participant_id: int, *, actor: str, now: datetime) -> int:
    """When a participant is erased, the customers they were invited as are erased too."""
    n = 0
    for c in await customers_of_participant(s, participant_id):
        n += sum((await erase_customer_rows(s, c, actor=actor, now=now)).values())
    return n


async def forget_contacts(s: AsyncSession, customer_ids: Iterable[int]) -> int:
    """Retention: the contacts go, the customers stay (a later import may bring the contact back)."""
    ids = sorted(set(customer_ids))
    if not ids:
        return 0
    return rowcount(await s.execute(delete(CustomerContact).where(CustomerContact.customer_id.in_(ids))
                                    .execution_options(synchronize_session=False)))


async def contacts_due(s: AsyncSession, round_id: int, due_ids: set[int]) -> list[int]:
    """Customers drawn for this round who are in no other round's sample still running."""
    mine = set((await s.scalars(select(SampleMember.customer_id).join(Sample, Sample.id == SampleMember.sample_id)
                                .where(Sample.assessment_id == round_id))).all())
    if not mine:
        return []
    other = set((await s.scalars(select(SampleMember.customer_id).join(Sample, Sample.id == SampleMember.sample_id)
                                 .where(Sample.assessment_id.not_in(due_ids),
                                        SampleMember.customer_id.in_(sorted(mine))))).all())
    return sorted(mine - other)


async def stale_contacts(s: AsyncSession, before: datetime) -> list[int]:
    """Customers whose list entry was not refreshed by an import since `before` and who still have a contact."""
    rows = await s.scalars(select(Customer.id).join(CustomerContact, CustomerContact.customer_id == Customer.id)
                           .where(Customer.updated_at < before, Customer.imported_at < before))
    return list(rows.all())
