"""REFI-QDA import: codings made in another QDA tool come back as human codings, new codes as themes."""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.access import Reviewer
from reports.data import AnswerRow, CodingRow, load_answers
from reports.guids import AUTO_CODER, answer_guid, code_guid, coding_guid, user_guid
from reports.qdpx import REJECTED
from reports.transcript import build_transcripts, normalise
from storage import repos
from storage.models import Assessment, Code, Coding
from storage.review import load_codebook


class QdpxImportError(ValueError):
    """A file that is not a usable REFI-QDA project, with what to do about it."""


@dataclass
class ImportResult:
    unchanged: int = 0  # codings the database already has
    created: int = 0  # new human codings
    reapplied: int = 0  # human 'rejected' codings turned into 'applied'
    restored: int = 0  # a person's rejections of auto proposals, restored from our selection descriptions
    themes: list[str] = field(default_factory=list)  # codes created in the other tool, now themes
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    missing: int = 0  # human codings we exported that the file no longer has (left unchanged)

    def summary(self) -> str:
        parts = [f"{self.unchanged} codings already here", f"{self.created} new human codings"]
        if self.reapplied:
            parts.append(f"{self.reapplied} rejected codings re-applied")
        if self.restored:
            parts.append(f"{self.restored} rejections restored")
        parts.append(f"{len(self.themes)} new themes" + (f" ({', '.join(self.themes)})" if self.themes else ""))
        lines = ["Imported: " + ", ".join(parts) + "."]
        if self.skipped:
            lines.append("Skipped: " + "; ".join(f"{n} {why}" for why, n in sorted(self.skipped.items())) + ".")
        if self.missing:
            lines.append(f"{self.missing} human codings in the export are not in this file; they were left as they "
                         "are (remove them in the review app if that was meant).")
        return "\n".join(lines)


def _g(value: str | None) -> str:
    return (value or "").strip("{}").upper()


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass
class Package:
    """An opened .qdpx: project.qde's root element, its namespace, and the zip for the sources."""

    root: ET.Element
    ns: str
    zip: zipfile.ZipFile
    names: dict[str, str]  # member name lower-cased -> as stored

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag

    def source_text(self, src: ET.Element) -> str | None:
        """A TextSource's text, from PlainTextContent or its internal:// file under sources/."""
        content = src.find(self.q("PlainTextContent"))
        if content is not None:
            return normalise(content.text or "")
        path = src.get("plainTextPath") or ""
        member = self.names.get(("sources/" + path.removeprefix("internal://")).lower())
        if path.startswith("internal://") and member:
            return normalise(self.zip.read(member).decode("utf-8-sig", errors="replace"))
        return None


