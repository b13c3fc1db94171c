"""The answer list (one row per ladder step, filtered and paged in SQL), filter choices, a ladder's detail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import effective_codes
from core.notes import question_label
from storage import answer_search
from storage.models import Answer, Coding, Identity, Interview, Participant, ScriptVersion
from storage.review.scope import (
    Codebook,
    NotVisible,
    ReviewScope,
    disagreement_condition,
    effective_code_condition,
    load_codebook,
    to_review,
)

PAGE = 200


@dataclass(frozen=True)
class AnswerFilter:
    """What the answer list shows. `segment` is a full label ('customer:current') or a group ('internal')."""

    script_id: str | None = None
    question_id: str | None = None
    segment: str | None = None
    code_id: str | None = None
    uncoded: bool = False  # to review: free-text answers no person has coded, or with proposals undecided
    disagreement: bool = False  # a person decided differently from the auto coder
    search: str = ""
    ladder_key: str | None = None

    def conditions(self, codebook: Codebook | None = None, dialect: str = "",
                   indexed: bool = False) -> list[ColumnElement[bool]]:
        """SQL conditions; `indexed`: search through the SQLite index (storage.answer_search.use_index)."""
        out: list[ColumnElement[bool]] = []
        if self.script_id:
            out.append(Answer.script_id == self.script_id)
        if self.question_id:
            out.append(Answer.question_id == self.question_id)
        if self.segment:
            out.append(Answer.segment == self.segment if ":" in self.segment
                       else Answer.segment.startswith(self.segment + ":", autoescape=True))
        if self.code_id:
            family = codebook.family(self.code_id) if codebook else {self.code_id}
            out.append(effective_code_condition(family))
        if self.uncoded:
            out.append(to_review())
        if self.disagreement:
            out.append(disagreement_condition())
        if self.search.strip():
            out.append(answer_search.search_condition(self.search.strip(), dialect, indexed))
        if self.ladder_key:
            out.append(Answer.ladder_key == self.ladder_key)
        return out


@dataclass(frozen=True)
class AnswerRow:
    """One ladder step in the answer list."""

    id: int
    ladder_key: str
    step: int
    segment: str
    script_id: str
    question_id: str
    who: str  # pseudonym, 'anonymous', or the person's name when names are shown
    text: str
    probe_family: str | None
    department: str | None
    codes: tuple[str, ...] = ()  # codes that count (surviving ids)
    pending: int = 0  # confident auto codes no person has decided on
    reviewed: bool = False


@dataclass(frozen=True)
class AnswerPage:
    rows: list[AnswerRow]
    offset: int
    total: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


def who_of(pseudonym: str | None, anonymous: bool, name: str | None = None, org: str | None = None) -> str:
    if anonymous or pseudonym is None:
        return "anonymous"
    if name:
        return f"{name} ({org})" if org else name
    return pseudonym


async def _base(s: AsyncSession, scope: ReviewScope, f: AnswerFilter, codebook: Codebook | None, *,
                page: bool) -> list[ColumnElement[bool]]:
    indexed = bool(f.search.strip()) and await answer_search.use_index(s, f.search.strip(), page=page)
    return scope.answer_conditions() + f.conditions(codebook, s.get_bind().dialect.name, indexed)


async def list_answers(s: AsyncSession, scope: ReviewScope, f: AnswerFilter = AnswerFilter(), *,
                       offset: int = 0, limit: int = PAGE, show_names: bool = False,
                       with_total: bool = True, only_ids: Sequence[int] | None = None,
                       codebook: Codebook | None = None) -> AnswerPage:
    """A page of answers in interview order (an interview's ladders stay together, steps in order; anonymous
    answers last).
    Names are read from Identity only when `show_names` is set; `codebook`: one the caller already loaded."""
    codebook = codebook or await load_codebook(s)
    cols: list[Any] = [Answer.id, Answer.ladder_key, Answer.step, Answer.segment, Answer.script_id,
                       Answer.question_id, Answer.text, Answer.probe_family, Answer.department,
                       Answer.anonymous, Participant.pseudonym]
    q = select(*cols).select_from(Answer).outerjoin(Interview, Interview.id == Answer.interview_id) \
        .outerjoin(Participant, Participant.id == Interview.participant_id)
    if show_names:
        q = q.add_columns(Identity.display_name, Identity.organisation) \
            .outerjoin(Identity, Identity.participant_id == Participant.id)
    extra = [Answer.id.in_(list(only_ids))] if only_ids is not None else []
    q = q.where(*await _base(s, scope, f, codebook, page=True), *extra) \
        .order_by(Answer.interview_id.asc().nulls_last(), Answer.id).offset(offset).limit(limit)
    raw = (await s.execute(q)).all()
    if with_total:
        total = await s.scalar(select(func.count()).select_from(Answer)
                               .where(*await _base(s, scope, f, codebook, page=False), *extra)) or 0
    else:
        total = offset + len(raw)
    marks = await _code_marks(s, [r[0] for r in raw], codebook)
    rows = []
    for r in raw:
        who = who_of(r[10], r[9], *(r[11:13] if show_names else ()))
        codes, pending, reviewed = marks.get(r[0], ((), 0, False))
        rows.append(AnswerRow(r[0], r[1], r[2], r[3], r[4], r[5], who, r[6], r[7], r[8], codes, pending,
                              reviewed))
    return AnswerPage(rows, offset, max(total, offset + len(rows)))


async def count_answers(s: AsyncSession, scope: ReviewScope, f: AnswerFilter = AnswerFilter()) -> int:
    codebook = await load_codebook(s) if f.code_id else None
    conds = await _base(s, scope, f, codebook, page=False)
    return await s.scalar(select(func.count()).select_from(Answer).where(*conds)) or 0


Marks = dict[int, tuple[tuple[str, ...], int, bool]]


async def _code_marks(s: AsyncSession, answer_ids: Sequence[int], codebook: Codebook) -> Marks:
    """answer id -> (effective codes, undecided confident auto codes, reviewed by a person)."""
    if not answer_ids:
        return {}
    auto: dict[int, dict[str, float]] = defaultdict(dict)
    applied: dict[int, set[str]] = defaultdict(set)
    rejected: dict[int, set[str]] = defaultdict(set)
    rows = await s.execute(select(Coding.answer_id, Coding.code_id, Coding.source, Coding.status,
                                  Coding.confidence).where(Coding.answer_id.in_(list(answer_ids))).order_by(Coding.id))
    for aid, code, source, status, conf in rows.all():
        if source == "auto":
            auto[aid][code] = conf or 0.0
        elif status == "applied":
            applied[aid].add(code)
        else:
            rejected[aid].add(code)
    out = {}
    for aid in answer_ids:
        eff = effective_codes(auto[aid], applied[aid], rejected[aid])
        decided = applied[aid] | rejected[aid]
        pending = sum(1 for c in eff if c in auto[aid] and c not in decided)
        names = tuple(dict.fromkeys(codebook.survivor(c) for c in sorted(eff)))
        out[aid] = (names, pending, bool(decided))
    return out


# --- filter choices ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FilterChoices:
    segments: list[str]
    scripts: list[str]
    questions: list[tuple[str, str, str]]  # (script id, question id, question text)


async def question_texts(s: AsyncSession, script_id: str, lang: str | None = None) -> dict[str, str]:
    """question id -> text from the newest stored version of a script (English preferred, else any)."""
    rows = list((await s.execute(select(ScriptVersion.lang, ScriptVersion.body)
                                 .where(ScriptVersion.script_id == script_id)
                                 .order_by(ScriptVersion.id.desc()))).all())
    rows.sort(key=lambda r: (r[0] != (lang or "en"), r[0] != "en"))
    for _lang, body in rows[:1]:
        return {q["id"]: " ".join(str(q.get("text", "")).split()) for q in body.get("questions", [])}
    return {}


async def filter_choices(s: AsyncSession, scope: ReviewScope) -> FilterChoices:
    """The segments, scripts and questions that occur in the round (for the filter pickers)."""
    pairs = (await s.execute(select(Answer.segment, Answer.script_id, Answer.question_id)
                             .where(*scope.answer_conditions()).distinct())).all()
    segments = sorted({p[0] for p in pairs})
    scripts = sorted({p[1] for p in pairs})
    questions = []
    for sid in scripts:
        texts = await question_texts(s, sid)
        order = {q: i for i, q in enumerate(texts)}
        for qid in sorted({p[2] for p in pairs if p[1] == sid}, key=lambda q: (order.get(q, 999), q)):
            questions.append((sid, qid, question_label(qid, "en", texts.get(qid))))
    return FilterChoices(segments, scripts, questions)


# --- a ladder ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodingView:
    """One code on one answer: what the auto coder proposed and what a person decided."""

    code_id: str  # as stored
    label: str
    kind: str
    counts: bool  # effective: it counts in the analysis
    auto_confidence: float | None = None
    auto_cue: str | None = None
    auto_rule: str | None = None
    human_status: str | None = None  # applied | rejected | None (no decision)
    human_coder: str | None = None
    merged_into: str | None = None
    passages: tuple[tuple[int, int], ...] = ()  # coded parts of the answer (human, applied), not the whole

    @property
    def state(self) -> str:
        """accepted | rejected | added | proposed | weak (auto below the threshold)."""
        if self.human_status == "rejected":
            return "rejected"
        if self.human_status == "applied":
            return "accepted" if self.auto_confidence is not None else "added"
        return "proposed" if self.counts else "weak"


@dataclass(frozen=True)
class LadderStep:
    answer_id: int
    step: int
    text: str
    probe_text: str | None
    probe_reason: str | None
    probe_family: str | None
    decision: str | None
    codings: list[CodingView] = field(default_factory=list)


@dataclass(frozen=True)
class Ladder:
    ladder_key: str
    script_id: str
    question_id: str
    question: str
    segment: str
    who: str
    lang: str
    department: str | None
    steps: list[LadderStep]
    # True when an interviewer typed the words during a call (assisted mode): notes, not the person's own words
    assisted: bool = False


async def codings_of(s: AsyncSession, scope: ReviewScope, answer_id: int,
                     codebook: Codebook | None = None) -> list[CodingView]:
    """Every code on one answer, auto and human side by side; codes that count first."""
    await check_visible(s, scope, [answer_id])
    cb = codebook or await load_codebook(s)
    rows = (await s.scalars(select(Coding).where(Coding.answer_id == answer_id).order_by(Coding.id))).all()
    auto = {c.code_id: c for c in rows if c.source == "auto"}
    human = {c.code_id: c for c in rows if c.source == "human" and c.span_start is None}
    passages: dict[str, list[Coding]] = {}
    for c in rows:
        if c.source == "human" and c.span_start is not None and c.span_end is not None:
            passages.setdefault(c.code_id, []).append(c)
            human.setdefault(c.code_id, c)
    eff = effective_codes({k: v.confidence or 0.0 for k, v in auto.items()},
                          [k for k, v in human.items() if v.status == "applied"],
                          [k for k, v in human.items() if v.status == "rejected"])
    out = []
    for code in dict.fromkeys([*auto, *human]):
        a, h = auto.get(code), human.get(code)
        info = cb.codes.get(code)
        out.append(CodingView(code, cb.label(code), info.kind if info else "code", code in eff,
                              a.confidence if a else None, a.cue if a else None, a.rule if a else None,
                              h.status if h else None, h.coder if h else None,
                              cb.survivor(code) if info and info.merged_into else None,
                              tuple(sorted((p.span_start or 0, p.span_end or 0) for p in passages.get(code, [])))))
    out.sort(key=lambda v: (not v.counts, -(v.auto_confidence or 1.0), v.code_id))
    return out


async def check_visible(s: AsyncSession, scope: ReviewScope, answer_ids: Sequence[int]) -> None:
    """Raise NotVisible unless every answer is in the round and readable by this reviewer."""
    ids = set(answer_ids)
    if not ids:
        return
    found = set((await s.scalars(select(Answer.id).where(
        Answer.id.in_(ids), Answer.assessment_id == scope.round_id, scope.visible()))).all())
    if found != ids:
        raise NotVisible(f"answer(s) {sorted(ids - found)} are not in this round or not visible to "
                         f"{scope.reviewer.name}")


async def excerpts(s: AsyncSession, scope: ReviewScope, answer_ids: Sequence[int]) -> dict[int, AnswerRow]:
    """The listed answers (visible ones only) as rows, for lists that name answers (e.g. disagreements)."""
    out: dict[int, AnswerRow] = {}
    ids = list(dict.fromkeys(answer_ids))
    for i in range(0, len(ids), 500):
        page = await list_answers(s, scope, limit=500, with_total=False, only_ids=ids[i:i + 500])
        out.update((r.id, r) for r in page.rows)
    return out


async def get_ladder(s: AsyncSession, scope: ReviewScope, ladder_key: str, *,
                     show_names: bool = False) -> Ladder:
    """The whole ladder: the question, the first answer, each probe with why it was asked, and the codes."""
    answers = (await s.scalars(select(Answer).where(Answer.ladder_key == ladder_key,
                                                    *scope.answer_conditions())
                               .order_by(Answer.step, Answer.id))).all()
    if not answers:
        raise NotVisible(f"ladder {ladder_key} is not in this round or not visible to {scope.reviewer.name}")
    first = answers[0]
    who, assisted = "anonymous", False
    if first.interview_id is not None:
        row = (await s.execute(select(Interview.mode, Participant.pseudonym, Identity.display_name,
                                      Identity.organisation)
                               .select_from(Interview)
                               .join(Participant, Participant.id == Interview.participant_id)
                               .outerjoin(Identity, Identity.participant_id == Participant.id)
                               .where(Interview.id == first.interview_id))).first()
        if row is not None:
            assisted = row[0] == "assisted"
            if not first.anonymous:
                who = who_of(row[1], False, *(row[2:] if show_names else ()))
    texts = await question_texts(s, first.script_id, first.lang)
    cb = await load_codebook(s)
    steps = [LadderStep(a.id, a.step, a.text, a.probe_text, a.probe_reason, a.probe_family, a.decision,
                        await codings_of(s, scope, a.id, cb)) for a in answers]
    question = question_label(first.question_id, first.lang, texts.get(first.question_id))
    return Ladder(ladder_key, first.script_id, first.question_id, question, first.segment, who, first.lang,
                  first.department, steps, assisted)
