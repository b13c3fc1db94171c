"""`cna schedule` and `cna round` as a person runs them: real subprocesses, real SQLite, bad input included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.schedule.job import FileLeader


def cna(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def _create(folder: Path) -> tuple[Path, str]:
    url = f"sqlite:///{folder}/cna.db"
    r = cna("assessment", "create", "--name", "CRM 2025", "--opened", "2025-01-10", "--lead", "ULEAD",
            "--script", "internal-sales", "--db", url, cwd=folder)
    assert r.returncode == 0, r.stderr
    return folder, url


@pytest.fixture
def cli_db(tmp_path: Path) -> tuple[Path, str]:
    return _create(tmp_path)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """For commands that must fail without changing anything."""
    return _create(tmp_path_factory.mktemp("shared"))


def test_list_run_due_and_round_lifecycle(cli_db):
    cwd, url = cli_db
    r = cna("schedule", "list", "--json", "--now", "2025-02-01", "--db", url, cwd=cwd)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(x["key"], x["due_at"][:16], x["status"]) for x in rows] == [
        ("refresh-reminder:1:30", "2026-06-10T09:00", "pending"),
        ("refresh-reminder:1:7", "2026-07-03T09:00", "pending"),
        ("round-refresh:1", "2026-07-10T09:00", "pending")]
    assert "30 days ahead" in rows[0]["note"] and "due on 2026-07-10" in rows[0]["note"]

    r = cna("schedule", "list", "--db", url, "--now", "2025-02-01", cwd=cwd)
    assert "refresh-reminder:1:30" in r.stdout and "why" in r.stdout.splitlines()[0]

    r = cna("schedule", "run-due", "--now", "2026-06-10T08:59", "--db", url, cwd=cwd)
    assert r.returncode == 0 and "nothing due" in r.stdout
    r = cna("schedule", "run-due", "--now", "2026-06-10T09:00", "--db", url, cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert "done        refresh-reminder:1:30" in r.stdout
    r = cna("schedule", "run-due", "--now", "2026-06-10T09:00", "--db", url, cwd=cwd)
    assert "nothing due" in r.stdout
    r = cna("schedule", "run-due", "--now", "2030-01-01T00:00Z", "--json", "--db", url, cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert sorted((o["key"], o["status"]) for o in json.loads(r.stdout)) == [
        ("refresh-reminder:1:7", "done"), ("round-refresh:1", "done")]
    r = cna("schedule", "list", "--all", "--json", "--db", url, cwd=cwd)
    assert {x["status"] for x in json.loads(r.stdout)} == {"done"}

    r = cna("round", "list", "--json", "--db", url, cwd=cwd)
    rounds = json.loads(r.stdout)
    assert [(x["id"], x["round"], x["status"], x["previous_id"]) for x in rounds] == [
        (1, 1, "open", None), (2, 2, "draft", 1)]
    r = cna("round", "show", "2", "--db", url, cwd=cwd)
    assert "round 2, draft" in r.stdout and "cna round launch 2" in r.stdout
    assert "scripts: internal-sales" in r.stdout

    r = cna("round", "launch", "2", "--db", url, cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert "round 2 is open" in r.stdout and "closed the previous round (assessment 1)" in r.stdout
    r = cna("round", "launch", "2", "--db", url, cwd=cwd)
    assert r.returncode == 2 and "not a draft" in r.stderr
    r = cna("round", "list", "--db", url, cwd=cwd)
    assert r.returncode == 0 and "closed" in r.stdout


@pytest.mark.parametrize("bad", ["nope", "2026-13-01", "", "10/07/2026", "2026-07-10T25:00"])
def test_bad_now_is_a_usage_error(tmp_path, bad):
    cwd, url = tmp_path, f"sqlite:///{tmp_path}/cna.db"
    for cmd in (["schedule", "run-due"], ["schedule", "list"]):
        r = cna(*cmd, "--now", bad, "--db", url, cwd=cwd)
        assert r.returncode == 2, (cmd, r.stdout, r.stderr)
        assert "is not a date or date-time" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "cna.db").exists()  # refused before touching the database


@pytest.mark.parametrize(("args", "words"), [
    (["--tz", "Mars/Base"], "not an IANA time zone"),
    (["--hours", "17:00-09:00"], "must be before end"),
    (["--hours", "9-5"], "write HH:MM"),
    (["--days", "someday"], "not a weekday"),
    (["--reminder-days", "30,soon"], "whole days"),
    (["--refresh-months", "30"], "12-24"),
    (["--max-nudges", "50"], "outside 0-10"),
])
def test_bad_config_is_a_usage_error(shared_db, args, words):
    cwd, url = shared_db
    r = cna("schedule", "config", "1", *args, "--db", url, cwd=cwd)
    assert r.returncode == 2, r.stdout + r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr


def test_config_changes_what_is_planned(cli_db):
    cwd, url = cli_db
    r = cna("schedule", "config", "1", "--tz", "Europe/Berlin", "--reminder-days", "45,7", "--refresh-months",
            "12", "--hours", "08:00-16:00", "--db", url, cwd=cwd)
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["tz"] == "Europe/Berlin" and shown["refresh"]["reminder_days"] == [45, 7]
    assert shown["refresh_months"] == 12 and shown["working_hours"]["start"] == "08:00"
    rows = json.loads(cna("schedule", "list", "--json", "--now", "2025-02-01", "--db", url, cwd=cwd).stdout)
    # 2026-01-10 minus 45 days is 2025-11-26, 09:00 in Berlin is 08:00 UTC.
    assert [(x["key"], x["due_at"][:16]) for x in rows] == [
        ("refresh-reminder:1:45", "2025-11-26T08:00"), ("refresh-reminder:1:7", "2026-01-02T08:00"),
        ("round-refresh:1", "2026-01-10T08:00")]


def test_launch_bad_input(cli_db):
    cwd, url = cli_db
    assert cna("round", "next", "1", "--db", url, cwd=cwd).returncode == 0
    for args, code, words in [(["--waves", "internal,,customer"], 2, "empty wave"),
                              (["--per-day", "0"], 2, "--per-day"),
                              (["--waves", "internal", "--per-day", "3"], 2, "not both"),
                              (["--start", "someday"], 2, "not a date"),
                              (["--gap-days", "0", "--waves", "internal,customer"], 2, "--gap-days")]:
        r = cna("round", "launch", "2", *args, "--db", url, cwd=cwd)
        assert r.returncode == code and words in r.stderr, (args, r.stderr)
    r = cna("round", "launch", "99", "--db", url, cwd=cwd)
    assert r.returncode == 1 and "no assessment with id 99" in r.stderr
    r = cna("round", "next", "1", "--db", url, cwd=cwd)
    assert r.returncode == 2 and "already has a next round" in r.stderr


async def test_run_due_defers_to_the_running_sweeper_unless_forced(cli_db):
    cwd, url = cli_db
    holder = FileLeader(str(cwd / "cna.db"))
    assert await holder.acquire()
    try:
        r = cna("schedule", "run-due", "--now", "2026-06-10T09:00", "--db", url, cwd=cwd)
        assert r.returncode == 0 and "another process is the sweeper" in r.stderr and not r.stdout
        r = cna("schedule", "run-due", "--now", "2026-06-10T09:00", "--force", "--db", url, cwd=cwd)
        assert r.returncode == 0 and "done        refresh-reminder:1:30" in r.stdout
    finally:
        await holder.release()


async def test_drop_people_from_a_draft_round(tmp_path):
    from datetime import date

    from storage.uow import Database
    from tests.integration.schedule_world import add_person, make_round, utc

    url = f"sqlite:///{tmp_path}/cna.db"
    db = await Database.open(url)
    try:
        aid = await make_round(db, opened_on=date(2024, 1, 10))
        for user in ("UKEEP", "UGONE"):
            await add_person(db, aid, user, status="completed", last_activity=utc(2024, 2, 1))
    finally:
        await db.close()
    assert cna("schedule", "run-due", "--now", "2026-01-01", "--db", url, cwd=tmp_path).returncode == 0
    r = cna("round", "drop", "2", "--slack-user", "UGONE", "--db", url, cwd=tmp_path)
    assert r.returncode == 0 and "dropped 1 draft interview(s)" in r.stdout, r.stderr
    r = cna("round", "show", "2", "--db", url, cwd=tmp_path)
    assert "draft" in r.stdout and r.stdout.count("internal:sales") == 1
    r = cna("round", "drop", "1", "--slack-user", "UKEEP", "--db", url, cwd=tmp_path)
    assert r.returncode == 2 and "only a draft round" in r.stderr
    r = cna("round", "drop", "2", "--db", url, cwd=tmp_path)
    assert r.returncode == 2 and "name who to drop" in r.stderr
