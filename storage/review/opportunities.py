"""Opportunities from themes: edit, score, weights, the ranked short list and the roadmap's phases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import (
    CANDIDATE,
    CRITERIA,
    DEFAULT_WEIGHTS,
    OVER_LIMIT,
    PARKED,
    SHORT,
    SHORTLIST_LIMIT,
    ScoreError,
    check_scores,
    missing_criteria,
    rank,
    shortlist_warning,
)
from storage.models import Assessment, Code, Opportunity, OpportunityTheme
from storage.review.scope import ReviewError


@dataclass(frozen=True)
class OpportunityView:
    id: int
    title: str
    description: str | None
    scores: dict[str, int]
    score: float | None  # None for candidates (not scored on every weighted criterion)
    rank: int | None  # among fully scored opportunities; None for candidates
    warnings: tuple[str, ...]
    shortlisted: bool  # the lead put it on the short list (it is there only when status is 'short')
    phase: str | None
    start_on: date | None
    end_on: date | None
    themes: tuple[str, ...]
    status: str = CANDIDATE  # short | over_limit | parked | candidate (core.analysis.rank)
    missing: tuple[str, ...] = ()  # weighted criteria not scored yet
    contributions: dict[str, float] = field(default_factory=dict)  # points per criterion, adding up to score


@dataclass(frozen=True)
class Ranking:
    opportunities: list[OpportunityView]  # short list, then held back, parked and candidates, best first
    weights: dict[str, float]
    shortlist_limit: int
    warning: str | None  # more put on the short list than the limit: a wish list

    def having(self, status: str) -> list[OpportunityView]:
        return [o for o in self.opportunities if o.status == status]

    @property
    def short(self) -> list[OpportunityView]:
        """The short list: fully scored, put there by the lead, the best `shortlist_limit` by score."""
        return self.having(SHORT)

    @property
    def over_limit(self) -> list[OpportunityView]:
        return self.having(OVER_LIMIT)

    @property
    def parked(self) -> list[OpportunityView]:
        return self.having(PARKED)

    @property
    def candidates(self) -> list[OpportunityView]:
        return self.having(CANDIDATE)


async def _round(s: AsyncSession, round_id: int) -> Assessment:
    a = await s.get(Assessment, round_id)
    if a is None:
        raise ReviewError(f"no round with id {round_id}")
    return a


async def get_weights(s: AsyncSession, round_id: int) -> dict[str, float]:
    """The round's criterion weights (Assessment.settings['weights']) over the defaults."""
    stored = (await _round(s, round_id)).settings.get("weights") or {}
    return {**DEFAULT_WEIGHTS, **{k: float(v) for k, v in stored.items() if k in CRITERIA}}


async def set_weights(s: AsyncSession, round_id: int, weights: Mapping[str, float]) -> dict[str, float]:
    """Store new weights (0-10 each; 0 leaves a criterion out of the score)."""
    for k, v in weights.items():
        if k not in CRITERIA:
            raise ScoreError(f"unknown criterion {k!r}; use one of {', '.join(CRITERIA)}")
        if not 0 <= float(v) <= 10:
            raise ScoreError(f"weight for {k} must be from 0 to 10, not {v!r}")
    a = await _round(s, round_id)
    merged = {**(a.settings.get("weights") or {}), **{k: float(v) for k, v in weights.items()}}
    a.settings = {**a.settings, "weights": merged}  # a new dict, so the JSON column is seen as changed
    await s.flush()
    return await get_weights(s, round_id)


async def shortlist_limit(s: AsyncSession, round_id: int) -> int:
    return int((await _round(s, round_id)).settings.get("shortlist_limit", SHORTLIST_LIMIT))


async def ranking(s: AsyncSession, round_id: int) -> Ranking:
    """All opportunities of the round ranked by weighted score (core.analysis.rank), with warnings."""
    limit = await shortlist_limit(s, round_id)
    opps = (await s.scalars(select(Opportunity).where(Opportunity.assessment_id == round_id)
                            .order_by(Opportunity.id))).all()
    links = (await s.execute(select(OpportunityTheme.opportunity_id, OpportunityTheme.code_id)
                             .where(OpportunityTheme.opportunity_id.in_([o.id for o in opps]))
                             .order_by(OpportunityTheme.code_id))).all()
    themes: dict[int, list[str]] = {}
    for oid, code in links:
        themes.setdefault(oid, []).append(code)
    weights = await get_weights(s, round_id)
    by_id = {o.id: o for o in opps}
    ranked = rank(((o.id, o.title, dict(o.scores), o.shortlisted) for o in opps), weights, limit)
    views = []
    for r in ranked:
        o = by_id[r.id]
        views.append(OpportunityView(r.id, r.title, o.description, dict(o.scores), r.score, r.rank,
                                     r.warnings, o.shortlisted, o.phase, o.start_on, o.end_on,
                                     tuple(themes.get(r.id, ())), r.status, r.missing, r.contributions))
    order = {SHORT: 0, OVER_LIMIT: 1, PARKED: 2, CANDIDATE: 3}
    views.sort(key=lambda v: order[v.status])  # stable: best score first within each group
    marked = sum(1 for v in views if v.status in (SHORT, OVER_LIMIT))
    return Ranking(views, weights, limit, shortlist_warning(marked, limit))


