"""Lost and duplicated answers and messages: what the driver had acknowledged against the database and the fake."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from app.outbox import marker
from bench.driver import Delivery
from storage.models import Answer, InboxEvent, OutboxMessage
from storage.uow import Database

UNSENT = ("pending", "sending", "verify")


async def backlog(db: Database) -> tuple[int, int]:
    """(inbox rows not finished, outbox rows not sent) right now."""
    async with db.uow() as uow:
        s = uow.session
        inbox = await s.scalar(select(func.count()).select_from(InboxEvent)
                               .where(InboxEvent.status.in_(("pending", "working")))) or 0
        out = await s.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status.in_(UNSENT))) or 0
    return int(inbox), int(out)


async def wait_drained(db: Database, timeout: float, poll: float = 0.1) -> float | None:
    """Seconds until the inbox is worked off and the outbox sent (None if `timeout` passes first)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if await backlog(db) == (0, 0):
            return time.monotonic() - started
        await asyncio.sleep(poll)
    return None


async def check(db: Database, deliveries: list[Delivery], delivered: dict[str, Any] | None) -> dict[str, Any]:
    """Every acknowledged answer stored exactly once; every queued DM delivered exactly once.

    Answers are matched by the inbox key the bot stores as Answer.source_event_id. Anonymous answers carry no
    key by design (no link to the person), so they are counted per script and question instead. `delivered`
    is the fake's bench.delivery tally (DMs per outbox marker and per user)."""
    acked = [d for d in deliveries if d.acked]
    async with db.uow() as uow:
        s = uow.session
        rows = (await s.execute(select(Answer.source_event_id, Answer.interview_id, Answer.question_id, Answer.step,
                                       Answer.anonymous, Answer.superseded, Answer.script_id))).all()
        outbox = (await s.execute(select(OutboxMessage.key, OutboxMessage.method, OutboxMessage.status,
                                         OutboxMessage.slack_user_id))).all()
        inbox = dict((await s.execute(select(InboxEvent.status, func.count()).group_by(InboxEvent.status))).all())
        interviews = dict((await s.execute(
            select(Answer.interview_id, func.count()).where(Answer.interview_id.is_not(None))
            .group_by(Answer.interview_id))).all())
    by_key: Counter[str] = Counter(r.source_event_id for r in rows if r.source_event_id)
    expected_keys = {d.key: d for d in acked if any(not a[2] for a in d.answers)}
    lost_answers = [k for k in expected_keys if by_key[k] == 0]
    # A second row for the same ladder step of one interview would be the same answer stored twice.
    steps = Counter((r.interview_id, r.question_id, r.step) for r in rows if r.interview_id and not r.superseded)
    dup_steps = sum(n - 1 for n in steps.values() if n > 1)
    stray = [k for k in by_key if k not in expected_keys]  # stored from an input nobody acked
    anon_expected: Counter[str] = Counter(a[0] for d in acked for a in d.answers if a[2])
    anon_stored: Counter[str] = Counter(r.question_id for r in rows if r.anonymous)
    anon_lost = sum(max(0, n - anon_stored[q]) for q, n in anon_expected.items())
    anon_dup = sum(max(0, n - anon_expected[q]) for q, n in anon_stored.items())
    expected_total = sum(len(d.answers) for d in acked)
    out: dict[str, Any] = {
        "inputs_sent": len(deliveries), "inputs_acked": len(acked),
        "inputs_not_acked": len(deliveries) - len(acked),
        "answers_expected": expected_total, "answers_stored": len(rows),
        "answers_lost": len(lost_answers) + anon_lost, "answers_duplicated": dup_steps + anon_dup,
        "answers_stray": len(stray), "lost_keys": lost_answers[:10],
        "inbox": {str(k): int(v) for k, v in inbox.items()},
        "outbox": dict(Counter(str(r.status) for r in outbox)),
        "interviews_with_answers": len(interviews),
    }
    # Every acknowledged input gets a reply queued under keys derived from its own inbox key.
    replied = {r.key.split(":", 1)[1].rsplit(":", 1)[0] for r in outbox if r.key.startswith("reply:")}
    out["inputs_without_reply"] = sum(1 for d in acked if d.key not in replied)
    if delivered is not None:
        markers = delivered.get("markers", {})
        posts = [r for r in outbox if r.method == "chat.postMessage"]
        counts = [markers.get(marker(r.key), 0) for r in posts]
        out["messages_queued"] = len(posts)
        out["messages_delivered"] = delivered.get("messages")
        out["messages_lost"] = sum(1 for r, n in zip(posts, counts, strict=True) if n == 0 and r.status == "sent")
        out["messages_unsent"] = sum(1 for r, n in zip(posts, counts, strict=True) if n == 0 and r.status != "sent")
        out["messages_duplicated"] = sum(n - 1 for n in counts if n > 1)
        per_user: Counter[str] = Counter(str(r.slack_user_id) for r in posts if r.slack_user_id)
        dms = delivered.get("per_user", {})
        out["users_with_extra_dms"] = sum(1 for u, n in dms.items() if n > per_user.get(u, 0))
    return out


def ok(result: dict[str, Any]) -> bool:
    """No loss and no duplicate anywhere."""
    keys = ("answers_lost", "answers_duplicated", "answers_stray", "inputs_not_acked", "inputs_without_reply",
            "messages_lost", "messages_duplicated", "users_with_extra_dms", "messages_unsent")
    return all(not result.get(k) for k in keys)
