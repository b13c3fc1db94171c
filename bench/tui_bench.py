"""Review app at scale: 100,000 synthetic answers in SQLite; start-up and filter times against baselines."""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import insert, select, text

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


# --- measurements ---------------------------------------------------------------------------------------------

FILTERS: dict[str, dict[str, Any]] = {
    "none": {}, "search 'invoice'": {"search": "invoice"}, "segment customer": {"segment": "customer"},
    "code price": {"code_id": "price"}, "to review": {"uncoded": True}, "disagreements": {"disagreement": True},
    "question + segment": {"question_id": "q3", "segment": "internal:sales"}, "search, no hit": {"search": "zzzz"},
}


def median_ms(samples: list[float]) -> float:
    return round(1000 * statistics.median(samples), 1)


async def time_queries(url: str, rounds: int) -> dict[str, dict[str, float]]:
    """storage.review.list_answers (page of 200 with its total) per filter, against a bare SELECT of a page."""
    from core.access import Reviewer
    from storage import review

    db = await Database.open(url, migrate=False)
    out: dict[str, dict[str, float]] = {}
    try:
        async with db.uow() as uow:
            rid = await review.default_round(uow.session)
            assert rid is not None
            scope = review.ReviewScope(rid, Reviewer("bench"))
            bare: list[float] = []
            for _ in range(rounds):
                t = time.perf_counter()
                (await uow.session.execute(select(Answer.id, Answer.text).where(Answer.assessment_id == rid)
                                           .order_by(Answer.id).limit(review.PAGE))).all()
                bare.append(time.perf_counter() - t)
            out["bare SELECT of a page"] = {"median_ms": median_ms(bare)}
            for name, kw in FILTERS.items():
                samples = []
                for _ in range(rounds):
                    t = time.perf_counter()
                    page = await review.list_answers(uow.session, scope, review.AnswerFilter(**kw))
                    samples.append(time.perf_counter() - t)
                out[name] = {"median_ms": median_ms(samples), "total": page.total}
    finally:
        await db.close()
    return out


async def time_app(url: str, rounds: int) -> dict[str, Any]:
    """App start to the first screen filled (Pilot), a bare Textual app's start, and filters end to end."""
    from textual.app import App
    from textual.widgets import Checkbox, DataTable, Input, Select, Static

    from core.access import Reviewer
    from tui.app import ReviewApp
    from tui.screens.answers import AnswersScreen

    class Bare(App[None]):
        def compose(self) -> Any:
            yield Static("hello")

    bare, start, complete = [], [], []
    for _ in range(rounds):
        t = time.perf_counter()
        async with Bare().run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            bare.append(time.perf_counter() - t)
        app = ReviewApp(url, reviewer=Reviewer("bench"), today=date(2026, 9, 15))
        t = time.perf_counter()
        async with app.run_test(size=(160, 50)) as pilot:
            table = app.screen.query_one("#progress", DataTable)
            deadline = time.perf_counter() + 30
            while not table.row_count and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            painted = asyncio.Event()
            app.call_after_refresh(painted.set)
            await painted.wait()
            start.append(time.perf_counter() - t)
            summary = app.screen.query_one("#summary", Static)
            while "counting" in str(summary.render()) and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            complete.append(time.perf_counter() - t)
            await pilot.pause()
    ui: dict[str, list[float]] = {}
    app = ReviewApp(url, reviewer=Reviewer("bench"), today=date(2026, 9, 15))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("2")
        await idle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AnswersScreen)
        filled = asyncio.Event()
        original = screen._fill

        def fill(*args: Any) -> None:
            original(*args)
            app.call_after_refresh(filled.set)  # timed to the repaint that shows the rows

        screen._fill = fill  # type: ignore[method-assign]
        for _ in range(rounds):
            for name, selector, value in (("segment customer (UI)", "#f-segment", "customer"),
                                          ("code price (UI)", "#f-code", "price"),
                                          ("all again (UI)", "clear", None),
                                          ("to review (UI)", "#f-uncoded", True),
                                          ("search 'invoice', enter (UI)", "#f-search", "invoice"),
                                          ("all again, after search (UI)", "clear", None)):
                filled.clear()
                if selector == "#f-search":
                    box = screen.query_one(Input)
                    with box.prevent(Input.Changed):
                        box.value = str(value)
                t = time.perf_counter()
                if selector == "clear":
                    screen.query_one("FilterBar").clear()  # type: ignore[attr-defined]
                elif selector == "#f-search":
                    await box.action_submit()
                elif selector == "#f-uncoded":
                    screen.query_one(selector, Checkbox).value = True
                else:
                    screen.query_one(selector, Select).value = value
                await asyncio.wait_for(filled.wait(), 30)
                ui.setdefault(name, []).append(time.perf_counter() - t)
                while screen.total is None:  # the count follows the first page
                    await asyncio.sleep(0.001)
                ui.setdefault(name.replace("(UI)", "with its total (UI)"), []).append(time.perf_counter() - t)
                await idle(app, pilot)
    return {"bare Textual app start": {"median_ms": median_ms(bare)},
            "review app start to first screen": {"median_ms": median_ms(start)},
            "review app start to dashboard with coding counts": {"median_ms": median_ms(complete)},
            **{k: {"median_ms": median_ms(v)} for k, v in ui.items()}}


