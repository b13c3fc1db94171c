"""The words a respondent can type at any point (skip, back, pause, help, resume), in English and Chinese."""

from __future__ import annotations

import unicodedata

COMMAND_WORDS: dict[str, frozenset[str]] = {
    "skip": frozenset({"skip", "pass", "next", "跳过", "下一题", "略过"}),
    "back": frozenset({"back", "go back", "previous", "返回", "上一题", "回到上一题"}),
    "pause": frozenset({"pause", "stop", "later", "暂停", "稍后", "等一下再说"}),
    "help": frozenset({"help", "?", "帮助", "怎么用", "？"}),
    "resume": frozenset({"resume", "continue", "start", "继续", "开始"}),
}

_TRIM = " \t\r\n.!。！~…"


def normalise(text: str) -> str:
    """Lower-case, NFKC-fold and strip trailing punctuation so 'Skip.' and '跳过！' match."""
    return unicodedata.normalize("NFKC", text).strip().strip(_TRIM).lower()


def parse_command(text: str) -> str | None:
    """Return the command a short message stands for, or None when it is an answer."""
    word = normalise(text)
    if not word or len(word) > 20:
        return None
    for command, words in COMMAND_WORDS.items():
        if word in words:
            return command
    return None
