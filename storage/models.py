"""SQLAlchemy 2 typed models for every concept in the design: rounds, scripts, people, interviews, answers,
codes, opportunities, schedule items, and the Slack inbox/outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import JSONType, UTCDateTime

# One naming convention shared with Alembic: SQLite batch migrations need named constraints.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType(), list[Any]: JSONType()}


class Assessment(Base):
    """One CNA round. Rounds of the same assessment link to their predecessor."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    round_no: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="open")  # draft, open, closed
    scope: Mapped[str] = mapped_column(String(20), default="enterprise")  # department | enterprise
    department: Mapped[str | None] = mapped_column(String(100))
    key_questions: Mapped[list[Any]] = mapped_column(default=list)
    goals: Mapped[list[Any]] = mapped_column(default=list)
    refresh_months: Mapped[int] = mapped_column(Integer, default=18)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    lead_slack_ids: Mapped[list[Any]] = mapped_column(default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[list[TeamMember]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    scripts: Mapped[list[AssessmentScript]] = relationship(cascade="all, delete-orphan")


class TeamMember(Base):
    """A member of the CNA team; the sources want >= 50% internal, half of them from affected units."""

    __tablename__ = "team_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    internal: Mapped[bool] = mapped_column(Boolean, default=True)
    business_unit: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    assessment: Mapped[Assessment] = relationship(back_populates="team")


class AssessmentScript(Base):
    """Which scripts a round uses."""

    __tablename__ = "assessment_scripts"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    script_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class ScriptVersion(Base):
    """The exact script an interview ran, frozen by content digest so later edits do not rewrite history."""

    __tablename__ = "script_versions"
    __table_args__ = (UniqueConstraint("script_id", "lang", "digest"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    script_id: Mapped[str] = mapped_column(String(64), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(40))  # internal:sales, customer:current
    body: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Participant(Base):
    """A pseudonymous respondent. Who they are lives only in Identity."""

    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # internal | customer
    role: Mapped[str | None] = mapped_column(String(40))  # internal role (sales, finance, ...)
    segment: Mapped[str | None] = mapped_column(String(40))  # customer segment (current, past, prospective)
    department: Mapped[str | None] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(8), default="en")
    tz: Mapped[str | None] = mapped_column(String(64))
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Identity(Base):
    """The link from a pseudonym to a real person; erasure deletes this row."""

    __tablename__ = "identities"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), unique=True)
    slack_team_id: Mapped[str | None] = mapped_column(String(32))
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))  # a customer's company (assisted mode)
    email: Mapped[str | None] = mapped_column(String(320))


