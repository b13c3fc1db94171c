"""The learned coder: features, the pure-Python trainer and Platt scaling, the weights file, and how the run-time
coder combines model and cue rules per code (adoption gate, confusable pairs, the cap for short answers)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from core.coder_features import features, length_bucket
from core.coder_fit import Example, fit_ovr, micro_f1, platt, scores, sigmoid, table
from core.coder_model import LearnedModel, resolve
from core.coding import Coder, parse_codebook

ROOT = Path(__file__).resolve().parents[2]
SMALL = (ROOT / "tests" / "unit" / "test_coding.py").read_text(encoding="utf-8").split('SMALL = """\\\n')[1].split(
    '"""')[0]


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    return parse_codebook(SMALL, "small.yaml")


def test_english_features_words_bigrams_char_grams_and_negation() -> None:
    f = features("Not cheap, and invoicing is slow.", "en", cues=["price"], hints=["speed"])
    assert {"bias", "lang:en", "w:cheap", "w:invoicing", "c:invo", "cue:price", "hint:speed"} <= set(f)
    assert "b:not cheap" in f  # the negation joins the next content word
    assert "b:is slow" not in f and "b:invoicing slow" in f  # fillers are skipped in bigrams
    assert all(v == 1.0 for v in f.values())


def test_chinese_features_characters_bigrams_and_segmenter_words() -> None:
    f = features("报价太慢，用Excel", "zh", segment=lambda run: ["报价", "太慢"] if run == "报价太慢" else [run])
    assert {"c:报", "c:报价", "c:价太", "w:报价", "w:太慢", "b:报价 太慢", "w:excel", "lang:zh"} <= set(f)
    assert "c:慢用" not in f  # punctuation ends a run
    assert features("报价太慢", "zh")["c:太慢"] == 1.0  # without a segmenter: characters only


def test_length_buckets_count_chinese_characters_as_half_words() -> None:
    assert length_bucket("Too slow.", "en") == 0
    assert length_bucket(" ".join(["word"] * 20), "en") == 2
    assert length_bucket("太慢了", "zh") == 0
    assert length_bucket("太" * 50, "zh") == 2


def _toy(n: int, seed: int = 3) -> list[Example]:
    """'price' when the answer says cost words, 'speed' when it says slow words; noise words everywhere."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        codes = set()
        f = {"bias": 1.0}
        for _w in range(6):
            f[f"w:noise{rng.randrange(40)}"] = 1.0
        if rng.random() < 0.3:
            codes.add("price")
            f[rng.choice(["w:cost", "w:price", "w:cheap"])] = 1.0
        if rng.random() < 0.3:
            codes.add("speed")
            f[rng.choice(["w:slow", "w:wait", "w:fast"])] = 1.0
        out.append(Example(f, frozenset(codes)))
    return out


def test_fit_learns_each_code_and_platt_calibrates() -> None:
    train, test = _toy(300), _toy(200, seed=9)
    codes = ["price", "speed"]
    w = fit_ovr(train, codes, epochs=15)
    raw = [scores(w, ex.features, 2) for ex in train]
    a, b = platt([r[0] for r in raw], ["price" in ex.codes for ex in train])
    assert a > 0
    probs = [sigmoid(a * scores(w, ex.features, 2)[0] + b) for ex in test]
    gold = ["price" in ex.codes for ex in test]
    assert table([p >= 0.5 for p in probs], gold).kappa > 0.9  # type: ignore[operator]
    # Calibrated: the mean probability is close to the base rate.
    assert abs(sum(probs) / len(probs) - sum(gold) / len(gold)) < 0.05
    assert w["w:cost"][0] > 0.5 and w["w:slow"][1] > 0.5 and abs(w["w:cost"][1]) < w["w:cost"][0]


def test_platt_with_one_class_only_is_the_identity() -> None:
    assert platt([0.1, 0.2], [False, False]) == (1.0, 0.0)


def test_micro_f1_counts_and_restriction() -> None:
    got = micro_f1([{"a", "b"}, {"c"}], [{"a"}, {"c", "d"}])
    assert (got["tp"], got["fp"], got["fn"]) == (2, 1, 1)
    assert micro_f1([{"a", "b"}], [{"a"}], only={"a"})["f1"] == 1.0


def model_data(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": 1, "meta": {"id": "abc123"},
        "codes": {"price": {"active": "model", "a": 1.0, "b": 0.0, "kappa_model": 0.8, "kappa_cues": 0.5},
                  "speed": {"active": "cues", "kappa_model": 0.4, "kappa_cues": 0.7, "why": "model kappa 0.4 < 0.6"}},
        "weights": {"bias": {"price": -3.0}, "w:invoice": {"price": 4.0, "speed": 9.0}, "cue:price": {"price": 1.0}},
        "cap": [1, 2, 3, 3], "pairs": []}
    data.update(over)
    return data


def test_weights_file_keeps_only_active_codes_and_checks_itself() -> None:
    m = LearnedModel(model_data())
    assert m.active == {"price"} and m.weights["w:invoice"] == {"price": 4.0}
    assert m.gates["speed"].active == "cues" and m.gates["speed"].kappa_model == 0.4
    assert LearnedModel(model_data(), known_codes=["speed"]).active == frozenset()
    with pytest.raises(ValueError, match="version"):
        LearnedModel(model_data(version=2))
    with pytest.raises(ValueError, match="'active' must be"):
        LearnedModel(model_data(codes={"price": {"active": "maybe"}}))


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
    assert path.stat().st_size < 1_500_000


def test_run_time_features_score_exactly_as_the_trainers_features() -> None:
    """`cna code` looks up each word's features once (LearnedModel.known_features); the probabilities must be the
    ones the full feature set gives, on every answer of the coder corpus, twice (the second time from the cache)."""
    from app.catalog import load_catalog
    from app.coder import build_coder
    from app.coder_training import shipped_sets

    catalog = load_catalog()
    coder = build_coder(catalog.codebook)
    model = coder.model
    assert model is not None
    train, heldout = shipped_sets(catalog)
    for _ in range(2):
        for a in train[:400] + heldout:
            cues = [h.code_id for h in coder.cue_hits(a.text, a.lang)]
            full = model.proposals(features(a.text, a.lang, cues=cues, hints=a.hints, segment=model.segment), a.lang)
            fast = model.proposals(model.known_features(a.text, a.lang, cues, a.hints), a.lang)
            assert fast.keys() == full.keys(), a.id
            assert all(abs(fast[c] - full[c]) < 1e-12 for c in full), a.id


def test_platt_shift_refits_only_the_intercept_to_the_leads_answers() -> None:
    from core.coder_fit import platt_shift

    # The lead applies the code twice as often at the same scores: the intercept rises, the slope stays.
    raw = [-2.0, -1.0, 0.0, 1.0, 2.0] * 8
    lead = [s > -1.5 for s in raw]
    b = platt_shift(raw, lead, 1.0, 0.0)
    assert b > 0.5 and sigmoid(1.0 * -1.0 + b) > 0.5
    assert platt_shift(raw, [True] * len(raw), 1.0, 0.3) == 0.3  # one class only: nothing to fit
