"""What a QDA tool can round-trip: one selection per answer passage and coder, created by that coder."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analysis import AUTO_THRESHOLD
from reports.data import AnswerRow, CodingRow
from reports.guids import AUTO_CODER, answer_guid, coding_guid, passage_coding_guid, selection_guid
from reports.transcript import Span
from storage.models import Coding

Passages = dict[int, tuple[int, int]]  # coding id -> [start, end) in the answer's text ('\n' line endings)


async def coded_passages(s: AsyncSession, answer_ids: list[int]) -> Passages:
    """The passage of every coding that is on part of an answer, for these answers."""
    out: Passages = {}
    for i in range(0, len(answer_ids), 500):
        rows = await s.execute(select(Coding.id, Coding.span_start, Coding.span_end).where(
            Coding.answer_id.in_(answer_ids[i:i + 500]), Coding.span_start.is_not(None)))
        out.update((cid, (start, end)) for cid, start, end in rows.all())
    return out


@dataclass
class Selection:
    """A PlainTextSelection to write: where it is in the transcript, whose it is, and its codings."""

    guid: str
    start: int
    end: int
    coder: str  # a person, or AUTO_CODER for unreviewed proposals
    codings: list[tuple[str, CodingRow]] = field(default_factory=list)  # (coding GUID, coding)

    @property
    def created(self) -> datetime | None:
        times = [c.created_at for _, c in self.codings if c.created_at is not None]
        return min(times) if times else None


def unreviewed(a: AnswerRow) -> list[CodingRow]:
    """Confident auto proposals no person has decided on (a decision on any passage counts as one)."""
    decided = {c.code_id for c in a.codings if c.source == "human"}
    return [c for c in a.codings if c.source == "auto" and c.code_id not in decided
            and (c.confidence or 0.0) >= AUTO_THRESHOLD]


def answer_selections(a: AnswerRow, span: Span, passages: Passages, proposals: bool,
                      exported_by: str) -> list[Selection]:
    """The answer's selections: whole-answer codings grouped by coder (people first, then the proposals), then
    each coded passage by coder. Rejections and the proposals they reject are not codings here (the answer's
    description lists rejections, so `cna import` restores them). An answer without any coding still gets one
    selection, so the tool shows where it is and the description travels."""
    groups: dict[tuple[int, int, str], list[tuple[str, CodingRow]]] = {}
    length = span.end - span.start
    for c in a.codings:
        if c.source != "human" or c.status != "applied":
            continue
        start, end = 0, length
        if c.id in passages:
            start, end = passages[c.id]
            end = min(end, length)
            if start >= end:  # the answer was shortened since: code the whole answer rather than lose it
                start, end = 0, length
        g = (coding_guid(a.id, c.code_id, c.source) if (start, end) == (0, length)
             else passage_coding_guid(a.id, c.code_id, c.source, start, end))
        groups.setdefault((span.start + start, span.start + end, c.coder), []).append((g, c))
    if proposals:
        for c in unreviewed(a):
            groups.setdefault((span.start, span.end, AUTO_CODER), []).append(
                (coding_guid(a.id, c.code_id, c.source), c))

    def order(key: tuple[int, int, str]) -> tuple[bool, int, int, bool, str]:
        s, e, coder = key
        return ((s, e) != (span.start, span.end), s, e, coder == AUTO_CODER, coder)

    out: list[Selection] = []
    for key in sorted(groups, key=order):
        s, e, coder = key
        g = answer_guid(a.id) if not out else selection_guid(a.id, s - span.start, e - span.start, coder)
        out.append(Selection(g, s, e, coder, sorted(groups[key], key=lambda x: x[1].code_id)))
    return out or [Selection(answer_guid(a.id), span.start, span.end, exported_by)]
