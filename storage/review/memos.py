"""Memos: the lead's notes on an answer, a theme or code, an opportunity or the round, each an undoable Change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Code, Memo, Opportunity
from storage.review.answers import check_visible
from storage.review.coding import Change
from storage.review.history import memo_row, memo_state
from storage.review.scope import ReviewError, ReviewScope

KINDS = {"answer": "answer", "code": "theme", "opportunity": "opportunity", "round": "round"}  # kind -> noun
MAX_MEMO = 4000  # characters: a memo is a note, not a document


@dataclass(frozen=True)
class MemoView:
    kind: str  # answer | code | opportunity | round
    target: str  # answer id, code id, opportunity id or round id, as text
    text: str
    author: str
    in_report: bool
    created_at: datetime
    updated_at: datetime


def _view(m: Memo) -> MemoView:
    return MemoView(m.target_kind, m.target_id, m.text, m.author, m.in_report, m.created_at, m.updated_at)


async def _check_target(s: AsyncSession, scope: ReviewScope, kind: str, target: str) -> None:
    if kind not in KINDS:
        raise ReviewError(f"memos go on {', '.join(KINDS)}, not on {kind!r}")
    if kind == "answer":
        await check_visible(s, scope, [int(target)])
    elif kind == "code" and await s.get(Code, target) is None:
        raise ReviewError(f"no theme or code {target!r} to write a memo on")
    elif kind == "opportunity":
        o = await s.get(Opportunity, int(target))
        if o is None or o.assessment_id != scope.round_id:
            raise ReviewError(f"no opportunity #{target} in this round")
    elif kind == "round" and target != str(scope.round_id):
        raise ReviewError("a round memo belongs to the round being reviewed")


async def get_memo(s: AsyncSession, scope: ReviewScope, kind: str, target: str | int) -> MemoView | None:
    m = await memo_row(s, scope.round_id, kind, str(target))
    return _view(m) if m is not None else None


async def list_memos(s: AsyncSession, round_id: int, kind: str | None = None,
                     targets: Iterable[str | int] | None = None, *, in_report: bool | None = None) -> list[MemoView]:
    """The round's memos (of one kind, on some targets, or only those marked for the report), oldest first."""
    q = select(Memo).where(Memo.assessment_id == round_id)
    if kind is not None:
        q = q.where(Memo.target_kind == kind)
    if targets is not None:
        q = q.where(Memo.target_id.in_([str(t) for t in targets]))
    if in_report is not None:
        q = q.where(Memo.in_report.is_(in_report))
    return [_view(m) for m in (await s.scalars(q.order_by(Memo.created_at, Memo.id))).all()]


def _label(kind: str, target: str, title: str | None) -> str:
    noun = KINDS[kind]
    if kind == "answer":
        return f"memo on answer #{target}"
    if kind == "round":
        return "memo on the round"
    return f"memo on {noun} '{title or target}'"


async def set_memo(s: AsyncSession, scope: ReviewScope, kind: str, target: str | int, text: str, *,
                   in_report: bool | None = None, title: str | None = None) -> Change:
    """Write (or, with empty text, delete) the memo on a target; the author is the reviewer, dated now."""
    key = str(target)
    await _check_target(s, scope, kind, key)
    body = text.strip()
    if len(body) > MAX_MEMO:
        raise ReviewError(f"a memo holds at most {MAX_MEMO} characters (this one has {len(body)}); shorten it")
    before = await memo_state(s, scope.round_id, kind, key)
    row = await memo_row(s, scope.round_id, kind, key)
    now = datetime.now(UTC)
    if not body:
        if row is None:
            raise ReviewError(f"there is no {_label(kind, key, title)} to delete")
        await s.delete(row)
        await s.flush()
        return Change(f"delete {_label(kind, key, title)}", memo=before)
    if row is None:
        row = Memo(assessment_id=scope.round_id, target_kind=kind, target_id=key, text=body, author=scope.coder,
                   in_report=bool(in_report), created_at=now, updated_at=now)
        s.add(row)
        verb = "write"
    else:
        row.text, row.author, row.updated_at = body, scope.coder, now
        if in_report is not None:
            row.in_report = in_report
        verb = "edit"
    await s.flush()
    return Change(f"{verb} {_label(kind, key, title)}", memo=before)


async def mark_for_report(s: AsyncSession, scope: ReviewScope, kind: str, target: str | int, on: bool,
                          title: str | None = None) -> Change:
    """Show the memo in the report's appendix (or not)."""
    key = str(target)
    row = await memo_row(s, scope.round_id, kind, key)
    if row is None:
        raise ReviewError(f"there is no {_label(kind, key, title)} yet: write one first")
    before = await memo_state(s, scope.round_id, kind, key)
    row.in_report = on
    await s.flush()
    return Change(f"{'put' if on else 'take'} {_label(kind, key, title)} {'in' if on else 'out of'} the report",
                  memo=before)