def read_project(data: bytes) -> Package:
    """Open .qdpx bytes, with errors a person can act on."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise QdpxImportError("not a .qdpx file (it is not a zip archive); export a REFI-QDA project (.qdpx) "
                           "from your QDA tool") from None
    names = {n.lower(): n for n in z.namelist()}
    qde = next((n for low, n in names.items() if PurePosixPath(low).name == "project.qde"), None)
    if qde is None:
        raise QdpxImportError("the .qdpx has no project.qde; is it a REFI-QDA project export?")
    try:
        root = ET.fromstring(z.read(qde))
    except ET.ParseError as exc:
        raise QdpxImportError(f"project.qde is not well-formed XML: {exc}") from None
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if root.tag.rsplit("}", 1)[-1] != "Project":
        raise QdpxImportError(f"project.qde's root is <{root.tag}>, not <Project>")
    return Package(root, ns, z, names)


def _slug(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:48]


async def _themes(s: AsyncSession, pkg: Package, codes: set[str], by_name: dict[str, str],
                  result: ImportResult) -> dict[str, str]:
    """Map every file code GUID to a code id, creating themes for codes we do not know."""
    known = {code_guid(cid): cid for cid in codes}
    out: dict[str, str] = {}

    def walk(el: ET.Element, parent: str | None) -> list[tuple[ET.Element, str | None]]:
        found = []
        for c in el.findall(pkg.q("Code")):
            found.append((c, parent))
            found.extend(walk(c, _g(c.get("guid"))))
        return found

    book = pkg.root.find(pkg.q("CodeBook"))
    codes_el = book.find(pkg.q("Codes")) if book is not None else None
    for el, parent_guid in walk(codes_el, None) if codes_el is not None else []:
        g, name = _g(el.get("guid")), (el.get("name") or "").strip()
        if g in known:
            out[g] = known[g]
        elif name.casefold() in by_name:
            out[g] = by_name[name.casefold()]
        else:
            base = "theme-" + (_slug(name) or g[:8].lower())
            cid, n = base, 2
            while cid in codes:
                cid, n = f"{base}-{n}", n + 1
            desc = el.find(pkg.q("Description"))
            colour = el.get("color")
            row = Code(id=cid, kind="theme", label_en=(name or cid)[:200],
                       label_zh=name[:200] if re.search(r"[\u3400-\u9fff]", name) else None,
                       parent_id=out.get(parent_guid or ""), colour=colour if colour else None,
                       description=(desc.text or None) if desc is not None else None, created_by="qda-import")
            s.add(row)
            codes.add(cid)
            by_name[row.label_en.casefold()] = cid
            out[g] = cid
            result.themes.append(cid)
    await s.flush()
    return out


async def import_qdpx(s: AsyncSession, data: bytes, reviewer: Reviewer, round_id: int | None = None) -> ImportResult:
    """Apply a .qdpx exported by `cna export --format qdpx` (and edited elsewhere) to the database.
    Selections map back to answers by their GUIDs, else by character offsets; nothing is deleted."""
    pkg = read_project(data)
    result = ImportResult()
    cb = await load_codebook(s)
    codes = set(cb.codes)
    code_of = await _themes(s, pkg, codes, {c.label_en.casefold(): c.id for c in cb.codes.values() if c.label_en},
                            result)
    if round_id is not None:
        rounds = [await repos.get_assessment(s, round_id)]
    else:
        rounds = list((await s.scalars(select(Assessment).order_by(Assessment.id))).all())
    answers = (await load_answers(s, [r.id for r in rounds], reviewer)).answers
    by_guid = {answer_guid(a.id): a for a in answers}
    ours = {a.id: a for a in answers}
    existing = {coding_guid(a.id, c.code_id, c.source): (a.id, c) for a in answers for c in a.codings}
    human: dict[tuple[int, str], CodingRow | Coding] = {
        (a.id, c.code_id): c for a in answers for c in a.codings if c.source == "human"}
    transcripts = {t.guid: t for t in build_transcripts(answers, {r.id: r.round_no for r in rounds})}
    users = {_g(u.get("guid")): u for u in pkg.root.iter(pkg.q("User"))}
    seen: set[str] = set()
    expected: set[str] = set()  # human codings we exported for the sources in this file

    def coder_of(user: str) -> str:
        u = users.get(user)
        if u is None:
            return reviewer.name
        if u.get("id") and user_guid(u.get("id", "")) == user:
            return u.get("id", "")
        return u.get("name") or u.get("id") or reviewer.name

    for src in pkg.root.iter(pkg.q("TextSource")):
        sg = _g(src.get("guid"))
        if sg in transcripts:
            expected |= {coding_guid(sp.answer_id, c.code_id, c.source) for sp in transcripts[sg].spans
                         for c in ours[sp.answer_id].codings
                         if c.source == "human" and c.status == "applied"}
        whole = len(src.findall(pkg.q("Coding")))
        if whole:
            result.skipped["codings of a whole source (code a passage instead)"] += whole
        sels = src.findall(pkg.q("PlainTextSelection"))
        spans = [(_int(x.get("startPosition")), _int(x.get("endPosition")), by_guid[_g(x.get("guid"))])
                 for x in sels if _g(x.get("guid")) in by_guid]
        if not spans and sg in transcripts and pkg.source_text(src) == transcripts[sg].text:
            spans = [(sp.start, sp.end, ours[sp.answer_id]) for sp in transcripts[sg].spans]
        for sel in sels:
            targets = _targets(sel, spans, by_guid)
            codings = sel.findall(pkg.q("Coding"))
            if not targets:
                if codings:
                    result.skipped["codings on text outside any answer you may read"] += len(codings)
                continue
            for cod in codings:
                cg = _g(cod.get("guid"))
                ref = cod.find(pkg.q("CodeRef"))
                code_id = code_of.get(_g(ref.get("targetGUID") if ref is not None else None))
                if code_id is None:
                    result.skipped["codings whose code is not in the file's codebook"] += 1
                    continue
                seen.add(cg)
                if cg in existing and existing[cg][1].code_id == code_id and existing[cg][0] in ours:
                    result.unchanged += 1
                    continue
                user = _g(cod.get("creatingUser"))
                if user == user_guid(AUTO_CODER):
                    result.skipped["automatic proposals no longer in the database"] += 1
                    continue
                for a in targets:
                    await _apply(s, human, a.id, code_id, coder_of(user), _time(cod.get("creationDateTime")),
                                 result)
            if _g(sel.get("guid")) in by_guid:
                _rejections(s, sel, pkg, targets[0].id, codes, human, result)
    result.missing = len(expected - seen)
    await s.flush()
    return result


def _rejections(s: AsyncSession, sel: ET.Element, pkg: Package, answer_id: int, codes: set[str],
                human: dict[tuple[int, str], CodingRow | Coding], result: ImportResult) -> None:
    """A person's rejections we wrote into our own selection's description come back where no human decision
    exists (a code applied in the other tool wins)."""
    desc = sel.find(pkg.q("Description"))
    for line in (desc.text or "").splitlines() if desc is not None else []:
        if not line.startswith(REJECTED):
            continue
        for item in line.removeprefix(REJECTED).split("; "):
            code_id, _, coder = item.partition(" by ")
            code_id = code_id.strip()
            if code_id not in codes:
                result.skipped["rejections of codes no longer in the codebook"] += 1
            elif (answer_id, code_id) in human:
                result.unchanged += 1
            else:
                c = Coding(answer_id=answer_id, code_id=code_id, source="human", status="rejected",
                           coder=(coder.strip() or "lead")[:64])
                s.add(c)
                human[(answer_id, code_id)] = c
                result.restored += 1


def _int(v: str | None) -> int:
    try:
        return int(v or "")
    except ValueError:
        return -1


def _targets(sel: ET.Element, spans: list[tuple[int, int, AnswerRow]],
             by_guid: dict[str, AnswerRow]) -> list[AnswerRow]:
    """Our own selection maps by GUID; one made in another tool maps to every answer its offsets overlap."""
    g = _g(sel.get("guid"))
    if g in by_guid:
        return [by_guid[g]]
    start, end = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
    if start < 0 or end <= start:
        return []
    return [a for s0, e0, a in spans if start < e0 and end > s0]


async def _apply(s: AsyncSession, human: dict[tuple[int, str], CodingRow | Coding], answer_id: int, code_id: str,
                 coder: str, when: datetime | None, result: ImportResult) -> None:
    row = human.get((answer_id, code_id))
    if row is None:
        c = Coding(answer_id=answer_id, code_id=code_id, source="human", status="applied", coder=coder[:64])
        if when is not None:
            c.created_at = when
        s.add(c)
        human[(answer_id, code_id)] = c
        result.created += 1
    elif row.status == "rejected":
        stored = await s.get(Coding, row.id) if isinstance(row, CodingRow) else row
        if stored is not None:
            stored.status, stored.coder = "applied", coder[:64]
            human[(answer_id, code_id)] = stored
            result.reapplied += 1
    else:
        result.unchanged += 1
