"""Helpers for the review app tests: a small hand-built round, the app with a fixed date, DB reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from textual.worker import WorkerCancelled

from core.access import Reviewer
from storage.models import (
    Answer,
    Assessment,
    Code,
    Coding,
    Identity,
    Interview,
    Participant,
    ScriptVersion,
)
from storage.uow import Database

TODAY = date(2026, 9, 15)
SIZE = (150, 44)
WHEN = datetime(2026, 8, 1, tzinfo=UTC)


@dataclass
class World:
    """Ids of the small round: two internal and two customer interviews, one anonymous ladder."""

    round1: int
    round2: int
    ids: dict[str, int]


async def build_world(db: Database) -> World:
    """A round small enough to reason about by hand (see each answer's comment)."""
    async with db.uow() as uow:
        s = uow.session
        for cid, kind, parent, en, zh in (("customer-value", "code", None, "Customer value", "客户价值"),
                                          ("price", "code", "customer-value", "Price and cost", "价格与成本"),
                                          ("speed", "code", "customer-value", "Speed", "速度"),
                                          ("communication", "code", None, "Communication", "沟通")):
            s.add(Code(id=cid, kind=kind, parent_id=parent, label_en=en, label_zh=zh))
        r1 = Assessment(name="Test CNA", round_no=1, status="closed", opened_on=date(2025, 1, 10), key_questions=[],
                        goals=[], lead_slack_ids=[], settings={})
        s.add(r1)
        await s.flush()
        r2 = Assessment(name="Test CNA", round_no=2, status="open", opened_on=date(2026, 7, 10), previous_id=r1.id,
                        key_questions=["What do customers value?"], goals=[], lead_slack_ids=[], settings={})
        s.add(r2)
        await s.flush()
        sv = ScriptVersion(script_id="s", lang="en", version=1, digest="d", title="S", audience="internal:sales",
                           body={"id": "s", "questions": [
                               # q1 asks about every customer-value code and communication (its code hints)
                               {"id": "q1", "kind": "open", "text": "What do customers value?",
                                "codes": ["customer-value", "communication"]},
                               {"id": "q2", "kind": "open", "text": "How are invoices disputed?"}]})
        s.add(sv)
        await s.flush()
        ids: dict[str, int] = {}
        people = (("sales", "internal", "sales", None, "Anna Schmidt", "internal:sales"),
                  ("finance", "internal", "finance", None, "Sara Lind", "internal:finance"),
                  ("c1", "customer", None, "current", "J. Doe", "customer:current"),
                  ("c2", "customer", None, "current", "K. Berg", "customer:current"),
                  ("old", "customer", None, "current", "J. Doe Old", "customer:current"))
        for n, (key, kind, role, seg, name, label) in enumerate(people):
            p = Participant(pseudonym=f"P-TEST{n}", kind=kind, role=role, segment=seg)
            s.add(p)
            await s.flush()
            s.add(Identity(participant_id=p.id, display_name=name))
            iv = Interview(assessment_id=r1.id if key == "old" else r2.id, participant_id=p.id, script_id="s",
                           script_version_id=sv.id, lang="en", segment=label,
                           status="in_progress" if key == "finance" else "completed", state={})
            s.add(iv)
            await s.flush()
            ids[f"iv_{key}"] = iv.id

        def answer(key: str, iv: str | None, ladder: str, step: int, text: str, segment: str, rnd: int = r2.id,
                   q: str = "q1", department: str | None = None, probe: str | None = None) -> None:
            a = Answer(assessment_id=rnd, interview_id=ids[f"iv_{iv}"] if iv else None, ladder_key=ladder,
                       script_id="s", question_id=q, segment=segment, lang="en", step=step, text=text,
                       probe_text=probe, probe_reason="surface:price" if probe else None,
                       probe_family="ladder_up" if probe else None, decision="specific", choice_values=[],
                       anonymous=iv is None, department=department)
            s.add(a)
            pending.append((key, a))

        pending: list[tuple[str, Answer]] = []
        answer("a1", "sales", "L1", 0, "The PRICE is too high", "internal:sales")
        answer("a2", "sales", "L1", 1, "Because our budget is fixed per quarter (100% fixed)", "internal:sales",
               probe="Why does that matter?")
        answer("a3", "finance", "L3", 0, "Invoices are disputed every month", "internal:finance", q="q2",
               department="Finance")
        answer("a4", "c1", "L4", 0, "We never know when the order arrives", "customer:current")
        answer("a5", "c2", "L5", 0, "Late delivery again", "customer:current")
        answer("a6", None, "L6", 0, "Keep us informed", "customer:current")
        answer("a7", "old", "L7", 0, "Price matters", "customer:current", rnd=r1.id)
        await s.flush()
        ids.update((k, a.id) for k, a in pending)

        def coding(key: str, code: str, source: str, status: str, conf: float | None = None) -> None:
            s.add(Coding(answer_id=ids[key], code_id=code, source=source, status=status, confidence=conf,
                         cue=code if source == "auto" else None, rule="cue" if source == "auto" else None,
                         coder="auto" if source == "auto" else "lead"))

        coding("a1", "price", "auto", "proposed", 0.9)  # unreviewed, counts
        coding("a2", "price", "human", "applied")  # a person added it: 'person only' disagreement
        coding("a3", "price", "auto", "proposed", 0.8)  # restricted to finance
        coding("a4", "communication", "auto", "proposed", 0.8)
        coding("a4", "speed", "auto", "proposed", 0.3)  # below the threshold: does not count
        coding("a5", "speed", "auto", "proposed", 0.7)
        coding("a5", "speed", "human", "rejected")  # 'auto only' disagreement
        coding("a5", "communication", "human", "applied")  # 'person only'
        coding("a6", "communication", "auto", "proposed", 0.9)
        coding("a7", "price", "auto", "proposed", 0.9)
        await uow.commit()
        return World(r1.id, r2.id, ids)


def make_app(url: str, reviewer: Reviewer | None = None, **kw: Any) -> Any:
    from tui.app import ReviewApp

    return ReviewApp(url, reviewer=reviewer or Reviewer("lead"), today=TODAY, **kw)


async def settle(pilot: Any) -> None:
    """Let every worker finish (loads chain into more loads) and the screen repaint."""
    for _ in range(5):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one
            pass
    await pilot.pause()


async def query(url: str, stmt: Any) -> list[Any]:
    """Rows from a separate connection: what the app really committed."""
    db = await Database.open(url, migrate=False)
    try:
        async with db.engine.connect() as conn:
            return list((await conn.execute(stmt)).all())
    finally:
        await db.close()
