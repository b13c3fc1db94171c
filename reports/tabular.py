"""CSV and JSON exports of answers: one row per ladder step with question, probe, segment and every coding."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from reports.data import AnswerRow, effective
from storage.models import Assessment
from storage.review import Codebook

COLUMNS = (
    "round_id", "round_no", "answer_id", "ladder_key", "step", "segment", "role", "pseudonym", "interview_id",
    "script_id", "script_version", "lang", "question_id", "question", "probe_text", "probe_reason",
    "probe_family", "answer", "choices", "anonymous", "department", "answered_at", "codes_effective",
    "codes_auto", "codes_human",
)


def _iso(v: date | datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def record(a: AnswerRow, round_no: int, cb: Codebook) -> dict[str, Any]:
    """The JSON shape of one answer; the CSV flattens `codings` into three columns."""
    # An anonymous answer gets no answer_id: a sequential id would place it among someone's named answers.
    return {
        "round_id": a.round_id, "round_no": round_no, "answer_id": None if a.anonymous else a.id,
        "ladder_key": a.ladder_key,
        "step": a.step, "segment": a.segment, "role": a.role, "pseudonym": a.pseudonym,
        "interview_id": a.interview_id, "script_id": a.script_id, "script_version": a.script_version,
        "lang": a.lang, "question_id": a.question_id, "question": a.question_text, "probe_text": a.probe_text,
        "probe_reason": a.probe_reason, "probe_family": a.probe_family, "answer": a.text,
        "choices": list(a.choice_values), "anonymous": a.anonymous, "department": a.department,
        "answered_at": _iso(a.created_at), "codes_effective": sorted(effective(a, cb)),
        "codings": [{"code": c.code_id, "source": c.source, "status": c.status, "confidence": c.confidence,
                     "cue": c.cue, "rule": c.rule, "coder": c.coder, "created_at": _iso(c.created_at)}
                    for c in a.codings],
    }


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    autos = [c for c in rec["codings"] if c["source"] == "auto"]
    humans = [c for c in rec["codings"] if c["source"] == "human"]
    row = {k: rec.get(k) for k in COLUMNS if k in rec}
    row.update({
        "choices": "; ".join(map(str, rec["choices"])),
        "anonymous": "yes" if rec["anonymous"] else "no",
        "codes_effective": "; ".join(rec["codes_effective"]),
        "codes_auto": "; ".join(f"{c['code']} {c['confidence'] or 0:.2f}" for c in autos),
        "codes_human": "; ".join(f"{c['code']} {c['status']} ({c['coder']})" for c in humans),
    })
    return {k: "" if row.get(k) is None else row[k] for k in COLUMNS}


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...), +cmd|..., @SUM(...)),
# and a leading tab or carriage return can hide such a start; OWASP's advice is to prefix a single quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value with a leading ' when a spreadsheet would read it as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(records: list[dict[str, Any]], bom: bool = True) -> str:
    """RFC 4180 CSV (quoted where needed, CRLF rows), text cells neutralised against formula injection; the
    UTF-8 byte-order mark (on by default) makes Excel read Chinese text correctly."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    for rec in records:
        w.writerow({k: neutralise(v) for k, v in _flat(rec).items()})
    return ("\ufeff" if bom else "") + buf.getvalue()


def to_json(rounds: list[Assessment], cb: Codebook, records: list[dict[str, Any]],
            withheld: int, probe_marks: list[dict[str, Any]] | None = None) -> str:
    doc = {
        "format": "cna-answers", "version": 1,
        "rounds": [{"id": a.id, "name": a.name, "round_no": a.round_no, "scope": a.scope,
                    "opened_on": _iso(a.opened_on), "closed_on": _iso(a.closed_on),
                    "key_questions": list(a.key_questions or []), "goals": list(a.goals or [])} for a in rounds],
        "codes": [{"id": c.id, "kind": c.kind, "parent": c.parent_id, "label_en": c.label_en,
                   "label_zh": c.label_zh, "merged_into": c.merged_into}
                  for c in sorted(cb.codes.values(), key=lambda c: c.id)],
        "restricted_answers_withheld": withheld,
        "answers": records,
        # The leads' verdicts on the prober's decisions (cna train prober --include-feedback learns from them).
        "probe_marks": probe_marks or [],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
