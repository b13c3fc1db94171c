"""Issue 15's cases 2-11 as a newcomer meets them: the real `cna` as a subprocess, one test (or more) per case.

Case 1 (Ctrl-C) needs a pseudo-terminal: tests/e2e/test_terminal_pty.py. Case 11's "every command in the docs
runs as written" is tests/e2e/test_docs_commands.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def rows(db: Path | str, sql: str) -> list[tuple]:
    with sqlite3.connect(str(db).removeprefix("sqlite:///")) as c:
        return c.execute(sql).fetchall()


def bare(args: list[str], cwd: Path, *, input: str | None = None,
         extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`cna ARGS` with no CNA_* settings at all: what a newcomer's shell has."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNA_", "SLACK_"))}
    env.update({"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(extra or {})})
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=cwd, env=env, input=input,
                          capture_output=True, text=True, timeout=120)


def no_traceback(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr


def one_error_line(r: subprocess.CompletedProcess[str]) -> str:
    """The single 'Error: ...' line of a refusal (click may add its usage lines above it)."""
    no_traceback(r)
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1, r.stderr
    return errors[0]


# --- case 2: erase/export by the name given to `cna try`; a typo is not "nothing left" ------------------------

def test_case2_try_prints_the_pseudonym_and_privacy_takes_the_name(cna, tmp_path):
    tried = cna("try", "--script", "customer-current", "--participant", "王芳", input="yes\nLower price.\n")
    assert tried.returncode == 0, tried.stderr
    shown = re.search(r"pseudonym (P-[0-9A-F]{8})", tried.stdout)
    assert shown, tried.stdout
    pseudonym = shown.group(1)
    assert rows(cna.db_url, "SELECT pseudonym FROM participants") == [(pseudonym,)]

    found = cna("privacy", "find", "王芳")
    assert found.returncode == 0 and pseudonym in found.stdout

    db_file = cna.db_url.removeprefix("sqlite:///")
    for command in (("privacy", "erase", "--participant", "王芳x", "--yes"),
                    ("privacy", "export", "--participant", "王芳x"),
                    ("privacy", "export", "--participant", "P-00000000")):
        typo = cna(*command)
        assert typo.returncode == 1, (command, typo.stdout, typo.stderr)
        line = one_error_line(typo)
        assert "no participant called" in line or "nothing is held on" in line, line
        assert db_file in line and "privacy find" in line
        assert "Nothing" not in typo.stdout and typo.stdout == ""

    out = tmp_path / "wang.json"
    exported = cna("privacy", "export", "--participant", "王芳", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["found"] and doc["participant"]["pseudonym"] == pseudonym
    assert "Lower price." in out.read_text(encoding="utf-8")

    declined = cna("privacy", "erase", "--participant", "王芳", input="n\n")
    assert declined.returncode == 1 and f"王芳 = {pseudonym}" in declined.stdout
    assert rows(cna.db_url, "SELECT count(*) FROM answers") != [(0,)]
    erased = cna("privacy", "erase", "--participant", "王芳", input="y\n")
    assert erased.returncode == 0, erased.stderr
    assert f"王芳 = {pseudonym}" in erased.stdout and "Erased" in erased.stdout
    assert rows(cna.db_url, "SELECT count(*) FROM answers") == [(0,)]
    assert rows(cna.db_url, "SELECT count(*) FROM identities") == [(0,)]


# --- case 3: a wrong or relative database path never creates an empty database -------------------------------

READ_ONLY = [
    ["privacy", "requests"], ["privacy", "erase", "--participant", "P-1", "--yes"],
    ["privacy", "export", "--participant", "P-1"], ["assessment", "list"], ["round", "list"],
    ["schedule", "list"], ["slack", "inbox"], ["report", "--out", "r.html"], ["tui"],
]


def test_case3_read_only_commands_never_create_a_database(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    for args in READ_ONLY:
        r = bare(args, sub)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        line = one_error_line(r)
        assert f"{sub / 'cna.db'} does not exist" in line and "cna db upgrade" in line, line
        assert list(sub.iterdir()) == [], f"{args} created {list(sub.iterdir())}"


def test_case3_a_typo_in_the_path_names_the_file_and_creates_nothing(tmp_path):
    made = bare(["demo", "--no-interview", "--db", "sqlite:///cna.db"], tmp_path)
    assert made.returncode == 0, made.stderr
    typo = bare(["privacy", "erase", "--participant", "P-1", "--db", "sqlite:///cna.bd", "--yes"], tmp_path)
    assert typo.returncode == 1
    line = one_error_line(typo)
    assert f"{tmp_path / 'cna.bd'} does not exist" in line and "Nothing" not in typo.stdout
    assert not (tmp_path / "cna.bd").exists()


@pytest.mark.parametrize(("url", "hint"), [
    ("sqlite://cna.db", "two slashes"),
    ("sqlite:/cna.db", "sqlite:///cna.db"),
    ("mysql://x/y", "sqlite:///"),
])
def test_case3_url_typos_get_one_line_with_the_correct_form(tmp_path, url, hint):
    r = bare(["privacy", "requests", "--db", url], tmp_path)
    assert r.returncode == 2
    line = one_error_line(r)
    assert hint in line and "sqlite:///" in line, line
    assert list(tmp_path.iterdir()) == []


def test_case3_where_nothing_is_found_the_database_is_named(cna):
    cna("db", "upgrade")
    db_file = cna.db_url.removeprefix("sqlite:///")
    for args in (["privacy", "requests"], ["slack", "inbox"], ["slack", "outbox"], ["round", "list"]):
        r = cna(*args)
        assert r.returncode == 0, (args, r.stderr)
        assert db_file in r.stdout + r.stderr, (args, r.stdout)


# --- case 4: the terminal collects consent ---------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "no"), [("en", "No, I do not agree."), ("en", "no"), ("zh", "否"),
                                          ("zh", "我不同意")])
def test_case4_no_declines_politely_and_stores_nothing(cna, lang, no):
    r = cna("try", "--script", "customer-current", "--lang", lang, "--participant", "Kim", input=no + "\n")
    assert r.returncode == 0, r.stderr
    assert ("Nothing was stored" if lang == "en" else "没有保存任何内容") in r.stdout
    assert "[Question 1" not in r.stdout and "第 1 题" not in r.stdout
    for table in ("participants", "identities", "interviews", "answers"):
        assert rows(cna.db_url, f"SELECT count(*) FROM {table}") == [(0,)], table


def test_case4_an_unclear_reply_is_asked_again_and_yes_is_not_an_answer(cna):
    r = cna("try", "--script", "customer-current", "--participant", "Kim",
            input="maybe later?\nyes\nWe rely on you for spare parts within 24 hours.\n")
    assert r.returncode == 0, r.stderr
    assert "Please type yes or no" in r.stdout
    texts = [t for (t,) in rows(cna.db_url, "SELECT text FROM answers ORDER BY id")]
    assert texts[0] == "We rely on you for spare parts within 24 hours."
    assert "yes" not in texts and "maybe later?" not in texts


def test_case4_piped_input_without_consent_stores_nothing_and_says_why(cna):
    r = cna("try", "--script", "customer-current", "--participant", "Kim", input="")
    assert r.returncode == 1
    assert "nothing was stored" in r.stderr and "'yes'" in r.stderr
    no_traceback(r)
    assert rows(cna.db_url, "SELECT count(*) FROM interviews") == [(0,)]


# --- case 5: lint reads each shipped file as what it is ------------------------------------------------------

def test_case5_lint_of_the_folder_the_docs_name_has_no_false_problems(cna):
    r = cna("scripts", "lint", str(ROOT / "interview_scripts"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 codebook(s)" in r.stdout and "probe rules file(s)" in r.stdout and "corpus file(s)" in r.stdout
    assert r.stderr == ""


def test_case5_each_kind_is_checked_with_its_own_schema(cna, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(ROOT / "interview_scripts/codebook.yaml", folder / "codebook.yaml")
    text = (folder / "codebook.yaml").read_text(encoding="utf-8")
    (folder / "codebook.yaml").write_text(text + "\nnonsense_key: 1\n", encoding="utf-8")
    misnamed = folder / "wrong-name.en.yaml"
    shutil.copy(ROOT / "interview_scripts/scripts/customer-past.en.yaml", misnamed)
    r = cna("scripts", "lint", str(folder))
    assert r.returncode == 1
    no_traceback(r)
    problems = r.stderr
    assert "codebook.yaml:" in problems and "nonsense_key" in problems
    assert "question" not in problems.split("wrong-name")[0], "the codebook is not read as a script"
    assert "wrong-name.en.yaml:1: the file name" in problems and "customer-past.en.yaml" in problems


# --- case 6: a missing configuration file is a one-line error, like a malformed one ----------------------------

@pytest.mark.parametrize("args", [["scripts", "list"], ["scripts", "lint"], ["code", "-"],
                                  ["try", "--script", "customer-current"], ["demo", "--no-interview"]])
def test_case6_missing_codebook_is_one_line(cna, tmp_path, args):
    missing = tmp_path / "no-such-codebook.yaml"
    r = cna(*args, input='{"text": "x"}\n', env={"CNA_CODEBOOK": str(missing)})
    assert r.returncode == 1, (r.stdout, r.stderr)
    no_traceback(r)
    assert f"{missing}:1: no such file (CNA_CODEBOOK)" in r.stderr
    assert "FileNotFoundError" not in r.stderr


def test_case6_malformed_codebook_reads_the_same_way(cna, tmp_path):
    bad = tmp_path / "codebook.yaml"
    bad.write_text("codes: [\n", encoding="utf-8")
    r = cna("scripts", "list", env={"CNA_CODEBOOK": str(bad)})
    assert r.returncode == 1
    no_traceback(r)
    assert f"{bad}:2: not valid YAML" in r.stderr


# --- case 7: --lang on resume, and Chinese chrome --------------------------------------------------------------

def test_case7_lang_on_resume_switches_or_says_it_continues(cna):
    cna("try", "--script", "customer-current", "--participant", "Ann", input="yes\nWe order spare parts weekly.\n")
    kept = cna("try", "--script", "customer-current", "--participant", "Ann", "--lang", "zh", input="")
    assert kept.returncode == 0, kept.stderr
    assert "以英文开始且已有回答，因此继续使用英文" in kept.stdout and "--lang zh 只对新访谈有效" in kept.stdout
    assert rows(cna.db_url, "SELECT lang FROM interviews WHERE id = 1") == [("en",)]

    cna("try", "--script", "customer-current", "--participant", "Bo", input="yes\n")  # paused before any answer
    switched = cna("try", "--script", "customer-current", "--participant", "Bo", "--lang", "zh", input="")
    assert switched.returncode == 0, switched.stderr
    no_traceback(switched)
    assert "还没有回答，现已改用中文继续" in switched.stdout and "第 1 题" in switched.stdout
    assert rows(cna.db_url, "SELECT lang FROM interviews WHERE id = 2") == [("zh",)]


def test_case7_chinese_header_and_pause_are_chinese(cna):
    r = cna("try", "--script", "customer-current", "--lang", "zh", "--participant", "李雷", input="是\n暂停\n")
    assert r.returncode == 0, r.stderr
    assert re.search(r"（约 \d+ 分钟）", r.stdout) and " min)" not in r.stdout
    assert "已暂停，您目前的回答都已保存。" in r.stdout and "想从停下的地方继续时，请运行：" in r.stdout
    chrome = [ln for ln in r.stdout.splitlines() if not ln.startswith(">")]
    english = [ln for ln in chrome if re.search(r"\b(Paused|saved|Question|Reply|Type|run)\b", ln)]
    assert english == [], english


# --- case 8: terminal wording, not Slack's ---------------------------------------------------------------------

def test_case8_the_terminal_never_mentions_buttons_or_typing_resume(cna):
    answers = ["yes", "skip", "skip", "skip", "skip", "3", "pause"]
    r = cna("try", "--script", "customer-current", "--participant", "Pat", input="\n".join(answers) + "\n")
    assert r.returncode == 0, r.stderr
    zh = cna("try", "--script", "customer-current", "--lang", "zh", "--participant", "Zhou",
             input="是\n跳过\n跳过\n跳过\n跳过\n3\n暂停\n")
    for out in (r.stdout, zh.stdout):
        low = out.lower()
        assert "button" not in low and "按钮" not in out and "type resume" not in low and "resume”" not in out
        assert "run the same command again" not in low
    assert "To carry on where you stopped, run:" in r.stdout


def test_case8_back_in_the_first_questions_follow_up_starts_it_again(cna):
    r = cna("try", "--script", "customer-current", "--participant", "Pat", input="yes\nLower price.\nback\n")
    assert r.returncode == 0, r.stderr
    # the person means the answer they just gave: the first question is asked again, nothing is refused
    assert "Sure, let's go back." in r.stdout and r.stdout.count("[Question 1 of") == 2, r.stdout


def test_case8_the_demo_hint_names_a_command_that_works_from_here(tmp_path):
    venv_cna = Path(sys.executable).parent / "cna"
    if not venv_cna.exists():
        pytest.skip("the cna console script is not installed beside this Python")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CNA_", "SLACK_"))}
    env["PATH"] = "/usr/bin:/bin"  # like a fresh shell after `make demo`: the venv is not on PATH
    r = subprocess.run([os.path.relpath(venv_cna, ROOT), "demo", "--no-interview", "--db",
                        f"sqlite:///{tmp_path}/cna.db"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=180)
    assert r.returncode == 0, r.stderr
    hint = re.search(r"Review it with '([^' ]+) tui", r.stdout)
    assert hint, r.stdout
    program = hint.group(1)
    assert program != "cna", "plain 'cna' is not on PATH here"
    assert os.access(ROOT / program, os.X_OK), program


# --- case 9: no silent no-ops ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo, then the schedule as of a day past its refresh date: round 3 is a draft."""
    folder = tmp_path_factory.mktemp("demo")
    assert bare(["demo", "--no-interview", "--db", "sqlite:///cna.db"], folder).returncode == 0
    due = bare(["schedule", "run-due", "--now", "2028-01-11T10:00", "--db", "sqlite:///cna.db"], folder)
    assert due.returncode == 0 and "draft round 3" in due.stdout, due.stdout + due.stderr
    return folder / "cna.db"


