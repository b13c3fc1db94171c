"""Sense classes (core/judge_senses.py): a word the training answers never used is read through its class."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest

from app import train_prober as tp
from app.catalog import load_catalog
from app.judge_fit import fit as fit_arrays
from app.judge_fit import fit_block
from app.lexicon import lexicon
from core.judge import CLASSES, Judge, _scores, fit, read_past_specific
from core.judge_features import Context, RuleHits
from core.judge_senses import BLOCK_MAX_UNITS, SENSE, sense_features

CATALOG = load_catalog()
RULES = CATALOG.prober.with_judge(None)


class _Thesaurus:
    """A lexicon of made-up words: 'zorp' and 'blick' mean the same (class 'c7:X'), 'flan' and 'quib' another."""

    CLASSES = {"zorp": ("c7:X", "c5:Xa"), "blick": ("c7:X", "c5:Xa"), "flan": ("c7:Y",), "quib": ("c7:Y",)}

    def words(self, text: str) -> Sequence[str]:
        return tuple(text.split())

    def zipf(self, word: str, lang: str) -> float:
        return 3.0

    def zipfs(self, words: Iterable[str], lang: str) -> list[float]:
        return [3.0 for _ in words]

    def classes(self, word: str, lang: str) -> Sequence[str]:
        return self.CLASSES.get(word, ())

    def hanzi(self, text: str) -> str:
        return text


def test_an_answers_classes_have_unit_length_together() -> None:
    values = sense_features(["zorp", "flan", "zorp", "nowhere"], _Thesaurus(), "en")
    assert set(values) == {SENSE + "c7:X", SENSE + "c5:Xa", SENSE + "c7:Y"}
    assert abs(sum(v * v for v in values.values()) - 1.0) < 1e-9
    assert sense_features(["nowhere"], _Thesaurus(), "en") == {}


def test_a_word_no_training_answer_used_is_read_through_its_class() -> None:
    from core.judge_features import features

    lex, ctx, hits = _Thesaurus(), Context(), RuleHits()
    texts = [("zorp", "dont_know"), ("zorp zorp", "dont_know"), ("well zorp", "dont_know"),
             ("flan", "surface"), ("flan flan", "surface"), ("well flan", "surface")]
    rows = [({**features(t, lex, ctx, hits), **sense_features(lex.words(t), lex, "en")}, y) for t, y in texts * 3]
    weights = fit(rows, CLASSES, epochs=120, lexical_l2=1.0)  # the words themselves held near zero
    judge = Judge({"weights": weights, "rung_weights": {r: {} for r in ("attribute", "consequence", "value")}}, lex)
    assert judge._senses
    # Neither 'blick' nor 'quib' was in any training answer; their classes were.
    assert judge.judge("blick", ctx, hits).label == "dont_know"
    assert judge.judge("quib", ctx, hits).label == "surface"


def test_the_lexicon_reads_cilin_and_wordnet_at_the_levels_the_judge_learns() -> None:
    lex = lexicon()
    know, clear = lex.classes("知道", "zh"), lex.classes("清楚", "zh")
    assert "c7:Gb08A01" in know and "c7:Gb08A01" in clear
    assert not any(c.startswith("c2:") for c in know)
    assert "l:verb.cognition" in lex.classes("remember", "en")
    assert lex.classes("CRM", "zh") == ()


@pytest.mark.parametrize(("text", "lang"), [("无可奉告😂", "zh"), ("no comment, sorry", "en"), ("这题跳过吧", "zh")])
def test_the_judge_scores_an_answers_classes_as_training_saw_them(text: str, lang: str) -> None:
    shipped = CATALOG.prober.judge
    # Inside the class model the classes were measured and not shipped; the shipped judge reads them only through the
    # sense block behind it (docs/probing.md, issue 13's new-writers round).
    assert shipped is not None and not shipped._senses and shipped._sense_block
    ex = tp.Example("x", lang, text, "dont_know", Context(question="What slows you down?"))
    assert not any(k.startswith(SENSE) for k in tp._features(RULES, ex))  # off unless asked for (--senses)
    row = tp._features(RULES, ex, senses=True)
    classes = [k for k in row if k.startswith(SENSE)]
    assert classes and not any(k.startswith(SENSE) for k in tp.rung_view(row))  # the rung model reads none
    # The shipped weights with a weight on each of the answer's classes, as a model trained with --senses has.
    weights = {c: {**w, **{k: 0.1 * (i + 1) * (1 if c == "dont_know" else -1) for i, k in enumerate(classes)}}
               for c, w in shipped.weights.items()}
    judge = Judge({"weights": weights, "rung_weights": shipped.rung_weights}, lexicon())
    assert judge.reads_senses
    trained = _scores(judge.weights, row)
    read, _ = judge._all_scores(judge.features(text, ex.ctx, RULES.rule_hits(text)), text)
    for c in CLASSES:
        assert read[c] == pytest.approx(trained[c], abs=1e-6)


def test_a_class_few_answers_have_is_not_learnt_and_classes_have_their_own_penalty() -> None:
    rows = [({"bias": 1.0, f"{SENSE}c7:A": 0.7}, "dont_know"), ({"bias": 1.0, f"{SENSE}c7:A": 0.7}, "dont_know"),
            ({"bias": 1.0, f"{SENSE}c7:A": 0.7}, "dont_know"), ({"bias": 1.0, f"{SENSE}c7:once": 0.7}, "stop"),
            ({"bias": 1.0}, "surface"), ({"bias": 1.0}, "specific")]
    w = fit_arrays(rows, CLASSES, epochs=30)
    assert any(f"{SENSE}c7:A" in w[c] for c in CLASSES)
    assert all(f"{SENSE}c7:once" not in w[c] for c in CLASSES)
    held, free = fit_arrays(rows, CLASSES, epochs=30, sense_l2=1.0), fit_arrays(rows, CLASSES, epochs=30, sense_l2=0.0)
    size = {name: sum(abs(v) for c in CLASSES for k, v in ws[c].items() if k.startswith(SENSE))
            for name, ws in (("held", held), ("free", free))}
    assert size["held"] < size["free"]


def _block_judge(block: dict[str, dict[str, float]]) -> Judge:
    """Classes that lean towards surface for 'zorp'/'flan' answers, with a sense block on top."""
    weights = {c: {"bias": 0.0} for c in CLASSES}
    weights["surface"]["bias"] = 1.0
    weights["specific"]["w:detailed"] = 3.0
    return Judge({"weights": weights, "rung_weights": {r: {} for r in ("attribute", "consequence", "value")},
                  "sense_weights": block}, _Thesaurus())


def test_the_sense_block_chooses_among_the_non_specific_classes_only() -> None:
    from core.judge_features import features

    ctx, hits = Context(), RuleHits()
    judge = _block_judge({"dont_know": {f"{SENSE}c7:X": 5.0}, "surface": {}, "stop": {}})
    assert judge.reads_senses
    assert judge.judge("zorp", ctx, hits).label == "dont_know"  # a class the block holds moves surface to don't-know
    assert judge.judge("flan", ctx, hits).label == "surface"  # no class of its own: the class model's label
    f = features("detailed zorp", judge.lexicon, ctx, hits)
    assert judge.judge("detailed zorp", ctx, hits).label == _block_judge({}).judge("detailed zorp", ctx, hits).label
    # Even a block leaning hard on `specific` cannot make an answer specific: it reads only the non-specific classes.
    assert read_past_specific({c: 0.0 for c in CLASSES}, {"specific": 99.0}, f) != "specific"


def test_a_long_answer_without_a_sign_of_not_knowing_is_not_read_by_the_block() -> None:
    ctx, hits = Context(), RuleHits()
    judge = _block_judge({"dont_know": {f"{SENSE}c7:X": 5.0}, "surface": {}, "stop": {}})
    long = "zorp " + " ".join(["flan"] * (BLOCK_MAX_UNITS + 2))
    assert judge.judge(long, ctx, hits).label == "surface"
    assert judge.judge("zorp flan", ctx, hits).label == "dont_know"


def test_the_block_is_learnt_on_top_of_fixed_weights_and_moves_only_its_classes() -> None:
    rows = [({"bias": 1.0, f"{SENSE}c7:A": 1.0}, "dont_know")] * 4 + [({"bias": 1.0}, "surface")] * 4
    fixed = {c: {"bias": 0.5 if c == "surface" else 0.0} for c in CLASSES}
    block = fit_block(rows, CLASSES, fixed, moves=("surface", "stop", "dont_know"), epochs=60, l2=1e-4)
    assert not block["specific"]
    assert block["dont_know"][f"{SENSE}c7:A"] > 0
    assert all(not k.startswith("bias") for c in CLASSES for k in block[c])
