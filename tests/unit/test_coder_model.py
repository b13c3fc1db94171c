"""The learned coder: TF-IDF n-grams, Platt scaling and proposal lines, the weights file, and how the run-time
coder combines model and cue rules per code (adoption gate, confusable pairs, the cap for short answers)."""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.coder_learn import fit
from core.coder_fit import micro_f1, platt, sigmoid, table
from core.coder_model import LearnedModel, confidence, resolve
from core.coder_tfidf import Analyzer, idf_of, length_bucket, tfidf
from core.coding import Coder, parse_codebook

ROOT = Path(__file__).resolve().parents[2]
SMALL = (ROOT / "tests" / "unit" / "test_coding.py").read_text(encoding="utf-8").split('SMALL = """\\\n')[1].split(
    '"""')[0]


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    return parse_codebook(SMALL, "small.yaml")


def test_english_n_grams_words_bigrams_and_characters_inside_words() -> None:
    got = Analyzer().counts("Pay the invoice, pay!", "en")
    assert got["w:pay"] == 2 and got["w:the invoice"] == 1 and got["w:invoice pay"] == 1
    assert {"c: p", "c:pay ", "c: inv", "c:oice "} <= set(got) and got["c: pay "] == 2
    assert "c:e," not in got and "c:e i" not in got  # character n-grams stay inside words
    pieces = Analyzer()("Pay the invoice, pay!", "en")  # four words, then three bigrams, one piece each
    assert len(pieces) == 7 and pieces[0]["c: pay "] == 1 and pieces[4] == {"w:pay the": 1}


def test_chinese_n_grams_lexicon_words_characters_and_latin_words() -> None:
    got = Analyzer(["报价", "太慢"]).counts("报价太慢，用Excel", "zh")
    assert {"w:报价", "w:太慢", "c:报", "c:报价", "c:价太慢", "w:用", "w:excel"} <= set(got)
    assert "c:慢用" not in got  # punctuation ends a run of characters
    assert "w:报价" not in Analyzer().counts("报价太慢", "zh")  # outside the lexicon: single characters


def test_tfidf_is_sublinear_and_normalised_per_block() -> None:
    idf = idf_of([["w:a", "c:x"], ["w:a", "w:b", "c:x"], ["w:b", "c:y"]])
    assert idf["w:a"] == pytest.approx(math.log(4 / 3) + 1) and "c:y" not in idf  # in one document only
    v = tfidf([Counter({"w:a": 3, "w:b": 1, "c:x": 1, "c:zz": 5})], idf)
    wa, wb = (1 + math.log(3)) * idf["w:a"], idf["w:b"]
    assert v["w:a"] == pytest.approx(wa / math.hypot(wa, wb)) and v["c:x"] == pytest.approx(1.0)
    assert "c:zz" not in v
    # tf counts within a piece; an n-gram in two pieces adds two values, and the norm both squares.
    two = tfidf([Counter({"w:a": 1}), Counter({"w:a": 1, "w:b": 1})], idf)
    a2 = 2 * idf["w:a"]
    assert two["w:a"] == pytest.approx(a2 / math.sqrt(2 * idf["w:a"] ** 2 + wb ** 2))


def test_length_buckets_count_chinese_characters_as_half_words() -> None:
    assert length_bucket("Too slow.", "en") == 0
    assert length_bucket(" ".join(["word"] * 20), "en") == 2
    assert length_bucket("太慢了", "zh") == 0
    assert length_bucket("太" * 50, "zh") == 2


