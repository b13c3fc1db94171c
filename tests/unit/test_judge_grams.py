"""Character n-grams (core/judge_grams.py): what the judge reads from its own table is what training saw."""

from __future__ import annotations

import pytest

from app import train_prober as tp
from app.catalog import load_catalog
from app.lexicon import lexicon
from core.judge import CLASSES, Judge, _scores
from core.judge_features import Context, clean
from core.judge_grams import GRAM, gram_features, grams
from core.judge_senses import SENSE

CATALOG = load_catalog()
RULES = CATALOG.prober.with_judge(None)


def test_grams_are_pieces_of_words_in_english_and_characters_in_chinese() -> None:
    assert grams("no idea", False) == {"<no>", "<ide", "idea", "dea>"}
    assert {"^", "不", "不清", "清楚$"} <= grams("不清楚", True)
    assert grams("", False) == set()
    values = gram_features("不清楚", True)
    assert all(k.startswith(GRAM) for k in values) and abs(sum(v * v for v in values.values()) - 1.0) < 1e-9


@pytest.mark.parametrize(("text", "lang"), [
    ("not really my area, ask Dave", "en"), ("这个得问我们经理", "zh"),
    ("ＣＲＭ太慢了，每天卡三次", "zh"), ("a holistic end-to-end platform", "en")])
def test_the_judge_scores_an_answer_as_the_training_features_say(text: str, lang: str) -> None:
    judge = CATALOG.prober.judge
    assert judge is not None and judge._grams  # the shipped judge reads n-grams
    ex = tp.Example("x", lang, text, "surface", Context(question="What slows you down?"))
    trained = _scores(judge.weights, tp._features(RULES, ex))
    f = judge.features(text, ex.ctx, RULES.rule_hits(text))
    read, _ = judge._all_scores(f, text)
    for c in CLASSES:
        assert read[c] == pytest.approx(trained[c], abs=1e-6)
    assert any(k.startswith(GRAM) for k in tp._features(RULES, ex))
    assert clean(text)  # the judge cleans as training does


def test_a_judge_without_grams_reads_answers_as_before() -> None:
    judge = CATALOG.prober.judge
    assert judge is not None
    # Without grams and sense classes (core.judge_senses), the blocks that read the text itself.
    plain = Judge({"weights": {c: {k: v for k, v in w.items() if not k.startswith((GRAM, SENSE))}
                               for c, w in judge.weights.items()},
                   "rung_weights": judge.rung_weights}, lexicon())
    assert not plain._grams and not plain._senses
    f = plain.features("lower price", Context(), RULES.rule_hits("lower price"))
    assert plain._all_scores(f, "lower price") == plain._all_scores(f)
