"""The judge's non-answer signs, the classes a context rules out, the trainer and its cross-validation folds."""

from __future__ import annotations

import pytest

from app import train_prober as tp
from core.judge import CLASSES, fit, predict, ruled_out
from core.judge_features import Context
from core.judge_nonanswer import first_clause, non_answer


@pytest.mark.parametrize(("text", "zh"), [
    ("can't remember one specifically", False), ("cant remember tbh", False), ("hard to pick, all of it really", False),
    ("couldn't tell you what they value", False), ("it depends on the week", False),
    ("记不太清了", True), ("这个不是很清楚", True), ("说不准", True), ("一下子想不到具体的", True), ("还没定", True),
])
def test_not_knowing_is_recognised_in_wordings_nobody_listed(text: str, zh: bool) -> None:
    assert non_answer(text.lower(), zh).unsure


@pytest.mark.parametrize(("text", "zh"), [
    ("honestly I'd need the team to tell me", False), ("you'd have to ask my team lead", False),
    ("that's not my area", False), ("这个得查一下合同", True), ("不归我管", True), ("我只负责仓库这段", True),
])
def test_someone_elses_area_is_a_deferral(text: str, zh: bool) -> None:
    assert non_answer(text.lower(), zh).defer


@pytest.mark.parametrize(("text", "zh", "nothing", "ending"), [
    ("nope", False, True, False), ("well, nothing else really", False, True, True),
    ("no, that's all", False, True, True), ("I'd rather not go into it", False, False, True),
    ("木有", True, True, False), ("嗯，没什么了", True, True, True), ("算了，不多说了", True, False, True),
    ("就这些吧", True, False, True),
])
def test_bare_no_and_nothing_more_to_add(text: str, zh: bool, nothing: bool, ending: bool) -> None:
    na = non_answer(text.lower(), zh)
    assert (na.nothing, na.ending) == (nothing, ending)


@pytest.mark.parametrize(("text", "zh"), [
    ("the customer knows the price before the quote goes out", False),
    ("last Tuesday the truck was two hours late and the farmer called me", False),
    ("上个月有个客户的发票开错了三次", True),
])
def test_a_real_answer_shows_no_sign(text: str, zh: bool) -> None:
    na = non_answer(text.lower(), zh)
    assert not (na.unsure or na.defer or na.nothing or na.ending)


def test_the_signs_are_cut_out_of_what_is_left() -> None:
    na = non_answer("not sure, maybe the invoices", False)
    assert "not sure" not in na.left and "invoices" in na.left
    assert first_clause("no, the quote was late") == "no"


def test_context_rules_out_an_ending_to_a_first_question_and_not_knowing_to_a_closing_one() -> None:
    assert ruled_out({"follow_up": 0.0, "closing": 0.0}) == ("stop",)
    assert ruled_out({"follow_up": 1.0, "closing": 0.0}) == ()
    assert ruled_out({"follow_up": 1.0, "closing": 1.0}) == ("dont_know",)
    weights = {c: {} for c in CLASSES}
    weights["stop"] = {"bias": 5.0}  # the model's favourite, yet impossible on a first content question
    assert predict(weights, {"bias": 1.0}) != "stop"
    assert predict(weights, {"bias": 1.0, "follow_up": 1.0}) == "stop"


def test_fit_learns_a_separable_toy_problem() -> None:
    rows = [({"bias": 1.0, "a": 1.0}, "surface"), ({"bias": 1.0, "b": 1.0}, "specific"),
            ({"bias": 1.0, "c": 1.0, "follow_up": 1.0}, "stop"), ({"bias": 1.0, "d": 1.0}, "dont_know")] * 5
    weights = fit(rows, CLASSES, epochs=100)
    assert [predict(weights, f) for f, _ in rows[:4]] == [label for _, label in rows[:4]]


def _ex(i: int, lang: str, label: str) -> tp.Example:
    return tp.Example(f"x{i}", lang, "text", label, Context())


def test_folds_partition_the_examples_and_keep_each_cell_spread() -> None:
    examples = [_ex(i, lang, label) for i, (lang, label) in
                enumerate([(lang, label) for lang in ("en", "zh") for label in CLASSES for _ in range(10)])]
    folds = tp.folds(examples, 5)
    assert sorted(i for f in folds for i in f) == list(range(len(examples)))
    cells = {(lang, c) for lang in ("en", "zh") for c in CLASSES}
    for f in folds:
        assert {(examples[i].lang, examples[i].label) for i in f} == cells
        assert len(f) == len(examples) // 5
    assert tp.folds(examples, 5) == folds  # deterministic


def test_cross_validation_refuses_silly_fold_counts() -> None:
    with pytest.raises(ValueError, match="folds"):
        tp.cross_validate([_ex(0, "en", "stop")], None, 2)  # type: ignore[arg-type]


