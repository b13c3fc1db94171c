"""Round analysis from the database: theme board, the like-with-like gap, change, agreement, quotes.

One load (`load_round_coding`) reads every visible current answer of the round with its codings, who gave it
(the participant; None for anonymous answers) and what its question asked about (the code hints of the exact
script version the interview ran); every figure below is then computed from that, in core."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.agreement import Agreement, Decisions, agreement
from core.analysis import AUTO_THRESHOLD, effective_codes
from core.topics import (
    Gap,
    Mention,
    RoundChange,
    TopicCount,
    TopicTable,
    compare_rounds,
    gap,
    group_of,
    topic_table,
    topics_asked,
)
from storage.models import Answer, Assessment, Coding, Interview, ScriptVersion
from storage.review.scope import Codebook, ReviewScope, load_codebook


@dataclass
class AnswerCodes:
    """One answer's codings, who gave it and what its question asked about."""

    answer_id: int
    segment: str
    respondent: str  # 'p<participant id>', or 'l<ladder key>' for an anonymous answer (never a person)
    ladder_key: str = ""
    participant: int | None = None  # None: anonymous
    question: tuple[str, str] = ("", "")  # script id, question id
    hints: tuple[str, ...] = ()  # the question's code hints in its script version
    is_open: bool = True  # free text (closed answers carry choice values and are not coded)
    auto: dict[str, float] = field(default_factory=dict)
    applied: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)
    coders: set[str] = field(default_factory=set)  # the people who made the decisions

    @property
    def reviewed(self) -> bool:
        """A person made at least one decision on it (any code or theme)."""
        return bool(self.applied or self.rejected)

    def effective(self) -> set[str]:
        return effective_codes(self.auto, self.applied, self.rejected)

    def auto_set(self) -> set[str]:
        return {c for c, conf in self.auto.items() if conf >= AUTO_THRESHOLD}


@dataclass(frozen=True)
class ThemeCard:
    code_id: str
    label: str
    kind: str  # theme | code
    parent_id: str | None
    answers: int  # answers (ladder steps) where it counts
    by_segment: dict[str, int]  # segment -> people who raised it (asked or not)
    internal: TopicCount  # staff: asked, raised, unprompted, anonymous answers
    customer: TopicCount
    internal_total: int  # staff with any answer in the round
    customer_total: int
    merged: list[str]  # themes merged into this one


@dataclass(frozen=True)
class Disagreement:
    answer_id: int
    code_id: str
    side: str  # 'auto only' (a person rejected it) | 'person only' (the auto coder missed it)
    segment: str
    confidence: float | None


