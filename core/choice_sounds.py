"""Chinese input-method typos in a typed choice: a character sounding like one of the options' characters.

Pinyin input puts homophones one keystroke apart, so "质亮" is typed for 质量 and "利润分洗" for 利润分析. A
character the question's labels do not use is replaced by the one label character read the same way (toneless, its
first reading), when exactly one is; the repaired reply is read like any other, and what it was taken to mean is
confirmed.
The readings come from the channel (`SOUNDS` in the lexicon, pypinyin's data read in app/pinyin_reader.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from core.choice_words import ZH_FUNCTION

SOUNDS = "__sounds__"  # the lexicon's entry: a character -> (its toneless reading,)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def repaired(text: str, labels: Iterable[str], sounds: Mapping[str, Sequence[str]] | None) -> str | None:
    """`text` with each character the labels do not use replaced by the one label character that sounds the same, or
    None when nothing was replaced (no readings, no Chinese, no such character)."""
    if not sounds or not any(_is_cjk(ch) for ch in text):
        return None
    used = {ch for label in labels for ch in label if _is_cjk(ch)}
    by_sound: dict[str, set[str]] = {}
    for ch in used:
        reading = sounds.get(ch)
        if reading:
            by_sound.setdefault(reading[0], set()).add(ch)
    out, changed = [], False
    for ch in text:
        # function characters are never typos of a label's: "profitability 和 LTV" keeps its 和 (a list's joint)
        reading = sounds.get(ch) if _is_cjk(ch) and ch not in used and ch not in ZH_FUNCTION else None
        same = by_sound.get(reading[0], set()) if reading else set()
        if len(same) == 1:
            out.append(next(iter(same)))
            changed = True
        else:
            out.append(ch)
    return "".join(out) if changed else None
