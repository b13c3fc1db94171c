"""Clauses in the learned coder: a code stated in a clause of its own is judged on that clause (its cue pulled down by
another clause's, a confusable pair, the cap for short answers), as core.coding.Coder does at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

import core.coding as coding
from core.coder_clauses import clauses, focus_object
from core.coder_model import LearnedModel
from core.coding import Coder, parse_codebook

ROOT = Path(__file__).resolve().parents[2]
SMALL = (ROOT / "tests" / "unit" / "test_coding.py").read_text(encoding="utf-8").split('SMALL = """\\\n')[1].split(
    '"""')[0]
BOTH = {"price": {"active": "model", "a": 1.0, "b": 0.0}, "speed": {"active": "model", "a": 1.0, "b": 0.0}}


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    return parse_codebook(SMALL, "small.yaml")


def model(weights: dict[str, list[float]], pairs: list[list[str]] | None = None,
          cap: list[int] | None = None) -> LearnedModel:
    return LearnedModel({"version": 2, "meta": {"id": "clauses"}, "codes": BOTH, "weight_codes": ["price", "speed"],
                         "idf": {"w:invoice": 1.0}, "weights": weights, "cap": cap or [2, 2, 3, 3],
                         "pairs": pairs or []})


# A speed cue takes 3 from price (answers with a speed cue are seldom price), each code's own cue adds 3.
PULLED = {"bias": [0, -1.0, 1, -1.0], "cue:en:price": [0, 3.0], "cue:en:speed": [0, -3.0, 1, 3.0],
          "cue:zh:price": [0, 3.0], "cue:zh:speed": [0, -3.0, 1, 3.0]}


def test_clauses_split_on_sentences_commas_and_joining_words() -> None:
    assert clauses("The price is too high and delivery is slow", "en") == ["The price is too high", "delivery is slow"]
    assert clauses("Too expensive. Slow to ship; the app is buggy, too!", "en") == [
        "Too expensive", "Slow to ship", "the app is buggy, too"]  # "too" alone is no clause: joined to the one before
    assert clauses("The customer only cares about the price.", "en") == ["The customer only cares about the price."]
    assert clauses("fast and cheap", "en") == ["fast and cheap"]  # one-word pieces are no clauses of their own
    assert clauses("价格太高，而且交货太慢。", "zh") == ["价格太高", "交货太慢"]
    assert clauses("价格、速度都重要", "zh") == ["价格、速度都重要"]  # 顿号 lists items of one clause
    assert clauses("", "en") == [""]