def _toy(n: int, seed: int = 3) -> list[tuple[dict[str, float], frozenset[str]]]:
    """'price' when the answer says cost words, 'speed' when it says slow words; noise words everywhere."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        codes = set()
        f = {f"w:noise{rng.randrange(40)}": 0.4 for _w in range(6)}
        if rng.random() < 0.3:
            codes.add("price")
            f[rng.choice(["w:cost", "w:price", "w:cheap"])] = 0.6
        if rng.random() < 0.3:
            codes.add("speed")
            f[rng.choice(["w:slow", "w:wait", "w:fast"])] = 0.6
        out.append((f, frozenset(codes)))
    return out


def test_fit_learns_each_code_and_platt_calibrates() -> None:
    train, test = _toy(300), _toy(200, seed=9)
    m = fit([f for f, _ in train], [c for _, c in train], ["price", "speed"], [1.0] * len(train), 10.0)
    raw = m.decisions([f for f, _ in train])
    a, b = platt([r[0] for r in raw], ["price" in c for _, c in train])
    assert a > 0
    probs = [sigmoid(a * r[0] + b) for r in m.decisions([f for f, _ in test])]
    gold = ["price" in c for _, c in test]
    assert table([p >= 0.5 for p in probs], gold).kappa > 0.9  # type: ignore[operator]
    # Calibrated: the mean probability is close to the base rate (balanced class weights are undone by Platt).
    assert abs(sum(probs) / len(probs) - sum(gold) / len(gold)) < 0.05
    w = m.weights()
    assert w["w:cost"][0] > 1.0 and w["w:slow"][1] > 1.0 and abs(w["w:cost"][1]) < w["w:cost"][0]


def test_naive_bayes_scale_favours_a_code_s_own_words_over_shared_ones() -> None:
    import numpy as np
    from scipy.sparse import csr_matrix

    from app.coder_learn import nb_scale

    # Columns: a word only in the code's answers, one in every answer, one only in the others.
    present = csr_matrix(np.array([[1, 1, 0]] * 10 + [[0, 1, 1]] * 30, dtype=float))
    y = np.array([1] * 10 + [0] * 30)
    r = nb_scale(present, y, np.ones(40))
    assert r[0] > 2.0 and r[2] > 2.0 and r[1] < 0.05  # a shared word barely enters the regression
    # The lead's answers count by their weight: weighting the code's answers up moves the ratios.
    assert not np.allclose(nb_scale(present, y, np.array([3.0] * 10 + [1.0] * 30)), r)
    # The scale is folded into the weights written: a shared word keeps (almost) no weight, an own word a large one.
    rows = [{"w:own": 0.6, "w:all": 0.8}] * 10 + [{"w:other": 0.6, "w:all": 0.8}] * 30
    w = fit(rows, [frozenset({"x"})] * 10 + [frozenset()] * 30, ["x"], [1.0] * 40, 10.0).weights()
    assert w["w:own"][0] > 1.0 and abs(w["w:all"][0]) < 0.1 * w["w:own"][0]


def _hinted(seed: int) -> tuple[list[dict[str, float]], list[frozenset[str]]]:
    """Answers to two questions: one hints at speed and price, where price is rarer; the other hints at nothing."""
    rng = random.Random(seed)
    rows, gold = [], []
    for _ in range(300):
        hinted = rng.random() < 0.5
        price = rng.random() < (0.1 if hinted else 0.5)
        speed = rng.random() < (0.6 if hinted else 0.1)
        f = {"w:cost": 0.7} if price else {"w:other": 0.7}
        f.update({"w:slow": 0.7} if speed and rng.random() < 0.5 else {})  # half say it in other words
        f.update({"hint:en:speed": 1.0, "hint:en:price": 1.0} if hinted else {})
        rows.append(f)
        gold.append(frozenset({"price"} if price else set()) | ({"speed"} if speed else set()))
    return rows, gold


@pytest.mark.parametrize("mode", ["nonneg", "own"])
def test_a_question_hint_never_pushes_a_code_down(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hint says a code is plausible: it may raise a code, never lower it. Where the question hinting at speed
    has fewer price answers, price must not learn a negative weight for those hints (issue 19: a plain "customers
    just want it cheaper" lost its price under another question's hints)."""
    from app import coder_learn

    rows, gold = _hinted(4)
    monkeypatch.setattr(coder_learn, "HINTS", "all")
    w = fit(rows, gold, ["price", "speed"], [1.0] * len(rows), 10.0).weights()
    assert w["hint:en:speed"][0] < 0  # what every hint for every code learned before
    monkeypatch.setattr(coder_learn, "HINTS", mode)
    w = fit(rows, gold, ["price", "speed"], [1.0] * len(rows), 10.0).weights()
    assert w["hint:en:speed"][0] >= 0.0 and w["hint:en:speed"][1] + w["hint:en:price"][1] > 0.0  # speed raised
    if mode == "nonneg":
        assert all(w[f][j] >= 0.0 for f in ("hint:en:speed", "hint:en:price") for j in (0, 1))
    else:  # only a code's own hint: no weight for another code's (its own may still be negative)
        assert w["hint:en:speed"][0] == 0.0 and w["hint:en:price"][1] == 0.0


