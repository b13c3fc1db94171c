"""Round analysis from the database: theme board, internal-vs-customer gap, change, agreement, quotes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import (
    AUTO_THRESHOLD,
    Agreement,
    GapRow,
    RoundChange,
    agreement,
    compare_rounds,
    effective_codes,
    gap_table,
    group_of,
)
from storage.models import Answer, Assessment, Coding
from storage.review.scope import Codebook, ReviewScope, load_codebook


@dataclass
class AnswerCodes:
    """One answer's codings, enough to compute what counts and whether a person reviewed it."""

    answer_id: int
    segment: str
    respondent: str  # interview id, or the ladder key for an anonymous answer
    auto: dict[str, float] = field(default_factory=dict)
    applied: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)

    @property
    def reviewed(self) -> bool:
        return bool(self.applied or self.rejected)

    def effective(self) -> set[str]:
        return effective_codes(self.auto, self.applied, self.rejected)

    def auto_set(self) -> set[str]:
        return {c for c, conf in self.auto.items() if conf >= AUTO_THRESHOLD}


@dataclass
class RoundCoding:
    """Every visible answer of a round with its codings, loaded once; the analyses below are pure."""

    round_id: int
    codebook: Codebook
    answers: dict[int, AnswerCodes]

    def effective(self, a: AnswerCodes) -> set[str]:
        return {self.codebook.survivor(c) for c in a.effective()}

    def gap(self) -> list[GapRow]:
        """core.analysis.gap_table over effective codes per respondent (interview, or anonymous ladder)."""
        return gap_table((a.segment, a.respondent, self.effective(a)) for a in self.answers.values())

    def board(self) -> list[ThemeCard]:
        """Themes and codebook codes with how many answers and respondents raised them, per segment."""
        respondents: dict[str, set[str]] = defaultdict(set)
        raised: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        n_answers: dict[str, int] = defaultdict(int)
        for a in self.answers.values():
            respondents[group_of(a.segment)].add(a.respondent)
            for c in self.effective(a):
                raised[c][a.segment].add(a.respondent)
                n_answers[c] += 1
        cards = []
        for info in self.codebook.active():
            segs = raised.get(info.id, {})
            if not segs and info.kind != "theme":
                continue
            by_group: dict[str, int] = defaultdict(int)
            for seg, who in segs.items():
                by_group[group_of(seg)] += len(who)
            cards.append(ThemeCard(
                info.id, info.label_en, info.kind, info.parent_id, n_answers.get(info.id, 0),
                {seg: len(w) for seg, w in sorted(segs.items())},
                by_group["internal"], by_group["customer"],
                len(respondents["internal"]), len(respondents["customer"]),
                sorted(c for c, i in self.codebook.codes.items() if i.merged_into
                       and self.codebook.survivor(c) == info.id)))
        cards.sort(key=lambda c: (c.kind != "theme", -c.answers, c.code_id))
        return cards

    def reviewed_pairs(self) -> list[tuple[AnswerCodes, set[str], set[str]]]:
        """(answer, auto codes, the person's codes) for answers a person reviewed, codebook codes only. A
        person's codes are what counts after review: proposals left standing were seen and kept."""
        book = {c for c, i in self.codebook.codes.items() if i.kind == "code"}
        return [(a, a.auto_set() & book, a.effective() & book) for a in self.answers.values() if a.reviewed]

    def agreement(self) -> list[Agreement]:
        """Cohen's kappa per code (core.analysis.agreement) over the answers a person reviewed."""
        pairs = self.reviewed_pairs()
        codes = sorted(set().union(*[au | hu for _, au, hu in pairs])) if pairs else []
        rows = agreement(((au, hu) for _, au, hu in pairs), codes)
        return sorted(rows, key=lambda r: (r.kappa if r.kappa is not None else 2.0, r.code))

    def disagreements(self, code_id: str | None = None) -> list[Disagreement]:
        out = []
        for a, au, hu in self.reviewed_pairs():
            for c in sorted(au ^ hu):
                if code_id is None or c == code_id:
                    out.append(Disagreement(a.answer_id, c, "auto only" if c in au else "person only",
                                            a.segment, a.auto.get(c)))
        return out


@dataclass(frozen=True)
class ThemeCard:
    code_id: str
    label: str
    kind: str  # theme | code
    parent_id: str | None
    answers: int
    by_segment: dict[str, int]  # segment -> respondents who raised it
    internal: int  # respondents
    customer: int
    internal_total: int  # respondents in the round
    customer_total: int
    merged: list[str]  # themes merged into this one


@dataclass(frozen=True)
class Disagreement:
    answer_id: int
    code_id: str
    side: str  # 'auto only' (a person rejected it) | 'person only' (the auto coder missed it)
    segment: str
    confidence: float | None


async def load_round_coding(s: AsyncSession, scope: ReviewScope) -> RoundCoding:
    """One query over the round's visible current answers and their codings."""
    rows = await s.execute(
        select(Answer.id, Answer.segment, Answer.interview_id, Answer.ladder_key,
               Coding.code_id, Coding.source, Coding.status, Coding.confidence)
        .select_from(Answer).outerjoin(Coding, Coding.answer_id == Answer.id)
        .where(*scope.answer_conditions()).order_by(Answer.id, Coding.id))
    answers: dict[int, AnswerCodes] = {}
    for aid, seg, iv, ladder, code, source, status, conf in rows.all():
        a = answers.get(aid)
        if a is None:
            a = answers[aid] = AnswerCodes(aid, seg, f"i{iv}" if iv is not None else f"l{ladder}")
        if code is None:
            continue
        if source == "auto":
            a.auto[code] = conf or 0.0
        elif status == "applied":
            a.applied.add(code)
        else:
            a.rejected.add(code)
    return RoundCoding(scope.round_id, await load_codebook(s), answers)


async def round_comparison(s: AsyncSession, scope: ReviewScope,
                           current: RoundCoding | None = None) -> list[RoundChange] | None:
    """How often customers raised each code now versus the previous round; None without a previous round."""
    prev_id = await s.scalar(select(Assessment.previous_id).where(Assessment.id == scope.round_id))
    if prev_id is None:
        return None
    cur = current or await load_round_coding(s, scope)
    prev = await load_round_coding(s, ReviewScope(prev_id, scope.reviewer))
    return compare_rounds(prev.gap(), cur.gap())


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