def test_a_code_pulled_down_by_another_clause_is_judged_on_its_own_clause(small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    coder = Coder(small, model=model(PULLED))
    text = "The price is too high and delivery is slow"
    hits = {h.code_id: h for h in coder.code(text, "en")}
    assert set(hits) == {"price", "speed"}
    assert hits["price"].cue == "price" and hits["price"].confidence == 0.88  # sigmoid(2): its clause alone
    assert hits["price"].rule == "en:model:clauses"
    assert {h.code_id for h in coder.code("价格太高，而且交货太慢", "zh")} == {"price", "speed"}
    # One clause stating both: the whole answer decides (the speed cue does take price below its line).
    assert {h.code_id for h in coder.code("a slow price", "en")} == {"speed"}
    monkeypatch.setattr(coding, "CLAUSES", frozenset())
    assert {h.code_id for h in coder.code(text, "en")} == {"speed"}


def test_a_confusable_pair_keeps_both_codes_stated_in_clauses_of_their_own(small) -> None:  # type: ignore[no-untyped-def]
    weights = {"bias": [0, -1.0, 1, -1.0], "cue:en:price": [0, 3.0], "cue:en:speed": [1, 3.5]}
    coder = Coder(small, model=model(weights, pairs=[["price", "speed"]]))
    assert [h.code_id for h in coder.code("the price is slow to change", "en")] == ["speed"]  # one clause: the likelier
    assert [h.code_id for h in coder.code("The price went up, and the waiting is slow", "en")] == ["speed", "price"]


def test_the_cap_holds_unless_clauses_may_raise_it(small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """"cap" (measured, off: docs/coding.md): the cap at least the number of clauses with a top code of their own."""
    weights = {"bias": [0, -1.0, 1, -1.0], "cue:en:price": [0, 3.0], "cue:en:speed": [1, 3.5]}
    coder = Coder(small, model=model(weights, cap=[1, 1, 1, 1]))
    assert [h.code_id for h in coder.code("Prices went up. Too slow.", "en")] == ["speed"]  # shipped: the cap holds
    monkeypatch.setattr(coding, "CLAUSES", frozenset({"cap"}))
    assert [h.code_id for h in coder.code("slow price", "en")] == ["speed"]  # one clause: the cap holds
    assert [h.code_id for h in coder.code("Price up. Slow.", "en")] == ["speed"]  # "Slow" alone is no clause
    assert [h.code_id for h in coder.code("Prices went up. Too slow.", "en")] == ["speed", "price"]


def test_the_object_of_a_focus_frame_is_found_in_a_one_statement_answer() -> None:
    def obj(text: str, lang: str) -> str | None:
        span = focus_object(text, lang)
        return None if span is None else text[span[0]:span[1]]

    assert obj("The customer only cares about the price.", "en") == "the price"
    assert obj("They focus on price and speed of delivery", "en") == "price and speed of delivery"
    assert obj("客户只关心价格。", "zh") == "价格"
    assert obj("客户最在意的是交货快，别的都好说。", "zh") == "交货快"  # the object ends with its clause
    assert obj("The boss decides, and he cares about golf.", "en") is None  # the frame must open the answer
    assert obj("最后拍板的是老板，老板看重的是关系。", "zh") is None
    assert obj("They care about", "en") is None and obj("Delivery is slow", "en") is None


# "cares" takes 5 from price: the whole answer leaves price below its line; its cue fires on the object.
FRAMED = {"bias": [0, -1.0, 1, -1.0], "cue:en:price": [0, 3.0], "w:cares": [0, -5.0, 1, 4.0],
          "cue:en:speed": [1, 3.0]}


def test_the_codes_a_focus_frame_s_object_names_are_proposed_and_come_first(small, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    idf = {"w:cares": 1.0}
    data = {"version": 2, "meta": {"id": "focus"}, "codes": BOTH, "weight_codes": ["price", "speed"], "idf": idf,
            "weights": FRAMED, "cap": [1, 1, 1, 1], "pairs": []}
    coder = Coder(small, model=LearnedModel(data))
    # Whole answer: price -3 (not proposed), speed +3 ("cares"); the object "the price" alone: price +2 (0.88).
    hits = coder.code("The customer only cares about the price.", "en")
    assert [(h.code_id, h.confidence, h.cue) for h in hits] == [("price", 0.88, "price")]  # first under a cap of 1
    assert hits[0].rule == "en:model:focus"
    # No cue of the code in the object: nothing named there, the whole answer decides.
    assert [h.code_id for h in coder.code("The customer only cares about the money.", "en")] == ["speed"]
    # A frame that does not open the answer, or an answer of several clauses: the whole answer decides.
    assert [h.code_id for h in coder.code("Honestly, the customer cares about the price.", "en")] == ["speed"]
    monkeypatch.setattr(coding, "CLAUSES", frozenset({"cues", "pairs"}))
    assert [h.code_id for h in coder.code("The customer only cares about the price.", "en")] == ["speed"]


@pytest.mark.parametrize(("text", "codes"), [
    ("delivery is slow", {"speed"}), ("The price is too high and delivery is slow", {"price", "speed"}),
    ("Customers just want it cheaper.", {"price"}), ("客户就是要便宜。", {"price"}),
    # The focus frame's object (core.coder_clauses.focus_object): strict xfails until this round.
    ("The customer only cares about the price.", {"price"}), ("客户只关心价格。", {"price"})])
def test_the_shipped_coder_codes_plain_answers_given_without_a_question(text: str, codes: set[str]) -> None:
    """`cna code` on a pasted answer: no question, so no code hints (every corpus answer has them)."""
    from app.catalog import load_catalog

    assert {h.code_id for h in load_catalog().coder.code(text, None) if h.confidence >= 0.5} == codes
