"""What an opportunity, weights, memo or probe-mark edit overwrites, kept so that undo can put exactly that back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Assessment, Code, Memo, Opportunity, OpportunityTheme, ProbeMark


@dataclass(frozen=True)
class OpportunityState:
    """An opportunity as it was; `present=False` means it did not exist yet (undo of a create deletes it)."""

    id: int
    round_id: int
    present: bool
    title: str = ""
    description: str | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    shortlisted: bool = False
    phase: str | None = None
    start_on: date | None = None
    end_on: date | None = None
    themes: tuple[str, ...] = ()
    created_at: datetime | None = None


@dataclass(frozen=True)
class WeightsState:
    """A round's stored weights before a change (None: none were stored, the defaults applied)."""

    round_id: int
    stored: dict[str, float] | None


async def opportunity_state(s: AsyncSession, opportunity_id: int) -> OpportunityState | None:
    o = await s.get(Opportunity, opportunity_id)
    if o is None:
        return None
    themes = (await s.scalars(select(OpportunityTheme.code_id).where(
        OpportunityTheme.opportunity_id == opportunity_id).order_by(OpportunityTheme.code_id))).all()
    return OpportunityState(o.id, o.assessment_id, True, o.title, o.description, dict(o.scores), o.shortlisted,
                            o.phase, o.start_on, o.end_on, tuple(themes), o.created_at)


async def restore_opportunity(s: AsyncSession, state: OpportunityState) -> None:
    """Put the opportunity back as it was: recreated under its old id after a delete, deleted after a create."""
    row = await s.get(Opportunity, state.id)
    if not state.present:
        if row is not None:
            await s.delete(row)
            await s.flush()
        return
    if row is None:
        row = Opportunity(id=state.id, assessment_id=state.round_id, title=state.title)
        if state.created_at is not None:
            row.created_at = state.created_at
        s.add(row)
    row.title, row.description, row.scores = state.title, state.description, dict(state.scores)
    row.shortlisted, row.phase, row.start_on, row.end_on = state.shortlisted, state.phase, state.start_on, \
        state.end_on
    await s.flush()
    await s.execute(delete(OpportunityTheme).where(OpportunityTheme.opportunity_id == state.id))
    for code in state.themes:
        if await s.get(Code, code) is not None:  # a theme undone in between is gone; the link goes with it
            s.add(OpportunityTheme(opportunity_id=state.id, code_id=code))
    await s.flush()


async def weights_state(s: AsyncSession, round_id: int) -> WeightsState:
    a = await s.get(Assessment, round_id)
    stored = (a.settings.get("weights") if a else None) or None
    return WeightsState(round_id, dict(stored) if stored else None)


async def restore_weights(s: AsyncSession, state: WeightsState) -> None:
    a = await s.get(Assessment, state.round_id)
    if a is None:
        return
    settings = {k: v for k, v in a.settings.items() if k != "weights"}
    if state.stored is not None:
        settings["weights"] = dict(state.stored)
    a.settings = settings  # a new dict, so the JSON column is seen as changed
    await s.flush()


@dataclass(frozen=True)
class MemoState:
    """A memo as it was; `present=False`: there was none (undo deletes the one written since)."""

    round_id: int
    kind: str
    target: str
    present: bool
    text: str = ""
    author: str = ""
    in_report: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


async def memo_row(s: AsyncSession, round_id: int, kind: str, target: str) -> Memo | None:
    row: Memo | None = await s.scalar(select(Memo).where(Memo.assessment_id == round_id, Memo.target_kind == kind,
                                                         Memo.target_id == target))
    return row


async def memo_state(s: AsyncSession, round_id: int, kind: str, target: str) -> MemoState:
    m = await memo_row(s, round_id, kind, target)
    if m is None:
        return MemoState(round_id, kind, target, False)
    return MemoState(round_id, kind, target, True, m.text, m.author, m.in_report, m.created_at, m.updated_at)


async def restore_memo(s: AsyncSession, state: MemoState) -> None:
    row = await memo_row(s, state.round_id, state.kind, state.target)
    if not state.present:
        if row is not None:
            await s.delete(row)
            await s.flush()
        return
    if row is None:
        row = Memo(assessment_id=state.round_id, target_kind=state.kind, target_id=state.target)
        s.add(row)
    row.text, row.author, row.in_report = state.text, state.author, state.in_report
    if state.created_at is not None:
        row.created_at = state.created_at
    if state.updated_at is not None:
        row.updated_at = state.updated_at
    await s.flush()


@dataclass(frozen=True)
class ProbeMarkState:
    """A reviewer's mark on one answer's probe decision before a change (None: no mark)."""

    answer_id: int
    reviewer: str
    verdict: str | None


async def restore_probe_mark(s: AsyncSession, state: ProbeMarkState) -> None:
    row = await s.scalar(select(ProbeMark).where(ProbeMark.answer_id == state.answer_id,
                                                 ProbeMark.reviewer == state.reviewer))
    if state.verdict is None:
        if row is not None:
            await s.delete(row)
    elif row is None:
        s.add(ProbeMark(answer_id=state.answer_id, verdict=state.verdict, reviewer=state.reviewer))
    else:
        row.verdict = state.verdict
    await s.flush()
