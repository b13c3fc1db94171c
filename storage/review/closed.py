"""Closed questions from the database: choice, multi-choice, yes/no and scale answers per segment and group,
with NPS and the paired staff-vs-customer forced choice (core.closed_questions does the arithmetic)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.closed_questions import (
    ClosedAnswer,
    Distribution,
    Nps,
    PairedRow,
    QuestionKey,
    distributions,
    nps,
    paired_rows,
)
from storage.models import Answer, Interview, ScriptVersion
from storage.review.scope import ReviewScope

CLOSED_KINDS = ("single", "multi", "yesno", "scale")


def question_key(q: dict[str, Any]) -> QuestionKey | None:
    """The analysis key of a question in a stored script body; None for open questions."""
    kind = q.get("kind")
    if kind not in CLOSED_KINDS:
        return None
    if kind == "scale":
        sc = q.get("scale") or {}
        options = tuple(str(v) for v in range(int(sc.get("min", 1)), int(sc.get("max", 5)) + 1))
    elif kind == "yesno":
        options = ("yes", "no")
    else:
        options = tuple(str(c["id"]) for c in q.get("choices") or ())
    return QuestionKey(str(q["id"]), str(kind), options)


@dataclass
class ClosedQuestion:
    """One closed question with its wording in every language a script version of the round used."""

    key: QuestionKey
    distribution: Distribution
    text: dict[str, str] = field(default_factory=dict)  # lang -> question text
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # option -> lang -> label
    scale_labels: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # lang -> (min, max)

    def question(self, lang: str) -> str:
        return self.text.get(lang) or self.text.get("en") or next(iter(self.text.values()), self.key.question_id)

    def label(self, option: str, lang: str) -> str:
        by = self.labels.get(option, {})
        return by.get(lang) or by.get("en") or next(iter(by.values()), option)

    @property
    def paired(self) -> list[PairedRow] | None:
        """Staff and customer shares per option, when both sides were asked the same question."""
        return paired_rows(self.distribution) if self.distribution.paired else None

    def nps(self) -> dict[str, Nps]:
        """Net Promoter score per segment and group, for a 0-10 likelihood question; empty otherwise."""
        if not self.key.is_nps:
            return {}
        d = self.distribution
        return {k: nps(t) for k, t in (*d.by_segment.items(), *d.by_group.items()) if t.n}


async def closed_questions(s: AsyncSession, scope: ReviewScope) -> list[ClosedQuestion]:
    """Every closed question answered in the round (first answers only: follow-ups are free text), paired
    questions first, then in the order they were first answered."""
    rows = (await s.execute(
        select(Answer.id, Answer.segment, Answer.ladder_key, Answer.script_id, Answer.question_id, Answer.lang,
               Answer.anonymous, Answer.choice_values, Interview.participant_id, Interview.script_version_id)
        .select_from(Answer).outerjoin(Interview, Interview.id == Answer.interview_id)
        .where(*scope.answer_conditions(), Answer.step == 0).order_by(Answer.id))).all()
    rows = [r for r in rows if r.choice_values]
    if not rows:
        return []
    versions = (await s.execute(select(ScriptVersion.id, ScriptVersion.script_id, ScriptVersion.lang,
                                       ScriptVersion.body)
                                .where(ScriptVersion.script_id.in_({r.script_id for r in rows}))
                                .order_by(ScriptVersion.id))).all()
    by_version: dict[tuple[int, str], dict[str, Any]] = {}
    newest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for vid, sid, lang, body in versions:
        for q in (body or {}).get("questions", []):
            by_version[(vid, q.get("id", ""))] = q
            newest[(sid, lang, q.get("id", ""))] = q
    answers: list[ClosedAnswer] = []
    questions: dict[QuestionKey, int] = {}  # -> the first answer's id, for the order
    texts: dict[QuestionKey, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for r in rows:
        person = None if r.anonymous or r.participant_id is None else f"p{r.participant_id}"
        q = by_version.get((r.script_version_id, r.question_id)) if person is not None else None
        q = q or newest.get((r.script_id, r.lang, r.question_id))
        key = question_key(q) if q else None
        if key is None or q is None:
            continue
        answers.append(ClosedAnswer(key, r.segment, person, r.ladder_key, tuple(map(str, r.choice_values))))
        questions.setdefault(key, r.id)
        texts[key].append((r.lang, q))
    for (_sid, lang, _qid), q in newest.items():  # wording in languages no interview of this round used
        key = question_key(q)
        if key is not None and key in questions:
            texts[key].append((lang, q))
    out = []
    for d in distributions(answers):
        cq = ClosedQuestion(d.key, d)
        for lang, q in texts[d.key]:
            cq.text.setdefault(lang, " ".join(str(q.get("text", d.key.question_id)).split()))
            for c in q.get("choices") or ():
                cq.labels.setdefault(str(c["id"]), {}).setdefault(lang, str(c.get("label", c["id"])))
            sc = q.get("scale")
            if sc:
                cq.scale_labels.setdefault(lang, (sc.get("min_label"), sc.get("max_label")))
        out.append(cq)
    return sorted(out, key=lambda c: (not c.distribution.paired, questions[c.key]))
