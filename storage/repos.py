"""Queries and writes the services share: rounds, participants, script versions, interviews, answers, codes."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer,
    Assessment,
    AssessmentScript,
    Code,
    Coding,
    Identity,
    Interview,
    Participant,
    ScriptVersion,
    TeamMember,
    utcnow,
)


class NotFound(LookupError):
    """A row the caller named does not exist."""


# --- assessments -----------------------------------------------------------------------------------------

async def create_assessment(s: AsyncSession, *, name: str, scope: str = "enterprise", refresh_months: int = 18,
                            opened_on: date, key_questions: Sequence[str] = (), goals: Sequence[str] = (),
                            department: str | None = None, status: str = "open",
                            script_ids: Iterable[str] = (), previous_id: int | None = None,
                            round_no: int = 1, lead_slack_ids: Sequence[str] = ()) -> Assessment:
    a = Assessment(name=name, scope=scope, refresh_months=refresh_months, opened_on=opened_on,
                   key_questions=list(key_questions), goals=list(goals), department=department, status=status,
                   previous_id=previous_id, round_no=round_no, lead_slack_ids=list(lead_slack_ids))
    s.add(a)
    await s.flush()
    for sid in dict.fromkeys(script_ids):
        s.add(AssessmentScript(assessment_id=a.id, script_id=sid))
    await s.flush()
    return a


async def list_assessments(s: AsyncSession) -> list[Assessment]:
    return list((await s.scalars(select(Assessment).order_by(Assessment.id))).all())


async def get_assessment(s: AsyncSession, assessment_id: int) -> Assessment:
    a = await s.get(Assessment, assessment_id)
    if a is None:
        raise NotFound(f"no assessment with id {assessment_id}; 'cna assessment list' shows them")
    return a


async def current_assessment(s: AsyncSession) -> Assessment | None:
    """The newest open round (the one new interviews join), else the newest of any status."""
    a = await s.scalar(select(Assessment).where(Assessment.status == "open").order_by(Assessment.id.desc()))
    return a or await s.scalar(select(Assessment).order_by(Assessment.id.desc()))


async def team_of(s: AsyncSession, assessment_id: int) -> list[TeamMember]:
    return list((await s.scalars(select(TeamMember).where(TeamMember.assessment_id == assessment_id))).all())


async def script_ids_of(s: AsyncSession, assessment_id: int) -> list[str]:
    rows = await s.scalars(select(AssessmentScript.script_id).where(AssessmentScript.assessment_id == assessment_id))
    return list(rows.all())


# --- participants ----------------------------------------------------------------------------------------

def new_pseudonym() -> str:
    return "P-" + secrets.token_hex(4).upper()


async def participant_for_slack_user(s: AsyncSession, slack_user_id: str, *, team_id: str | None = None,
                                     kind: str = "internal", role: str | None = None, segment: str | None = None,
                                     lang: str = "en", tz: str | None = None,
                                     display_name: str | None = None) -> Participant:
    """The participant mapped to a Slack user, created on first contact."""
    ident = await s.scalar(select(Identity).where(Identity.slack_user_id == slack_user_id))
    if ident is not None:
        p = await s.get(Participant, ident.participant_id)
        assert p is not None
        if tz and p.tz != tz:
            p.tz = tz
        return p
    p = Participant(pseudonym=new_pseudonym(), kind=kind, role=role, segment=segment, lang=lang, tz=tz)
    s.add(p)
    await s.flush()
    s.add(Identity(participant_id=p.id, slack_user_id=slack_user_id, slack_team_id=team_id,
                   display_name=display_name))
    await s.flush()
    return p


async def participant_for_name(s: AsyncSession, name: str, *, kind: str, role: str | None = None,
                               segment: str | None = None, lang: str = "en") -> Participant:
    """A participant known by name only (terminal and assisted interviews). 'Acme / J. Doe' splits into
    organisation and contact."""
    org, _, contact = name.partition("/")
    display = (contact or org).strip()
    organisation = org.strip() if contact else None
    ident = await s.scalar(select(Identity).where(Identity.display_name == display,
                                                  Identity.organisation.is_(organisation)
                                                  if organisation is None
                                                  else Identity.organisation == organisation,
                                                  Identity.slack_user_id.is_(None)))
    if ident is not None:
        p = await s.get(Participant, ident.participant_id)
        assert p is not None
        return p
    p = Participant(pseudonym=new_pseudonym(), kind=kind, role=role, segment=segment, lang=lang)
    s.add(p)
    await s.flush()
    s.add(Identity(participant_id=p.id, display_name=display, organisation=organisation))
    await s.flush()
    return p


async def identity_of(s: AsyncSession, participant_id: int) -> Identity | None:
    ident: Identity | None = await s.scalar(select(Identity).where(Identity.participant_id == participant_id))
    return ident


# --- scripts ---------------------------------------------------------------------------------------------

def script_digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


async def ensure_script_version(s: AsyncSession, *, script_id: str, lang: str, version: int, title: str,
                                audience: str, body: dict[str, Any]) -> ScriptVersion:
    """The stored copy of exactly this script text, added on first use."""
    digest = script_digest(body)
    sv = await s.scalar(select(ScriptVersion).where(ScriptVersion.script_id == script_id,
                                                    ScriptVersion.lang == lang, ScriptVersion.digest == digest))
    if sv is None:
        sv = ScriptVersion(script_id=script_id, lang=lang, version=version, digest=digest, title=title,
                           audience=audience, body=body)
        s.add(sv)
        await s.flush()
    return sv


# --- interviews ------------------------------------------------------------------------------------------

async def find_interview(s: AsyncSession, assessment_id: int, participant_id: int, script_id: str) -> Interview | None:
    iv: Interview | None = await s.scalar(select(Interview).where(Interview.assessment_id == assessment_id,
                                                                  Interview.participant_id == participant_id,
                                                                  Interview.script_id == script_id))
    return iv


async def active_interviews(s: AsyncSession, participant_id: int) -> list[Interview]:
    rows = await s.scalars(select(Interview).where(Interview.participant_id == participant_id,
                                                   Interview.status.in_(("invited", "in_progress", "paused")))
                           .order_by(Interview.last_activity_at.desc()))
    return list(rows.all())


async def status_counts(s: AsyncSession, assessment_id: int) -> dict[str, dict[str, int]]:
    """segment -> status -> count for one round."""
    rows = await s.execute(select(Interview.segment, Interview.status, func.count())
                           .where(Interview.assessment_id == assessment_id)
                           .group_by(Interview.segment, Interview.status))
    out: dict[str, dict[str, int]] = {}
    for segment, status, n in rows.all():
        out.setdefault(segment, {})[status] = n
    return out


# --- answers and codes -----------------------------------------------------------------------------------

async def answers_of(s: AsyncSession, interview_id: int, include_superseded: bool = False) -> list[Answer]:
    q = select(Answer).where(Answer.interview_id == interview_id)
    if not include_superseded:
        q = q.where(Answer.superseded.is_(False))
    return list((await s.scalars(q.order_by(Answer.id))).all())


async def supersede(s: AsyncSession, interview_id: int, question_ids: Iterable[str]) -> None:
    """Going back re-answers a question: its answers give way. Comments (words typed to a closed question that
    named no option) stay: they are what the person said, whatever they choose next."""
    await s.execute(update(Answer).where(Answer.interview_id == interview_id,
                                         Answer.question_id.in_(list(question_ids)),
                                         or_(Answer.decision.is_(None), Answer.decision != "comment"))
                    .values(superseded=True))


async def sync_codes(s: AsyncSession, codes: Iterable[dict[str, Any]]) -> int:
    """Insert or refresh codebook entries (parents first); themes the lead made are left alone."""
    existing = {c.id: c for c in (await s.scalars(select(Code))).all()}
    n = 0
    for c in codes:
        row = existing.get(c["id"])
        if row is None:
            row = Code(id=c["id"], kind="code")
            s.add(row)
            n += 1
        row.parent_id = c.get("parent")
        row.label_en = c["label_en"]
        row.label_zh = c.get("label_zh")
        row.description = c.get("description")
        row.colour = c.get("colour")
    await s.flush()
    return n


async def add_auto_codings(s: AsyncSession, answer_id: int, hits: Iterable[Any],
                           created_at: datetime | None = None) -> None:
    """`created_at`: the answer's own (day-level for an anonymous answer, whose coding must not date it exactly)."""
    for h in hits:
        s.add(Coding(answer_id=answer_id, code_id=h.code_id, source="auto", status="proposed",
                     confidence=h.confidence, rule=str(h.rule)[:200], cue=str(h.cue)[:200], coder="auto",
                     created_at=created_at or utcnow()))


async def touch(interview: Interview, when: datetime | None = None) -> None:
    interview.last_activity_at = when or utcnow()
