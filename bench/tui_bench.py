"""Review app at scale: 100,000 synthetic answers in SQLite, app start to first screen and filter times vs a bare SELECT."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import insert, text

from storage.models import Answer, Assessment, Code, Coding, Identity, Interview, Participant, ScriptVersion
from storage.uow import Database

RESULTS = Path(__file__).resolve().parent / "results"
SEGMENTS = ["internal:sales", "internal:service", "internal:marketing", "internal:operations", "internal:finance",
            "internal:it", "customer:current", "customer:past", "customer:prospective"]
PHRASES = ["the price is too high", "invoices arrive late and vary every month", "delivery was late again",
           "we never know the order status", "the portal is slow", "our account manager changed three times",
           "quotes take a week", "support closes tickets without fixing them", "I want one contact person",
           "the data in the ERP is wrong", "we copy numbers into Excel", "training was too short",
           "faster answers to technical questions", "predictable costs per quarter", "better service",
           "nothing special, it is fine", "mobile access for field visits", "reports for the forecast"]
PROBES = [("ladder_up", "surface:price", "Why does that matter to you?"),
          ("example", "generic", "Can you tell me about the last time that happened?"),
          ("consequence", "surface:speed", "What happens on your side when that is late?")]


def _codebook() -> list[dict[str, Any]]:
    path = Path(__file__).resolve().parent.parent / "interview_scripts" / "codebook.yaml"
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["codes"])


async def generate(db: Database, n_answers: int = 100_000, seed: int = 1) -> int:
    """Bulk-insert one open round with about n_answers answers (ladders of 1-3 steps, auto codes on most,
    human codes on a fifth, 3% restricted to finance); returns the round id."""
    rng = random.Random(seed)
    now = datetime(2026, 9, 1, tzinfo=UTC)
    codes = _codebook()
    leaf = [c["id"] for c in codes if c.get("parent")]
    async with db.engine.begin() as conn:
        await conn.execute(insert(Code), [{"id": c["id"], "kind": "code", "parent_id": c.get("parent"),
                                           "label_en": c["label"]["en"], "label_zh": c["label"].get("zh"),
                                           "created_at": now} for c in codes])
        rid = (await conn.execute(insert(Assessment).values(
            name="Synthetic CNA", round_no=1, status="open", scope="enterprise", key_questions=[], goals=[],
            refresh_months=18, opened_on=date(2026, 7, 1), lead_slack_ids=[], settings={}, created_at=now)
            .returning(Assessment.id))).scalar_one()
        questions = [{"id": f"q{i}", "text": f"Question {i}: {PHRASES[i % len(PHRASES)]}?"} for i in range(12)]
        sv_ids = {}
        for seg in SEGMENTS:
            sid = "script-" + seg.split(":")[1]
            sv_ids[seg] = (sid, (await conn.execute(insert(ScriptVersion).values(
                script_id=sid, lang="en", version=1, digest=seg, title=sid, audience=seg,
                body={"id": sid, "questions": questions}, created_at=now).returning(ScriptVersion.id))).scalar_one())
        per_interview = 24
        n_iv = max(1, n_answers // per_interview)
        participants, identities, interviews = [], [], []
        for i in range(1, n_iv + 1):
            seg = SEGMENTS[i % len(SEGMENTS)]
            kind, rest = seg.split(":")
            participants.append({"id": i, "pseudonym": f"P-{i:06d}", "kind": kind, "lang": "en",
                                 "role": rest if kind == "internal" else None, "opted_out": False,
                                 "segment": rest if kind == "customer" else None, "created_at": now})
            identities.append({"participant_id": i, "display_name": f"Person {i}"})
            interviews.append({"id": i, "assessment_id": rid, "participant_id": i, "script_id": sv_ids[seg][0],
                               "script_version_id": sv_ids[seg][1], "lang": "en", "segment": seg, "mode": "slack",
                               "status": rng.choice(["completed"] * 6 + ["in_progress", "invited", "declined"]),
                               "state": {}, "invited_at": now, "last_activity_at": now, "nudges_sent": 0,
                               "version": 0})
        await conn.execute(insert(Participant), participants)
        await conn.execute(insert(Identity), identities)
        await conn.execute(insert(Interview), interviews)
        answers, codings = [], []
        aid = 0
        while aid < n_answers:
            iv = interviews[(aid // per_interview) % n_iv]
            q = questions[rng.randrange(len(questions))]["id"]
            ladder = f"{aid:016x}"
            restricted = "finance" if rng.random() < 0.03 else None
            for step in range(min(rng.choice((1, 1, 2, 3)), n_answers - aid)):
                aid += 1
                probe = PROBES[rng.randrange(len(PROBES))] if step else None
                answers.append({"id": aid, "assessment_id": rid, "interview_id": iv["id"], "ladder_key": ladder,
                                "script_id": iv["script_id"], "question_id": q, "segment": iv["segment"],
                                "lang": "en", "step": step, "probe_text": probe[2] if probe else None,
                                "probe_family": probe[0] if probe else None,
                                "probe_reason": probe[1] if probe else None, "decision": "specific",
                                "text": f"{rng.choice(PHRASES)}; {rng.choice(PHRASES)} ({aid})",
                                "choice_values": [], "anonymous": False, "department": restricted,
                                "truncated": False, "superseded": False, "created_at": now})
                if rng.random() < 0.7:
                    for code in rng.sample(leaf, rng.choice((1, 1, 2))):
                        conf = round(rng.uniform(0.3, 0.95), 2)
                        codings.append({"answer_id": aid, "code_id": code, "source": "auto", "status": "proposed",
                                        "confidence": conf, "rule": "cue", "cue": code, "coder": "auto",
                                        "created_at": now})
                        if rng.random() < 0.2:
                            codings.append({"answer_id": aid, "code_id": code, "source": "human",
                                            "status": "applied" if rng.random() < 0.85 else "rejected",
                                            "confidence": None, "rule": None, "cue": None, "coder": "lead",
                                            "created_at": now})
        for i in range(0, len(answers), 20_000):
            await conn.execute(insert(Answer), answers[i:i + 20_000])
        for i in range(0, len(codings), 20_000):
            await conn.execute(insert(Coding), codings[i:i + 20_000])
        if db.dialect == "sqlite":
            await conn.execute(text("ANALYZE"))
    return int(rid)
