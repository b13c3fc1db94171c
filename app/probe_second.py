"""Lint of a second person's labels of the probe test split (annotator2.zh.jsonl): ids, labels and rungs only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.corpus_records import check_lines, field_problems
from core.judge import CLASSES, RUNGS
from core.script_parse import Problem

FIELDS = ("id", "label", "rung")
_NAME = re.compile(r"annotator\d+\.[a-z]{2}\.jsonl")
_README = "see 'A second person's labels' in interview_scripts/corpus/probe/README.md"


def is_second_labelling(path: Path) -> bool:
    """annotator2.zh.jsonl and the like: kept beside the corpus, in neither split."""
    return bool(_NAME.fullmatch(path.name))


def check_second_labelling(text: str, filename: str) -> Iterator[Problem]:
    """Every problem in a second labelling: JSON, fields, test ids (each once), labels and rungs."""
    return check_lines(text, filename, _problems, _README, {})


def _problems(rec: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield from field_problems(rec, FIELDS, _README)
    rid, label, rung = rec.get("id"), rec.get("label"), rec.get("rung")
    if "id" in rec and not (isinstance(rid, str) and re.fullmatch(r"te-[a-z]{2}-\d+", rid)):
        yield f"id {rid!r} is not a test answer's id like 'te-zh-0001'", "the id of the answer in test*.jsonl"
    if "label" in rec and label not in CLASSES:
        yield f"label {label!r} is not one of: {', '.join(CLASSES)}", _README
    if "rung" in rec:
        if label in ("surface", "specific") and rung not in RUNGS:
            yield f"rung {rung!r} is not one of: {', '.join(RUNGS)}", "the rung a surface or specific answer reaches"
        elif label in ("stop", "dont_know") and rung is not None:
            yield f"rung is only for surface and specific answers (this one is {label})", "use null"
