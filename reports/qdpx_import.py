"""REFI-QDA import: codings made in another QDA tool come back as human codings, new codes as themes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.access import Reviewer
from reports.data import load_answers
from reports.guids import AUTO_CODER, AUTO_CODER_NAMES, norm_guid, user_guid
from reports.qda_match import Match, Matcher
from reports.qda_text import UTF16_FLAG, Normalised
from reports.qdpx import REJECTED
from reports.qdpx_codes import CodeMap
from reports.qdpx_package import Package, QdpxImportError, read_project
from reports.qdpx_result import (
    AUTO_GONE,
    BAD_OFFSETS,
    DIFFERS,
    NO_CODE,
    NO_SOURCE,
    NO_TEXT,
    OUTSIDE,
    WHOLE_SOURCE,
    ImportResult,
    NewCoding,
    SourceReport,
)
from reports.transcript import build_transcripts
from storage import repos
from storage.models import Assessment, Coding
from storage.review import load_codebook

__all__ = ["ImportResult", "QdpxImportError", "import_qdpx"]

_DESCRIBED = re.compile(r"^cna answer (\d+)\b")


def _time(value: str | None) -> datetime | None:
    """A coding's time; QualCoder writes local time with a 'Z', so a time in the future is taken as now."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    t = t if t.tzinfo else t.replace(tzinfo=UTC)
    return min(t, datetime.now(UTC))


class Coders:
    """Who made a coding: the file's users by GUID; the automatic coder by our GUID, id or its names."""

    def __init__(self, pkg: Package, fallback: str) -> None:
        self.users = {norm_guid(u.get("guid")): u for u in pkg.root.iter(pkg.q("User"))}
        self.fallback = fallback

    def of(self, *user_guids: str | None) -> str:
        """The first of the GUIDs the file names (the coding's, then its selection's); AUTO_CODER for ours."""
        for g in map(norm_guid, user_guids):
            if not g:
                continue
            u = self.users.get(g)
            uid, name = (u.get("id") or "", (u.get("name") or "").strip()) if u is not None else ("", "")
            if g == user_guid(AUTO_CODER) or uid == AUTO_CODER or name.casefold() in AUTO_CODER_NAMES:
                return AUTO_CODER
            if u is None:
                continue
            if uid and user_guid(uid) == g:
                return uid[:64]
            return (name or uid or self.fallback)[:64]
        return self.fallback[:64]


class State:
    """The codings of the answers being imported onto, as rows to update and keys to look up."""

    def __init__(self, rows: list[Coding]) -> None:
        self.whole: dict[tuple[int, str, str], Coding] = {}
        self.passages: dict[tuple[int, str, int, int], Coding] = {}
        for c in rows:
            if c.span_start is None or c.span_end is None:
                self.whole[(c.answer_id, c.code_id, c.source)] = c
            elif c.source == "human":
                self.passages[(c.answer_id, c.code_id, c.span_start, c.span_end)] = c

    def human_applied(self, answer_id: int, code_id: str) -> bool:
        h = self.whole.get((answer_id, code_id, "human"))
        return (h is not None and h.status == "applied") or any(
            k[0] == answer_id and k[1] == code_id for k in self.passages)


async def _rows(s: AsyncSession, answer_ids: list[int]) -> list[Coding]:
    out: list[Coding] = []
    for i in range(0, len(answer_ids), 500):
        out += (await s.scalars(select(Coding).where(Coding.answer_id.in_(answer_ids[i:i + 500])))).all()
    return out


def _positions(sel: ET.Element, norm: Normalised, utf16: bool) -> tuple[int, int] | None:
    """A selection's [start, end) in the normalised source text (positions count the tool's way)."""
    try:
        start, end = int(sel.get("startPosition") or ""), int(sel.get("endPosition") or "")
    except ValueError:
        return None
    if start < 0 or end <= start:
        return None
    if utf16:
        start, end = norm.from_utf16(start), norm.from_utf16(end, end=True)
    return norm.to_text(start), norm.to_text(end, end=True)


