"""Lint of the typed replies to closed questions (interview_scripts/corpus/closed/): one reply per line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from app.corpus_records import check_lines, field_problems, first_record
from core.script import LANGS, Script
from core.script_parse import Problem

FIELDS = ("id", "lang", "script", "question_id", "text", "expect", "style")
STYLES = ("label", "own_words", "place", "number", "hedged", "with_reason", "typo", "mixed_lang", "list",
          "partial_list", "dont_know", "none", "yes_no_words", "unclear")
CLOSED = ("single", "multi", "scale", "yesno")
_README = "see interview_scripts/corpus/closed/README.md"


def is_closed_corpus(path: Path, text: str | None = None) -> bool:
    """A .jsonl in a folder named 'closed' (the shipped layout), or one whose first record has 'expect'."""
    if path.parent.name == "closed":
        return True
    rec = first_record(text)
    return rec is not None and "expect" in rec and "style" in rec


def check_closed_corpus(text: str, filename: str, scripts: Mapping[tuple[str, str], Script],
                        seen: dict[str, str]) -> Iterator[Problem]:
    """Every problem in a typed-replies file: JSON, fields, a real closed question, and an `expect` that question
    could record (its choice ids, a number on its scale, yes / no), or null for a reply to be asked again."""
    return check_lines(text, filename, lambda rec: _problems(rec, scripts), _README, seen)


def _problems(rec: dict[str, Any], scripts: Mapping[tuple[str, str], Script]) -> Iterator[tuple[str, str]]:
    yield from field_problems(rec, FIELDS, _README)
    lang, sid, qid = rec.get("lang"), rec.get("script"), rec.get("question_id")
    if lang not in LANGS:
        yield f"lang {lang!r} is not one of {', '.join(LANGS)}", "the script's language"
        return
    if not isinstance(rec.get("text"), str) or not rec["text"].strip():
        yield "text must be the reply as typed", _README
    if rec.get("style") not in STYLES:
        yield f"style {rec.get('style')!r} is not one of {', '.join(STYLES)}", _README
    script = scripts.get((str(sid), str(lang)))
    if script is None:
        yield f"no script {sid!r} in {lang!r}", f"one of: {', '.join(sorted({s for s, _ in scripts}))}"
        return
    q = next((x for x in script.questions if x.id == qid), None)
    if q is None or q.kind not in CLOSED:
        closed = ", ".join(x.id for x in script.questions if x.kind in CLOSED)
        yield f"{qid!r} is not a closed question of {sid}", f"closed questions: {closed}"
        return
    expect = rec.get("expect")
    if expect is None:
        return
    if not isinstance(expect, list) or not expect:
        yield "expect must be a list (choice ids, [N] for a scale, ['yes'] / ['no']) or null", _README
        return
    if q.kind == "scale" and q.scale is not None:
        if len(expect) != 1 or not isinstance(expect[0], int | str) or not str(expect[0]).isdigit() \
                or not q.scale.min <= int(expect[0]) <= q.scale.max:
            yield f"expect {expect} is not one number from {q.scale.min} to {q.scale.max}", "a scale records one number"
    elif q.kind == "yesno":
        if expect not in (["yes"], ["no"]):
            yield f"expect {expect} must be ['yes'] or ['no']", "a yes/no question records yes or no"
    else:
        ids = [c.id for c in q.choices]
        unknown = [v for v in expect if v not in ids]
        if unknown:
            yield f"expect {unknown} not among the choices of {qid}", f"choices: {', '.join(ids)}"
        if q.kind == "single" and len(expect) != 1:
            yield "a single-choice question records exactly one choice", "or null if a colleague would ask again"