@pytest.mark.parametrize(("args", "rc", "says"), [
    (["tui", "--round", "99"], 1, "no assessment with id 99"),
    (["round", "drop", "3", "--slack-user", "UNOBODY1"], 1, "not on the draft list of round 3"),
    (["round", "launch", "3", "--waves", "bogus"], 2, "unknown group(s) bogus"),
    (["slack", "retry", "999"], 1, "999 (no such row)"),
    (["slack", "resend", "999", "--yes"], 1, "999 (no such row)"),
], ids=["tui-round", "round-drop", "round-launch-waves", "slack-retry", "slack-resend"])
def test_case9_acting_on_what_does_not_exist_fails(demo_db, args, rc, says):
    before = rows(demo_db, "SELECT count(*), max(status) FROM assessments")
    r = bare([*args, "--db", f"sqlite:///{demo_db}"], demo_db.parent)
    assert r.returncode == rc, (r.stdout, r.stderr)
    no_traceback(r)
    assert says in r.stderr
    assert rows(demo_db, "SELECT status FROM assessments WHERE id = 3") == [("draft",)]
    assert rows(demo_db, "SELECT count(*), max(status) FROM assessments") == before


def test_case9_tui_refuses_an_empty_database(cna):
    cna("db", "upgrade")
    r = cna("tui")
    assert r.returncode == 1
    no_traceback(r)
    assert "cna demo" in r.stderr or "assessment create" in r.stderr, r.stderr


