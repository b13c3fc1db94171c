"""`cna report`, `cna export` and `cna import` as a lead runs them: subprocesses on a seeded demo database."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile

import pytest


def _human(cna) -> list[tuple]:
    with sqlite3.connect(cna.db_url.removeprefix("sqlite:///")) as c:
        return sorted(c.execute("SELECT answer_id, code_id, status, coder FROM codings WHERE source = 'human'"))


@pytest.mark.slow
def test_report_export_import_from_the_command_line(cna, tmp_path):
    seeded = cna("demo", "--no-interview")
    assert seeded.returncode == 0, seeded.stderr

    for fmt, lang in (("html", "en"), ("html", "zh"), ("md", "en"), ("md", "zh")):
        out = tmp_path / f"report.{lang}.{fmt}"
        r = cna("report", "--format", fmt, "--lang", lang, "--out", str(out))
        assert r.returncode == 0, r.stderr
        assert f"Wrote the {fmt.upper()} report to {out}" in r.stdout
        text = out.read_text(encoding="utf-8")
        assert ("路线图" if lang == "zh" else "Roadmap") in text
    html = (tmp_path / "report.en.html").read_text(encoding="utf-8")
    assert '<svg class="chart timeline"' in html and "http://" not in html and "https://" not in html
    inferred = cna("report", "--out", str(tmp_path / "r.html"), "--round", "1")
    assert inferred.returncode == 0 and "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")
    to_stdout = cna("report", "--format", "md", "--out", "-")
    assert to_stdout.returncode == 0 and to_stdout.stdout.startswith("# CRM Needs Assessment")

    for fmt in ("csv", "json", "qdpx", "qdc"):
        r = cna("export", "--format", fmt, "--out", str(tmp_path / f"a.{fmt}"))
        assert r.returncode == 0, r.stderr
    with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and {"answer", "probe_text", "codes_auto", "codes_human", "pseudonym"} <= set(rows[0])
    assert len(json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["answers"]) == len(rows)
    assert "project.qde" in zipfile.ZipFile(tmp_path / "a.qdpx").namelist()
    everyone = cna("export", "--out", str(tmp_path / "all.csv"), env={"CNA_REVIEWER_DEPARTMENTS": "*"})
    assert "restricted" not in everyone.stdout
    with (tmp_path / "all.csv").open(newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) > len(rows)  # the restricted answers, for a reviewer allowed them

    before = _human(cna)
    full = tmp_path / "full.qdpx"
    assert cna("export", "--out", str(full), env={"CNA_REVIEWER_DEPARTMENTS": "*"}).returncode == 0
    dry = cna("import", str(full), "--dry-run", env={"CNA_REVIEWER_DEPARTMENTS": "*"})
    assert dry.returncode == 0 and dry.stdout.startswith("Dry run, nothing changed. Imported from cna")
    assert "Sources: " in dry.stdout and " mapped" in dry.stdout  # a dry run lists every source
    with sqlite3.connect(cna.db_url.removeprefix("sqlite:///")) as c:
        c.execute("DELETE FROM codings WHERE source = 'human' AND answer_id IN "
                  "(SELECT id FROM answers WHERE assessment_id = 2)")
    r = cna("import", "--format", "qdpx", str(full), "--round", "2", env={"CNA_REVIEWER_DEPARTMENTS": "*"})
    assert r.returncode == 0, r.stderr
    assert "new human codings" in r.stdout and "rejections restored" in r.stdout
    assert _human(cna) == before

    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    r = cna("import", str(bad))
    assert r.returncode == 1 and "not a zip" in r.stderr and "Traceback" not in r.stderr
    r = cna("export", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "--format" in r.stderr
    r = cna("report", "--round", "99", "--out", str(tmp_path / "x.md"))
    assert r.returncode == 1 and "no assessment with id 99" in r.stderr
