"""`cna scripts lint` knows the coder corpus: its own fields, code ids from the codebook, real open questions."""

from __future__ import annotations

import json
from pathlib import Path

from app.catalog import file_kind, lint, load_codebook

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_coder_corpus_is_clean_and_checked_as_what_it_is():
    files = sorted((ROOT / "interview_scripts/corpus/coder").glob("*.jsonl"))
    assert len(files) == 22 and all(file_kind(f) == "coder corpus" for f in files)  # train 1-9, heldout, coder2
    report = lint(files, load_codebook())
    assert report.problems == [] and report.checked == {"coder corpus": 22}


def test_a_second_coding_is_checked_for_its_own_fields(tmp_path):
    f = tmp_path / "coder" / "heldout.en.coder2.jsonl"
    f.parent.mkdir()
    f.write_text('{"id": "cho-en-0001", "codes": ["speed"]}\n{"id": "ctr-en-1", "codes": ["speedy"], "x": 1}\n',
                 encoding="utf-8")
    problems = [(p.line, p.message) for p in lint([f], load_codebook()).problems]
    assert [line for line, _ in problems] == [2, 2, 2]
    assert any("unknown code(s) speedy" in m for _, m in problems)
    assert any("unknown field(s) x" in m for _, m in problems)


def test_the_probe_corpus_and_its_second_labelling_are_clean_and_each_checked_for_its_own_fields(tmp_path):
    probe = ROOT / "interview_scripts/corpus/probe"
    assert lint([probe], load_codebook()).problems == []
    f = tmp_path / "probe" / "annotator2.zh.jsonl"
    f.parent.mkdir()
    f.write_text('{"id": "te-zh-0001", "label": "dont_know", "rung": null}\n'
                 '{"id": "te-zh-0002", "label": "maybe", "rung": null}\n'
                 '{"id": "te-zh-0003", "label": "stop", "rung": "value"}\n', encoding="utf-8")
    problems = [(p.line, p.message) for p in lint([f], load_codebook()).problems]
    assert [line for line, _ in problems] == [2, 3]
    assert "label 'maybe' is not one of" in problems[0][1] and "rung is only for" in problems[1][1]


def test_a_broken_coder_corpus_names_line_and_fix(tmp_path):
    good = {"id": "ctr-en-0001", "lang": "en", "script": "internal-sales", "question_id": "customer_needs",
            "text": "we ship in 48h", "codes": ["speed"]}
    rows = [good, {**good, "id": "ctr-en-0002", "codes": ["speedy"]},
            {**good, "id": "ctr-en-0001"}, {**good, "id": "x-1", "question_id": "kpis"}]
    f = tmp_path / "coder" / "train.en.jsonl"
    f.parent.mkdir()
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    problems = [(p.line, p.message) for p in lint([f], load_codebook()).problems]
    assert (2, "unknown code(s) speedy") in problems
    assert any(line == 3 and m.startswith("duplicate id 'ctr-en-0001'") for line, m in problems)
    assert any(line == 4 and "is not like 'ctr-en-0001'" in m for line, m in problems)
    assert any(line == 4 and "'kpis' is not an open question" in m for line, m in problems)
    assert any(line == 5 and m.startswith("not valid JSON") for line, m in problems)


def test_the_written_respondents_are_checked_as_whole_people(tmp_path):
    shipped = ROOT / "interview_scripts/corpus/conversations/respondents.jsonl"
    assert file_kind(shipped) == "respondents"
    report = lint([shipped], load_codebook())
    assert report.problems == [] and report.checked == {"respondents": 1}
    person = json.loads(shipped.read_text(encoding="utf-8").splitlines()[0])
    broken = {**person, "persona": "chatty", "answers": {**person["answers"], "kpis": [{"text": "x"}]}}
    first_open = next(iter(person["answers"]))
    broken["answers"][first_open] = [{"text": "fine", "label": "surface", "rung": "top"}]
    broken["closed"] = {}
    f = tmp_path / "conversations" / "people.jsonl"
    f.parent.mkdir()
    f.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    messages = [p.message for p in lint([f], load_codebook()).problems]
    assert any("persona 'chatty'" in m for m in messages)
    assert any("'kpis' is not an open question" in m for m in messages)
    assert any("rung 'top'" in m for m in messages)
    assert any(m.startswith("closed: no reply for") for m in messages)