def test_a_proposal_line_moves_to_the_threshold_keeping_the_order() -> None:
    assert confidence(0.3, 0.3) == 0.5 and confidence(0.6, 0.5) == 0.6
    assert confidence(0.29, 0.3) < 0.5 < confidence(0.31, 0.3) and confidence(1.0, 0.3) == 1.0
    xs = [i / 20 for i in range(21)]
    assert [confidence(x, 0.35) for x in xs] == sorted(confidence(x, 0.35) for x in xs)


def test_platt_with_one_class_only_is_the_identity() -> None:
    assert platt([0.1, 0.2], [False, False]) == (1.0, 0.0)


def test_micro_f1_counts_and_restriction() -> None:
    got = micro_f1([{"a", "b"}, {"c"}], [{"a"}, {"c", "d"}])
    assert (got["tp"], got["fp"], got["fn"]) == (2, 1, 1)
    assert micro_f1([{"a", "b"}], [{"a"}], only={"a"})["f1"] == 1.0


def model_data(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": 2, "meta": {"id": "abc123"},
        "codes": {"price": {"active": "model", "a": 1.0, "b": 0.0, "kappa_model": 0.8, "kappa_cues": 0.5},
                  "speed": {"active": "cues", "kappa_model": 0.4, "kappa_cues": 0.7, "why": "model kappa 0.4 < 0.6"}},
        "weight_codes": ["price", "speed"], "idf": {"w:invoice": 1.0},
        "weights": {"bias": [0, -3.0], "w:invoice": [0, 4.0, 1, 9.0], "cue:en:price": [0, 1.0]},
        "cap": [1, 2, 3, 3], "pairs": []}
    data.update(over)
    return data


def test_weights_file_keeps_only_active_codes_and_checks_itself() -> None:
    m = LearnedModel(model_data())
    assert m.active == {"price"} and m.weight("w:invoice", "price") == 4.0 and m.weight("w:invoice", "speed") == 0
    assert m.gates["speed"].active == "cues" and m.gates["speed"].kappa_model == 0.4
    assert LearnedModel(model_data(), known_codes=["speed"]).active == frozenset()
    with pytest.raises(ValueError, match="version 1 is not 2"):
        LearnedModel(model_data(version=1))
    with pytest.raises(ValueError, match="'active' must be"):
        LearnedModel(model_data(codes={"price": {"active": "maybe"}}))


def test_a_code_is_proposed_from_its_own_line_with_the_line_at_one_half(small) -> None:  # type: ignore[no-untyped-def]
    codes = {"price": {"active": "model", "a": 1.0, "b": 0.0, "line": 0.3}}
    coder = Coder(small, model=LearnedModel(model_data(codes=codes, weights={"bias": [0, -0.5]})))
    # p = sigmoid(-0.5) = 0.38: under 0.5, but over price's line 0.3; shown as 0.5 + 0.5 * 0.08 / 0.7.
    assert [(h.code_id, h.confidence) for h in coder.code("nothing here", "en")] == [("price", 0.56)]


def test_an_answer_with_no_question_has_its_own_intercept_and_line(small) -> None:  # type: ignore[no-untyped-def]
    """Every corpus answer has its question's code hints, a pasted one (`cna code`) none: the weights carry an
    intercept and a proposal line fitted for answers with their hints removed, used only where there are none."""
    codes = {"price": {"active": "model", "a": 1.0, "b": 0.0, "line": 0.5, "b_plain": 1.0, "line_plain": 0.4}}
    m = LearnedModel(model_data(codes=codes, weights={"bias": [0, -0.5]}))
    assert m.probabilities("nothing here", "en")["price"] == pytest.approx(sigmoid(0.5))
    assert m.probabilities("nothing here", "en", hints=["speed"])["price"] == pytest.approx(sigmoid(-0.5))
    assert m.calibration("price", ()) == (1.0, 1.0, 0.4) and m.calibration("price", ("speed",)) == (1.0, 0.0, 0.5)
    coder = Coder(small, model=m)
    # sigmoid(0.5) = 0.62 over the plain line 0.4: shown as 0.5 + 0.5 * 0.22 / 0.6; with a hint 0.38 < 0.5.
    assert [(h.code_id, h.confidence) for h in coder.code("nothing here", "en")] == [("price", 0.69)]
    assert coder.code("nothing here", "en", ["speed"]) == []
    # Weights without them (trained before): the hinted calibration for both.
    old = LearnedModel(model_data(codes={"price": {"active": "model", "a": 1.0, "b": 0.0}}))
    assert old.calibration("price", ()) == old.calibration("price", ("speed",)) == (1.0, 0.0, 0.5)


