"""Memos in REFI-QDA: each a <Note> under <Notes>, referenced by a <NoteRef> from what it is about: an answer's
selection, a code, or the project (the round and opportunities, which REFI has no element for)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime

from reports.guids import code_guid, guid, user_guid
from reports.qdpx_selections import Selection
from reports.transcript import Transcript
from storage.review import MemoView

NOTE_KINDS = {"round": "Round memo", "code": "Memo on code", "opportunity": "Memo on opportunity",
              "answer": "Memo on answer"}


def note_guid(round_id: int, m: MemoView) -> str:
    return guid("memo", f"{round_id}:{m.kind}:{m.target}")


def _dt(v: datetime) -> str:
    return (v if v.tzinfo else v.replace(tzinfo=UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ref(parent: ET.Element, ns: str, target: str, before: Iterable[str] = ()) -> None:
    """Add <NoteRef> to parent, ahead of its first child named in `before` (the schema fixes the order)."""
    el = ET.Element(f"{{{ns}}}NoteRef", {"targetGUID": target})
    tags = {f"{{{ns}}}{b}" for b in before}
    index = next((i for i, child in enumerate(parent) if child.tag in tags), len(parent))
    parent.insert(index, el)


def add_notes(root: ET.Element, ns: str, memos: list[tuple[int, MemoView]], titles: dict[str, str],
              selections: dict[str, list[tuple[int, Selection]]], transcripts: list[Transcript]) -> None:
    """Put the memos (round id, memo) into the project: <Notes> after <Sources>, a <NoteRef> on each target.
    Memos on answers not in the export, or on codes not in the codebook, are left out."""
    q = f"{{{ns}}}"
    codes = {c.get("guid"): c for c in root.iter(f"{q}Code")}
    first_selection: dict[int, ET.Element] = {}
    source_of: dict[int, ET.Element] = {}
    by_guid = {ts.get("guid"): ts for ts in root.iter(f"{q}TextSource")}
    sel_elements = {sel.get("guid"): sel for ts in by_guid.values() for sel in ts.findall(f"{q}PlainTextSelection")}
    for tr in transcripts:
        for answer_id, sel in selections.get(tr.guid, []):
            if answer_id not in first_selection and sel.guid in sel_elements:
                first_selection[answer_id] = sel_elements[sel.guid]
        for span in tr.spans:
            source_of.setdefault(span.answer_id, by_guid[tr.guid])
    notes = ET.Element(f"{q}Notes")
    project_refs = []
    for round_id, m in memos:
        g = note_guid(round_id, m)
        if m.kind == "answer":
            target = first_selection.get(int(m.target))
            if target is not None:
                _ref(target, ns, g)
            elif int(m.target) in source_of:
                _ref(source_of[int(m.target)], ns, g, before=("VariableValue",))
            else:
                continue
        elif m.kind == "code":
            code = codes.get(code_guid(m.target))
            if code is None:
                continue
            _ref(code, ns, g, before=("Code",))
        else:
            project_refs.append(g)
        note = ET.SubElement(notes, f"{q}Note", {
            "guid": g, "name": f"{NOTE_KINDS.get(m.kind, 'Memo')}: {titles.get(f'{m.kind}:{m.target}', m.target)}",
            "creatingUser": user_guid(m.author), "creationDateTime": _dt(m.created_at),
            "modifyingUser": user_guid(m.author), "modifiedDateTime": _dt(m.updated_at)})
        ET.SubElement(note, f"{q}PlainTextContent").text = m.text
    if not len(notes):
        return
    after = [i for i, child in enumerate(root) if child.tag in {f"{q}Links", f"{q}Sets", f"{q}Description"}]
    root.insert(after[0] if after else len(root), notes)
    for g in project_refs:
        ET.SubElement(root, f"{q}NoteRef", {"targetGUID": g})
