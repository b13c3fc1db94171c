"""What every labelled corpus file shares: one JSON object per line, known fields, unique ids, real questions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from core.script_parse import Problem

Questions = dict[tuple[str, str], set[str]]  # (script id, lang) -> its open questions
RecordCheck = Callable[[dict[str, Any]], Iterator[tuple[str, str]]]  # a record -> (message, hint) per problem
T = TypeVar("T")


def first_record(text: str | None) -> dict[str, Any] | None:
    """The first line's JSON object, to tell a corpus's kind from its content (None if it is not one)."""
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    try:
        rec = json.loads(first)
    except json.JSONDecodeError:
        return None
    return rec if isinstance(rec, dict) else None


def read_records(paths: Iterable[Path], build: Callable[[Path, int, dict[str, Any]], T], hint: str = "") -> list[T]:
    """Every non-blank line of JSON-lines files, parsed and turned into what `build` makes of it (file, line
    number, record); a bad line raises ValueError naming the file, the line and `hint`."""
    out: list[T] = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(build(path, n, json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: {exc}{hint}") from None
    return out


def check_lines(text: str, filename: str, check: RecordCheck, readme: str, seen: dict[str, str]) -> Iterator[Problem]:
    """Every problem of a JSON Lines corpus: JSON, the record's own checks, and ids unique across the files
    checked together (`seen`)."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(filename, n, f"not valid JSON: {exc.msg} at column {exc.colno}", "one JSON object per line")
            continue
        if not isinstance(rec, dict):
            yield Problem(filename, n, "a record must be a JSON object", readme)
            continue
        yield from (Problem(filename, n, message, hint) for message, hint in check(rec))
        rid = rec.get("id")
        if isinstance(rid, str):
            if rid in seen:
                yield Problem(filename, n, f"duplicate id {rid!r} (also in {seen[rid]})", "ids must be unique")
            else:
                seen[rid] = f"{filename}:{n}"


def field_problems(rec: dict[str, Any], fields: tuple[str, ...], readme: str) -> Iterator[tuple[str, str]]:
    unknown = sorted(set(rec) - set(fields))
    if unknown:
        yield f"unknown field(s) {', '.join(unknown)}", f"the fields are {', '.join(fields)}"
    missing = [k for k in fields if k not in rec]
    if missing:
        yield f"missing field(s) {', '.join(missing)}", readme


def question_problems(rec: dict[str, Any], questions: Questions, langs: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """The answer is tied to a real open question of a known script in its language."""
    script, qid, lang = rec.get("script"), rec.get("question_id"), rec.get("lang")
    if isinstance(script, str) and isinstance(lang, str) and lang in langs:
        if (script, lang) not in questions:
            yield f"no script {script!r} in {lang!r}", f"one of: {', '.join(sorted({s for s, _ in questions}))}"
        elif qid not in questions[(script, lang)]:
            yield (f"{qid!r} is not an open question of {script}",
                   f"open questions: {', '.join(sorted(questions[(script, lang)]))}")