def test_coder_uses_the_model_only_for_adopted_codes(small) -> None:  # type: ignore[no-untyped-def]
    coder = Coder(small, model=LearnedModel(model_data()))
    # "invoice" is no price cue: only the model finds it (p = sigmoid(1)), with the n-gram as evidence.
    hits = {h.code_id: h for h in coder.code("The invoice is always wrong", "en")}
    assert set(hits) == {"price"} and hits["price"].cue == "invoice" and hits["price"].confidence == 0.73
    assert hits["price"].rule == "en:model:abc123"
    # A price cue alone gives the model too little (p = sigmoid(-2)): not proposed, although the cue fired.
    assert Coder(small).code("a discount", "en") and not coder.code("a discount", "en")
    # speed stays with its cue rule.
    assert [h.code_id for h in coder.code("It is slow", "en")] == ["speed"]
    assert [h.rule for h in coder.code("It is slow", "en")] == [h.rule for h in Coder(small).code("It is slow", "en")]


def test_short_answers_are_capped_and_pairs_keep_the_likelier(small) -> None:  # type: ignore[no-untyped-def]
    coder = Coder(small, model=LearnedModel(model_data()))
    # Two words: at most one code (cap [1, ...]); the model's 0.73 beats the speed cue's 0.6.
    assert [h.code_id for h in coder.code("invoice slow", "en")] == ["price"]
    assert [h.code_id for h in coder.code("the invoice is so slow to arrive every month", "en")] == ["price", "speed"]
    assert resolve({"a": 0.9, "b": 0.7, "c": 0.6}, [("a", "b")], cap=5) == {"b"}
    assert resolve({"a": 0.9, "b": 0.7, "c": 0.6}, [], cap=2) == {"c"}
    assert resolve({"a": 0.9, "b": 0.4}, [("a", "b")], cap=5) == set()  # b is no proposal: nothing to resolve


def test_shipped_weights_load_with_the_shipped_codebook() -> None:
    path = ROOT / "interview_scripts" / "coder.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    cb_path = ROOT / "interview_scripts" / "codebook.yaml"
    codebook = parse_codebook(cb_path.read_text(encoding="utf-8"), str(cb_path))
    model = LearnedModel(data, [c.id for c in codebook.codes])
    assert model.active and set(model.gates) <= {c.id for c in codebook.codes}
    for code in model.active:
        g = model.gates[code]
        assert g.kappa_model is not None and g.kappa_model >= 0.6
        assert g.kappa_cues is None or g.kappa_model >= g.kappa_cues
    assert path.stat().st_size < 4_500_000  # idf of every n-gram (the norm needs them) and the pruned weights


def hinted(model: LearnedModel, lang: str, hints: Sequence[str], code: str) -> float:
    """The hints' part of a code's score: its own hint's weight, plus the other codes' hints summed, floored at
    -hint_floor where the weights file has one."""
    own = model.weight(f"hint:{lang}:{code}", code) if code in hints else 0.0
    cross = sum(model.weight(f"hint:{lang}:{h}", code) for h in hints) - own
    return own + (cross if model.hint_floor is None else max(cross, -model.hint_floor))


