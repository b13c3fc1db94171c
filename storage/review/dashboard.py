"""The round overview: rounds, interview and coding progress per segment, the next refresh, audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.assessment import next_refresh
from storage import repos
from storage.models import Answer, Assessment, AuditEntry, Code, Interview
from storage.review.opportunities import ranking
from storage.review.scope import (
    ReviewScope,
    has_human_coding,
    is_open_answer,
    no_effective_code,
    undecided_proposal,
)


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    round_no: int
    status: str
    opened_on: date
    closed_on: date | None
    previous_id: int | None
    refresh_months: int
    key_questions: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.name} · round {self.round_no} ({self.status}, opened {self.opened_on:%Y-%m-%d})"


def _info(a: Assessment) -> RoundInfo:
    return RoundInfo(a.id, a.name, a.round_no, a.status, a.opened_on, a.closed_on, a.previous_id,
                     a.refresh_months, tuple(map(str, a.key_questions or ())), tuple(map(str, a.goals or ())))


async def rounds(s: AsyncSession) -> list[RoundInfo]:
    """Every round, newest first."""
    return [_info(a) for a in reversed(await repos.list_assessments(s))]


async def default_round(s: AsyncSession) -> int | None:
    """The current open round (else the newest), as new interviews see it."""
    a = await repos.current_assessment(s)
    return a.id if a else None


@dataclass(frozen=True)
class SegmentProgress:
    segment: str  # internal:sales, customer:current, ...
    invited: int  # every interview of the segment (whatever happened next)
    in_progress: int  # started or paused
    completed: int
    declined: int  # declined or expired

    @property
    def not_started(self) -> int:
        return self.invited - self.in_progress - self.completed - self.declined


@dataclass(frozen=True)
class CodingProgress:
    """How far coding got: the aggregates over every answer, kept apart so a screen can show the cheap
    interview progress first."""

    per_segment: dict[str, tuple[int, int]]  # segment -> (free-text answers, not yet coded by a person)
    answers: int  # free-text answers visible to the reviewer
    to_review: int  # no person has coded them yet, or a proposal on them is undecided
    without_code: int  # nothing counts for them (no accepted or confident auto code)
    hidden: dict[str, int]  # department -> answers restricted to departments this reviewer may not read
    people: dict[str, int] = field(default_factory=dict)  # internal / customer -> participants with answers
    anonymous: dict[str, int] = field(default_factory=dict)  # internal / customer -> anonymous answers


@dataclass(frozen=True)
class Dashboard:
    round: RoundInfo
    progress: list[SegmentProgress]  # internal roles first, then customer segments
    themes: int
    opportunities: int
    shortlisted: int  # on the short list (scored, put there, within the limit)
    next_refresh: date
    days_to_refresh: int
    shortlist_warning: str | None
    coding: CodingProgress | None = None  # None when asked for without it
    candidates: int = 0  # opportunities not yet scored on every criterion
    shortlist_limit: int = 7


async def dashboard(s: AsyncSession, scope: ReviewScope, today: date, *, with_coding: bool = True) -> Dashboard:
    """Counts for the overview screen, all computed in SQL; `with_coding=False` skips the answer aggregates
    (coding_progress), which cost most on large rounds."""
    a = await s.get(Assessment, scope.round_id)
    if a is None:
        raise LookupError(f"no round with id {scope.round_id}")
    status = await repos.status_counts(s, scope.round_id)
    progress = []
    for seg in sorted(status, key=lambda x: (not x.startswith("internal"), x)):
        st = status[seg]
        progress.append(SegmentProgress(
            seg, sum(st.values()), st.get("in_progress", 0) + st.get("paused", 0), st.get("completed", 0),
            st.get("declined", 0) + st.get("expired", 0)))
    plan = await ranking(s, scope.round_id)  # the same short list the opportunities screen and report show
    themes = await s.scalar(select(func.count()).select_from(Code)
                            .where(Code.kind == "theme", Code.merged_into.is_(None))) or 0
    nxt = next_refresh(a.opened_on, a.refresh_months)
    return Dashboard(_info(a), progress, themes, len(plan.opportunities), len(plan.short), nxt, (nxt - today).days,
                     plan.warning, await coding_progress(s, scope) if with_coding else None,
                     len(plan.candidates), plan.shortlist_limit)


async def coding_progress(s: AsyncSession, scope: ReviewScope) -> CodingProgress:
    """Free-text answers per segment, how many are still to review (the Answers screen's "to review": never coded
    by a person, or a proposal left undecided), how many have no code that counts."""
    unreviewed = case((or_(~has_human_coding(), undecided_proposal()), 1), else_=0)
    without = case((no_effective_code(), 1), else_=0)
    coded = (await s.execute(
        select(Answer.segment, func.count(), func.sum(unreviewed), func.sum(without))
        .where(*scope.answer_conditions(), is_open_answer()).group_by(Answer.segment))).all()
    per_seg = {str(seg): (int(n), int(u or 0), int(w or 0)) for seg, n, u, w in coded}
    restricted = (await s.execute(select(Answer.department, func.count())
                                  .where(Answer.assessment_id == scope.round_id, Answer.superseded.is_(False),
                                         Answer.department.is_not(None), ~scope.visible())
                                  .group_by(Answer.department))).all()
    totals = [sum(v[i] for v in per_seg.values()) for i in range(3)]
    group = func.substr(Answer.segment, 1, func.instr(Answer.segment, ":") - 1) \
        if s.get_bind().dialect.name == "sqlite" else func.split_part(Answer.segment, ":", 1)
    named = (await s.execute(
        select(group, func.count(func.distinct(Interview.participant_id))).select_from(Answer)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(*scope.answer_conditions(), Answer.anonymous.is_(False)).group_by(group))).all()
    anonymous = (await s.execute(
        select(group, func.count(func.distinct(Answer.ladder_key)))
        .where(*scope.answer_conditions(), Answer.anonymous.is_(True)).group_by(group))).all()
    return CodingProgress({k: v[:2] for k, v in per_seg.items()}, totals[0], totals[1], totals[2],
                          {str(d): int(n) for d, n in restricted}, {str(g): int(n) for g, n in named},
                          {str(g): int(n) for g, n in anonymous})


async def record_names_shown(s: AsyncSession, scope: ReviewScope) -> None:
    """Audit that a reviewer revealed participants' names in the review app (no content is logged)."""
    s.add(AuditEntry(actor=scope.reviewer.name, action="review.show_names",
                     subject=f"assessment:{scope.round_id}", detail={}))
    await s.flush()
