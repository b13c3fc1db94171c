"""Language detection fallback: English or Chinese, by the share of CJK characters in a text."""

from __future__ import annotations

import re

# Han ideographs (basic, extension A, compatibility, extensions B+) and kana: kana is counted so that
# Japanese is not taken for English; the product only speaks en and zh, and zh rules fit it better.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{_CJK}]")
# Any run of other letters or digits is one word.
_WORD_RE = re.compile(f"[^\\W_{_CJK}]+")


def unit_counts(text: str) -> tuple[int, int]:
    """Return (CJK characters, other words) in `text`; one CJK character weighs about one word."""
    return len(_CJK_RE.findall(text)), len(_WORD_RE.findall(text))


def blank_cjk(text: str) -> str:
    """`text` with each CJK character turned into a space: the same length, so a span found in it holds in `text`
    (English word boundaries exist again beside Chinese: "是price")."""
    return _CJK_RE.sub(" ", text)


def lang_from_counts(cjk: int, words: int) -> str:
    """'zh' when CJK characters are at least half of the units, else 'en'.

    Ties go to Chinese because Chinese answers often embed English product words ("要APP"), while
    English answers rarely embed Chinese.
    """
    return "zh" if cjk and cjk >= words else "en"


def detect_lang(text: str) -> str:
    """Guess "en" or "zh" for `text`; text with neither letters nor CJK characters counts as English."""
    return lang_from_counts(*unit_counts(text))
