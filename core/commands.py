"""The words a respondent can type at any point (skip, back, pause, help, resume), in English and Chinese."""

from __future__ import annotations

import re
import unicodedata

COMMAND_WORDS: dict[str, frozenset[str]] = {
    "skip": frozenset({"skip", "pass", "next", "next question", "next one", "move on", "跳过", "下一题", "下一个",
                       "略过"}),
    "back": frozenset({"back", "go back", "previous", "返回", "上一题", "回到上一题"}),
    "pause": frozenset({"pause", "stop", "later", "暂停", "稍后", "等一下再说"}),
    "help": frozenset({"help", "?", "帮助", "怎么用", "？"}),
    "resume": frozenset({"resume", "continue", "start", "继续", "开始"}),
}

_TRIM = " \t\r\n.!。！~…"
# People wrap a command in a few polite words ("can we skip this one?", "跳过吧", "算了，下一题"). Only these
# wrappers are peeled off, and only from a short message, so an answer that merely contains a command word
# ("we skip the approval step", "跳过审批就能快三天") stays an answer.
_EN_BEFORE = re.compile(r"^(?:(?:ok(?:ay)?|yes|yeah|yep|sure|sorry|um+|hmm+|well|so|then|please|pls|just|"
                        r"i(?:'d| would) (?:rather|like to)|i(?:'ll| will)|i want to|i wanna|can we|could we|can i|"
                        r"could i|may i|let'?s|let me|we can|i can)[\s,]+)+")
_EN_AFTER = re.compile(r"(?:[\s,]+(?:this one|this question|the question|that one|that|this|it|please|pls|for now|"
                       r"thanks|thank you|then|on this one|on that one|on this|to the next one|for me))+$")
_ZH_BEFORE = re.compile(r"^(?:(?:我想|我要|我们|我|那就|那|就|先|可以|能不能|能|要不|还是|好的|好|嗯+|呃+|算了|"
                        r"不好意思|抱歉|请)[，,\s]*)+")
_ZH_AFTER = re.compile(r"(?:[，,\s]*(?:吧|吗|呢|呀|啊|了|这题|这道题|这个问题|这一题|这个|一下|先|呗|谢谢))+$")
_QUESTION_MARKS = "?？"
_WRAPPED_MAX = 40  # characters: a longer message is an answer, whatever words it contains


def normalise(text: str) -> str:
    """Lower-case, NFKC-fold and strip trailing punctuation so 'Skip.' and '跳过！' match."""
    return unicodedata.normalize("NFKC", text).strip().strip(_TRIM).lower()


def _lookup(word: str) -> str | None:
    for command, words in COMMAND_WORDS.items():
        if word in words:
            return command
    return None


def unwrap(text: str) -> tuple[str, str]:
    """(the normalised message, the same without polite wrappers); both "" for a long message, an answer."""
    word = normalise(text)
    if not word or len(word) > _WRAPPED_MAX:
        return "", ""
    core = word.strip(_TRIM + _QUESTION_MARKS)
    for before, after in ((_EN_BEFORE, _EN_AFTER), (_ZH_BEFORE, _ZH_AFTER)):
        core = after.sub("", before.sub("", core)).strip(_TRIM + _QUESTION_MARKS + "，,")
    return word, core


def parse_command(text: str) -> str | None:
    """Return the command a short message stands for, or None when it is an answer."""
    word, core = unwrap(text)
    if not word:
        return None
    if (command := _lookup(word)) is not None:
        return command
    if core == word or not core or core in ("?", "？"):
        return None
    return _lookup(core)