@pytest.mark.parametrize(("args", "says"), [(["slack", "inbox"], "No inbound events in"),
                                            (["slack", "inbox", "--dead"], "in"),
                                            (["slack", "outbox"], "No outgoing messages in")])
def test_case9_empty_lists_say_so(demo_db, args, says):
    r = bare([*args, "--db", f"sqlite:///{demo_db}"], demo_db.parent)
    assert r.returncode == 0 and r.stdout.strip(), (args, r.stdout, r.stderr)
    assert says in r.stdout and str(demo_db) in r.stdout


def test_case9_a_normal_sweeper_start_is_info_not_warning(tmp_path):
    import asyncio

    from tests.fakeslack.server import FakeSlack
    from tests.slack.harness import env_for, free_port, start_serve_process

    log = tmp_path / "serve.log"

    async def go() -> None:
        async with FakeSlack() as fake:
            env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CNA_"))},
                   "PYTHONPATH": str(ROOT), **env_for(fake, f"sqlite:///{tmp_path}/cna.db")}
            proc = await start_serve_process(env, free_port(), log)
            try:
                for _ in range(100):
                    if "sweeper:" in log.read_text():
                        break
                    await asyncio.sleep(0.1)
            finally:
                proc.terminate()
                proc.wait(timeout=30)

    asyncio.run(go())
    text = log.read_text()
    started = [ln for ln in text.splitlines() if "sweeper: leading" in ln]
    assert started and all(" INFO " in ln for ln in started), text
    assert not [ln for ln in text.splitlines() if " WARNING " in ln and "sweeper" in ln], text