@dataclass
class RoundCoding:
    """Every visible answer of a round with its codings, loaded once; the analyses below are pure."""

    round_id: int
    codebook: Codebook
    answers: dict[int, AnswerCodes]

    def effective(self, a: AnswerCodes) -> set[str]:
        return {self.codebook.survivor(c) for c in a.effective()}

    def people(self) -> dict[str, int]:
        """People (distinct participants) with any answer, per segment and per group; anonymous answers are
        not people."""
        return {k: v for k, v in self.topics().people.items()}

    def anonymous_answers(self) -> dict[str, int]:
        """Anonymous answers (a question with its follow-ups) per segment and group."""
        ladders: dict[str, set[str]] = defaultdict(set)
        for a in self.answers.values():
            if a.participant is None:
                ladders[a.segment].add(a.ladder_key)
                ladders[group_of(a.segment)].add(a.ladder_key)
        return {k: len(v) for k, v in ladders.items()}

    @cached_property
    def _parents(self) -> dict[str, str | None]:
        return {c.id: c.parent_id for c in self.codebook.codes.values()}

    @cached_property
    def _topics(self) -> list[str]:
        return [c.id for c in self.codebook.active()]

    def _asked(self, hints: tuple[str, ...]) -> frozenset[str]:
        return topics_asked(hints, self._topics, self._parents)

    @cached_property
    def _table(self) -> TopicTable:
        cache: dict[tuple[str, ...], frozenset[str]] = {}
        mentions = []
        for a in self.answers.values():
            if a.hints not in cache:
                cache[a.hints] = self._asked(a.hints)
            person = f"p{a.participant}" if a.participant is not None else None
            mentions.append(Mention(a.segment, person, a.ladder_key, cache[a.hints], frozenset(self.effective(a))))
        return topic_table(mentions)

    def topics(self) -> TopicTable:
        """core.topics.topic_table: per topic, people asked and people who raised it, per segment and group."""
        return self._table

    def gap(self) -> Gap:
        """Staff vs customers on the topics asked of both; topics asked of one side only listed apart."""
        return gap(self.topics())

    def board(self) -> list[ThemeCard]:
        """Themes and codebook codes with answers and people who raised them, per segment and group."""
        t = self.topics()
        cards = []
        for info in self.codebook.active():
            segs = t.by_segment.get(info.id, {})
            raised = {seg: c.people for seg, c in sorted(segs.items()) if c.people}
            if not t.answers.get(info.id) and info.kind != "theme":
                continue
            cards.append(ThemeCard(
                info.id, info.label_en, info.kind, info.parent_id, t.answers.get(info.id, 0), raised,
                t.count(info.id, "internal"), t.count(info.id, "customer"),
                t.people.get("internal", 0), t.people.get("customer", 0),
                sorted(c for c, i in self.codebook.codes.items() if i.merged_into
                       and self.codebook.survivor(c) == info.id)))
        cards.sort(key=lambda c: (c.kind != "theme", -c.answers, c.code_id))
        return cards

    def decisions(self) -> list[Decisions]:
        """Per answer a person reviewed: the confident proposals and the person's decisions, codebook codes
        only (themes have no automatic proposals to agree with)."""
        book = {c for c, i in self.codebook.codes.items() if i.kind == "code"}
        return [Decisions(a.answer_id, frozenset(a.auto_set() & book), frozenset(a.applied & book),
                          frozenset(a.rejected & book)) for a in self.answers.values() if a.reviewed]

    @cached_property
    def _agreement(self) -> Agreement:
        return agreement(self.decisions())

    def agreement(self) -> Agreement:
        """core.agreement: kappa per code and pooled, over the answers a person finished reviewing."""
        return self._agreement

    def disagreements(self, code_id: str | None = None) -> list[Disagreement]:
        """The units the agreement counts as disagreeing: on finished answers, a rejected proposal (auto only)
        or a code a person added (person only)."""
        out = []
        for d in self.decisions():
            if not d.finished:
                continue
            a = self.answers[d.answer_id]
            for c in sorted(d.auto ^ d.applied):
                if code_id is None or c == code_id:
                    out.append(Disagreement(a.answer_id, c, "auto only" if c in d.auto else "person only",
                                            a.segment, a.auto.get(c)))
        return out


async def _hints(s: AsyncSession, rows: Sequence[Any]) -> tuple[dict[tuple[int, str], tuple[str, ...]],
                                                            dict[tuple[str, str, str], tuple[str, ...]]]:
    """Code hints per (script version, question), and per (script, lang, question) from the newest version for
    anonymous answers, which keep no link to the interview's version."""
    scripts = {r.script_id for r in rows}
    by_version: dict[tuple[int, str], tuple[str, ...]] = {}
    newest: dict[tuple[str, str, str], tuple[str, ...]] = {}
    if not scripts:
        return by_version, newest
    versions = (await s.execute(select(ScriptVersion.id, ScriptVersion.script_id, ScriptVersion.lang,
                                       ScriptVersion.body).where(ScriptVersion.script_id.in_(scripts))
                                .order_by(ScriptVersion.id))).all()
    for vid, sid, lang, body in versions:
        for q in (body or {}).get("questions", []):
            hints = tuple(str(c) for c in q.get("codes") or ())
            by_version[(vid, q.get("id", ""))] = hints
            newest[(sid, lang, q.get("id", ""))] = hints
    return by_version, newest


