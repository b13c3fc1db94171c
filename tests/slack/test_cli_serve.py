"""`cna serve` refuses to start with missing or inconsistent settings, saying which and how to fix them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeslack.server import FakeSlack
from tests.slack.harness import ROOT, env_for


def serve(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CNA_"))}
    return subprocess.run([sys.executable, "-m", "cli.main", "serve", *args], cwd=tmp_path,  # no .env there
                          env={**base, "PYTHONPATH": str(ROOT), **env}, capture_output=True, text=True, timeout=60)


def test_without_tokens_it_names_the_variables_and_the_manifest(tmp_path: Path) -> None:
    r = serve(tmp_path, {})
    assert r.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in r.stderr and "SLACK_APP_TOKEN is not set" in r.stderr
    assert "OAuth & Permissions" in r.stderr and "slack/manifest.yaml" in r.stderr
    assert "Traceback" not in r.stderr


def test_http_mode_refuses_an_empty_signing_secret(tmp_path: Path) -> None:
    r = serve(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": ""}, "--http")
    assert r.returncode == 2
    assert "SLACK_SIGNING_SECRET is not set" in r.stderr and "SLACK_APP_TOKEN" not in r.stderr


def test_inconsistent_values_are_explained(tmp_path: Path) -> None:
    r = serve(tmp_path, {"SLACK_BOT_TOKEN": "xapp-wrong-kind", "SLACK_APP_TOKEN": "xoxb-wrong-kind",
                         "CNA_LEADS": "U1,alice", "CNA_POST_PER_MINUTE": "lots"})
    assert r.returncode == 2
    assert "CNA_POST_PER_MINUTE" in r.stderr
    r = serve(tmp_path, {"SLACK_BOT_TOKEN": "xapp-wrong-kind", "SLACK_APP_TOKEN": "xoxb-wrong-kind",
                         "CNA_LEADS": "U1,alice"})
    assert r.returncode == 2
    assert "SLACK_BOT_TOKEN should start with 'xoxb-'" in r.stderr
    assert "SLACK_APP_TOKEN should start with 'xapp-'" in r.stderr
    assert "CNA_LEADS" in r.stderr and "alice" in r.stderr


@pytest.mark.asyncio
async def test_a_token_slack_rejects_stops_start_up(tmp_path: Path) -> None:
    async with FakeSlack(tokens={"xoxb-the-real-one"}) as fake:
        env = env_for(fake, f"sqlite:///{tmp_path}/cna.db")
        import asyncio

        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cli.main", "serve", "--http", "--port", "0", cwd=tmp_path,
            env={**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CNA_"))},
                 "PYTHONPATH": str(ROOT), **env},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    assert "Slack rejected SLACK_BOT_TOKEN (invalid_auth)" in err.decode()
    assert "xoxb-test-token" not in err.decode()


@pytest.mark.asyncio
async def test_an_unreachable_database_is_explained(tmp_path: Path) -> None:
    import asyncio

    async with FakeSlack() as fake:
        env = env_for(fake, "postgresql://nobody@127.0.0.1:9/none")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cli.main", "serve", "--http", "--port", "0", cwd=tmp_path,
            env={**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CNA_"))},
                 "PYTHONPATH": str(ROOT), **env},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2, err.decode()[-3000:]
    assert "CNA_DATABASE_URL: cannot open" in err.decode() and "Traceback" not in err.decode()


def test_an_unreachable_slack_and_an_unopenable_database_are_both_reported_in_one_start(tmp_path: Path) -> None:
    """One start says everything to fix: the token check's failure does not hide the database's."""
    r = serve(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
                         "CNA_SLACK_API_URL": "http://127.0.0.1:9/api/",
                         "CNA_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}, "--http")
    assert r.returncode == 1, r.stderr  # the first failure's status: Slack could not be reached
    assert "cannot reach Slack to check the token" in r.stderr
    assert "CNA_DATABASE_URL: cannot open" in r.stderr and "Traceback" not in r.stderr