# --- case 10: dependency ranges that were tested ---------------------------------------------------------------

def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[re.sub(r"[-_.]+", "-", name.strip().lower())] = version.strip()
    return pins


def _requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = {}
    for spec in project["dependencies"] + project["optional-dependencies"]["dev"]:
        m = re.match(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)", spec)
        assert m, spec
        reqs[re.sub(r"[-_.]+", "-", m.group(1).lower())] = m.group(3)
    return reqs


def test_case10_every_requirement_is_bounded_and_pinned_in_the_constraints_file():
    from packaging.specifiers import SpecifierSet

    pins, reqs = _pins(), _requirements()
    for name, spec in reqs.items():
        if name.startswith("types-"):
            continue  # typing stubs follow their package
        assert "<" in spec, f"{name}{spec} has no upper bound"
        assert name in pins, f"{name} is not pinned in constraints.txt (see docs/operations.md)"
        assert pins[name] in SpecifierSet(spec), f"constraints.txt pins {name}=={pins[name]} outside {spec}"


def test_case10_the_textual_floor_is_the_lowest_version_tested():
    from packaging.version import Version

    floor = re.search(r">=([0-9.]+)", _requirements()["textual"])
    assert floor
    doc = (ROOT / "docs/operations.md").read_text(encoding="utf-8")
    tested = re.search(r"lowest Textual the review app's tests pass with:\s+([0-9]+(?:\.[0-9]+)*)", doc)
    assert tested, "docs/operations.md records the lowest Textual version tested"
    assert Version(floor.group(1)) == Version(tested.group(1))


