"""REFI-QDA export: a .qdpx project (project.qde plus one transcript per interview) and a .qdc codebook."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime

from reports.data import AnswerRow
from reports.guids import AUTO_CODER, PROPOSAL_USER, code_guid, guid, participant_guid, user_guid
from reports.qdpx_notes import add_notes
from reports.qdpx_selections import Passages, Selection, answer_selections
from reports.transcript import Transcript, build_transcripts
from storage.models import Assessment
from storage.review import CodeInfo, MemoView

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "cna (CRM Needs Assessment bot)"
_RGB = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
VARIABLES = ("role", "segment", "round")
REJECTED = "rejected: "
Memos = tuple[tuple[int, MemoView, str], ...] | list[tuple[int, MemoView, str]]  # (round id, memo, its title)


def source_path(source_guid: str) -> str:
    """Where a transcript lives inside the .qdpx (REFI's internal:// scheme points into sources/)."""
    return f"sources/{source_guid}.txt"


def _dt(v: datetime | date | None) -> str | None:
    if v is None:
        return None
    if not isinstance(v, datetime):
        v = datetime(v.year, v.month, v.day, tzinfo=UTC)
    if v.tzinfo is None:
        v = v.replace(tzinfo=UTC)
    return v.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(parent: ET.Element, tag: str, ns: str = NS, text: str | None = None, **attrs: str | None) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        e.text = text
    return e


def _code_description(c: CodeInfo) -> str:
    lines = [c.description or "", f"中文: {c.label_zh}" if c.label_zh else "", f"cna id: {c.id} ({c.kind})",
             f"merged into: {c.merged_into}" if c.merged_into else ""]
    return "\n".join(x for x in lines if x)


def codes_element(parent: ET.Element, codes: dict[str, CodeInfo], ns: str = NS) -> None:
    """<Codes> with the hierarchy from parent_id (a missing or cyclic parent puts the code at the top)."""
    children: dict[str | None, list[CodeInfo]] = defaultdict(list)
    for c in codes.values():
        p = c.parent_id if c.parent_id in codes and c.parent_id != c.id else None
        children[p].append(c)
    placed: set[str] = set()

    def add(el: ET.Element, c: CodeInfo) -> None:
        placed.add(c.id)
        colour = c.colour if c.colour and _RGB.match(c.colour) else None
        e = _el(el, "Code", ns, guid=code_guid(c.id), name=c.label_en or c.id, isCodable="true", color=colour)
        _el(e, "Description", ns, _code_description(c))
        for k in sorted(children.get(c.id, []), key=lambda x: x.id):
            if k.id not in placed:
                add(e, k)

    codes_el = _el(parent, "Codes", ns)
    for c in sorted(children[None], key=lambda x: (x.kind != "code", x.id)):
        add(codes_el, c)
    for c in sorted(codes.values(), key=lambda x: x.id):  # codes caught in a parent cycle
        if c.id not in placed:
            add(codes_el, c)


def codebook_xml(codes: dict[str, CodeInfo]) -> bytes:
    """The .qdc file: a CodeBook root (REFI codebook namespace) holding <Codes> as Project.xsd's CodeBookType."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook")
    codes_element(root, codes, CODEBOOK_NS)
    return _serialise(root)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _selection_description(a: AnswerRow) -> str:
    """What the QDA tool cannot hold natively: the auto coder's confidences and a person's rejections
    (a rejection is a decision, not a coding; `cna import` restores it from the 'rejected:' line)."""
    head = [f"cna answer {a.id}", f"question {a.question_id}", f"step {a.step}"]
    if a.probe_reason:
        head.append(f"probe reason {a.probe_reason}")
    lines = [" · ".join(head)]
    autos = [f"{c.code_id} {c.confidence or 0:.2f}" + (f" (cue '{c.cue}')" if c.cue else "")
             for c in a.codings if c.source == "auto"]
    if autos:
        lines.append("auto: " + "; ".join(autos))
    rejected = [f"{c.code_id} by {c.coder.replace(';', ',')}" for c in a.codings
                if c.source == "human" and c.status == "rejected"]
    if rejected:
        lines.append(REJECTED + "; ".join(rejected))
    return "\n".join(lines)


def project_xml(rounds: list[Assessment], codes: dict[str, CodeInfo], answers: list[AnswerRow],
                transcripts: list[Transcript], exported_by: str, passages: Passages | None = None,
                proposals: bool = True, memos: Memos = ()) -> bytes:
    """project.qde for the given rounds' visible answers; `proposals` False leaves unreviewed auto proposals out;
    memos become notes (reports.qdpx_notes)."""
    ET.register_namespace("", NS)
    by_id = {a.id: a for a in answers}
    selections = {tr.guid: [(sp.answer_id, sel) for sp in tr.spans for sel in
                            answer_selections(by_id[sp.answer_id], sp, passages or {}, proposals, exported_by)]
                  for tr in transcripts}
    first = rounds[0]
    name = first.name + " · " + ", ".join(f"round {r.round_no}" for r in rounds)
    root = ET.Element(f"{{{NS}}}Project", {"name": name, "origin": ORIGIN,
                                           "creatingUserGUID": user_guid(exported_by),
                                           "creationDateTime": _dt(first.created_at) or ""})
    coders = sorted({c.coder for a in answers for c in a.codings if c.source == "human"} | {exported_by}
                    | {m.author for _r, m, _t in memos})
    users = _el(root, "Users")
    if any(sel.coder == AUTO_CODER for sels in selections.values() for _, sel in sels):
        _el(users, "User", guid=user_guid(AUTO_CODER), name=PROPOSAL_USER, id=AUTO_CODER)
    for coder in coders:
        if coder != AUTO_CODER:
            _el(users, "User", guid=user_guid(coder), name=coder, id=coder)
    if codes:
        codes_element(_el(root, "CodeBook"), codes)

    variables = _el(root, "Variables")
    var_guid = {v: guid("variable", v) for v in VARIABLES}
    descriptions = {"role": "Internal role (sales, service, ...) or customer segment (current, past, prospective)",
                    "segment": "Audience label used in analysis, e.g. internal:sales or customer:current",
                    "round": "CNA round number(s)"}
    for v in VARIABLES:
        var = _el(variables, "Variable", guid=var_guid[v], name=v, typeOfVariable="Text")
        _el(var, "Description", text=descriptions[v])

    def value(parent: ET.Element, var: str, text: str) -> None:
        vv = _el(parent, "VariableValue")
        _el(vv, "VariableRef", targetGUID=var_guid[var])
        _el(vv, "TextValue", text=text)

    round_no = {r.id: r.round_no for r in rounds}
    people: dict[int, list[Transcript]] = defaultdict(list)
    for tr in transcripts:
        if tr.participant_id is not None:
            people[tr.participant_id].append(tr)
    if people:
        cases = _el(root, "Cases")
        for pid in sorted(people):
            trs = people[pid]
            a0 = next(by_id[s.answer_id] for s in trs[0].spans)
            case = _el(cases, "Case", guid=participant_guid(pid), name=a0.pseudonym)
            value(case, "role", a0.role or a0.segment.partition(":")[2])
            value(case, "segment", a0.segment)
            value(case, "round", ", ".join(str(n) for n in sorted({round_no[t.round_id] for t in trs})))
            for tr in trs:
                _el(case, "SourceRef", targetGUID=tr.guid)

    if transcripts:
        sources = _el(root, "Sources")
        for tr in transcripts:
            _text_source(sources, tr, selections[tr.guid], by_id, round_no[tr.round_id], value, exported_by)
        sets = _el(root, "Sets")
        by_segment: dict[str, list[str]] = defaultdict(list)
        for tr in transcripts:
            by_segment[tr.segment].append(tr.guid)
        for seg in sorted(by_segment):
            st = _el(sets, "Set", guid=guid("set", seg), name=seg)
            _el(st, "Description", text=f"Interview transcripts of segment {seg}")
            for g in by_segment[seg]:
                _el(st, "MemberSource", targetGUID=g)
    desc = [f"{first.name}: CRM Needs Assessment exported by cna.", f"Scope: {first.scope}."]
    desc += [f"Key question: {q}" for q in first.key_questions or []]
    desc.append("Selections are 0-based Unicode character offsets into the plain-text sources, end exclusive. "
                "Cases are pseudonymous participants; anonymous answers are in sources without a case.")
    desc.append(f"Each selection is one answer (or a passage of it) coded by one person, its creating user. "
                f"'{PROPOSAL_USER}' holds the automatic coder's proposals no person has reviewed yet; a person's "
                f"rejections are not codings but 'rejected:' lines in the selection's description.")
    _el(root, "Description", text="\n".join(desc))
    add_notes(root, NS, [(r, m) for r, m, _t in memos], {f"{m.kind}:{m.target}": title for _r, m, title in memos},
              selections, transcripts)
    return _serialise(root)


def _text_source(sources: ET.Element, tr: Transcript, selections: list[tuple[int, Selection]],
                 by_id: dict[int, AnswerRow], round_no: int, value: Callable[[ET.Element, str, str], None],
                 exported_by: str) -> None:
    ts = _el(sources, "TextSource", guid=tr.guid, name=tr.name, plainTextPath=f"internal://{tr.guid}.txt",
             creatingUser=user_guid(exported_by))
    _el(ts, "Description", text=f"segment {tr.segment}; round {round_no}; language {tr.lang}")
    described: dict[int, str] = {}
    for answer_id, sel in selections:
        a = by_id[answer_id]
        el = _el(ts, "PlainTextSelection", guid=sel.guid, name=f"{a.question_id} step {a.step}",
                 startPosition=str(sel.start), endPosition=str(sel.end), creatingUser=user_guid(sel.coder),
                 creationDateTime=_dt(sel.created or a.created_at))
        _el(el, "Description", text=described.setdefault(a.id, _selection_description(a)))
        for g, c in sel.codings:
            coding = _el(el, "Coding", guid=g, creatingUser=user_guid(sel.coder), creationDateTime=_dt(c.created_at))
            _el(coding, "CodeRef", targetGUID=code_guid(c.code_id))
    value(ts, "segment", tr.segment)
    value(ts, "round", str(round_no))


def qdpx_bytes(rounds: list[Assessment], codes: dict[str, CodeInfo], answers: list[AnswerRow],
               exported_by: str, passages: Passages | None = None, proposals: bool = True,
               memos: Memos = ()) -> bytes:
    """The .qdpx zip; entry times are fixed so the same data always gives the same bytes."""
    transcripts = build_transcripts(answers, {r.id: r.round_no for r in rounds})
    qde = project_xml(rounds, codes, answers, transcripts, exported_by, passages, proposals, memos)
    buf = io.BytesIO()
    stamp = (max(1980, rounds[0].opened_on.year), rounds[0].opened_on.month, rounds[0].opened_on.day, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("project.qde", stamp), qde, zipfile.ZIP_DEFLATED)
        for tr in transcripts:
            z.writestr(zipfile.ZipInfo(source_path(tr.guid), stamp), tr.text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buf.getvalue()