class Interview(Base):
    """Participant x script x round, with the engine's state."""

    __tablename__ = "interviews"
    __table_args__ = (UniqueConstraint("assessment_id", "participant_id", "script_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    script_id: Mapped[str] = mapped_column(String(64))
    script_version_id: Mapped[int] = mapped_column(ForeignKey("script_versions.id"))
    lang: Mapped[str] = mapped_column(String(8))
    segment: Mapped[str] = mapped_column(String(40))  # audience label, kept for analysis
    mode: Mapped[str] = mapped_column(String(20), default="slack")  # slack | terminal | assisted
    interviewer_slack_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="invited", index=True)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    nudges_sent: Mapped[int] = mapped_column(Integer, default=0)
    snoozed_until: Mapped[datetime | None] = mapped_column()
    wave: Mapped[int | None] = mapped_column(Integer)
    ended_at: Mapped[datetime | None] = mapped_column()  # declined, withdrawn or expired (not completed)
    closed_from: Mapped[str | None] = mapped_column(String(20))  # the status `/cna close` expired; for reopen
    version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic lock against concurrent inputs

    __mapper_args__ = {"version_id_col": version}


class Answer(Base):
    """One ladder step. Anonymous answers have no interview link, only the round and segment."""

    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_round_question", "assessment_id", "script_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    ladder_key: Mapped[str] = mapped_column(String(40), index=True)  # groups the steps of one ladder
    script_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[str] = mapped_column(String(64))
    segment: Mapped[str] = mapped_column(String(40), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    step: Mapped[int] = mapped_column(Integer, default=0)
    probe_text: Mapped[str | None] = mapped_column(Text)
    probe_reason: Mapped[str | None] = mapped_column(String(40))
    probe_family: Mapped[str | None] = mapped_column(String(20))
    decision: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    choice_values: Mapped[list[Any]] = mapped_column(default=list)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    department: Mapped[str | None] = mapped_column(String(100))
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    source_event_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    edited_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Code(Base):
    """A codebook entry or a theme the lead created; merged themes point at the survivor."""

    __tablename__ = "codes"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("codes.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), default="code")  # code | theme
    label_en: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    colour: Mapped[str | None] = mapped_column(String(16))
    merged_into: Mapped[str | None] = mapped_column(ForeignKey("codes.id", ondelete="SET NULL"))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Coding(Base):
    """An answer x code decision, on the whole answer or on a passage of it. Auto codings stay beside human ones
    so agreement can be measured."""

    __tablename__ = "codings"
    __table_args__ = (
        # One decision per answer, code and source on the whole answer; passages are unique by their span.
        Index("uq_codings_whole", "answer_id", "code_id", "source", unique=True,
              sqlite_where=text("span_start IS NULL"), postgresql_where=text("span_start IS NULL")),
        Index("uq_codings_passage", "answer_id", "code_id", "source", "span_start", "span_end", unique=True,
              sqlite_where=text("span_start IS NOT NULL"), postgresql_where=text("span_start IS NOT NULL")),
        CheckConstraint("(span_start IS NULL AND span_end IS NULL) OR (span_start >= 0 AND span_end > span_start)",
                        name="span"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    code_id: Mapped[str] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # auto | human
    status: Mapped[str] = mapped_column(String(10), default="applied")  # applied | rejected (human) / proposed
    confidence: Mapped[float | None] = mapped_column(Float)
    rule: Mapped[str | None] = mapped_column(String(200))
    cue: Mapped[str | None] = mapped_column(String(200))
    coder: Mapped[str] = mapped_column(String(64), default="auto")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A passage: characters [span_start, span_end) of the answer's text with line endings as '\n'; NULL is the
    # whole answer. Codes made on part of an answer in a QDA tool keep their extent.
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)


class Memo(Base):
    """The lead's note on an answer, a theme or code, an opportunity or the round itself (one per target), shown
    in the review app, optionally in the report's appendix, and exported to REFI-QDA as a note."""

    __tablename__ = "memos"
    __table_args__ = (UniqueConstraint("assessment_id", "target_kind", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(20))  # answer | code | opportunity | round
    target_id: Mapped[str] = mapped_column(String(64))  # answer id, code id, opportunity id, round id
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))  # who wrote it last
    in_report: Mapped[bool] = mapped_column(Boolean, default=False)  # shown in the report's appendix
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProbeMark(Base):
    """A lead's verdict on one probe decision: the answer should have been probed, or its follow-up was needless."""

    __tablename__ = "probe_marks"
    __table_args__ = (UniqueConstraint("answer_id", "reviewer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(20))  # should_probe | needless
    reviewer: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Opportunity(Base):
    """A candidate CRM project built from themes and scored on the sources' criteria."""

    __tablename__ = "opportunities"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    shortlisted: Mapped[bool] = mapped_column(Boolean, default=True)
    phase: Mapped[str | None] = mapped_column(String(100))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OpportunityTheme(Base):
    __tablename__ = "opportunity_themes"
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"),
                                                primary_key=True)
    code_id: Mapped[str] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True)


class ScheduleItem(Base):
    """Work that falls due (refresh reminders, new rounds, nudges, waves); `key` makes it happen once."""

    __tablename__ = "schedule_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    done_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


class PlanMark(Base):
    """What changed since the sweeper last planned it (kind "i": an interview; "a": a round's status or settings).
    Written by triggers (migration 0011); `token` changes with every write, so the planner deletes only marks no
    change touched after it read them (app/schedule/plan_marks.py)."""

    __tablename__ = "plan_marks"
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[int] = mapped_column(BigInteger)


class InboxEvent(Base):
    """A raw inbound Slack event, recorded before the ack under its Slack identity."""

    __tablename__ = "inbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    slack_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending|done|dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column()


class OutboxMessage(Base):
    """An outgoing Slack call with an idempotency key; the sender drains it within Slack's limits."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    method: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str | None] = mapped_column(String(32), index=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class Workspace(Base):
    """A Slack workspace the app is installed in; uninstall or revocation stops all sending."""

    __tablename__ = "workspaces"
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    bot_token: Mapped[str | None] = mapped_column(String(300))
    revoked_at: Mapped[datetime | None] = mapped_column()
    halted_reason: Mapped[str | None] = mapped_column(String(100))


class AuditEntry(Base):
    """What was done to whose data, without any content."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CoderModel(Base):
    """A trained coder model (weights, adoption per code) with its training data's size and date: the coder
    names it in each auto coding's rule ("en:model:<model_id>"), so a report can state which model coded what."""

    __tablename__ = "coder_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(String(40), unique=True)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
    examples: Mapped[int] = mapped_column(Integer)  # labelled answers it learned from, lead answers included
    lead_answers: Mapped[int] = mapped_column(Integer, default=0)  # the lead's finished answers among them
    decisions: Mapped[int] = mapped_column(Integer, default=0)  # human decisions in the database when trained
    active_codes: Mapped[list[Any]] = mapped_column(default=list)  # codes the model decides (the rest: cues)
    data: Mapped[dict[str, Any]] = mapped_column()  # the weights file's content (core.coder_model)
    trained_by: Mapped[str | None] = mapped_column(String(64))
    # The answers of the lead's it learned from (ids): erasing or purging any of them deletes the model, since its
    # weights may hold their words (docs/privacy.md).
    trained_on: Mapped[list[Any]] = mapped_column(default=list)
