"""The report's appendix of memos: the notes the lead marked for the report, on the round, themes, opportunities
and answers (only answers the reader may see)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reports.data import AnswerRow
from reports.labels import fmt_date, segment_label, t
from storage.review import Codebook, MemoView, OpportunityView, list_memos

ORDER = {"round": 0, "code": 1, "opportunity": 2, "answer": 3}


def _about(m: MemoView, cb: Codebook, opps: dict[int, str], answers: dict[int, AnswerRow], lang: str) -> str | None:
    """What the memo is on, in the report's language; None when the target is gone or not visible."""
    if m.kind == "round":
        return t(lang, "memo_round")
    if m.kind == "code":
        return t(lang, "memo_theme", name=cb.label(m.target, lang)) if m.target in cb.codes else None
    if m.kind == "opportunity":
        title = opps.get(int(m.target))
        return t(lang, "memo_opportunity", name=title) if title else None
    a = answers.get(int(m.target))
    if a is None:
        return None
    return t(lang, "memo_answer", id=a.id, segment=segment_label(a.segment, lang), question=a.question_id)


async def memo_section(s: AsyncSession, round_id: int, cb: Codebook, opportunities: Iterable[OpportunityView],
                       answers: Iterable[AnswerRow], lang: str) -> list[dict[str, Any]]:
    """Memos marked for the report, the round's first, then themes, opportunities and answers, oldest first."""
    opps = {o.id: o.title for o in opportunities}
    by_id = {a.id: a for a in answers}
    out = []
    for m in sorted(await list_memos(s, round_id, in_report=True), key=lambda m: ORDER.get(m.kind, 9)):
        about = _about(m, cb, opps, by_id, lang)
        if about is not None:
            out.append({"about": about, "author": m.author, "date": fmt_date(m.updated_at.date(), lang),
                        "text": m.text})
    return out
