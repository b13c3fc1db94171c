"""Language detection fallback: English or Chinese by the share of CJK characters."""

from __future__ import annotations

import pytest

from core.lang import detect_lang, lang_from_counts, unit_counts


@pytest.mark.parametrize("text", [
    "Lower price.", "We need a mobile app", "ok", "FASTER!!!", "We use 微信 for most customers",
    "Integration with Salesforce and 钉钉 would help the team", "",  "   ", "123", "...",
])
def test_english_or_no_letters_is_en(text: str) -> None:
    assert detect_lang(text) == "en"


@pytest.mark.parametrize("text", [
    "价格再低一点", "更快", "要一个APP", "我们需要一个CRM系统", "服务好一点！", "用Salesforce太贵",
    "ＡＰＰ要快", "没有了", "気持ち",  # kana counts as CJK so Japanese never gets English rules
])
def test_chinese_is_zh(text: str) -> None:
    assert detect_lang(text) == "zh"


def test_unit_counts_weigh_a_cjk_character_like_a_word() -> None:
    assert unit_counts("要一个APP") == (3, 1)
    assert unit_counts("We need 2 apps, fast!") == (0, 5)
    assert unit_counts("") == (0, 0)


def test_ties_go_to_chinese_and_nothing_is_english() -> None:
    assert lang_from_counts(1, 1) == "zh"
    assert lang_from_counts(1, 2) == "en"
    assert lang_from_counts(0, 0) == "en"
