"""`cna demo` data: two rounds of a fictional distributor's CNA, run through the real engine, with some
human coding, themes and opportunities, so every screen has something meaningful to show."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from app.catalog import Catalog
from app.interviews import InterviewService
from cli.demo_answers import CUSTOMER_FOCUS, INTERNAL_FOCUS, POOLS
from cli.demo_sample import seed_sample
from core.events import Asked, Probed
from core.inputs import Reply, Start
from core.script import Question
from storage import repos
from storage.models import Answer, Assessment, Code, Coding, Opportunity, OpportunityTheme, TeamMember
from storage.uow import Database

# (display name, script id, language, finish?)
PEOPLE_2026 = [
    ("Li Wei", "internal-sales", "zh", True), ("Anna Schmidt", "internal-sales", "en", True),
    ("Tom Baker", "internal-sales", "en", True), ("Zhang Min", "internal-service", "zh", True),
    ("Maria Rossi", "internal-service", "en", True), ("Chen Jing", "internal-marketing", "zh", True),
    ("Ben Okafor", "internal-operations", "en", True), ("Sara Lind", "internal-finance", "en", False),
    ("Wang Lei", "internal-it", "zh", True), ("Grace Ho", "internal-leadership", "en", True),
    ("Acme Tools / J. Doe", "customer-current", "en", True), ("Nordic Parts / K. Berg", "customer-current", "en", True),
    ("华东机械 / 刘先生", "customer-current", "zh", True), ("Delta Fab / P. Singh", "customer-current", "en", True),
    ("北方重工 / 赵女士", "customer-current", "zh", False),
    ("Orbit Metal / L. Costa", "customer-past", "en", True), ("宏达制造 / 孙经理", "customer-past", "zh", True),
    ("Vega Motors / R. Diaz", "customer-prospective", "en", True),
]
PEOPLE_2025 = [
    ("Anna Schmidt", "internal-sales", "en", True), ("Zhang Min", "internal-service", "zh", True),
    ("Acme Tools / J. Doe", "customer-current", "en", True), ("华东机械 / 刘先生", "customer-current", "zh", True),
]


def _answer(q: Question, customer: bool, lang: str, rng: random.Random, deep: bool,
            said: set[str] | None = None) -> str:
    if q.kind in ("single", "multi"):
        n = len(q.choices)
        return str(rng.randint(1, n)) if q.kind == "single" else f"1,{min(2, n)}"
    if q.kind == "scale":
        assert q.scale is not None
        lo, hi = q.scale.min, q.scale.max
        mid = lo + (hi - lo) * (0.45 if customer else 0.7)
        return str(max(lo, min(hi, round(mid + rng.choice((-1, 0, 0, 1))))))
    if q.kind == "yesno":
        return rng.choice(("yes", "yes", "no"))
    focus = CUSTOMER_FOCUS if customer else INTERNAL_FOCUS
    pools = POOLS[lang]
    hinted = [c for c in focus if c in q.codes and c in pools]
    code = hinted[0] if hinted and rng.random() < 0.75 else rng.choice(focus[:6])
    part = 1 if deep else 0
    options = pools[code][part]
    # A person does not repeat their own words in one interview: each pool holds two or three answers, so without
    # this the demo's follow-ups got the same reply two to five times and the review screens showed it so.
    # When the code's own answers are used up, the person moves to another of their concerns.
    seen = said or set()
    fresh = next((unsaid for c in (code, *focus) if c in pools
                  if (unsaid := [t for t in pools[c][part] if t not in seen])), options)
    text = rng.choice(fresh)
    if said is not None:
        said.add(text)
    return text


async def _run_people(service: InterviewService, catalog: Catalog, db: Database, assessment_id: int,
                      people: list[tuple[str, str, str, bool]], seed: int) -> int:
    done = 0
    for i, (name, script_id, lang, finish) in enumerate(people):
        if (script_id, lang) not in catalog.scripts:
            continue
        script = catalog.get(script_id, lang)
        rng = random.Random(seed * 1000 + i)
        aud = script.audience
        async with db.uow() as uow:
            p = await repos.participant_for_name(uow.session, name, kind=aud.kind, role=aud.role,
                                                 segment=aud.segment, lang=lang)
            await uow.commit()
        iv, _ = await service.open_interview(assessment_id=assessment_id, participant_id=p.id,
                                             script_id=script_id, lang=lang,
                                             mode="assisted" if "/" in name else "slack")
        outcome = await service.handle(iv.id, Start())
        limit = len(script.questions) * (4 if finish else 1) // (1 if finish else 2)
        said: set[str] = set()
        for _ in range(limit):
            if outcome.status != "in_progress":
                break
            last = outcome.events[-1]
            if isinstance(last, Asked):
                text = _answer(script.question(last.prompt.question_id), aud.kind == "customer", lang, rng, False,
                               said)
            elif isinstance(last, Probed):
                text = _answer(script.question(last.question_id), aud.kind == "customer", lang, rng, True, said)
            else:
                break
            outcome = await service.handle(iv.id, Reply(text))
        done += outcome.status == "completed"
    return done


async def _review(db: Database, assessment_id: int) -> None:
    """A lead's first pass: accept most auto codes, reject a few, add some, make two themes."""
    async with db.uow() as uow:
        s = uow.session
        rng = random.Random(7)
        answers = (await s.scalars(select(Answer).where(Answer.assessment_id == assessment_id)
                                   .order_by(Answer.id))).all()
        for a in answers[: len(answers) * 2 // 3]:
            autos = (await s.scalars(select(Coding).where(Coding.answer_id == a.id,
                                                          Coding.source == "auto"))).all()
            for c in autos:
                status = "applied" if rng.random() < 0.85 else "rejected"
                s.add(Coding(answer_id=a.id, code_id=c.code_id, source="human", status=status, coder="lead"))
            if not autos and a.text and not a.choice_values and rng.random() < 0.3:
                s.add(Coding(answer_id=a.id, code_id="communication", source="human", status="applied",
                             coder="lead"))
        for tid, en, zh, parent in (("theme-predictable-billing", "Predictable billing", "可预期的账单", "price"),
                                    ("theme-proactive-updates", "Proactive order updates", "主动的订单通知",
                                     "communication")):
            if await s.get(Code, tid) is None:
                s.add(Code(id=tid, kind="theme", label_en=en, label_zh=zh, parent_id=parent, created_by="lead",
                           description=f"Grouped from '{parent}' answers"))
        await s.flush()
        for a in answers:
            if "invoice" in a.text or "发票" in a.text or "预算" in a.text:
                s.add(Coding(answer_id=a.id, code_id="theme-predictable-billing", source="human", coder="lead"))
            elif "late" in a.text or "通知" in a.text:
                s.add(Coding(answer_id=a.id, code_id="theme-proactive-updates", source="human", coder="lead"))
        opps = [("Proactive order status messages", ["theme-proactive-updates"],
                 {"benefit": 5, "cost": 2, "strategic_fit": 5, "culture_change": 2, "unit_support": 4,
                  "competitive_position": 4}, "Phase 1: quick wins", 0, 3),
                ("Single customer view across ERP, tickets and sales", [],
                 {"benefit": 5, "cost": 4, "strategic_fit": 5, "culture_change": 3, "unit_support": 3,
                  "competitive_position": 4}, "Phase 2: foundation", 3, 9),
                ("Fixed-price service contracts", ["theme-predictable-billing"],
                 {"benefit": 4, "cost": 2, "strategic_fit": 4, "culture_change": 3, "unit_support": 2,
                  "competitive_position": 3}, "Phase 1: quick wins", 1, 4),
                ("Mobile visit notes for field reps", [],
                 {"benefit": 3, "cost": 3, "strategic_fit": 3, "culture_change": 2, "unit_support": 5},
                 "Phase 3: scale", 9, 12)]
        start = date(2026, 9, 1)
        for title, themes, scores, phase, m0, m1 in opps:
            o = Opportunity(assessment_id=assessment_id, title=title, scores=scores, phase=phase,
                            start_on=start + timedelta(days=30 * m0), end_on=start + timedelta(days=30 * m1))
            s.add(o)
            await s.flush()
            for t in themes:
                s.add(OpportunityTheme(opportunity_id=o.id, code_id=t))
        await uow.commit()


async def seed_demo(db: Database, catalog: Catalog, command: str = "cna", db_arg: str = "") -> str:
    """Seed only an empty database; say what happened (`command` is how to type cna in the hint, `db_arg` the
    `--db` option the hints' commands need when the database is not the default one)."""
    async with db.uow() as uow:
        if await uow.session.scalar(select(func.count()).select_from(Assessment)):
            return f"The database already has data; not adding the demo. Review it with '{command} tui{db_arg}'."
    service = InterviewService(db, catalog, clock=lambda: datetime.now(UTC))
    await service.sync_codebook()
    async with db.uow() as uow:
        s = uow.session
        r1 = await repos.create_assessment(
            s, name="Nordwind Distribution CNA", opened_on=date(2025, 1, 10), status="closed",
            key_questions=["What do our customers really need and value?",
                           "Where do we lose deals and customers?"],
            goals=["Raise the renewal rate from 78% to 85% by Q4 2026"], script_ids=catalog.ids())
        r1.closed_on = date(2025, 3, 31)
        r2 = await repos.create_assessment(
            s, name="Nordwind Distribution CNA", opened_on=date(2026, 7, 10), previous_id=r1.id, round_no=2,
            key_questions=list(r1.key_questions),
            goals=["Raise the renewal rate from 80% to 88% by Q4 2027", "Better customer experience"],
            script_ids=catalog.ids())
        r2.settings = {"affected_units": ["Sales", "Service"]}
        for name, internal, unit in (("Grace Ho", True, "Leadership"), ("Anna Schmidt", True, "Sales"),
                                     ("Zhang Min", True, "Service"), ("Ines Vogel (consultant)", False, None)):
            s.add(TeamMember(assessment_id=r2.id, name=name, internal=internal, business_unit=unit))
        await uow.commit()
        r1_id, r2_id = r1.id, r2.id
    await _run_people(service, catalog, db, r1_id, PEOPLE_2025, seed=1)
    done = await _run_people(service, catalog, db, r2_id, PEOPLE_2026, seed=2)
    await _review(db, r2_id)
    # Added after everything else so the demo's interviews, codes and pseudonyms stay exactly as they were.
    await seed_sample(db, r2_id, [(name, script.split("-", 1)[1]) for name, script, _lang, _finish in PEOPLE_2026
                                  if script.startswith("customer-")])
    return (f"Demo data ready: round 2 of 'Nordwind Distribution CNA' with {done} completed interviews "
            f"(staff and customers, English and Chinese), themes and opportunities, and a customer sample drawn from a "
            f"list of 120 ('{command} sample status --round {r2_id}{db_arg}'). Review it with '{command} tui{db_arg}'.")
