"""Generated rounds for the analysis tests: staff and customers in en and zh, anonymous and restricted answers,
superseded steps, closed questions (a paired forced choice, a 0-10 scale), partial reviews and opportunities."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from storage import repos
from storage.models import Answer, Code, Coding, Interview, Opportunity, ScriptVersion
from storage.uow import Database

CODES = [("customer-value", None), ("price", "customer-value"), ("speed", "customer-value"),
         ("communication", "customer-value"), ("relationship", "customer-value"), ("process", None),
         ("pipeline-visibility", "process"), ("handoffs", "process")]
THEMES = [("theme-billing", "price"), ("theme-loose", None)]
TOP = {"id": "top_value", "kind": "single", "text": "What matters most?", "codes": ["customer-value"],
       "choices": [{"id": c, "label": c.title()} for c in ("price", "speed", "service", "relationship")]}
QUESTIONS = {
    "internal": [{"id": "needs", "kind": "open", "text": "Why do customers buy?", "codes": ["customer-value"]},
                 {"id": "flow", "kind": "open", "text": "Where do deals stall?", "codes": ["process"]},
                 TOP,
                 {"id": "trust", "kind": "scale", "text": "Trust the data?", "scale": {"min": 1, "max": 5}},
                 {"id": "unheard", "kind": "open", "text": "What is not said?", "codes": ["process"],
                  "sensitivity": {"anonymous": True}}],
    "customer": [{"id": "what_for", "kind": "open", "text": "What do you rely on us for?",
                  "codes": ["customer-value"]},
                 {"id": "contact", "kind": "open", "text": "How does contact go?", "codes": ["handoffs"]},
                 TOP,
                 {"id": "nps", "kind": "scale", "text": "Recommend us?", "scale": {"min": 0, "max": 10}},
                 {"id": "candid", "kind": "open", "text": "Anything else?", "codes": ["relationship"],
                  "sensitivity": {"anonymous": True}}],
}
SEGMENTS = {"internal": ("sales", "service", "it"), "customer": ("current", "past")}
CRITERIA = ("benefit", "cost", "strategic_fit", "culture_change", "unit_support", "competitive_position")


async def generate(db: Database, seed: int, *, people: tuple[int, int], review: str = "mixed",
                   shortlist_limit: int | None = None) -> int:
    """A round with `people` = (staff, customers); review: mixed | none. Returns the round id."""
    rng = random.Random(seed)
    async with db.uow() as uow:
        s = uow.session
        await repos.sync_codes(s, [{"id": c, "parent": p, "label_en": c.title(), "label_zh": f"{c}（中）"}
                                   for c, p in CODES])
        for tid, parent in THEMES:
            if await s.get(Code, tid) is None:
                s.add(Code(id=tid, kind="theme", parent_id=parent, label_en=tid, label_zh=tid))
        a = await repos.create_assessment(s, name=f"Generated {seed}", opened_on=date(2026, 1, 5))
        if shortlist_limit is not None:
            a.settings = {"shortlist_limit": shortlist_limit}
        versions = {}
        for group in ("internal", "customer"):
            for lang in ("en", "zh"):
                body = {"id": f"{group}-s", "questions": [
                    {**q, "text": q["text"] + ("（中文）" if lang == "zh" else "")} for q in QUESTIONS[group]]}
                sv = ScriptVersion(script_id=f"{group}-s", lang=lang, version=1, digest=f"{seed}-{group}-{lang}",
                                   title=f"{group} {lang}", audience=f"{group}:x", body=body)
                s.add(sv)
                await s.flush()
                versions[(group, lang)] = sv
        n = 0
        for group, count in zip(("internal", "customer"), people, strict=True):
            for i in range(count):
                seg = f"{group}:{rng.choice(SEGMENTS[group])}"
                lang = rng.choice(("en", "zh"))
                p = await repos.participant_for_name(s, f"P{seed}-{group}-{i}", kind=group,
                                                     role=seg.split(":")[1] if group == "internal" else None,
                                                     segment=seg.split(":")[1] if group == "customer" else None,
                                                     lang=lang)
                sv = versions[(group, lang)]
                iv = Interview(assessment_id=a.id, participant_id=p.id, script_id=sv.script_id,
                               script_version_id=sv.id, lang=lang, segment=seg,
                               status=rng.choice(("completed", "completed", "in_progress")))
                s.add(iv)
                await s.flush()
                for q in QUESTIONS[group]:
                    if rng.random() < 0.15:
                        continue  # skipped, or the interview stopped before it
                    anon = bool(q.get("sensitivity"))
                    n += 1
                    key = f"L{seed}-{n}"
                    if q["kind"] != "open":
                        values = ([rng.choice([c["id"] for c in q["choices"]])] if q["kind"] == "single" else
                                  [str(rng.randint(q["scale"]["min"], q["scale"]["max"]))])
                        s.add(Answer(assessment_id=a.id, interview_id=iv.id, ladder_key=key, script_id=sv.script_id,
                                     question_id=q["id"], segment=seg, lang=lang, text=", ".join(values),
                                     choice_values=values))
                        continue
                    for step in range(rng.randint(1, 3)):
                        ans = Answer(assessment_id=a.id, interview_id=None if anon else iv.id, ladder_key=key,
                                     script_id=sv.script_id, question_id=q["id"], segment=seg, lang=lang, step=step,
                                     text=f"answer {n}.{step}" if lang == "en" else f"回答 {n}.{step}", anonymous=anon,
                                     department="finance" if rng.random() < 0.05 else None,
                                     superseded=rng.random() < 0.05)
                        s.add(ans)
                        await s.flush()
                        await _code(s, rng, ans.id, review)
        for k in range(rng.randint(3, 6)):
            scored = rng.random() < 0.7
            scores = {c: rng.randint(1, 5) for c in CRITERIA if scored or rng.random() < 0.5}
            s.add(Opportunity(assessment_id=a.id, title=f"Opportunity {seed}-{k}", scores=scores,
                              shortlisted=rng.random() < 0.8))
        await uow.commit()
        return a.id


async def _code(s: Any, rng: random.Random, answer_id: int, review: str) -> None:
    codes = [c for c, p in CODES if p] + ["customer-value"]
    autos = rng.sample(codes, rng.randint(0, 3))
    for c in autos:
        s.add(Coding(answer_id=answer_id, code_id=c, source="auto", status="proposed",
                     confidence=round(rng.uniform(0.3, 0.95), 2)))
    mode = "none" if review == "none" else rng.choice(("none", "full", "full", "partial", "theme"))
    coder = rng.choice(("lead", "maria"))
    if mode == "full":
        for c in autos:
            s.add(Coding(answer_id=answer_id, code_id=c, source="human", coder=coder,
                         status="applied" if rng.random() < 0.8 else "rejected"))
        if rng.random() < 0.3:
            extra = rng.choice([c for c in codes if c not in autos])
            s.add(Coding(answer_id=answer_id, code_id=extra, source="human", status="applied", coder=coder))
    elif mode == "partial" and autos:
        s.add(Coding(answer_id=answer_id, code_id=autos[0], source="human", status="applied", coder=coder))
    elif mode == "theme" or (mode != "none" and rng.random() < 0.2):
        s.add(Coding(answer_id=answer_id, code_id=rng.choice(THEMES)[0], source="human", status="applied",
                     coder=coder))
    await s.flush()


