"""Trained coder models in the database, and the lead's finished codings the coder learns from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import AUTO_THRESHOLD
from storage.models import Answer, Code, CoderModel, Coding


@dataclass(frozen=True)
class LeadAnswer:
    """An answer a person finished coding: every confident proposal decided and at least one decision, so their
    judgement on every code is known (as core.agreement counts them). `codes`: the codes they applied."""

    answer_id: int
    lang: str
    text: str
    script_id: str
    question_id: str
    codes: frozenset[str]


async def lead_answers(s: AsyncSession) -> list[LeadAnswer]:
    """Finished answers (codebook codes only; themes have no proposals to learn from), oldest first."""
    book = set((await s.scalars(select(Code.id).where(Code.kind == "code", Code.merged_into.is_(None)))).all())
    applied: dict[int, set[str]] = defaultdict(set)
    decided: dict[int, set[str]] = defaultdict(set)
    proposed: dict[int, set[str]] = defaultdict(set)
    rows = await s.execute(select(Coding.answer_id, Coding.code_id, Coding.source, Coding.status, Coding.confidence))
    for answer_id, code_id, source, status, confidence in rows:
        if code_id not in book:
            continue
        if source == "human":
            decided[answer_id].add(code_id)
            if status == "applied":
                applied[answer_id].add(code_id)
        elif confidence is not None and confidence >= AUTO_THRESHOLD:
            proposed[answer_id].add(code_id)
    finished = [a for a, d in decided.items() if proposed[a] <= d]
    if not finished:
        return []
    answers = await s.execute(select(Answer.id, Answer.lang, Answer.text, Answer.script_id, Answer.question_id)
                              .where(Answer.id.in_(finished), Answer.superseded.is_(False)).order_by(Answer.id))
    return [LeadAnswer(i, lang, text, script, qid, frozenset(applied[i]))
            for i, lang, text, script, qid in answers if text and text.strip()]


async def human_decisions(s: AsyncSession) -> int:
    """How many human coding decisions the database holds (retraining counts new ones against this)."""
    return int(await s.scalar(select(func.count()).select_from(Coding).where(Coding.source == "human")) or 0)


async def save_model(s: AsyncSession, data: Mapping[str, Any], decisions: int, by: str | None = None,
                     trained_on: Iterable[int] = ()) -> CoderModel:
    """Store a trained model (the same model id twice is stored once); `trained_on`: the ids of the lead's answers
    it learned from, so erasing one of them can delete it (forget_answers)."""
    meta = data["meta"]
    existing = await s.scalar(select(CoderModel).where(CoderModel.model_id == meta["id"]))
    if existing is not None:
        return existing
    row = CoderModel(model_id=meta["id"], examples=int(meta["examples"]), lead_answers=int(meta.get("lead_answers", 0)),
                     decisions=decisions, data=dict(data), trained_by=by, trained_on=sorted(set(trained_on)),
                     active_codes=sorted(c for c, g in data["codes"].items() if g.get("active") == "model"))
    s.add(row)
    await s.flush()
    return row


async def latest_model(s: AsyncSession) -> CoderModel | None:
    row: CoderModel | None = await s.scalar(select(CoderModel).order_by(CoderModel.id.desc()).limit(1))
    return row


async def models(s: AsyncSession) -> list[CoderModel]:
    """Every stored model, newest first (without loading anything else)."""
    return list((await s.scalars(select(CoderModel).order_by(CoderModel.id.desc()))).all())


async def forget_answers(s: AsyncSession, answer_ids: Iterable[int]) -> int:
    """Delete every stored model that learned from any of these answers (erasure, retention): its weights may
    hold their words. The coder falls back to the previous model that did not see them, else the shipped one,
    and the next retraining (without the answers) replaces it. Returns how many models went."""
    gone = set(answer_ids)
    if not gone:
        return 0
    rows = (await s.execute(select(CoderModel.id, CoderModel.trained_on))).all()
    doomed = [i for i, on in rows if gone.intersection(on or ())]
    if doomed:
        await s.execute(delete(CoderModel).where(CoderModel.id.in_(doomed)).execution_options(
            synchronize_session=False))
    return len(doomed)
