"""`cna serve --http` as a real process, killed with SIGKILL mid-kick-off and mid-interview, then restarted:
nothing is lost and nothing is doubled."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import repos
from storage.models import Answer, InboxEvent, OutboxMessage
from storage.uow import Database
from tests.fakeslack import payloads
from tests.fakeslack.sender import SlackSender
from tests.fakeslack.server import FakeSlack
from tests.slack.harness import LEAD, ROOT, SECRET, env_for, free_port, start_serve_process

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]




async def busy(db: Database) -> int:
    async with db.uow() as uow:
        s = uow.session
        n = await s.scalar(select(func.count()).select_from(InboxEvent).where(
            InboxEvent.status.in_(("pending", "working"))))
        n += await s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status.in_(("pending", "sending", "verify"))))
        return int(n or 0)


async def settle(db: Database, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while await busy(db):
        assert time.monotonic() < deadline, "the restarted service did not finish the work"
        await asyncio.sleep(0.1)


async def test_kill_9_mid_kickoff_and_mid_interview_then_restart(tmp_path: Path) -> None:
    # The fake's conversations.history lets the restarted sender settle the send that was in flight at the kill.
    db_url = f"sqlite:///{tmp_path}/cna.db"
    port = free_port()
    log = tmp_path / "serve.log"
    users = [f"U{i:04d}" for i in range(400)]
    async with FakeSlack() as fake:
        fake.set_usergroup("SALL", users)
        env = {**os.environ, **env_for(fake, db_url, CNA_POLL_INTERVAL=0.1), "PYTHONPATH": str(ROOT)}
        proc = await start_serve_process(env, port, log)
        db = await Database.open(db_url)
        try:
            async with db.uow() as uow:
                await repos.create_assessment(uow.session, name="Round", opened_on=date.today(),
                                              lead_slack_ids=[LEAD])
                await uow.commit()
            fake.delay("chat.postMessage", 0.01)  # slow enough to kill the sender in the middle
            async with SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET) as sender:
                r = await sender.command(payloads.slash_command(LEAD, "/cna", "invite <!subteam^SALL|@all> "
                                                                "internal-sales", response_url=fake.new_response_url()))
                assert r.status == 200
                await fake.wait_for(lambda _c: len(fake.messages()) >= 100, 30, "100 invitations")
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                delivered_at_kill = len(fake.messages())
                assert delivered_at_kill < len(users), "killed mid-kick-off"
                fake.delay("chat.postMessage", 0)

                proc = await start_serve_process(env, port, log)
                await settle(db)
                counts = [fake.dm_count(u) for u in users]
                assert counts == [1] * len(users), "every user invited exactly once across the kill"

                # Mid-interview: an answer acked (so recorded) and the process killed before it could reply.
                first = fake.messages(users[0])[0]
                iid = first.blocks[-1]["elements"][0]["value"]  # the Start button carries the interview id
                click = payloads.block_actions(users[0], "cna_start_interview", iid, f"invite.{iid}", first.channel,
                                               first.ts, response_url=fake.new_response_url())
                assert (await sender.action(click)).status == 200
                await fake.wait_for(lambda _c: fake.dm_count(users[0]) >= 2, 10, "first question")
                await settle(db)
                fake.delay("chat.postMessage", 3.0)  # the reply cannot leave before the kill
                answer = payloads.message_im(users[0], "Our best customers buy from us because we fix outages "
                                                       "within 2 hours, which saved Acme a week of downtime in May.")
                assert (await sender.event(answer)).status == 200
                await asyncio.sleep(0.5)
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                fake.delay("chat.postMessage", 0)
                proc = await start_serve_process(env, port, log)
                assert (await sender.event(answer, retry_num=1, retry_reason="http_timeout")).status == 200
                await settle(db)
                async with db.uow() as uow:
                    stored = (await uow.session.scalars(select(Answer))).all()
                assert len(stored) == 1, "the answer is stored once"
                assert fake.dm_count(users[0]) == 3, "one reply to it, even though it may have been sent twice"
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            await db.close()
    assert "ANSWER-SENTINEL" not in log.read_text()
