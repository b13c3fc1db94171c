"""The leads' probe marks: stored with who and when, exported in JSON, and learnt by `cna train prober`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app import train_prober as tp
from app.catalog import load_catalog
from core.access import Reviewer
from reports.exports import export_data
from storage.models import Answer
from storage.review import ReviewScope
from storage.review.probe_marks import marked_examples, set_mark
from storage.review.scope import ReviewError
from storage.uow import Database


async def test_marks_are_exported_and_become_training_examples(demo_url):
    db = await Database.open(demo_url)
    try:
        async with db.uow() as uow:
            s = uow.session
            a = await s.scalar(select(Answer).where(Answer.decision == "specific", Answer.anonymous.is_(False))
                               .order_by(Answer.id))
            assert a is not None
            scope = ReviewScope(a.assessment_id, Reviewer(name="lead-wang"))
            with pytest.raises(ReviewError):  # no follow-up was asked, so it cannot be needless
                await set_mark(s, scope, a.id, "needless")
            assert await set_mark(s, scope, a.id, "should_probe") is None
            await uow.commit()
            examples = await marked_examples(s, load_catalog().scripts)
        assert [(e.answer_id, e.label) for e in examples] == [(a.id, "surface")]
        doc = json.loads((await export_data(db, "json", a.assessment_id)).data)
        (mark,) = doc["probe_marks"]
        assert mark["answer_id"] == a.id and mark["mark"] == "should_probe" and mark["reviewer"] == "lead-wang"
        assert mark["marked_at"]
    finally:
        await db.close()
    # Retraining with the mark: it is in the training data, weighted above a written example.
    catalog = load_catalog()
    rules = catalog.prober.with_judge(None)
    small = tp.load_corpus(tp.corpus_files("train"), catalog.scripts)[::10]
    ex = examples[0]
    feedback = [tp.Example("mark", ex.lang, ex.text, ex.label, tp.Context(depth=ex.depth, audience=ex.audience))]
    data = tp.train(small, rules, feedback)
    assert data["meta"]["feedback"] == 1
    judged = tp.judged(rules, data)
    assert judged.decide(ex.text, ex.lang, depth=ex.depth, audience=ex.audience).label == "surface"
