"""Customer list and sample persistence: upsert an import by key, the population per stratum, sample members."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.customer_rows import CustomerRecord
from storage.customers_models import Customer, CustomerContact, Sample, SampleMember
from storage.models import Interview

ACTIVE, ERASED = "active", "erased"
CHUNK = 500


def key_digest(key: str) -> str:
    """How a CRM key is compared (trimmed, case-folded) and remembered after erasure."""
    return hashlib.sha256(key.strip().casefold().encode("utf-8")).hexdigest()


@dataclass
class ImportCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    erased_skipped: list[int] = field(default_factory=list)  # rows whose customer was erased: not re-imported


async def upsert_customers(s: AsyncSession, records: Sequence[CustomerRecord], now: datetime) -> ImportCounts:
    """Add new customers and refresh known ones (by key); an erased customer stays erased."""
    counts = ImportCounts()
    digests = [key_digest(r.key) for r in records]
    known: dict[str, Customer] = {}
    for i in range(0, len(digests), CHUNK):  # SQLite caps the parameters of one statement
        known.update({c.key_digest: c for c in (await s.scalars(
            select(Customer).where(Customer.key_digest.in_(digests[i:i + CHUNK])))).all()})
    ids = [c.id for c in known.values()]
    contacts: dict[int, CustomerContact] = {}
    for i in range(0, len(ids), CHUNK):
        contacts.update({c.customer_id: c for c in (await s.scalars(
            select(CustomerContact).where(CustomerContact.customer_id.in_(ids[i:i + CHUNK])))).all()})
    fresh: list[tuple[Customer, dict[str, Any]]] = []
    for rec, digest in zip(records, digests, strict=True):
        c = known.get(digest)
        fields = {"key": rec.key, "organisation": rec.organisation, "contact_name": rec.contact,
                  "slack_user_id": rec.slack_user, "slack_channel_id": rec.slack_channel, "email": rec.email}
        if c is None:
            c = Customer(key_digest=digest, segment=rec.segment, attributes=dict(rec.attributes), status=ACTIVE,
                         imported_at=now, updated_at=now)
            known[digest] = c
            fresh.append((c, fields))
            counts.new += 1
            continue
        if c.status == ERASED:
            counts.erased_skipped.append(rec.row)
            continue
        contact = contacts.get(c.id)
        changed = c.segment != rec.segment or c.attributes != rec.attributes
        if contact is None:
            s.add(CustomerContact(customer_id=c.id, **fields))
            changed = True
        else:
            for k, v in fields.items():
                if getattr(contact, k) != v:
                    setattr(contact, k, v)
                    changed = True
        c.updated_at = now  # last listed by an import: the customer-list retention counts from here
        if changed:
            c.segment, c.attributes = rec.segment, dict(rec.attributes)
            counts.updated += 1
        else:
            counts.unchanged += 1
    # New customers in one flush, then their contacts: one round trip per row would take minutes for a CRM.
    s.add_all([c for c, _ in fresh])
    await s.flush()
    s.add_all([CustomerContact(customer_id=c.id, **fields) for c, fields in fresh])
    await s.flush()
    return counts


async def customers_with_contacts(s: AsyncSession,
                                  active_only: bool = True) -> list[tuple[Customer, CustomerContact | None]]:
    q = select(Customer, CustomerContact).outerjoin(CustomerContact, CustomerContact.customer_id == Customer.id)
    if active_only:
        q = q.where(Customer.status == ACTIVE)
    return [(c, k) for c, k in (await s.execute(q.order_by(Customer.id))).all()]


def stratum_values(c: Customer, by: Sequence[str]) -> list[str]:
    """The customer's values of the strata attributes (segment is a column, the rest are attributes)."""
    return [c.segment if b == "segment" else str((c.attributes or {}).get(b, "")).strip() for b in by]


def attribute_names(customers: Sequence[Customer]) -> list[str]:
    names: dict[str, None] = {"segment": None}
    for c in customers:
        names.update(dict.fromkeys((c.attributes or {}).keys()))
    return list(names)


async def sample_of(s: AsyncSession, assessment_id: int) -> Sample | None:
    found: Sample | None = await s.scalar(select(Sample).where(Sample.assessment_id == assessment_id))
    return found


async def members_of(s: AsyncSession, sample_id: int) -> list[tuple[SampleMember, Customer, CustomerContact | None,
                                                                     Interview | None]]:
    rows = await s.execute(
        select(SampleMember, Customer, CustomerContact, Interview)
        .join(Customer, Customer.id == SampleMember.customer_id)
        .outerjoin(CustomerContact, CustomerContact.customer_id == Customer.id)
        .outerjoin(Interview, Interview.id == SampleMember.interview_id)
        .where(SampleMember.sample_id == sample_id).order_by(SampleMember.stratum, SampleMember.id))
    return [(m, c, k, iv) for m, c, k, iv in rows.all()]


def member_status(m: SampleMember, c: Customer, iv: Interview | None) -> str:
    """drawn | invited | started | completed | declined | ended | erased, from the member and their interview."""
    if m.outcome == ERASED or c.status == ERASED:
        return ERASED
    if m.outcome == "declined":
        return "declined"
    if iv is None or iv.status == "draft":
        return "drawn"
    if iv.status == "completed":
        return "completed"
    if iv.status in ("in_progress", "paused"):
        return "started"
    if iv.status == "declined":
        return "declined"
    if iv.status in ("withdrawn", "expired"):
        return "ended"
    return "invited"


def as_row(c: Customer, k: CustomerContact | None) -> dict[str, Any]:
    return {"key": k.key if k else None, "segment": c.segment, "organisation": k.organisation if k else None,
            "contact": k.contact_name if k else None, "slack": (k.slack_user_id or k.slack_channel_id) if k else None,
            "email": k.email if k else None, "status": c.status, **(c.attributes or {})}
