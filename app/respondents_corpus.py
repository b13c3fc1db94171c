"""Lint of the written respondents (interview_scripts/corpus/conversations/): whole people, one per line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from app.corpus_records import check_lines, field_problems, first_record
from core.script import LANGS
from core.script_parse import Problem

FIELDS = ("id", "lang", "script", "persona", "who", "answers", "closed")
PERSONAS = ("shallow_ladder", "detailed", "evasive", "terse_then_done", "mixed")
LABELS = ("surface", "specific", "stop", "dont_know")
RUNGS = ("attribute", "consequence", "value")
MAX_REPLIES = 3  # the first answer and the replies to two follow-ups
_README = "see interview_scripts/corpus/conversations/README.md"
# {(script id, lang): {question id: kind}}
QuestionKinds = Mapping[tuple[str, str], Mapping[str, str]]


def is_respondents(path: Path, text: str | None = None) -> bool:
    """A .jsonl in a folder named 'conversations' (the shipped layout), or one whose first record has 'answers'."""
    if path.parent.name == "conversations":
        return True
    rec = first_record(text)
    return rec is not None and isinstance(rec.get("answers"), dict) and "persona" in rec


def check_respondents(text: str, filename: str, kinds: QuestionKinds, seen: dict[str, str]) -> Iterator[Problem]:
    """Every problem in a respondents file: JSON, fields, the script, a reply list for every open question,
    labels and rungs, a typed reply for every other question."""
    return check_lines(text, filename, lambda rec: _problems(rec, kinds), _README, seen)


def _problems(rec: dict[str, Any], kinds: QuestionKinds) -> Iterator[tuple[str, str]]:
    yield from field_problems(rec, FIELDS, _README)
    lang, script = rec.get("lang"), rec.get("script")
    if lang not in LANGS:
        yield f"lang {lang!r} is not one of {', '.join(LANGS)}", "the script's language"
        return
    if rec.get("persona") not in PERSONAS:
        yield f"persona {rec.get('persona')!r} is not one of {', '.join(PERSONAS)}", _README
    questions = kinds.get((str(script), str(lang)))
    if questions is None:
        yield f"no script {script!r} in {lang!r}", f"one of: {', '.join(sorted({s for s, _ in kinds}))}"
        return
    answers, closed = rec.get("answers"), rec.get("closed")
    if not isinstance(answers, dict) or not isinstance(closed, dict):
        yield "answers and closed must be objects keyed by question id", _README
        return
    open_ids = {q for q, k in questions.items() if k == "open"}
    for qid in sorted(set(answers) - open_ids):
        yield f"answers: {qid!r} is not an open question of {script}", f"open questions: {', '.join(sorted(open_ids))}"
    for qid in sorted(open_ids - set(answers)):
        yield f"answers: no replies for the open question {qid!r}", "every open question gets 1-3 replies"
    for qid, replies in answers.items():
        yield from _reply_problems(qid, replies)
    for qid in sorted(set(closed) - (set(questions) - open_ids)):
        yield f"closed: {qid!r} is not a closed question of {script}", "closed holds yes/no, scale and choice replies"
    for qid in sorted(set(questions) - open_ids - set(closed)):
        yield f"closed: no reply for {qid!r}", "what the person types to each non-open question"


def _reply_problems(qid: str, replies: object) -> Iterator[tuple[str, str]]:
    if not isinstance(replies, list) or not 1 <= len(replies) <= MAX_REPLIES:
        yield f"answers[{qid!r}] must be a list of 1 to {MAX_REPLIES} replies", _README
        return
    for i, r in enumerate(replies):
        where = f"answers[{qid!r}][{i}]"
        if not isinstance(r, dict) or not isinstance(r.get("text"), str) or not r["text"].strip():
            yield f"{where} needs a non-empty text", _README
            continue
        if r.get("label") not in LABELS:
            yield f"{where}: label {r.get('label')!r} is not one of {', '.join(LABELS)}", _README
        rung = r.get("rung")
        if r.get("label") in ("surface", "specific") and rung not in RUNGS:
            yield f"{where}: rung {rung!r} is not one of {', '.join(RUNGS)}", "surface and specific replies get a rung"
        elif r.get("label") in ("stop", "dont_know") and rung is not None:
            yield f"{where}: a {r['label']} reply has no rung (null)", _README
