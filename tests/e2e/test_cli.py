"""The CLI end to end, as subprocesses: scripts, assessments, terminal interviews, dry-runs, bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import SENTINEL


def rows(cna, sql):
    path = cna.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as c:
        return c.execute(sql).fetchall()


def test_scripts_lint_clean_and_broken(cna, tmp_path):
    ok = cna("scripts", "lint")
    assert ok.returncode == 0, ok.stderr
    assert "script(s) OK" in ok.stdout
    bad = tmp_path / "bad.en.yaml"
    bad.write_text("id: bad\nlang: fr\ntitle: x\n")
    out = cna("scripts", "lint", str(bad))
    assert out.returncode == 1
    assert f"{bad}:2:" in out.stderr and "language" in out.stderr


def test_scripts_list_and_show(cna):
    out = cna("scripts", "list", "--json")
    data = json.loads(out.stdout)
    assert {"internal-sales", "customer-current"} <= {r["id"] for r in data}
    assert all(set(r["langs"]) == {"en", "zh"} for r in data)
    show = cna("scripts", "show", "customer-current", "--lang", "zh")
    assert show.returncode == 0 and "intent:" in show.stdout
    missing = cna("scripts", "show", "nope")
    assert missing.returncode == 1 and "no script 'nope'" in missing.stderr


def test_assessment_create_list_and_refresh_rules(cna):
    out = cna("assessment", "create", "--name", "CRM 2025", "--opened", "2025-01-10")
    assert out.returncode == 0, out.stderr
    assert "next round due 2026-07-10" in out.stdout
    listed = json.loads(cna("assessment", "list", "--json").stdout)
    assert listed[0]["refresh_months"] == 18 and listed[0]["next_refresh"] == "2026-07-10"
    bad = cna("assessment", "create", "--name", "x", "--refresh-months", "36")
    assert bad.returncode == 2 and "12-24" in bad.stderr
    bad_date = cna("assessment", "create", "--name", "x", "--opened", "10/01/2025")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr


def test_assessment_check_flags_goals_and_team(cna):
    cna("assessment", "create", "--name", "CRM", "--goal", "Better customer experience", "--affects", "Sales")
    cna("assessment", "team", "add", "1", "--name", "Consultant A", "--external")
    cna("assessment", "team", "add", "1", "--name", "Consultant B", "--external")
    cna("assessment", "team", "add", "1", "--name", "Ann", "--internal", "--unit", "IT")
    out = cna("assessment", "check", "1")
    assert out.returncode == 1
    assert "no number" in out.stdout and "no date" in out.stdout
    assert "only 1 of 3 team members are internal" in out.stdout


def test_try_full_interview_piped_stores_every_answer_with_its_ladder(cna):
    script = json.loads(cna("scripts", "list", "--json").stdout)
    assert script
    answers = ["yes", "Lower price.", "We compare with the online wholesaler, who is 8% cheaper",
               "Because our budget is fixed per quarter", "that's all"] + [f"{SENTINEL} answer"] * 40
    out = cna("try", "--script", "customer-current", "--participant", "Test Person",
              input="\n".join(answers) + "\n")
    assert out.returncode == 0, out.stderr
    assert "Question 1 of" in out.stdout
    stored = rows(cna, "select question_id, step, probe_text, probe_reason, text from answers order by id")
    first = [r for r in stored if r[4] == "Lower price."]
    assert first and first[0][1] == 0
    ladder = [r for r in stored if r[0] == first[0][0]]
    assert len(ladder) >= 2 and ladder[1][2] and ladder[1][3].startswith("surface:price")
    status = rows(cna, "select status from interviews")
    assert status in ([("completed",)], [("paused",)])
    codings = rows(cna, "select count(*) from codings where source='auto'")
    assert codings[0][0] > 0


def test_try_pause_on_end_of_input_and_resume(cna):
    out = cna("try", "--script", "internal-sales", "--lang", "zh", "--participant", "李雷", input="是\n")
    assert out.returncode == 0, out.stderr
    assert "第 1 题" in out.stdout
    assert rows(cna, "select status from interviews") == [("paused",)]
    again = cna("try", "--script", "internal-sales", "--lang", "zh", "--participant", "李雷", input="跳过\n")
    assert "继续 李雷" in again.stdout
    assert rows(cna, "select count(*) from interviews") == [(1,)]


def test_try_assisted_mode_shows_suggested_follow_up(cna):
    out = cna("try", "--script", "customer-current", "--participant", "Acme / J. Doe",
              input="\n".join(["yes"] + ["skip"] * 3 + ["Faster."] * 3) + "\n")
    assert out.returncode == 0, out.stderr
    assert "Suggested follow-up:" in out.stdout
    assert rows(cna, "select organisation, display_name from identities") == [("Acme", "J. Doe")]
    assert rows(cna, "select mode from interviews") == [("assisted",)]


def test_try_unknown_script(cna):
    out = cna("try", "--script", "nope")
    assert out.returncode == 1 and "no script 'nope'" in out.stderr and "Traceback" not in out.stderr


def test_probe_dry_run_streams_and_reports_bad_lines(cna):
    lines = [json.dumps({"text": "Lower price."}), "not json", json.dumps({"text": "价格再低一点", "lang": "zh"}),
             json.dumps({"text": "Lower price: our tools budget was cut by 20% in March, so we cannot renew "
                         "all 40 seats at today's rate", "lang": "en"}),
             json.dumps({"nope": 1}), json.dumps({"text": "Faster", "depth": 3})]
    out = cna("probe", "-", input="\n".join(lines) + "\n")
    assert out.returncode == 1  # some lines were skipped
    assert "<stdin>:2:" in out.stderr and "<stdin>:5:" in out.stderr
    results = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["reason"] for r in results] == ["surface:price", "surface:price", "specific", "max_depth"]
    assert results[0]["probe"] and results[2]["probe"] is None
    assert results[0]["score"] < 0.5 < results[2]["score"]  # 0-1: how specific the answer is
    assert results[1]["lang"] == "zh" and any("\u4e00" <= ch <= "\u9fff" for ch in results[1]["probe"])


def test_code_dry_run(cna, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"text": "The price is too high and delivery is slow"}) + "\n"
                 + json.dumps({"text": "数据分散在好几个系统里", "lang": "zh"}) + "\n", encoding="utf-8")
    out = cna("code", str(f))
    assert out.returncode == 0, out.stderr
    first, second = (json.loads(x) for x in out.stdout.splitlines())
    assert "price" in first["codes"] and first["evidence"]["price"]
    assert second["codes"]


def test_code_dry_run_codes_a_repeated_answer_as_the_first_time(cna, tmp_path):
    # cna code remembers each distinct (text, lang): a repeat must come out as if coded afresh, with its own fields,
    # and the same text under another language is coded in that language.
    lines = [{"text": "Lower price.", "lang": "en"}, {"text": "价格再低一点", "lang": "zh"},
             {"text": "Lower price.", "lang": "en", "id": 7}, {"text": "价格再低一点"},
             {"text": "Lower price.", "lang": "en"}, {"text": "Lower price.", "lang": "zh"}]
    f = tmp_path / "in.jsonl"
    f.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    out = cna("code", str(f))
    assert out.returncode == 0, out.stderr
    got = [json.loads(x) for x in out.stdout.splitlines()]
    assert got[0] == got[4] and got[0]["codes"] == ["price"]
    assert got[2] == {**got[0], "id": 7} and list(got[2]) == ["text", "lang", "id", "codes", "evidence"]
    assert got[3]["codes"] == got[1]["codes"] and "lang" not in got[3]
    for one in (0, 1, 5):  # each as the only line of its own run
        f.write_text(json.dumps(lines[one], ensure_ascii=False) + "\n", encoding="utf-8")
        alone = cna("code", str(f))
        assert json.loads(alone.stdout) == got[one]


def test_bad_database_url_is_a_clear_error(cna):
    out = cna("assessment", "list", "--db", "mysql://nope/x")
    assert out.returncode == 2 and "sqlite:///" in out.stderr and "Traceback" not in out.stderr
    out = cna("assessment", "list", "--db", "sqlite:////no/such/folder/cna.db")
    assert out.returncode != 0 and "does not exist" in out.stderr and "Traceback" not in out.stderr


def test_db_upgrade(cna):
    out = cna("db", "upgrade")
    assert out.returncode == 0 and "revision" in out.stdout


@pytest.mark.postgres
def test_try_on_postgresql(cna, pg_url):
    out = cna("try", "--script", "customer-current", "--db", pg_url, input="yes\nLower price.\npause\n")
    assert out.returncode == 0, out.stderr
    assert "Saved" in out.stdout or "Paused" in out.stdout


def test_train_prober_cv_refuses_a_single_fold(cna):
    out = cna("train", "prober", "--cv", "1")
    assert out.returncode == 2 and "--cv" in out.stderr and "2<=x<=50" in out.stderr


def test_try_a_typed_choice_it_cannot_read_gets_the_hint_and_a_loose_one_is_confirmed(cna):
    # The terminal used to print a bare "not understood" (the hint and the "I took that as" line were Slack's
    # alone): an interviewer typing for a customer had nothing to go on.
    out = cna("try", "--script", "internal-service", "--lang", "zh", "--participant", "王芳",
              input="\n".join(["是", "跳过", "不清楷", "第二个吧"]) + "\n")
    assert out.returncode == 0, out.stderr
    assert "没能把这条回复对应到某个选项。选项有：价格 / 总成本 · 响应和交付速度" in out.stdout
    assert "或输入 跳过。" in out.stdout and "*" not in out.stdout.split("不清楷", 1)[1]
    assert "我理解为“响应和交付速度”。如需修改，请回复 返回。" in out.stdout
    assert rows(cna, "select count(*) from answers where text = '不清楷'") == [(0,)]