def test_cross_validation_judges_every_train_answer_once_with_a_model_that_never_saw_it() -> None:
    from app.catalog import load_catalog

    catalog = load_catalog()
    examples = tp.load_corpus(tp.corpus_files("train"), catalog.scripts)[::15]
    assert all(ex.id.startswith("tr-") for ex in examples)  # the train split only
    scores = tp.cross_validate(examples, catalog.prober.with_judge(None), 3)
    assert sum(scores.total.values()) == len(examples)
    assert {lang for lang, _ in scores.total} == {"en", "zh"}
    # Far better than chance on answers it never saw, even from a fifteenth of the data.
    assert sum(scores.right.values()) / len(examples) > 0.75


def test_rung_cross_validation_reads_every_rung_labelled_answer_once() -> None:
    from app.catalog import load_catalog
    from core.judge import RUNGS

    catalog = load_catalog()
    examples = tp.load_corpus(tp.corpus_files("train"), catalog.scripts)[::10]
    rungs = tp.rung_cross_validate(examples, catalog.prober.with_judge(None), 3)
    labelled = [ex for ex in examples if ex.rung in RUNGS and ex.label in ("surface", "specific")]
    assert sum(rungs.total.values()) == len(labelled) and set(rungs.total) <= {(lg, r) for lg in ("en", "zh")
                                                                                   for r in RUNGS}
    # Better than always saying "attribute" (a third per rung) on answers it never saw.
    assert all((m := rungs.macro(lang)) is not None and m > 0.4 for lang in ("en", "zh"))


@pytest.mark.parametrize(("text", "zh"), [
    ("the controller would know better than me", False), ("that's above my pay grade", False),
    ("you'd be better off asking the analytics team", False), ("I'd need to check and get back to you", False),
    ("问我们领导吧", True), ("你问数据组吧，他们更清楚", True), ("这块我接触不多", True),
    ("我回头查一下再告诉你", True),
])
def test_deferral_is_read_from_its_grammar(text: str, zh: bool) -> None:
    assert non_answer(text.lower(), zh).defer


@pytest.mark.parametrize(("text", "zh"), [
    ("hmm, I'm drawing a blank", False), ("I'd just be guessing", False), ("no strong view on that yet", False),
    ("couldn't really put my finger on it", False), ("说不太好", True), ("一时答不上来", True), ("我得想想", True),
    ("现在还拿不准", True), ("布吉岛", True),
])
def test_more_ways_of_not_knowing(text: str, zh: bool) -> None:
    assert non_answer(text.lower(), zh).unsure


def test_not_really_sure_is_not_knowing_not_a_bare_no() -> None:
    na = non_answer("not really sure what they'd use it for", False)
    assert na.unsure and not na.nothing and not na.ending


def test_the_sign_an_answer_ends_on() -> None:
    assert non_answer("not sure, but that's really all i've got", False).last == "ending"
    assert non_answer("no, i'd have to ask my boss", False).last == "defer"
    assert non_answer("不太清楚，反正我知道的就这些了", True).last == "ending"


def test_overlapping_signs_leave_no_fragment_behind() -> None:
    # Cut one after the other, "not really" (a bare no and an ending at once) left "l" of "i've said it all".
    na = non_answer("not really, i've said it all", False)
    assert set(na.left.replace(",", " ").split()) <= {"it", "all"}
    assert non_answer("没什么了，没了", True).left.strip(" ，") == ""


def test_a_shrug_and_typing_slips_read_as_not_knowing() -> None:
    from app.lexicon import lexicon
    from core.judge_features import RuleHits, clean, features
    from core.judge_signs import _mend

    assert clean("🤷\u200d♀️").strip() == "idk" and clean("¯\\_(ツ)_/¯ 说不好").split()[0] == "idk"
    f = features("dont knw tbh", lexicon(), Context(), RuleHits())
    assert f["na_unsure"] == 1.0 and f["unsure@first"] == 1.0
    assert features("no idae honestly", lexicon(), Context(), RuleHits())["na_unsure"] == 1.0
    # Only unknown or rare words are mended: "thing" is one edit from "think", and common.
    words = lexicon().words("no thing shure")
    assert _mend("no thing shure", words, lexicon().zipfs(words, "en")) == "no thing sure"


@pytest.mark.parametrize(("text", "lang"), [
    ("ask my manager", "en"), ("not my area", "en"), ("I'd have to think about it", "en"),
    ("not sure about pricing honestly", "en"), ("🤷", "en"), ("ＩＤＫ", "en"), ("dont knw tbh", "en"),
    ("说不上来", "zh"), ("问我们领导吧", "zh"), ("这个我得想想", "zh"), ("🤷 记不得了", "zh"),
])
def test_the_shipped_judge_meets_evasive_answers_with_a_dont_know_technique(text: str, lang: str) -> None:
    from app.catalog import load_prober

    d = load_prober().decide(text, lang)
    assert d.reason == "dont_know" and d.spoken


def test_an_ending_after_a_sign_of_not_knowing_ends_a_follow_up() -> None:
    from app.catalog import load_prober

    assert load_prober().decide("not sure, but that's really all I've got", "en", depth=1).reason == "stop_phrase"
    assert load_prober().decide("I don't know the exact number, but every night about 300 orders fail to sync "
                                "from Shopify into SAP", "en").reason == "specific"
