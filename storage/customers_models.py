"""Models of the customer list and the round's stratified sample. Who a customer is lives only in
customer_contacts, apart from the strata and the sample, as participants' identities do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class Customer(Base):
    """A customer on the imported list: segment and stratification attributes, no identity. `key_digest` (a
    SHA-256 of the CRM key) de-duplicates imports and, after an erasure, keeps the person from being imported or
    drawn again."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    segment: Mapped[str] = mapped_column(String(20), index=True)  # current | past | prospective
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)  # region, revenue band, industry, ...
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | erased
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # when an import last listed it


class CustomerContact(Base):
    """The link from a customer to real people: CRM key, organisation, contact, Slack and e-mail. Erasure and
    retention delete this row."""

    __tablename__ = "customer_contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), unique=True)
    key: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    slack_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    slack_channel_id: Mapped[str | None] = mapped_column(String(32))  # a Slack Connect channel
    email: Mapped[str | None] = mapped_column(String(320))


class Sample(Base):
    """A round's stratified sample: the design (strata, allocation, size, seed) and the plan per stratum."""

    __tablename__ = "samples"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    strata_by: Mapped[list[Any]] = mapped_column(default=list)
    allocation: Mapped[str] = mapped_column(String(20))
    share: Mapped[float | None] = mapped_column(Float)
    size: Mapped[int] = mapped_column(Integer)
    min_per_stratum: Mapped[int] = mapped_column(Integer, default=0)
    neyman_by: Mapped[str | None] = mapped_column(String(100))
    seed: Mapped[str] = mapped_column(String(64))
    # stratum -> {"population", "target", "ideal", "sd"?}: the population as it was when drawn.
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)
    draws: Mapped[list[Any]] = mapped_column(default=list)  # [{"no", "at", "by", "drawn": {stratum: n}}]
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SampleMember(Base):
    """One drawn customer: from which stratum, with what inclusion probability, in which draw (0: the first,
    1.. top-ups), and, once invited, their participant and interview. `outcome` keeps declined/erased after the
    interview is gone."""

    __tablename__ = "sample_members"
    __table_args__ = (UniqueConstraint("sample_id", "customer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("samples.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    stratum: Mapped[str] = mapped_column(String(200))
    probability: Mapped[float] = mapped_column(Float)
    draw_no: Mapped[int] = mapped_column(Integer, default=0)
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(20))  # declined | erased (kept when the rows go)
