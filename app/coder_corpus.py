"""Lint of the coder corpus (interview_scripts/corpus/coder/): one answer per line with the codes it carries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.corpus_records import check_lines, field_problems, first_record, question_problems
from core.script import LANGS
from core.script_parse import Problem

FIELDS = ("id", "lang", "script", "question_id", "text", "codes")
_README = "see interview_scripts/corpus/coder/README.md"


def is_coder_corpus(path: Path, text: str | None = None) -> bool:
    """A .jsonl in a folder named 'coder' (the shipped layout), or one whose first record carries 'codes'."""
    if path.parent.name == "coder":
        return True
    rec = first_record(text)
    return rec is not None and "codes" in rec and "label" not in rec


def check_coder_corpus(text: str, filename: str, questions: dict[tuple[str, str], set[str]],
                       code_ids: set[str] | None, seen: dict[str, str]) -> Iterator[Problem]:
    """Every problem in a coder corpus file: JSON, fields, ids unique across the files checked together, codes
    known to the codebook, and each answer tied to a real open question."""
    return check_lines(text, filename, lambda rec: _problems(rec, questions, code_ids), _README, seen)


def _problems(rec: dict[str, Any], questions: dict[tuple[str, str], set[str]],
              code_ids: set[str] | None) -> Iterator[tuple[str, str]]:
    yield from field_problems(rec, FIELDS, _README)
    rid, lang, codes = rec.get("id"), rec.get("lang"), rec.get("codes")
    if "id" in rec and not (isinstance(rid, str) and re.fullmatch(r"c(?:tr[2-9]?|ho)-[a-z]{2}-\d+", rid)):
        yield (f"id {rid!r} is not like 'ctr-en-0001'",
               "ctr- (ctr2- ... ctr9-) for the train batches, cho- for heldout, the language, a number")
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
    yield from question_problems(rec, questions, LANGS)


SECOND_FIELDS = ("id", "codes")


def is_second_coding(path: Path) -> bool:
    """A second person's coding of the heldout split (heldout.en.coder2.jsonl): ids and codes only."""
    return path.name.endswith(".coder2.jsonl")


def check_second_coding(text: str, filename: str, code_ids: set[str] | None) -> Iterator[Problem]:
    """Every problem in a second coding: JSON, fields, heldout ids (each once), codes known to the codebook."""
    return check_lines(text, filename, lambda rec: _second_problems(rec, code_ids), _README, {})


def _second_problems(rec: dict[str, Any], code_ids: set[str] | None) -> Iterator[tuple[str, str]]:
    yield from field_problems(rec, SECOND_FIELDS, _README)
    rid, codes = rec.get("id"), rec.get("codes")
    if "id" in rec and not (isinstance(rid, str) and re.fullmatch(r"cho-[a-z]{2}-\d+", rid)):
        yield f"id {rid!r} is not a heldout answer's id like 'cho-en-0001'", "the id of the answer in heldout.*.jsonl"
    if "codes" in rec:
        if not (isinstance(codes, list) and all(isinstance(c, str) for c in codes)):
            yield f"codes {codes!r} is not a list of code ids", '[] for an answer with no code, else ["price", ...]'
        elif code_ids is not None and (bad := sorted(set(codes) - code_ids)):
            yield f"unknown code(s) {', '.join(bad)}", "code ids from interview_scripts/codebook.yaml"