def _targets(match: Match, norm: Normalised, at: tuple[int, int]) -> list[tuple[int, tuple[int, int] | None]] | None:
    """(answer id, passage or None for the whole answer) for every answer the selection covers part of; None
    when the selection lies on text that is not in cna's transcript."""
    placed = match.place(norm.text, *at)
    if placed is None:
        return None
    start, end = placed
    out = []
    for sp in match.transcript.spans:
        s, e = max(start, sp.start), min(end, sp.end)
        if s < e:
            out.append((sp.answer_id, None if (s, e) == (sp.start, sp.end) else (s - sp.start, e - sp.start)))
    return out


async def import_qdpx(s: AsyncSession, data: bytes, reviewer: Reviewer, round_id: int | None = None,
                      reapply_rejected: bool = False) -> ImportResult:
    """Apply a .qdpx (exported by `cna export --format qdpx`, then edited in a QDA tool) to the database. Sources
    map to transcripts by GUID, text or paragraphs; selections to answers by their offsets. Nothing is deleted,
    a person's rejection stands unless `reapply_rejected`, and the automatic coder's codings stay proposals."""
    pkg = read_project(data)
    result = ImportResult(origin=pkg.root.get("origin") or "")
    cb = await load_codebook(s)
    codes = CodeMap(pkg, cb, result)
    rounds = ([await repos.get_assessment(s, round_id)] if round_id is not None
              else list((await s.scalars(select(Assessment).order_by(Assessment.id))).all()))
    answers = (await load_answers(s, [r.id for r in rounds], reviewer)).answers
    transcripts = build_transcripts(answers, {r.id: r.round_no for r in rounds})
    matcher = Matcher(transcripts)
    state = State(await _rows(s, [a.id for a in answers]))
    coders = Coders(pkg, reviewer.name)
    utf16 = bool(UTF16_FLAG.search(pkg.text(pkg.root, "Description")))
    seen: set[tuple[int, str, tuple[int, int] | None]] = set()
    expected: set[tuple[int, str, tuple[int, int] | None]] = set()
    described: set[int] = set()

    for src in pkg.root.iter(pkg.q("TextSource")):
        report = SourceReport(src.get("name") or src.get("guid") or "(unnamed source)")
        result.sources.append(report)

        def skip(why: str, n: int = 1, report: SourceReport = report) -> None:
            report.skipped[why] += n
            result.skipped[why] += n

        whole_source = len(src.findall(pkg.q("Coding")))
        report.codings += whole_source
        if whole_source:
            skip(WHOLE_SOURCE, whole_source)
        sels = [(sel, sel.findall(pkg.q("Coding"))) for sel in src.findall(pkg.q("PlainTextSelection"))]
        report.codings += sum(len(c) for _, c in sels)
        raw = pkg.source_text(src)
        if raw is None:
            skip(NO_TEXT, sum(len(c) for _, c in sels))
            continue
        norm = Normalised(raw)
        match = matcher.match(norm_guid(src.get("guid")), report.name, norm.text)
        if match is None:
            skip(NO_SOURCE, sum(len(c) for _, c in sels))
            continue
        report.transcript, report.how = match.transcript.name, match.how
        src_utf16 = utf16 or bool(UTF16_FLAG.search(pkg.text(src, "Description")))
        ids = {sp.answer_id for sp in match.transcript.spans}
        expected |= {(k[0], k[1], None) for k, c in state.whole.items()
                     if k[0] in ids and k[2] == "human" and c.status == "applied"}
        expected |= {(k[0], k[1], (k[2], k[3])) for k in state.passages if k[0] in ids}
        for sel, codings in sels:
            at = _positions(sel, norm, src_utf16)
            targets = _targets(match, norm, at) if at is not None else None
            if not targets:
                if codings:
                    skip(BAD_OFFSETS if at is None else DIFFERS if targets is None else OUTSIDE, len(codings))
                continue
            for cod in codings:
                ref = cod.find(pkg.q("CodeRef"))
                code_id = await codes.resolve(s, norm_guid(ref.get("targetGUID") if ref is not None else None))
                if code_id is None:
                    skip(NO_CODE)
                    continue
                coder = coders.of(cod.get("creatingUser"), sel.get("creatingUser"))
                landed = False
                for answer_id, span in targets:
                    seen.add((answer_id, code_id, span))
                    if coder == AUTO_CODER:
                        landed |= _auto(state, answer_id, code_id, result)
                    else:
                        landed = True
                        await _human(s, state, answer_id, code_id, span, coder, _time(cod.get("creationDateTime")),
                               reapply_rejected, result)
                if landed:
                    report.mapped += 1
                    result.mapped += 1
                else:
                    skip(AUTO_GONE)
            if len(targets) == 1 and targets[0][1] is None and targets[0][0] not in described:
                described.add(targets[0][0])
                _rejections(s, state, pkg.text(sel, "Description"), targets[0][0], codes.known, result)
    result.codings = sum(r.codings for r in result.sources)
    result.missing = len(expected - seen)
    await codes.place_parents(s)
    await s.flush()
    return result


