"""Toneless pinyin read as Chinese (app.pinyin_reader): a respondent with the input method off is judged as one with it
on, and English that merely looks like pinyin is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.lexicon import lexicon
from app.pinyin_reader import (
    SYLLABLES,
    PinyinReader,
    _bare,
    _package_json,
    build_table,
    load_table,
    particles,
    syllables,
)
from core.probe_types import ProbeDecision

CATALOG = load_catalog()
LEX = lexicon()


def _decide(text: str, qid: str = "customer_needs", depth: int = 0) -> ProbeDecision:
    q = CATALOG.get("internal-sales", "zh").question(qid)
    return CATALOG.prober.decide(text, "zh", depth=depth, max_depth=q.probe.max_depth, families=q.probe.families,
                                 question_id=qid, closing=q.closing, audience="internal",
                                 question=f"{q.text} {q.intent or ''}")


def test_a_run_splits_into_the_fewest_syllables() -> None:
    assert syllables("meiyou") == ("mei", "you")
    assert syllables("buzhidao") == ("bu", "zhi", "dao")
    assert syllables("xian") == ("xian",)
    assert syllables("fangan") == ("fang", "an")
    assert syllables("xi'an") == ("xi", "an")
    assert syllables("bu4") == ("bu",)
    for word in ("pass", "ok", "excel", "crm", "the", "price", "we", "no"):
        assert syllables(word) is None, word


def test_the_syllable_inventory_is_pypinyins() -> None:
    """Every syllable written here is one pypinyin reads a character as (the inventory is not made up)."""
    readings = {_bare(r) for rs in _package_json("pinyin_dict.json").values() for r in rs.split(",")}
    assert SYLLABLES - readings <= {"ue", "nue", "lue"}  # the typed spellings of nüe, lüe (and none invented)
    common = {_bare(r) for ch in "的一是不了人我在有他这中大来上个国说们为子和你地出道也时年得就那要下以生会" for r in
              _package_json("pinyin_dict.json")[str(ord(ch))].split(",")}
    assert common - {"m", "n", "ng", "hng"} <= SYLLABLES


@pytest.mark.parametrize(("typed", "read"), [
    ("bu zhi dao ei", "不知道诶"),
    ("kan qing kuang ba", "看情况吧"),
    ("meiyou", "没有"),
    ("Bu zhi dao", "不知道"),
    ("bu4 zhi1 dao4", "不知道"),
    ("shuo bu shang lai", "说不上来"),
    ("fu wu hao yi dian", "服务好一点"),
    ("tai gui le", "太贵了"),
    ("我也bu tai qing chu", "我也不太清楚"),
    ("这个 kan qing kuang ba", "这个看情况吧"),
    ("buzhidao，想不出来", "不知道，想不出来"),
])
def test_pinyin_is_read_as_characters(typed: str, read: str) -> None:
    assert LEX.hanzi(typed) == read


@pytest.mark.parametrize("text", [
    "a ban", "one", "long", "women", "pass", "ok", "Excel", "CRM", "ai", "the price", "nothing really", "nope", "meh",
    "用oa审批", "不知道 tbh, ask Li Wei, she did the permissions for the old system", "价格便宜点",
])
def test_english_and_chinese_are_left_as_they_are(text: str) -> None:
    assert LEX.hanzi(text) is text


@pytest.mark.parametrize(("typed", "label"), [
    ("bu zhi dao ei", "dont_know"), ("kan qing kuang ba", "dont_know"), ("meiyou", "dont_know"),
    ("shuo bu shang lai", "dont_know"), ("wo bu tai qing chu", "dont_know"),
    ("tai gui le", "surface"), ("fu wu hao yi dian", "surface"), ("geng kuai yi dian", "surface"),
    ("我也bu tai qing chu", "dont_know"),
])
def test_pinyin_gets_the_decision_of_its_characters(typed: str, label: str) -> None:
    seen, written = _decide(typed), _decide(LEX.hanzi(typed))
    assert (seen.label, seen.reason, seen.family) == (written.label, written.reason, written.family)
    assert seen.label == label, (typed, seen)
    # The follow-up never quotes the characters it guessed: "jia ge pian yi dian" is read as 价格骗一点.
    assert not seen.cue and "“" not in (seen.probe or ""), seen


def test_a_follow_up_never_quotes_a_guessed_reading() -> None:
    d = _decide("jia ge pian yi dian")
    assert d.fires and "骗" not in (d.probe or "") and not d.cue, d


def test_the_table_is_kept_and_read_back(tmp_path: Path) -> None:
    words = {"不": 6.5, "知道": 6.0, "吧": 6.0, "把": 6.2, "看": 6.0, "情况": 5.5}
    built = load_table(lambda: words, tmp_path)
    assert built.words["zhi dao"] == ("知道", 6.0) and built.closers["ba"][0] == "吧"
    assert list(tmp_path.iterdir())
    again = load_table(lambda: {}, tmp_path)  # read from the file: the words are not asked for again
    assert again == built


def test_a_modal_particle_only_closes_a_run() -> None:
    words = {"吧": 6.0, "把": 6.2, "它": 5.5, "改": 5.0, "了": 7.0, "看": 6.0, "情况": 5.5}
    reader = PinyinReader(lambda w: 0.0, lambda: words)
    reader._table = build_table(words.items(), particles())  # not the machine's kept table: these words only
    assert reader.read("kan qing kuang ba") == "看情况吧"
    assert reader.read("ba ta gai le") == "把它改了"


def test_without_pypinyin_answers_are_read_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.pinyin_reader as pr

    def missing(*_: object) -> None:
        raise ImportError("pypinyin is not installed")

    monkeypatch.setattr(pr, "load_table", missing)
    reader = PinyinReader(lambda w: 0.0, lambda: {})
    assert reader.read("bu zhi dao ei") == "bu zhi dao ei"
    assert reader.read("kan qing kuang ba") == "kan qing kuang ba"  # tried once, then left alone


def test_character_sounds_come_from_pypinyins_readings() -> None:
    from app.pinyin_reader import Sounds

    sounds = Sounds()
    assert sounds["质"] == ("zhi",) and sounds["量"] == sounds["亮"] == ("liang",) and sounds["绿"] == ("lv",)
    assert "a" not in sounds and len(sounds) > 20_000
