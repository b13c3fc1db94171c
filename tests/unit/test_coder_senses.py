"""Words' sense classes (Cilin, WordNet) as the learned coder's third feature block: a word the training answers never
used still reaches the code its class learned; without the thesauri the coder codes from its n-grams as before."""

from __future__ import annotations

import math
import pickle
from collections.abc import Iterable
from pathlib import Path

import pytest

from app.coder import learned
from app.word_senses import ChineseSenses, EnglishSenses, Senses, senses
from core.coder_model import LearnedModel
from core.coder_tfidf import Analyzer, tfidf
from core.coding import Coder, parse_codebook

ROOT = Path(__file__).resolve().parents[2]
SMALL = (ROOT / "tests" / "unit" / "test_coding.py").read_text(encoding="utf-8").split('SMALL = """\\\n')[1].split(
    '"""')[0]
PRICE_ZH, COST_EN = "sc7:Dj02B01", "sh:n13275847"  # Cilin's class of 价格/价钱; WordNet's 'cost' (over price, expense)


class Fake:
    """A thesaurus of three words."""

    table = {"价钱": ("c5:Dj02B", "c7:Dj02B01"), "fee": ("l:noun.possession", "s:n1"), "price": ("s:n2",)}

    def classes(self, word: str, lang: str) -> tuple[str, ...]:
        return self.table.get(word, ())

    def words(self, lang: str) -> Iterable[str]:
        return [w for w in self.table if lang == "zh" and not w.isascii()]


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    return parse_codebook(SMALL, "small.yaml")


def weights() -> dict[str, object]:
    """Price learned from the n-gram 'invoice' and from two sense classes; nothing else."""
    return {"version": 2, "meta": {"id": "senses"}, "senses": {"kinds": ["c7", "h"], "scale": 1.0},
            "codes": {"price": {"active": "model", "a": 1.0, "b": 0.0}}, "weight_codes": ["price"],
            "idf": {"w:invoice": 1.0, PRICE_ZH: 1.0, COST_EN: 1.0},
            "weights": {"bias": [0, -3.0], "w:invoice": [0, 6.0], PRICE_ZH: [0, 6.0], COST_EN: [0, 6.0]},
            "cap": [2, 2, 3, 3], "pairs": []}


def thesauri_installed() -> bool:
    return senses().zh.available and senses().en.available


def test_a_words_classes_of_the_kinds_read_join_its_n_grams_in_a_block_of_their_own() -> None:
    got = Analyzer(["价格"], Fake(), ["c7", "s"]).counts("价钱太贵", "zh")
    assert got["sc7:Dj02B01"] == 1 and "sc5:Dj02B" not in got  # c5 is not a kind read
    assert "w:价钱" not in got  # the n-grams keep the coder's own words: 价钱 is not in its lexicon
    en = Analyzer((), Fake(), ["s"]).counts("The fee", "en")
    assert en["ss:n1"] == 1 and "sl:noun.possession" not in en
    assert "ss:n1" not in Analyzer().counts("The fee", "en")  # no kinds: no classes
    v = tfidf(Analyzer((), Fake(), ["s"])("fee price", "en"), {"w:fee": 1.0, "ss:n1": 1.0, "ss:n2": 1.0}, 0.5)
    assert v["w:fee"] == pytest.approx(1.0) and v["ss:n1"] == pytest.approx(0.5 / math.sqrt(2))


@pytest.mark.skipif(not thesauri_installed(), reason="the cilin and wn packages are not installed")
@pytest.mark.parametrize(("lang", "text", "word"), [("zh", "价钱太高了", "价钱"), ("en", "Every expense adds up.",
                                                                                    "expense")])
def test_a_word_the_training_never_used_gets_the_code_its_class_learned(small, lang: str, text: str,  # type: ignore[no-untyped-def]
                                                                        word: str) -> None:
    coder = Coder(small, model=learned(weights()))
    hits = [h for h in coder.code(text, lang) if h.code_id == "price"]
    assert hits and hits[0].confidence >= 0.5 and hits[0].cue == word  # the class is shown as the answer's word
    assert not [h for h in Coder(small, model=LearnedModel(weights())).code(text, lang) if h.code_id == "price"]


def test_without_the_thesauri_the_coder_codes_from_its_n_grams(small, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # as when neither package is installed: no Cilin tree, no WordNet files
    missing = Senses(zh=ChineseSenses(path=tmp_path / "cilin_tree.json"), en=EnglishSenses(folder=tmp_path))
    for model in (LearnedModel(weights()), LearnedModel(weights(), senses=missing)):
        coder = Coder(small, model=model)
        assert [h.code_id for h in coder.code("Please send the invoice", "en")] == ["price"]
        assert coder.code("价钱太高了", "zh") == []


@pytest.mark.skipif(not thesauri_installed(), reason="the cilin and wn packages are not installed")
def test_a_model_reading_senses_is_sent_to_another_process_as_it_codes() -> None:
    model = learned(weights())
    model.scores("价钱太高了", "zh")  # caches filled: they are not what is sent
    again = pickle.loads(pickle.dumps(model))
    assert again.analyzer.senses is senses()  # the receiving process's own thesauri
    for text, lang in (("价钱太高了", "zh"), ("Every expense adds up.", "en"), ("invoice", "en")):
        assert again.scores(text, lang) == model.scores(text, lang)
