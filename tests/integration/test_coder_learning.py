"""A simulated review session: the lead accepts and rejects the coder's proposals on 200 answers of a round (real
SQLite), `cna train coder`'s retraining learns from those decisions, and the next proposals are measurably
better on answers nobody reviewed; the model is stored with its training size and names itself in new codings."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.catalog import Catalog
from app.coder import build_coder
from app.coder_training import current_model, due, gates_in_effect, retrain
from app.erasure import erase_and_notify
from app.interviews import InterviewService
from core.access import Reviewer
from core.coder_fit import micro_f1
from storage import repos
from storage.coder_models import human_decisions, lead_answers, models
from storage.models import Answer, Assessment, Coding, Interview, Participant, ScriptVersion
from storage.review.coding import apply_code, reject_code
from storage.review.scope import ReviewScope
from storage.uow import Database

DATA = Path(__file__).resolve().parents[1] / "data" / "mams_acsa_en_800.csv"
SCORED = {"price", "speed", "service", "quality"}
MAMS = {"price": "price", "service": "speed", "staff": "service", "food": "quality"}


def _rows() -> list[tuple[str, frozenset[str]]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = [(r["text"], frozenset(MAMS[x] for x in r["label"].split(";") if x in MAMS)) for r in csv.DictReader(f)]
    random.Random(5).shuffle(rows)
    return rows


def _f1(coder: object, rows: list[tuple[str, frozenset[str]]]) -> float:
    pred = [{h.code_id for h in coder.code(t, "en") if h.confidence >= 0.5} for t, _ in rows]  # type: ignore[attr-defined]
    return micro_f1(pred, [set(g) for _, g in rows], SCORED)["f1"]


async def _round(db: Database, catalog: Catalog, texts: list[str]) -> tuple[int, list[int]]:
    """A round with one interview per answer, each answer auto-coded by the shipped coder as the bot does."""
    async with db.uow() as uow:
        s = uow.session
        await repos.sync_codes(s, catalog.code_rows())
        rnd = Assessment(name="Restaurant CNA", round_no=1, status="open", opened_on=date(2026, 11, 1),
                         key_questions=[], goals=[], lead_slack_ids=[], settings={})
        s.add(rnd)
        sv = ScriptVersion(script_id="s", lang="en", version=1, digest="d", title="S", audience="customer:current",
                           body={"id": "s", "questions": [{"id": "q1", "kind": "open", "text": "How was it?"}]})
        s.add(sv)
        await s.flush()
        ids = []
        for n, text in enumerate(texts):
            p = Participant(pseudonym=f"P-{n:04d}", kind="customer", segment="current")
            s.add(p)
            await s.flush()
            iv = Interview(assessment_id=rnd.id, participant_id=p.id, script_id="s", script_version_id=sv.id,
                           lang="en", segment="customer:current", status="completed", state={})
            s.add(iv)
            await s.flush()
            a = Answer(assessment_id=rnd.id, interview_id=iv.id, ladder_key=f"L{n}", script_id="s", question_id="q1",
                       segment="customer:current", lang="en", step=0, text=text, decision="specific",
                       choice_values=[])
            s.add(a)
            await s.flush()
            await repos.add_auto_codings(s, a.id, catalog.coder.code(text, "en"))
            ids.append(a.id)
        await uow.commit()
        return rnd.id, ids


@pytest.mark.timeout(900)
async def test_reviewing_200_proposals_makes_the_next_proposals_better(tmp_path: Path, catalog: Catalog,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # What is measured is learning from the lead's decisions, not the shipped corpus's size: the retraining here
    # reads the first writer's batch of the corpus (about a quarter of it) beside the lead's answers, so the two
    # retrainings cost a quarter of the time. The full corpus's training is tests/integration/test_train_coder.py's.
    monkeypatch.setattr("app.coder_training.TRAIN_SPLITS", ("train",))
    rows = _rows()
    reviewed, unseen = rows[:200], rows[400:600]
    db = await Database.open(f"sqlite:///{tmp_path}/cna.db")
    try:
        round_id, ids = await _round(db, catalog, [t for t, _ in reviewed])
        scope = ReviewScope(round_id, Reviewer("lead"))
        decisions = 0
        async with db.uow() as uow:
            s = uow.session
            for answer_id, (_, gold) in zip(ids, reviewed, strict=True):
                proposed = set((await s.scalars(select(Coding.code_id).where(
                    Coding.answer_id == answer_id, Coding.source == "auto", Coding.confidence >= 0.5))).all())
                for code in sorted(proposed):  # the lead accepts what fits and rejects the rest
                    await (apply_code(s, scope, answer_id, code) if code in gold else
                           reject_code(s, scope, answer_id, code))
                    decisions += 1
                for code in sorted(gold - proposed):  # and adds what the coder missed
                    await apply_code(s, scope, answer_id, code)
                    decisions += 1
            await uow.commit()
        async with db.uow() as uow:
            assert await human_decisions(uow.session) == decisions
            finished = await lead_answers(uow.session)
        # Answers where the coder proposed nothing and the lead added nothing carry no decision: not finished.
        assert 150 <= len(finished) <= 200 and decisions >= 200
        assert await due(db, every=decisions) and not await due(db, every=decisions + 1)

        before = _f1(catalog.coder, unseen)
        training = await retrain(db, catalog, by="test", c=10.0, k_folds=3, only=SCORED)
        model = await current_model(db, catalog)
        assert model is not None and model.id == training.data["meta"]["id"]
        after = _f1(build_coder(catalog.codebook, model), unseen)
        print(f"micro-F1 on 200 unreviewed answers: before {before:.3f}, after {after:.3f}; "
              f"codes by model: {sorted(model.active)}")  # shown with -s
        assert after >= before + 0.10, (before, after, {c: g.why for c, g in model.gates.items()})

        async with db.uow() as uow:
            (stored,) = await models(uow.session)
            assert (stored.lead_answers, stored.decisions) == (len(finished), decisions)
            assert stored.examples == len(training.train) + len(finished) and stored.trained_by == "test"
        assert not await due(db, every=1)
        async with db.uow() as uow:
            model_id, gates = await gates_in_effect(uow.session)
        assert model_id == model.id and set(gates) >= {c for c in SCORED if c in model.active}

        # The service codes new answers with the stored model from then on, and says so in each coding's rule.
        service = InterviewService(db, Catalog(catalog.scripts, catalog.codebook, catalog.prober))
        assert await service.use_stored_coder() == model.id
        hits = service.catalog.coder.code("The waiter was rude and the pasta was cold", "en")
        assert any(h.rule == f"en:model:{model.id}" for h in hits)

        # Erasure reaches the model: erasing one person whose coded answer it learned from deletes it (its weights
        # may hold their words); the coder falls back to the shipped weights until the next retraining.
        async with db.uow() as uow:
            assert stored.trained_on == sorted(a.answer_id for a in finished)
            pseudonym = await uow.session.scalar(select(Participant.pseudonym).join(
                Interview, Interview.participant_id == Participant.id).join(
                Answer, Answer.interview_id == Interview.id).where(Answer.id == finished[0].answer_id))
        erased = await erase_and_notify(db, pseudonym=pseudonym, actor="test")
        assert erased.counts["coder_models"] == 1 and erased.counts["answers"] == 1
        assert await current_model(db, catalog) is None
        assert await service.use_stored_coder() is None  # the service stops coding with the deleted model
        assert service.catalog.coder.model is None or service.catalog.coder.model.id != model.id
        async with db.uow() as uow:
            model_id, _ = await gates_in_effect(uow.session)
        assert model_id != model.id
        retrained = await retrain(db, catalog, by="test", c=10.0, k_folds=3, only=SCORED)
        async with db.uow() as uow:
            (again,) = await models(uow.session)
        assert finished[0].answer_id not in again.trained_on and again.lead_answers == len(finished) - 1
        assert retrained.lead == len(finished) - 1
    finally:
        await db.close()
