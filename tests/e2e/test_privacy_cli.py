"""`cna privacy` end to end as subprocesses: export, erase (with and without confirmation), requests, retention."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.catalog import load_catalog
from app.interviews import InterviewService
from storage.models import InboxEvent, OutboxMessage
from storage.uow import Database
from tests.conftest import SENTINEL
from tests.integration.privacy_world import Person, make_round, service_interview


def rows(cna, sql: str) -> list[tuple]:
    with sqlite3.connect(cna.db_url.removeprefix("sqlite:///")) as c:
        return c.execute(sql).fetchall()


def mentions(cna, needle: str) -> list[str]:
    """table.column for every value in the SQLite file that contains the needle (every table, every column)."""
    found = []
    with sqlite3.connect(cna.db_url.removeprefix("sqlite:///")) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in tables:
            cur = c.execute(f'SELECT * FROM "{t}"')
            cols = [d[0] for d in cur.description]
            for row in cur.fetchall():
                found += [f"{t}.{col}" for col, v in zip(cols, row, strict=True) if needle in str(v)]
    return found


async def _seed(url: str) -> tuple[Person, Person]:
    db = await Database.open(url)
    try:
        service = InterviewService(db, load_catalog())
        await service.sync_codebook()
        rid = await make_round(db, opened_on=date.today() - timedelta(days=90))
        alice = Person("alice", "U0ALICE001", "Alice Anders", "alice@example.com")
        bob = Person("bobby", "U0BOB00001", "Bob Brown")
        await service_interview(service, rid, alice)
        await service_interview(service, rid, bob)
        old = datetime.now(UTC) - timedelta(days=3)
        async with db.uow() as uow:
            # What Slack traffic leaves behind: a processed DM and a message sent to her.
            uow.session.add(InboxEvent(key="msg:DU0ALICE001:1.1", kind="message", slack_user_id=alice.slack_user_id,
                                       payload={"event": {"text": f"{SENTINEL} hello", "channel": "DU0ALICE001",
                                                          "channel_type": "im"}},
                                       status="done", received_at=old, processed_at=old))
            uow.session.add(OutboxMessage(key="invite:x", method="chat.postMessage", channel=alice.slack_user_id,
                                          slack_user_id=alice.slack_user_id, payload={"text": "Hello Alice"},
                                          status="sent"))
            await uow.commit()
        return alice, bob
    finally:
        await db.close()


def test_export_erase_and_retention_from_the_command_line(cna, tmp_path: Path) -> None:
    alice, bob = asyncio.run(_seed(cna.db_url))

    out = tmp_path / "alice.json"
    r = cna("privacy", "export", "--participant", alice.pseudonym, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "interview(s)" in r.stdout and SENTINEL not in r.stdout + r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["found"] and doc["identity"]["display_name"] == "Alice Anders"
    assert {st["text"] for iv in doc["interviews"] for lad in iv["ladders"] for st in lad["steps"]} >= set(alice.texts)
    assert doc["inbox_events"] and doc["outbox_messages"]
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600, "an export is personal data"
    by_uid = cna("privacy", "export", "--slack-user", str(alice.slack_user_id))
    assert json.loads(by_uid.stdout)["participant"]["pseudonym"] == alice.pseudonym

    no_one = cna("privacy", "erase")
    assert no_one.returncode == 2 and "--participant" in no_one.stderr
    both = cna("privacy", "erase", "--participant", "1", "--slack-user", "U1")
    assert both.returncode == 2

    declined = cna("privacy", "erase", "--participant", alice.pseudonym, input="n\n")
    assert declined.returncode == 1 and "This erases" in declined.stdout and "answer(s)" in declined.stdout
    assert rows(cna, f"SELECT count(*) FROM participants WHERE pseudonym = '{alice.pseudonym}'") == [(1,)]

    erased = cna("privacy", "erase", "--participant", alice.pseudonym.lower(), "--actor", "dpo", input="y\n")
    assert erased.returncode == 0, erased.stderr
    assert "Erased" in erased.stdout and "Still mentioned" not in erased.stderr
    for needle in (str(alice.slack_user_id), alice.display_name, str(alice.email), "Hello Alice", *alice.texts):
        assert mentions(cna, needle) == [], needle
    assert set(mentions(cna, alice.pseudonym)) == {"audit_log.subject"}
    (detail,) = rows(cna, "SELECT detail FROM audit_log WHERE action = 'erase'")
    assert json.loads(detail[0])["answers"] >= len(alice.texts)
    assert rows(cna, "SELECT actor FROM audit_log WHERE action = 'erase'") == [("dpo",)]

    again = cna("privacy", "erase", "--participant", alice.pseudonym, "--yes")
    assert again.returncode == 0 and "Nothing was left" in again.stdout
    gone = cna("privacy", "export", "--participant", alice.pseudonym)
    assert json.loads(gone.stdout)["found"] is False
    assert all(t in str(rows(cna, "SELECT text FROM answers")) for t in bob.texts), "Bob is untouched"

    assert "No open erasure requests" in cna("privacy", "requests").stdout

    # Retention: close the round 40 days ago, keep 30 days, purge twice.
    closed = (date.today() - timedelta(days=40)).isoformat()
    with sqlite3.connect(cna.db_url.removeprefix("sqlite:///")) as c:
        c.execute("UPDATE assessments SET status = 'closed', closed_on = ?", (closed,))
    unset = cna("privacy", "purge")
    assert "without a retention period: 1" in unset.stdout
    setting = cna("privacy", "retention", "1", "--days", "30")
    assert setting.returncode == 0 and "identities purged 30 day(s) after closing" in setting.stdout
    early = cna("privacy", "purge", "--now", (date.today() - timedelta(days=20)).isoformat())
    assert "falls due on" in early.stdout
    dry = cna("privacy", "purge", "--dry-run")
    assert "would purge" in dry.stdout and "1 identity mapping(s)" in dry.stdout
    assert rows(cna, "SELECT count(*) FROM identities") == [(1,)]
    first = cna("privacy", "purge")
    assert first.returncode == 0 and "purged 1 identity mapping(s)" in first.stdout
    second = cna("privacy", "purge")
    assert "nothing left to purge" in second.stdout
    assert rows(cna, "SELECT count(*) FROM identities") == [(0,)]
    assert mentions(cna, "Bob Brown") == [] and mentions(cna, str(bob.slack_user_id)) == []
    bad = cna("privacy", "purge", "--now", "yesterday")
    assert bad.returncode == 2 and "ISO" in bad.stderr