async def idle(app: Any, pilot: Any) -> None:
    """Wait until no worker runs (exclusive workers replaced by newer ones count as done)."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass


def write(results: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "tui.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    q, a = results["queries"], results["app"]
    base = q["bare SELECT of a page"]["median_ms"]
    lines = ["# Review app at scale", "",
             f"{results['answers']:,} synthetic answers in SQLite, medians of {results['rounds']} runs, "
             f"{results['machine']}. Generated by `python -m bench.tui_bench`.", "",
             "| start | median ms | target |", "|---|---:|---:|",
             f"| bare Textual app (baseline) | {a['bare Textual app start']['median_ms']} | |",
             f"| review app to the first screen (interview progress painted) | "
             f"{a['review app start to first screen']['median_ms']} | < 500 |",
             f"| ... and its coding counts over every answer | "
             f"{a['review app start to dashboard with coding counts']['median_ms']} | |",
             "", "| filter (storage.review.list_answers: page of 200 + total) | median ms | × bare SELECT | "
             "matching |", "|---|---:|---:|---:|",
             f"| bare SELECT of a page (baseline) | {base} | 1.0 | |"]
    for name in FILTERS:
        ms = q[name]["median_ms"]
        lines.append(f"| {name} | {ms} | {ms / base:.0f} | {q[name]['total']:,} |" if base else f"| {name} | {ms} |")
    lines += ["", "| filter in the app (from the change to the table filled; the count follows) | median ms | target |",
              "|---|---:|---:|"]
    lines += [f"| {k} | {v['median_ms']} | {'' if 'total' in k else '< 200'} |" for k, v in a.items()
              if k.endswith("(UI)")]
    (RESULTS / "tui.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


async def main(n_answers: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        db = await Database.open(url)
        t = time.perf_counter()
        await generate(db, n_answers)
        gen = time.perf_counter() - t
        await db.close()
        results: dict[str, Any] = {
            "answers": n_answers, "rounds": rounds, "generate_s": round(gen, 1),
            "machine": f"{platform.machine()}, Python {platform.python_version()}, SQLite",
            "queries": await time_queries(url, rounds), "app": await time_app(url, rounds)}
    return results


def cli(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--answers", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=7)
    args = p.parse_args(argv)
    results = asyncio.run(main(args.answers, args.rounds))
    write(results)
    print((RESULTS / "tui.md").read_text(encoding="utf-8"), file=sys.stdout)


if __name__ == "__main__":
    cli()