def test_run_time_scores_are_exactly_the_trainers_tfidf_dot_the_weights() -> None:
    """`cna code` sums remembered per-word rows and corrects repeated n-grams; the scores must be those of the
    trainer's TF-IDF rows (core.coder_tfidf.tfidf) dotted with the file's weights, on every third answer of the
    coder corpus's heldout split (about 330, both languages) and part of train, twice (the second time from the
    remembered words). The check is exact to 1e-9 per answer, so a third of the split is as strict as all of it."""
    from app.catalog import load_catalog
    from app.coder_training import shipped_sets

    catalog = load_catalog()
    coder = catalog.coder
    model = coder.model
    assert model is not None
    codes = sorted(model.active)
    train, heldout = shipped_sets(catalog)
    for _ in range(2):
        for a in train[:150] + heldout[::3]:
            cues = [h.code_id for h in coder.cue_hits(a.text, a.lang)]
            x = tfidf(model.analyzer(a.text, a.lang), model.idf)
            x.update({"bias": 1.0, f"lang:{a.lang}": 1.0, **{f"cue:{a.lang}:{c}": 1.0 for c in cues}})
            want = [sum(v * model.weight(f, c) for f, v in x.items()) + hinted(model, a.lang, a.hints, c)
                    for c in codes]
            got = model.scores(a.text, a.lang, cues, a.hints)
            assert all(abs(p - q) < 1e-9 for p, q in zip(want, got, strict=True)), a.id


def test_platt_shift_refits_only_the_intercept_to_the_leads_answers() -> None:
    from core.coder_fit import platt_shift

    # The lead applies the code twice as often at the same scores: the intercept rises, the slope stays.
    raw = [-2.0, -1.0, 0.0, 1.0, 2.0] * 8
    lead = [s > -1.5 for s in raw]
    b = platt_shift(raw, lead, 1.0, 0.0)
    assert b > 0.5 and sigmoid(1.0 * -1.0 + b) > 0.5
    assert platt_shift(raw, [True] * len(raw), 1.0, 0.3) == 0.3  # one class only: nothing to fit


@pytest.mark.parametrize(("lang", "text"), [("zh", "客户就是要便宜。"), ("en", "Customers just want it cheaper.")])
def test_a_clearly_stated_price_is_coded_whatever_else_the_question_hints(lang: str, text: str) -> None:
    """The shipped coder: internal-sales change_first hints at process, data, capability, adoption and strategy,
    none of them price; a plain "the customer just wants it cheaper" is price with those hints as without them
    (the other codes' hints take at most app.coder_learn.HINT_FLOOR from its score)."""
    from app.catalog import load_catalog

    catalog = load_catalog()
    hints = catalog.scripts[("internal-sales", lang)].question("change_first").codes
    assert hints and "price" not in hints
    assert "price" in {h.code_id for h in catalog.coder.code(text, lang, ()) if h.confidence >= 0.5}
    assert "price" in {h.code_id for h in catalog.coder.code(text, lang, hints) if h.confidence >= 0.5}


def test_the_hint_prior_is_each_codes_own_offset_and_never_below_zero() -> None:
    """HINTS "prior": a question's hint adds a fixed offset to its own code's score, fitted with the calibration on
    held-out scores; where a hinted code is rarer under its hint (price here) the offset stays 0, never negative."""
    from app.coder_learn import hint_prior

    rows, gold = _hinted(4)
    raw = [[2.0 if "w:cost" in r else -2.0, 2.0 if "w:slow" in r else -2.0] for r in rows]
    hinted = [[r.get("hint:en:price", 0.0) > 0, r.get("hint:en:speed", 0.0) > 0] for r in rows]
    offs = hint_prior(raw, hinted, ["en"] * len(rows), [["price" in g, "speed" in g] for g in gold])
    assert offs[1]["en"] > 0.5 and offs[0]["en"] == 0.0  # speed raised by its hint; price not pushed down
    assert offs[0]["zh"] == offs[1]["zh"] == 0.0  # no Chinese answers: no offset


