"""Who reviews which round, the SQL visibility and coding conditions, and the codebook with merges."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, Text, and_, cast, false, func, or_, select, true, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.access import Reviewer
from core.analysis import AUTO_THRESHOLD
from storage.models import Answer, Code, Coding


class NotVisible(PermissionError):
    """The answer is restricted to a department the reviewer may not read (or it does not exist)."""


class ReviewError(ValueError):
    """A review action that cannot be done as asked, with what to do instead."""


@dataclass(frozen=True)
class ReviewScope:
    """One round seen by one reviewer. Every query on answers goes through `answer_conditions()`, so
    department-restricted answers never leave the database for a reviewer who may not read them."""

    round_id: int
    reviewer: Reviewer = field(default_factory=Reviewer)

    @property
    def coder(self) -> str:
        """The name human codings are stored under."""
        return self.reviewer.name

    def visible(self) -> ColumnElement[bool]:
        """SQL condition: the reviewer may read the answer's department restriction."""
        deps = self.reviewer.departments
        if "*" in deps:
            return true()
        open_ = or_(Answer.department.is_(None), Answer.department == "")
        if not deps:
            return open_
        return or_(open_, func.lower(Answer.department).in_(sorted(deps)))

    def answer_conditions(self) -> list[ColumnElement[bool]]:
        """The round's current (not superseded) answers this reviewer may read."""
        return [Answer.assessment_id == self.round_id, Answer.superseded.is_(False), self.visible()]


def is_open_answer() -> ColumnElement[bool]:
    """Free-text answers (no choice values): the ones that get coded."""
    return cast(Answer.choice_values, Text) == "[]"


# The coding conditions are written as `answer.id IN (one scan of codings)`, not as correlated EXISTS per
# answer: SQLite computes the subquery once, which keeps filters on 100,000 answers well under 200 ms.

def _human_ids(*conds: ColumnElement[bool]) -> Select[tuple[int]]:
    return select(Coding.answer_id).where(Coding.source == "human", *conds)


def has_human_coding() -> ColumnElement[bool]:
    return Answer.id.in_(_human_ids())


def undecided_proposal() -> ColumnElement[bool]:
    """SQL: the auto coder proposed a code (confidently) that no person has decided on yet, on the whole answer.
    A correlated EXISTS on purpose: it is asked only of answers a person has coded (to_review's first test settles
    the rest), which keeps a page of "to review" as fast as before on 100,000 answers (bench/tui_bench.py)."""
    c, h = aliased(Coding), aliased(Coding)
    decided = select(h.id).where(h.answer_id == c.answer_id, h.code_id == c.code_id, h.source == "human",
                                 h.span_start.is_(None)).exists()
    return select(c.id).where(c.answer_id == Answer.id, c.source == "auto", c.confidence >= AUTO_THRESHOLD,
                              ~decided).exists()


def to_review() -> ColumnElement[bool]:
    """SQL: a free-text answer a person still has to look at: never coded by a person, or with a proposal left
    undecided (so an answer stays in the queue until every proposal on it is accepted or rejected)."""
    return and_(is_open_answer(), or_(~has_human_coding(), undecided_proposal()))  # in this order: OR stops early


def _effective_ids(code_ids: list[str] | None) -> Select[tuple[int]]:
    """Answers for which one of the codes (any code when None) counts, as core.analysis.effective_codes."""
    h = aliased(Coding)
    which = [Coding.code_id.in_(code_ids)] if code_ids is not None else []
    human = _human_ids(Coding.status == "applied", *which)
    auto = (select(Coding.answer_id).outerjoin(
        h, and_(h.answer_id == Coding.answer_id, h.code_id == Coding.code_id, h.source == "human",
                h.status == "rejected"))
        .where(Coding.source == "auto", Coding.confidence >= AUTO_THRESHOLD, h.id.is_(None), *which))
    return union(human, auto)  # type: ignore[return-value]


def effective_code_condition(code_ids: Iterable[str]) -> ColumnElement[bool]:
    """SQL: one of the codes counts for the answer."""
    ids = sorted(set(code_ids))
    return Answer.id.in_(_effective_ids(ids)) if ids else false()


def no_effective_code() -> ColumnElement[bool]:
    """SQL: nothing counts for the answer (no human code, no confident auto code left unrejected)."""
    return Answer.id.not_in(_effective_ids(None))


def disagreement_condition() -> ColumnElement[bool]:
    """SQL: a person decided otherwise than the auto coder on a codebook code (RoundCoding.reviewed_pairs)."""
    a = aliased(Coding)
    pairs = (select(Coding.answer_id).outerjoin(
        a, and_(a.answer_id == Coding.answer_id, a.code_id == Coding.code_id, a.source == "auto",
                a.confidence >= AUTO_THRESHOLD))
        .where(Coding.source == "human", or_(
            and_(Coding.status == "rejected", a.id.is_not(None)),
            and_(Coding.status == "applied", a.id.is_(None),
                 Coding.code_id.in_(select(Code.id).where(Code.kind == "code"))))))
    return Answer.id.in_(pairs)


def escape_like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ taken literally (escape character '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class CodeInfo:
    """A codebook entry or theme as the review app shows it."""

    id: str
    kind: str
    label_en: str
    label_zh: str | None
    parent_id: str | None
    merged_into: str | None
    colour: str | None
    description: str | None

    def label(self, lang: str = "en") -> str:
        return (self.label_zh if lang == "zh" and self.label_zh else self.label_en) or self.id


class Codebook:
    """All codes and themes, with merged themes resolved to the code they were merged into."""

    def __init__(self, codes: Iterable[CodeInfo]):
        self.codes = {c.id: c for c in codes}

    def survivor(self, code_id: str) -> str:
        """The code a (possibly merged) code counts as; merge chains are followed, cycles stop."""
        seen = {code_id}
        cur = code_id
        while (nxt := self.codes[cur].merged_into if cur in self.codes else None) and nxt not in seen:
            seen.add(nxt)
            cur = nxt
        return cur

    def family(self, code_id: str) -> set[str]:
        """The code and every code merged into it (directly or through a chain)."""
        root = self.survivor(code_id)
        return {c for c in self.codes if self.survivor(c) == root} | {root}

    def label(self, code_id: str, lang: str = "en") -> str:
        c = self.codes.get(code_id)
        return c.label(lang) if c else code_id

    def active(self) -> list[CodeInfo]:
        """Codes one may apply: everything not merged away, themes first, then by id."""
        return sorted((c for c in self.codes.values() if not c.merged_into),
                      key=lambda c: (c.kind != "theme", c.id))


async def load_codebook(s: AsyncSession) -> Codebook:
    rows = await s.execute(select(Code.id, Code.kind, Code.label_en, Code.label_zh, Code.parent_id,
                                  Code.merged_into, Code.colour, Code.description))
    return Codebook(CodeInfo(*r) for r in rows.all())
