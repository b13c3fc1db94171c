"""`cna slack` (inbox/outbox inspection, retry, resend) and the app manifest's scopes and events."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml
from click.testing import CliRunner

from bot.inbox import identify
from cli.main import cli
from storage.models import InboxEvent, OutboxMessage
from storage.uow import Database
from tests.conftest import SENTINEL
from tests.fakeslack import payloads
from tests.slack.harness import ROOT


def seed(url: str) -> None:
    async def go() -> None:
        db = await Database.open(url)
        async with db.uow() as uow:
            uow.session.add(InboxEvent(key="msg:D1:1.0", kind="message", slack_user_id="U1", status="dead",
                                       attempts=5, last_error="RuntimeError", payload={"text": SENTINEL}))
            uow.session.add(OutboxMessage(key="invite:1", method="chat.postMessage", channel="U1", status="ambiguous",
                                          payload={"text": SENTINEL}, last_error="ServerDisconnectedError"))
            await uow.commit()
        await db.close()

    asyncio.run(go())


def test_inspect_retry_and_resend(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cna.db"
    seed(url)
    r = CliRunner()
    out = r.invoke(cli, ["slack", "status", "--db", url]).output
    assert "1 dead" in out and "1 ambiguous" in out
    out = r.invoke(cli, ["slack", "inbox", "--dead", "--db", url]).output
    assert "RuntimeError" in out and SENTINEL not in out
    out = r.invoke(cli, ["slack", "outbox", "--status", "ambiguous", "--db", url]).output
    assert "invite:1" in out and SENTINEL not in out
    assert "1 event(s) queued again" in r.invoke(cli, ["slack", "retry", "1", "--db", url]).output
    refused = r.invoke(cli, ["slack", "resend", "1", "--db", url])
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert "1 message(s) queued again" in r.invoke(cli, ["slack", "resend", "1", "--yes", "--db", url]).output
    assert "1 pending" in r.invoke(cli, ["slack", "status", "--db", url]).output


def test_manifest_asks_for_exactly_what_the_bot_uses() -> None:
    m = yaml.safe_load((ROOT / "slack/manifest.yaml").read_text())
    assert sorted(m["oauth_config"]["scopes"]["bot"]) == sorted([
        "chat:write", "im:write", "im:history", "users:read", "usergroups:read", "channels:read", "groups:read",
        "commands", "files:write"])
    events = m["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == ["app_home_opened", "app_uninstalled", "message.im", "tokens_revoked"]
    assert m["settings"]["socket_mode_enabled"] is True and m["settings"]["interactivity"]["is_enabled"] is True
    (cmd,) = m["features"]["slash_commands"]
    assert cmd["command"] == "/cna" and cmd["should_escape"] is True
    # Every event the manifest subscribes to is one the inbox records (nothing subscribed and then dropped).
    samples = {"message.im": payloads.message_im("U1", "hi"), "app_home_opened": payloads.app_home_opened("U1"),
               "app_uninstalled": payloads.app_uninstalled(), "tokens_revoked": payloads.tokens_revoked()}
    assert all(identify(samples[e], "UBOT") is not None for e in events)
