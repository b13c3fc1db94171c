"""The lead's marks on probe decisions: "should have probed" and "needless follow-up", for retraining the judge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.probe_types import NO_PROBE_REASONS
from storage.models import Answer, ProbeMark, utcnow
from storage.review.answers import check_visible
from storage.review.scope import ReviewError, ReviewScope

SHOULD_PROBE, NEEDLESS = "should_probe", "needless"
VERDICTS = (SHOULD_PROBE, NEEDLESS)
# What the judge should have made of the answer: the mark turns a decision into a training label.
LABEL = {SHOULD_PROBE: "surface", NEEDLESS: "specific"}


@dataclass(frozen=True)
class MarkedExample:
    """A marked answer with what the judge needs to learn from it."""

    answer_id: int
    lang: str
    text: str
    label: str
    depth: int
    closing: bool
    audience: str
    question: str


def fits(decision: str | None, verdict: str) -> bool:
    """'Should have probed' marks an answer that got no follow-up; 'needless' one that got a follow-up."""
    probed = decision is not None and decision not in NO_PROBE_REASONS and decision != "not_open"
    return (verdict == NEEDLESS) == probed and decision not in (None, "not_open", "empty")


async def set_mark(s: AsyncSession, scope: ReviewScope, answer_id: int, verdict: str | None) -> str | None:
    """Mark (or with None clear) the prober's decision on one answer; returns the mark it had before."""
    if verdict is not None and verdict not in VERDICTS:
        raise ReviewError(f"unknown mark {verdict!r}: use {' or '.join(VERDICTS)}")
    await check_visible(s, scope, [answer_id])
    row = await s.scalar(select(ProbeMark).where(ProbeMark.answer_id == answer_id,
                                                 ProbeMark.reviewer == scope.reviewer.name))
    before = row.verdict if row else None
    if verdict is not None:
        decision = await s.scalar(select(Answer.decision).where(Answer.id == answer_id))
        if not fits(decision, verdict):
            raise ReviewError("'should have probed' is for answers that got no follow-up, 'needless follow-up' "
                              "for answers that got one")
    if verdict is None:
        if row is not None:
            await s.delete(row)
    elif row is None:
        s.add(ProbeMark(answer_id=answer_id, verdict=verdict, reviewer=scope.reviewer.name))
    else:
        row.verdict, row.created_at = verdict, utcnow()
    await s.flush()
    return before


async def marks_of(s: AsyncSession, scope: ReviewScope, answer_ids: Sequence[int]) -> dict[int, str]:
    """This reviewer's marks on the given answers."""
    if not answer_ids:
        return {}
    rows = await s.execute(select(ProbeMark.answer_id, ProbeMark.verdict).where(
        ProbeMark.answer_id.in_(list(answer_ids)), ProbeMark.reviewer == scope.reviewer.name))
    return {a: v for a, v in rows.all()}


async def answer_marks(s: AsyncSession, answer_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every mark on these answers (the export passes the ones the reviewer may read): who, when, what."""
    if not answer_ids:
        return []
    rows = await s.execute(
        select(ProbeMark.answer_id, ProbeMark.verdict, ProbeMark.reviewer, ProbeMark.created_at, Answer.decision)
        .join(Answer, Answer.id == ProbeMark.answer_id)
        .where(ProbeMark.answer_id.in_(list(answer_ids))).order_by(ProbeMark.id))
    return [{"answer_id": a, "mark": v, "reviewer": r, "marked_at": at.isoformat(), "decision": d}
            for a, v, r, at, d in rows.all()]


async def marked_examples(s: AsyncSession, scripts: Mapping[tuple[str, str], Any]) -> list[MarkedExample]:
    """Every marked answer, as a training example (the latest mark wins when leads disagree)."""
    rows = await s.execute(
        select(Answer.id, Answer.lang, Answer.text, Answer.step, Answer.script_id, Answer.question_id,
               ProbeMark.verdict).join(ProbeMark, ProbeMark.answer_id == Answer.id).order_by(ProbeMark.created_at))
    latest: dict[int, MarkedExample] = {}
    for aid, lang, text, step, script_id, qid, verdict in rows.all():
        script = scripts.get((script_id, lang))
        q = next((q for q in script.questions if q.id == qid), None) if script is not None else None
        latest[aid] = MarkedExample(
            aid, lang, text, LABEL[verdict], step, bool(q and q.closing),
            "internal" if script_id.startswith("internal-") else "customer",
            f"{q.text} {q.intent}" if q else "")
    return list(latest.values())

