"""Tag grams (core/judge_tags.py): an answer's shape as parts of speech, read by the sense block behind the judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import train_prober as tp
from app.catalog import load_catalog
from app.lexicon import lexicon
from app.zh_words import Dictionary, jieba_dict
from core.judge import predict_with_block
from core.judge_features import Context
from core.judge_senses import SENSE
from core.judge_tags import TAGS, tag_features, tag_grams, tag_sequence

CATALOG = load_catalog()
RULES = CATALOG.prober.with_judge(None)


def test_chinese_tags_are_jiebas_and_clauses_are_marked() -> None:
    lex = lexicon()
    assert tag_sequence("到时候再说吧", True, lex) == ["l", "c", "y"]
    assert tag_sequence("我不知道，问老王", True, lex)[:4] == ["r", "d", "v", "|"]
    assert tag_sequence("skip吧", True, lex) == ["eng", "y"]


def test_english_tags_read_function_words_and_a_verb_after_a_pronoun() -> None:
    lex = lexicon()
    assert tag_sequence("i dont know, we'll see", False, lex) == ["prp", "neg", "v", "|", "aux", "v"]
    assert tag_sequence("pass on this one", False, lex)[1:3] == ["in", "dem"]


def test_an_answers_tag_grams_have_unit_length_and_are_keyed_by_language() -> None:
    lex = lexicon()
    zh = tag_features("到时候再说吧", True, lex)
    assert SENSE + TAGS + "zh:l_c_y" in zh and SENSE + TAGS + "zh:^" in zh
    assert abs(sum(v * v for v in zh.values()) - 1.0) < 1e-9
    assert all(g.startswith(TAGS + "en:") for g in tag_grams("we'll see", False, lex))


def test_the_grouped_dictionary_and_the_held_one_give_the_same_tags(tmp_path: Path) -> None:
    grouped = Dictionary(folder=tmp_path)
    held = Dictionary(folder=tmp_path / "missing")  # no such folder: it cannot write, so it holds dict.txt
    for word in ("知道", "吧", "再说", "到时候", "老王", "不存在的词语"):
        assert grouped.tag(word) == held.tag(word)
    assert grouped.tag("知道") == "v" and grouped.tag("不存在的词语") is None
    assert jieba_dict().exists()


@pytest.mark.parametrize("name", ["train14.zh.jsonl", "train15.en.jsonl"])
def test_the_judge_reads_the_block_as_training_and_by_file_do(name: str) -> None:
    judge = CATALOG.prober.judge
    assert judge is not None and judge._sense_block
    data = {"weights": judge.weights, "sense_weights": {c: {SENSE + k: row[i] for k, row in judge._sense_block.items()
                                                               if row[i]} for i, c in enumerate(tp.CLASSES)}}
    exs = [ex for ex in tp.load_corpus([tp.CORPUS_DIR / name], CATALOG.scripts) if ex.label == "dont_know"][:40]
    lex = lexicon()
    for ex in exs:
        expected = predict_with_block(data["weights"], data["sense_weights"],
                                      {**tp._features(RULES, ex), **tp.sense_row(ex)})
        text = lex.hanzi(ex.text)
        assert judge.judge(text, ex.ctx, RULES.rule_hits(text)).label == expected, ex.text


def test_the_context_does_not_change_an_answers_tags() -> None:
    ex = tp.Example("x", "zh", "到时候再说吧", "dont_know", Context(depth=1))
    assert {k for k in tp.sense_row(ex) if k.startswith(SENSE + TAGS)} == set(tag_features("到时候再说吧", True,
                                                                                             lexicon()))
