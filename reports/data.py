"""Read queries for reports and exports: visible answers with their ladders and codings, codes, rounds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.access import Reviewer
from core.analysis import effective_codes
from core.notes import question_label
from storage import repos
from storage.models import Answer, Assessment, Coding, Interview, Participant, ScriptVersion
from storage.privacy import visible_answers_clause
from storage.review import Codebook


@dataclass
class CodingRow:
    id: int
    code_id: str
    source: str  # auto | human
    status: str  # proposed (auto) | applied | rejected (human)
    confidence: float | None
    cue: str | None
    rule: str | None
    coder: str
    created_at: datetime | None


@dataclass
class AnswerRow:
    """One ladder step as reports and exports see it; participant fields are None for anonymous answers."""

    id: int
    round_id: int
    interview_id: int | None
    participant_id: int | None
    pseudonym: str | None
    participant_kind: str | None
    role: str | None
    segment: str
    script_id: str
    script_version: int | None
    lang: str
    question_id: str
    question_text: str
    question_kind: str | None
    ladder_key: str
    step: int
    probe_text: str | None
    probe_reason: str | None
    probe_family: str | None
    text: str
    choice_values: list[Any]
    anonymous: bool
    department: str | None
    created_at: datetime | None
    codings: list[CodingRow] = field(default_factory=list)

    @property
    def respondent(self) -> str:
        """Who counts as one respondent in shares: the participant, or the ladder for anonymous answers."""
        return f"p{self.participant_id}" if self.participant_id is not None else f"anon:{self.ladder_key}"

    @property
    def is_open(self) -> bool:
        return not self.choice_values

    def auto(self) -> dict[str, float]:
        return {c.code_id: c.confidence or 0.0 for c in self.codings if c.source == "auto"}

    def human(self, status: str = "applied") -> set[str]:
        return {c.code_id for c in self.codings if c.source == "human" and c.status == status}

    @property
    def reviewed(self) -> bool:
        return any(c.source == "human" for c in self.codings)


@dataclass
class RoundAnswers:
    answers: list[AnswerRow]
    withheld: int  # restricted answers this reviewer may not read


async def resolve_round(s: AsyncSession, round_id: int | None) -> Assessment:
    """The round asked for, else the current one; a clear error when there is none."""
    if round_id is not None:
        return await repos.get_assessment(s, round_id)
    a = await repos.current_assessment(s)
    if a is None:
        raise repos.NotFound("no assessment yet; create one with 'cna assessment create' or try 'cna demo'")
    return a


def effective(a: AnswerRow, cb: Codebook) -> set[str]:
    """The codes that count for an answer (core.analysis.effective_codes), merged codes mapped to survivors."""
    return {cb.survivor(c) for c in effective_codes(a.auto(), a.human("applied"), a.human("rejected"))}


async def _question_texts(s: AsyncSession, keys: set[tuple[str, str]]) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(script, lang, question) -> (text, kind) from the newest stored version of each script."""
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    if not keys:
        return out
    rows = (await s.scalars(select(ScriptVersion).where(ScriptVersion.script_id.in_({k[0] for k in keys}))
                            .order_by(ScriptVersion.id))).all()
    for sv in rows:
        for q in sv.body.get("questions", []):
            out[(sv.script_id, sv.lang, q["id"])] = (q.get("text", q["id"]), q.get("kind", "open"))
    return out


