"""Opportunity and weight edits as undoable Changes: each keeps what it overwrote (storage.review.history)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.review.coding import Change
from storage.review.history import OpportunityState, opportunity_state, weights_state
from storage.review.opportunities import (
    create_opportunity,
    delete_opportunity,
    link_theme,
    set_score,
    set_weights,
    unlink_theme,
    update_opportunity,
)
from storage.review.scope import ReviewError


async def _before(s: AsyncSession, opportunity_id: int) -> OpportunityState:
    state = await opportunity_state(s, opportunity_id)
    if state is None:
        raise ReviewError(f"no opportunity with id {opportunity_id}")
    return state


async def new_opportunity(s: AsyncSession, round_id: int, title: str, *, theme_ids: Iterable[str] = ()) -> Change:
    oid = await create_opportunity(s, round_id, title, theme_ids=theme_ids)
    state = await _before(s, oid)
    return Change(f"create opportunity '{state.title}'",
                  opportunity=OpportunityState(oid, round_id, False, state.title))


async def edit_opportunity(s: AsyncSession, opportunity_id: int, what: str, **fields: Any) -> Change:
    """update_opportunity, undoable; `what` names the edit ('rename', 'phase of', 'short-list')."""
    before = await _before(s, opportunity_id)
    await update_opportunity(s, opportunity_id, **fields)
    return Change(f"{what} opportunity '{before.title}'", opportunity=before)


async def score_opportunity(s: AsyncSession, opportunity_id: int, scores: Mapping[str, int | None]) -> Change:
    """Set several criteria at once (None clears one) as one change."""
    before = await _before(s, opportunity_id)
    for criterion, value in scores.items():
        if value != before.scores.get(criterion):
            await set_score(s, opportunity_id, criterion, value)
    return Change(f"score opportunity '{before.title}'", opportunity=before)


async def remove_opportunity(s: AsyncSession, opportunity_id: int) -> Change:
    before = await _before(s, opportunity_id)
    await delete_opportunity(s, opportunity_id)
    return Change(f"delete opportunity '{before.title}'", opportunity=before)


async def link_opportunity(s: AsyncSession, opportunity_id: int, code_id: str, *, link: bool = True) -> Change:
    before = await _before(s, opportunity_id)
    if link:
        await link_theme(s, opportunity_id, code_id)
    else:
        await unlink_theme(s, opportunity_id, code_id)
    return Change(f"{'link' if link else 'unlink'} {code_id} {'to' if link else 'from'} opportunity "
                  f"'{before.title}'", opportunity=before)


async def change_weights(s: AsyncSession, round_id: int, weights: Mapping[str, float]) -> Change:
    before = await weights_state(s, round_id)
    await set_weights(s, round_id, weights)
    return Change("change the criterion weights", weights=before)
