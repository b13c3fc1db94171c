"""app.zh_words cuts Chinese exactly as jieba.lcut(HMM=False) does, reading its dictionary a character at a time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jieba
import pytest

from app.zh_words import Dictionary, Segmenter, grouped_path, jieba_dict

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "interview_scripts" / "corpus"


def _chinese_texts() -> list[str]:
    """Every Chinese answer of the probe corpus's train split and of the written respondents (dev sets)."""
    out = [json.loads(line)["text"] for f in sorted((CORPUS / "probe").glob("train*.zh.jsonl"))
           for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    for f in sorted((CORPUS / "conversations").glob("respondents*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            person = json.loads(line) if line.strip() else {}
            if person.get("lang") == "zh":
                out += [a["text"] for replies in person["answers"].values() for a in replies]
    return out


@pytest.fixture(scope="module")
def jieba_tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@pytest.fixture(scope="module")
def segmenter(tmp_path_factory: pytest.TempPathFactory) -> Segmenter:
    return Segmenter(Dictionary(folder=tmp_path_factory.mktemp("zh")))


def test_same_words_as_jieba_on_every_chinese_answer(segmenter: Segmenter, jieba_tokenizer: jieba.Tokenizer) -> None:
    texts = _chinese_texts()
    assert len(texts) > 3000
    differ = [t for t in texts if segmenter.cut(t) != jieba_tokenizer.lcut(t, HMM=False)]
    assert differ == []


ODD = ["预算怎么分这个我不太清楚，是财务的张总在做", "客户就走了", "说不准，可能是报价太慢吧",
       "用CRM录单 2次, AT&T 和 c#",
       "ｆｕｌｌ　ｗｉｄｔｈ 全角", "㐀㐁 ぁ 𠀀 ", "", "\r\n\t"]


@pytest.mark.parametrize("text", ODD)
def test_same_words_on_odd_text(text: str, segmenter: Segmenter, jieba_tokenizer: jieba.Tokenizer) -> None:
    assert segmenter.cut(text) == jieba_tokenizer.lcut(text, HMM=False)


def test_reads_only_the_characters_it_meets(tmp_path: Path) -> None:
    seg = Segmenter(Dictionary(folder=tmp_path))
    assert seg.dictionary.loaded() == 0
    assert seg.cut("客户就走了") == ["客户", "就", "走", "了"]
    assert seg.dictionary.loaded() == 5
    assert grouped_path(jieba_dict(), tmp_path).exists()


def test_a_broken_dictionary_line_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "dict.txt"
    bad.write_text("客户 100 n\n坏行没有数字 x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dict\.txt at line 2"):
        Dictionary(source=bad, folder=tmp_path)


def test_a_folder_it_cannot_write_falls_back_to_holding_the_dictionary(tmp_path: Path) -> None:
    small = tmp_path / "dict.txt"
    small.write_text("客户 100 n\n走了 50 v\n", encoding="utf-8")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        seg = Segmenter(Dictionary(source=small, folder=ro / "missing"))
        assert seg.cut("客户走了") == ["客户", "走了"]
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("junk", [b"", b"\x00" * 3, b"\x10\x00\x00\x00\x00\x00\x00\x00not marshal at all"])
def test_a_damaged_grouped_file_falls_back_to_holding_the_dictionary(tmp_path: Path, junk: bytes) -> None:
    """A grouped file cut short (a full disk) or unreadable must not fail the first Chinese answer."""
    small = tmp_path / "dict.txt"
    small.write_text("客户 100 n\n走了 50 v\n", encoding="utf-8")
    grouped_path(small, tmp_path).write_bytes(junk)
    seg = Segmenter(Dictionary(source=small, folder=tmp_path))
    assert seg.cut("客户走了") == ["客户", "走了"]


def test_the_grouped_file_is_named_per_user(tmp_path: Path) -> None:
    assert f"-u{os.getuid()}-" in grouped_path(jieba_dict(), tmp_path).name