def _auto(state: State, answer_id: int, code_id: str, result: ImportResult) -> bool:
    """A coding the file attributes to the automatic coder never becomes a human one. It is the lead's coding
    relabelled by the tool, a rejected proposal (the rejection stands) or a proposal still open."""
    if state.human_applied(answer_id, code_id):
        result.unchanged += 1
    elif (h := state.whole.get((answer_id, code_id, "human"))) is not None and h.status == "rejected":
        result.proposals_rejected += 1
    elif (answer_id, code_id, "auto") in state.whole:
        result.unchanged += 1
        result.proposals_kept += 1
    else:
        return False
    return True


async def _human(s: AsyncSession, state: State, answer_id: int, code_id: str, span: tuple[int, int] | None, coder: str,
           when: datetime | None, reapply: bool, result: ImportResult) -> None:
    whole = state.whole.get((answer_id, code_id, "human"))
    if whole is not None and whole.status == "rejected":
        if not reapply:
            result.rejections_kept += 1
            return
        result.reapplied += 1
        if span is None:
            whole.status, whole.coder = "applied", coder
            return
        state.whole.pop((answer_id, code_id, "human"))
        await s.delete(whole)  # the passage replaces the rejection of the whole answer
        await s.flush()
    elif (span is None and whole is not None) or (span is not None and (answer_id, code_id, *span) in state.passages):
        result.unchanged += 1
        return
    else:
        result.created += 1
        result.new.append(NewCoding(answer_id, code_id, coder, span))
    c = Coding(answer_id=answer_id, code_id=code_id, source="human", status="applied", coder=coder,
               span_start=span[0] if span else None, span_end=span[1] if span else None)
    if when is not None:
        c.created_at = when
    s.add(c)
    if span is None:
        state.whole[(answer_id, code_id, "human")] = c
    else:
        state.passages[(answer_id, code_id, *span)] = c


def _rejections(s: AsyncSession, state: State, description: str, answer_id: int, codes: set[str],
                result: ImportResult) -> None:
    """A person's rejections that our export wrote into the answer's description come back where no person
    decided on the code (a code applied in the other tool wins). Only for the answer the description names."""
    lines = description.splitlines()
    m = _DESCRIBED.match(lines[0]) if lines else None
    if m is None or int(m.group(1)) != answer_id:
        return
    for line in lines[1:]:
        if not line.startswith(REJECTED):
            continue
        for item in _items(line.removeprefix(REJECTED)):
            code_id, coder = item
            if code_id not in codes:
                result.skipped["rejections of codes no longer in the codebook"] += 1
            elif (answer_id, code_id, "human") in state.whole or state.human_applied(answer_id, code_id):
                continue
            else:
                c = Coding(answer_id=answer_id, code_id=code_id, source="human", status="rejected", coder=coder)
                s.add(c)
                state.whole[(answer_id, code_id, "human")] = c
                result.restored += 1


def _items(text: str) -> Iterator[tuple[str, str]]:
    for item in text.split("; "):
        code_id, _, coder = item.partition(" by ")
        if code_id.strip():
            yield code_id.strip(), (coder.strip() or "lead")[:64]