async def create_opportunity(s: AsyncSession, round_id: int, title: str, *, theme_ids: Iterable[str] = (),
                             description: str | None = None) -> int:
    """A new opportunity, linked to the themes it comes from: a candidate until it is scored on every criterion
    and put on the short list."""
    name = " ".join(title.split())
    if not name:
        raise ReviewError("an opportunity needs a title")
    await _round(s, round_id)
    o = Opportunity(assessment_id=round_id, title=name[:200], description=description, scores={},
                    shortlisted=False)
    s.add(o)
    await s.flush()
    for t in dict.fromkeys(theme_ids):
        await link_theme(s, o.id, t)
    return o.id


async def _opp(s: AsyncSession, opportunity_id: int) -> Opportunity:
    o = await s.get(Opportunity, opportunity_id)
    if o is None:
        raise ReviewError(f"no opportunity with id {opportunity_id}")
    return o


_EDITABLE = {"title", "description", "phase", "start_on", "end_on", "shortlisted"}


async def update_opportunity(s: AsyncSession, opportunity_id: int, **fields: Any) -> None:
    """Change title, description, phase, start_on, end_on or shortlisted; dates must be in order."""
    unknown = set(fields) - _EDITABLE
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(sorted(unknown))}; "
                          f"editable: {', '.join(sorted(_EDITABLE))}")
    o = await _opp(s, opportunity_id)
    start = fields.get("start_on", o.start_on)
    end = fields.get("end_on", o.end_on)
    if start and end and end < start:
        raise ReviewError(f"the phase ends ({end}) before it starts ({start})")
    if "title" in fields and not str(fields["title"]).strip():
        raise ReviewError("an opportunity needs a title")
    if fields.get("shortlisted") and not o.shortlisted:
        await _check_room(s, o)
    for k, v in fields.items():
        setattr(o, k, v)
    await s.flush()


async def _check_room(s: AsyncSession, o: Opportunity) -> None:
    """Refuse to short-list an opportunity that is not fully scored, or one more than the limit allows."""
    weights = await get_weights(s, o.assessment_id)
    missing = missing_criteria(o.scores, weights)
    if missing:
        raise ReviewError(f"score '{o.title}' on {', '.join(m.replace('_', ' ') for m in missing)} first: only "
                          "fully scored opportunities can be compared and short-listed")
    limit = await shortlist_limit(s, o.assessment_id)
    ranked = await ranking(s, o.assessment_id)
    if len(ranked.short) + len(ranked.over_limit) >= limit:
        raise ReviewError(f"the short list is full ({limit} of {limit}): take one off first, or raise the "
                          "round's shortlist_limit; a longer list becomes a wish list that budget and culture "
                          "will not deliver")


async def set_score(s: AsyncSession, opportunity_id: int, criterion: str,
                    value: int | None) -> dict[str, int]:
    """Score one criterion 1-5 (None clears it); returns all scores."""
    o = await _opp(s, opportunity_id)
    scores = dict(o.scores)
    if value is None:
        if criterion not in CRITERIA:
            raise ScoreError(f"unknown criterion {criterion!r}; use one of {', '.join(CRITERIA)}")
        scores.pop(criterion, None)
    else:
        scores.update(check_scores({criterion: value}))
    o.scores = scores
    await s.flush()
    return scores


async def delete_opportunity(s: AsyncSession, opportunity_id: int) -> None:
    await s.delete(await _opp(s, opportunity_id))
    await s.flush()


async def link_theme(s: AsyncSession, opportunity_id: int, code_id: str) -> None:
    await _opp(s, opportunity_id)
    if await s.get(Code, code_id) is None:
        raise ReviewError(f"no theme or code {code_id!r}")
    if await s.get(OpportunityTheme, (opportunity_id, code_id)) is None:
        s.add(OpportunityTheme(opportunity_id=opportunity_id, code_id=code_id))
        await s.flush()


async def unlink_theme(s: AsyncSession, opportunity_id: int, code_id: str) -> None:
    await s.execute(delete(OpportunityTheme).where(OpportunityTheme.opportunity_id == opportunity_id,
                                                   OpportunityTheme.code_id == code_id))