def test_other_codes_hints_subtract_at_most_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """HINT_FLOOR: every hint is learned for every code, but the other codes' hints together take at most the floor
    from a code's score, in the trainer's scores as at run time; a code's own hint counts in full."""
    from app import coder_learn

    rows, gold = _hinted(4)
    monkeypatch.setattr(coder_learn, "HINTS", "all")
    m = fit(rows, gold, ["price", "speed"], [1.0] * len(rows), 10.0)
    bare, hints = {"w:cost": 0.7}, {"w:cost": 0.7, "hint:en:speed": 1.0}
    drop = m.decisions([hints])[0][0] - m.decisions([bare])[0][0]
    assert drop < -0.1  # unfloored: a speed question pushes a plain price statement down
    monkeypatch.setattr(coder_learn, "HINT_FLOOR", 0.05)
    (p_bare, s_bare), (p_hint, s_hint) = m.decisions([bare, hints])
    assert p_hint - p_bare == pytest.approx(-0.05)
    assert s_hint - s_bare == pytest.approx(m.weights()["hint:en:speed"][1])  # own hint: in full
    # The weights file's floor makes core.coder_model score the same way.
    w = m.weights()
    data = {"version": 2, "meta": {"id": "t"}, "idf": {"w:cost": 1.0}, "lexicon": [], "hint_floor": 0.05,
            "weight_codes": ["price", "speed"], "cap": [9], "pairs": [],
            "codes": {c: {"active": "model", "a": 1.0, "b": 0.0, "kappa_model": 0.9, "kappa_cues": 0.1}
                      for c in ("price", "speed")},
            "weights": {f: [x for j in (0, 1) for x in (j, w[f][j])] for f in ("bias", "hint:en:speed",
                                                                              "hint:en:price")}}
    model = LearnedModel(data)
    plain, asked = model.scores("", "en"), model.scores("", "en", hints=["speed"])
    assert asked[0] - plain[0] == pytest.approx(-0.05) and asked[1] - plain[1] == pytest.approx(w["hint:en:speed"][1])


def test_other_codes_cue_hits_subtract_at_most_the_cue_floor(small) -> None:  # type: ignore[no-untyped-def]
    """CUE_FLOOR (off by default; measured by bench/coder_writers.py --cue-floor): a speed cue may take at most the
    floor from price's score, as the hint floor bounds other codes' hints; a code's own cue counts in full."""
    codes = {"price": {"active": "model", "a": 1.0, "b": 0.0}, "speed": {"active": "model", "a": 1.0, "b": 0.0}}
    weights = {"bias": [0, 0.0, 1, 0.0], "cue:en:speed": [0, -3.0, 1, 2.0], "cue:en:price": [0, 2.0, 1, -1.0]}
    free = LearnedModel(model_data(codes=codes, weights=weights))
    floored = LearnedModel(model_data(codes=codes, weights=weights, cue_floor=0.5))
    assert free.scores("x", "en", ["price", "speed"]) == [-1.0, 1.0]  # (price, speed): sorted codes
    assert floored.scores("x", "en", ["price", "speed"]) == [1.5, 1.5]  # own cue in full, the other's -0.5 at most
    assert floored.scores("x", "en", ["speed"]) == [-0.5, 2.0]


def test_a_long_stream_of_distinct_answers_keeps_the_remembered_pieces_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """`cna code` on an export, or `cna serve` for months, meets ever new words and Chinese runs: the model's
    remembered pieces stay within their bound (cleared when full), its n-grams' weights within the file's vocabulary,
    the analyzer remembers nothing for it, and what is coded after a clear is what a fresh model codes."""
    import core.coder_model as coder_model
    from app.coder import build_coder, load_model
    from app.config_files import load_codebook

    bound = 300
    monkeypatch.setattr(coder_model, "_PIECES_MAX", bound)
    codebook = load_codebook(None)
    coder = build_coder(codebook, load_model(codebook))
    model = coder.model
    assert model is not None
    rng = random.Random(19)
    zh_chars = "价格太贵服务慢质量好交付销售客户系统数据报表流程培训支持合同续约功能集成"
    en_words = ["price", "delivery", "slow", "support", "quality", "reports", "pipeline", "contract", "renewal",
                "training", "integration", "forecast", "dashboard", "cheaper", "faster", "team"]
    answers = []
    for i in range(2_000):  # distinct: a new Chinese run, or a new made-up word, in every answer
        if i % 2:
            answers.append(("".join(rng.choices(zh_chars, k=rng.randint(6, 14))) + f"，{i}号", "zh"))
        else:
            answers.append((" ".join(rng.choices(en_words, k=5)) + f" zq{i}x.", "en"))
    coded = []
    for text, lang in answers:
        coded.append(coder.code(text, lang))
        assert len(model._pieces) <= bound
    assert len(model._sparse) <= len(model.idf) and not model.analyzer._known
    fresh = build_coder(codebook, load_model(codebook))
    assert [fresh.code(t, lang) for t, lang in answers[-200:]] == coded[-200:]
