"""The typed-replies corpus is valid, and the choice reader keeps what it reads on both sets (floors, not targets)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from app.catalog import Catalog, load_catalog
from app.interviews import other_language_labels
from core.choices import Match
from core.interview import read_choice

CORPUS = Path(__file__).resolve().parents[2] / "interview_scripts" / "corpus" / "closed"


@cache
def catalog() -> Catalog:
    return load_catalog()


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_both_sets_lint_clean() -> None:
    from app.catalog import lint, scripts_dirs
    report = lint([*scripts_dirs(), CORPUS], None)
    assert not report.problems, report.problems[:5]
    assert report.checked.get("closed replies") == 5


def test_a_bad_reply_record_says_what_and_where(tmp_path: Path) -> None:
    from app.catalog import lint, scripts_dirs
    bad = tmp_path / "closed" / "mine.jsonl"
    bad.parent.mkdir()
    bad.write_text(json.dumps({"id": "x-1", "lang": "en", "script": "customer-current", "question_id": "top_value",
                               "text": "price", "expect": ["cheap"], "style": "label"}) + "\n" +
                   json.dumps({"id": "x-2", "lang": "en", "script": "customer-current", "question_id": "satisfaction",
                               "text": "9", "expect": [9], "style": "number"}) + "\n", encoding="utf-8")
    report = lint([*scripts_dirs(), bad], None)
    messages = [f"{p.line}: {p.message} ({p.hint})" for p in report.problems]
    assert any(m.startswith("1: expect ['cheap'] not among the choices of top_value") and "price" in m
               for m in messages), messages
    assert any(m.startswith("2: expect [9] is not one number from 1 to 5") for m in messages), messages


def score(name: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    lexicons: dict = {}
    for r in rows(name):
        script = catalog().scripts[(r["script"], r["lang"])]
        q = script.question(r["question_id"])
        key = (r["script"], r["lang"])
        if key not in lexicons:
            lexicons[key] = other_language_labels(catalog().scripts, script)
        found = read_choice(catalog().prober, script, q, r["text"], lexicons[key])
        c = out.setdefault(r["lang"], {"right": 0, "wrong": 0, "named": 0, "took_unclear": 0})
        if r["expect"] is None:
            c["took_unclear"] += isinstance(found, Match)
            continue
        c["named"] += 1
        if isinstance(found, Match):
            c["right" if set(found.values) == {str(v) for v in r["expect"]} else "wrong"] += 1
    return out


# Floors under what the reader scored when they were set (bench/results/closed_replies_k1_*_after.md): a change that
# reads fewer replies right, or more wrongly, fails here. All three sets are development data since 2026-12-07 (K1):
# dev right 91.0 / 90.5%, wrong 2 / 1; test 88.0 / 95.4%, wrong 4 / 2; dev2 86.1 / 91.7%, wrong 4 / 2; unclear
# replies taken 0 everywhere.
FLOORS = {"dev.jsonl": {"en": (0.89, 3, 1), "zh": (0.88, 2, 1)},
          "test.jsonl": {"en": (0.86, 5, 1), "zh": (0.93, 3, 1)},
          "dev2.jsonl": {"en": (0.84, 5, 1), "zh": (0.89, 3, 1)},
          # the held-out set, scored by the lead before the round (e132485: 83.5 / 78.0%, wrong 7 / 13, unclear taken
          # 5 / 3) and after it (87.9 / 86.3%, wrong 2 / 3, unclear taken 5 / 3); only keeps it from sliding back
          "test2.jsonl": {"en": (0.86, 3, 5), "zh": (0.84, 4, 3)},
          # the second held-out set (a fifth writer), scored by the lead before the K2 round (07e7201: right 183 / 186
          # of 215 / 214 named, wrong 4 / 7, unclear taken 1 / 2) and after it (183 / 188, wrong 4 / 7, taken 1 / 2)
          "test3.jsonl": {"en": (0.84, 4, 1), "zh": (0.86, 7, 2)}}


@pytest.mark.parametrize("name", ["dev.jsonl", "test.jsonl", "dev2.jsonl", "test2.jsonl", "test3.jsonl"])
def test_the_reader_keeps_its_floors(name: str) -> None:
    for lang, c in score(name).items():
        right, wrong, took = FLOORS[name][lang]
        assert c["right"] / c["named"] >= right, (name, lang, c)
        assert c["wrong"] <= wrong, (name, lang, c)
        assert c["took_unclear"] <= took, (name, lang, c)