async def load_round_coding(s: AsyncSession, scope: ReviewScope) -> RoundCoding:
    """One query over the round's visible current answers, who gave them and their codings."""
    rows = (await s.execute(
        select(Answer.id, Answer.segment, Answer.ladder_key, Answer.script_id, Answer.question_id, Answer.lang,
               Answer.anonymous, Answer.choice_values, Interview.participant_id, Interview.script_version_id,
               Coding.code_id, Coding.source, Coding.status, Coding.confidence, Coding.coder)
        .select_from(Answer).outerjoin(Interview, Interview.id == Answer.interview_id)
        .outerjoin(Coding, Coding.answer_id == Answer.id)
        .where(*scope.answer_conditions()).order_by(Answer.id, Coding.id))).all()
    by_version, newest = await _hints(s, rows)
    answers: dict[int, AnswerCodes] = {}
    for r in rows:
        a = answers.get(r.id)
        if a is None:
            person = None if r.anonymous or r.participant_id is None else int(r.participant_id)
            hints = (by_version.get((r.script_version_id, r.question_id))
                     if person is not None and r.script_version_id is not None else None)
            if hints is None:
                hints = newest.get((r.script_id, r.lang, r.question_id), ())
            a = answers[r.id] = AnswerCodes(
                r.id, r.segment, f"p{person}" if person is not None else f"l{r.ladder_key}", r.ladder_key,
                person, (r.script_id, r.question_id), hints, not r.choice_values)
        if r.code_id is None:
            continue
        if r.source == "auto":
            a.auto[r.code_id] = r.confidence or 0.0
        else:
            (a.applied if r.status == "applied" else a.rejected).add(r.code_id)
            a.coders.add(r.coder)
    return RoundCoding(scope.round_id, await load_codebook(s), answers)


async def round_comparison(s: AsyncSession, scope: ReviewScope,
                           current: RoundCoding | None = None) -> list[RoundChange] | None:
    """Customers' share of each topic (of the customers asked about it) now versus the previous round; None
    without a previous round."""
    prev_id = await s.scalar(select(Assessment.previous_id).where(Assessment.id == scope.round_id))
    if prev_id is None:
        return None
    cur = current or await load_round_coding(s, scope)
    prev = await load_round_coding(s, ReviewScope(prev_id, scope.reviewer))
    return compare_rounds(prev.topics(), cur.topics())


@dataclass(frozen=True)
class Quote:
    answer_id: int
    ladder_key: str
    step: int
    segment: str
    text: str
    basis: str  # "confirmed by a person" | "auto 0.82"


async def quotes(s: AsyncSession, scope: ReviewScope, code_id: str, *, limit: int = 5,
                 coding: RoundCoding | None = None) -> list[Quote]:
    """Representative answers for a code or theme: confirmed by a person first, then the auto coder's most
    confident, deeper ladder steps before first answers, no repeated wording, at most two per segment until
    the rest run out."""
    rc = coding or await load_round_coding(s, scope)
    root = rc.codebook.survivor(code_id)
    hits = [a for a in rc.answers.values() if root in rc.effective(a)]
    if not hits:
        return []
    texts = {r[0]: r[1:] for r in (await s.execute(
        select(Answer.id, Answer.ladder_key, Answer.step, Answer.text)
        .where(Answer.id.in_([a.answer_id for a in hits])))).all()}
    fam = rc.codebook.family(code_id)

    def rank(a: AnswerCodes) -> tuple[int, float, int, int]:
        confirmed = bool(fam & a.applied)
        conf = max((a.auto.get(c, 0.0) for c in fam), default=0.0)
        words = len(str(texts[a.answer_id][2]).split())
        return (not confirmed, -conf, -int(texts[a.answer_id][1]), -min(words, 40))

    ordered, seen = [], set()
    for a in sorted(hits, key=lambda a: (rank(a), a.answer_id)):
        said = " ".join(str(texts[a.answer_id][2]).lower().split())
        if said not in seen:  # the same words from several people make one quote
            seen.add(said)
            ordered.append(a)
    picked: list[AnswerCodes] = []
    per_seg: dict[str, int] = defaultdict(int)
    for a in ordered:
        if per_seg[a.segment] < 2:
            picked.append(a)
            per_seg[a.segment] += 1
    picked += [a for a in ordered if a not in picked]
    out = []
    for a in picked[:limit]:
        ladder, step, text = texts[a.answer_id]
        conf = max((a.auto.get(c, 0.0) for c in fam), default=0.0)
        basis = "confirmed by a person" if fam & a.applied else f"auto {conf:.2f}"
        out.append(Quote(a.answer_id, ladder, step, a.segment, text, basis))
    return out