def test_case10_make_install_uses_the_constraints_file():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c constraints\.txt .*-e \"\.\[dev\]\"", makefile)


# --- case 11: the small things that drifted ----------------------------------------------------------------------

def test_case11_readme_lists_every_assessment_create_option(cna):
    help_text = cna("assessment", "create", "--help").stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(ln for ln in readme.splitlines() if "`cna assessment create" in ln)
    for option in re.findall(r"(--[a-z-]+)", help_text):
        if option != "--help" and option != "--db":
            assert option in row, f"README's assessment create lacks {option}"


def test_case11_the_lint_example_in_the_docs_is_what_lint_prints(cna, tmp_path):
    doc = (ROOT / "docs/scripts.md").read_text(encoding="utf-8")
    example = re.search(r"\$ cna scripts lint (\S+)\n(\S+?):(\d+): (.+)\n", doc)
    assert example
    path, line, message = example.group(1), int(example.group(3)), example.group(4)
    source = (ROOT / path).read_text(encoding="utf-8")
    assert 'equals: "yes"}' in source
    # The mistake the docs describe: a branch value that is not a choice.
    broken = source.replace('{question: competitor_cheaper, equals: "yes"}',
                            '{question: competitor_cheaper, equals: "maybe"}', 1)
    target = tmp_path / "interview_scripts/scripts" / Path(path).name
    target.parent.mkdir(parents=True)
    target.write_text(broken, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "cli.main", "scripts", "lint", path], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 1
    assert f"{path}:{line}: {message}" in r.stderr, r.stderr


def test_case11_docs_links_point_at_pages_and_sections_that_exist():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            file, _, anchor = target.partition("#")
            path = (page.parent / file).resolve() if file else page
            if not path.exists():
                broken.append(f"{page.name}: {target}")
            elif anchor and path.suffix == ".md":
                headings = [re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                            for h in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M)]
                if anchor not in headings:
                    broken.append(f"{page.name}: {target}")
    assert broken == []


def test_case11_example_outputs_and_quick_bench_results_are_not_tracked():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    bench_out = re.search(r"^BENCH_OUT\s*\?=\s*(\S+)", makefile, re.M)
    assert bench_out, "make bench writes to $(BENCH_OUT)"
    for path in ("report.html", "report.md", f"{bench_out.group(1)}/slack_bench_quick.json"):
        r = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
        assert r.returncode == 0, f"{path} is not git-ignored"


def test_case11_an_open_answer_of_1_is_not_specific(cna):
    r = cna("probe", "-", input=json.dumps({"text": "1"}) + "\n" + json.dumps({"text": "１", "lang": "zh"}) + "\n")
    assert r.returncode == 0, r.stderr
    for line in r.stdout.splitlines():
        out = json.loads(line)
        assert out["reason"] != "specific" and out["probe"], out


def test_the_demos_hints_name_the_database_it_was_seeded_into(tmp_path):
    """`cna demo --db X` says 'cna tui --db X': the hint's command opens the demo, not an empty ./cna.db."""
    made = bare(["demo", "--no-interview", "--db", "sqlite:///elsewhere.db"], tmp_path)
    assert made.returncode == 0, made.stderr
    assert "tui --db sqlite:///elsewhere.db'" in made.stdout and "--round 2 --db sqlite:///elsewhere.db'" in made.stdout
    again = bare(["demo", "--no-interview", "--db", "sqlite:///elsewhere.db"], tmp_path)
    assert "already has data" in again.stdout and "tui --db sqlite:///elsewhere.db'" in again.stdout
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    plain = bare(["demo", "--no-interview"], fresh)
    assert "--db" not in plain.stdout and "tui'" in plain.stdout