async def load_answers(s: AsyncSession, round_ids: list[int], reviewer: Reviewer) -> RoundAnswers:
    """Current (not superseded) answers of the rounds in ladder order, with codings; restricted answers the
    reviewer may not read are left out and only counted."""
    # Restricted text the reviewer may not read never leaves the database: filtered in SQL, only counted.
    current = and_(Answer.assessment_id.in_(round_ids), Answer.superseded.is_(False))
    allowed = visible_answers_clause(reviewer)
    q = (select(Answer, Interview, Participant, ScriptVersion)
         .outerjoin(Interview, Answer.interview_id == Interview.id)
         .outerjoin(Participant, Interview.participant_id == Participant.id)
         .outerjoin(ScriptVersion, Interview.script_version_id == ScriptVersion.id)
         .where(current, allowed)
         .order_by(Answer.assessment_id, Answer.interview_id, Answer.id))
    visible = [tuple(r) for r in (await s.execute(q)).all()]
    withheld = int(await s.scalar(select(func.count()).select_from(Answer).where(current, not_(allowed))) or 0)
    texts = await _question_texts(s, {(a.script_id, a.lang) for a, *_ in visible})
    out: list[AnswerRow] = []
    for a, iv, p, sv in visible:
        qtext, qkind = texts.get((a.script_id, a.lang, a.question_id), (question_label(a.question_id, a.lang), None))
        if sv is not None:
            qtext, qkind = next(((q.get("text", a.question_id), q.get("kind")) for q in sv.body.get("questions", [])
                                 if q.get("id") == a.question_id), (qtext, qkind))
        anon = a.anonymous or iv is None
        out.append(AnswerRow(
            id=a.id, round_id=a.assessment_id, interview_id=None if anon else a.interview_id,
            participant_id=None if anon or p is None else p.id, pseudonym=None if anon or p is None else p.pseudonym,
            participant_kind=a.segment.split(":", 1)[0], role=None if anon or p is None else p.role,
            segment=a.segment, script_id=a.script_id, script_version=sv.version if sv is not None else None,
            lang=a.lang, question_id=a.question_id, question_text=qtext, question_kind=qkind,
            ladder_key=a.ladder_key, step=a.step, probe_text=a.probe_text, probe_reason=a.probe_reason,
            probe_family=a.probe_family, text=a.text, choice_values=list(a.choice_values or []),
            anonymous=anon, department=a.department, created_at=a.created_at))
    by_id = {r.id: r for r in out}
    if by_id:
        for chunk in _chunks(list(by_id), 500):
            for c in (await s.scalars(select(Coding).where(Coding.answer_id.in_(chunk))
                                      .order_by(Coding.answer_id, Coding.source, Coding.code_id))).all():
                by_id[c.answer_id].codings.append(CodingRow(c.id, c.code_id, c.source, c.status, c.confidence,
                                                            c.cue, c.rule, c.coder, c.created_at))
    return RoundAnswers(out, withheld)


def _chunks(xs: list[int], n: int) -> list[list[int]]:
    return [xs[i:i + n] for i in range(0, len(xs), n)]


def ladders(answers: list[AnswerRow]) -> dict[str, list[AnswerRow]]:
    """ladder_key -> steps in order."""
    out: dict[str, list[AnswerRow]] = defaultdict(list)
    for a in answers:
        out[a.ladder_key].append(a)
    for steps in out.values():
        steps.sort(key=lambda r: (r.step, r.id))
    return dict(out)


@dataclass
class InterviewRow:
    id: int
    participant_id: int
    pseudonym: str
    kind: str
    role: str | None
    segment: str
    status: str
    script_id: str
    script_version: int
    script_title: str
    lang: str
    invited_at: datetime | None
    completed_at: datetime | None


async def load_interviews(s: AsyncSession, round_id: int) -> list[InterviewRow]:
    q = (select(Interview, Participant, ScriptVersion)
         .join(Participant, Interview.participant_id == Participant.id)
         .join(ScriptVersion, Interview.script_version_id == ScriptVersion.id)
         .where(Interview.assessment_id == round_id).order_by(Interview.id))
    return [InterviewRow(iv.id, p.id, p.pseudonym, p.kind, p.role, iv.segment, iv.status, iv.script_id,
                         sv.version, sv.title, iv.lang, iv.invited_at, iv.completed_at)
            for iv, p, sv in (await s.execute(q)).all()]
