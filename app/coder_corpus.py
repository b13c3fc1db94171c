"""Lint of the coder corpus (interview_scripts/corpus/coder/): one answer per line with the codes it carries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.script import LANGS
from core.script_parse import Problem

FIELDS = ("id", "lang", "script", "question_id", "text", "codes")
_README = "see interview_scripts/corpus/coder/README.md"


def is_coder_corpus(path: Path, text: str | None = None) -> bool:
    """A .jsonl in a folder named 'coder' (the shipped layout), or one whose first record carries 'codes'."""
    if path.parent.name == "coder":
        return True
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    try:
        rec = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(rec, dict) and "codes" in rec and "label" not in rec


def check_coder_corpus(text: str, filename: str, questions: dict[tuple[str, str], set[str]],
                       code_ids: set[str] | None, seen: dict[str, str]) -> Iterator[Problem]:
    """Every problem in a coder corpus file: JSON, fields, ids unique across the files checked together, codes
    known to the codebook, and each answer tied to a real open question."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(filename, n, f"not valid JSON: {exc.msg} at column {exc.colno}", "one JSON object per line")
            continue
        if not isinstance(rec, dict):
            yield Problem(filename, n, "a record must be a JSON object", _README)
            continue
        yield from (Problem(filename, n, m, h) for m, h in _problems(rec, questions, code_ids))
        rid = rec.get("id")
        if isinstance(rid, str):
            if rid in seen:
                yield Problem(filename, n, f"duplicate id {rid!r} (also in {seen[rid]})", "ids must be unique")
            else:
                seen[rid] = f"{filename}:{n}"


def _problems(rec: dict[str, Any], questions: dict[tuple[str, str], set[str]],
              code_ids: set[str] | None) -> Iterator[tuple[str, str]]:
    unknown = sorted(set(rec) - set(FIELDS))
    if unknown:
        yield f"unknown field(s) {', '.join(unknown)}", f"the fields are {', '.join(FIELDS)}"
    missing = [k for k in FIELDS if k not in rec]
    if missing:
        yield f"missing field(s) {', '.join(missing)}", _README
    rid, lang, codes = rec.get("id"), rec.get("lang"), rec.get("codes")
    if "id" in rec and not (isinstance(rid, str) and re.fullmatch(r"c(?:tr|ho)-[a-z]{2}-\d+", rid)):
        yield (f"id {rid!r} is not like 'ctr-en-0001'",
               "ctr- for the train split, cho- for heldout, the language, a number")
    if "lang" in rec and lang not in LANGS:
        yield f"lang {lang!r} is not one of {', '.join(LANGS)}", "the script's language"
    if "text" in rec and not (isinstance(rec["text"], str) and rec["text"].strip()):
        yield "text is empty", "the answer exactly as typed"
    if "codes" in rec:
        if not (isinstance(codes, list) and all(isinstance(c, str) for c in codes)):
            yield f"codes {codes!r} is not a list of code ids", '[] for an answer with no code, else ["price", ...]'
        elif code_ids is not None and (bad := sorted(set(codes) - code_ids)):
            yield f"unknown code(s) {', '.join(bad)}", "code ids from interview_scripts/codebook.yaml"
        elif len(set(codes)) != len(codes):
            yield "a code is listed twice", "list each code once"
    script, qid = rec.get("script"), rec.get("question_id")
    if isinstance(script, str) and isinstance(lang, str) and lang in LANGS:
        if (script, lang) not in questions:
            yield f"no script {script!r} in {lang!r}", f"one of: {', '.join(sorted({s for s, _ in questions}))}"
        elif qid not in questions[(script, lang)]:
            yield (f"{qid!r} is not an open question of {script}",
                   f"open questions: {', '.join(sorted(questions[(script, lang)]))}")
