"""An answer's clauses, so that a code stated in a clause of its own is judged on that clause (the coder's pairs)."""

from __future__ import annotations

import re

# Sentence ends and semicolons always separate; in English also a comma or a joining word between two clauses
# ("The price is too high and delivery is slow"), in Chinese a joining word (而且, 但是, 另外 ...) but not a comma:
# a Chinese sentence strings its parts with commas far more than an English one (splitting on them lost F1 on
# writers the coder never saw: bench/coder_writers.py, docs/coding.md). The 顿号 (、) lists items of one clause.
_EN = re.compile(r"[.!?;:]+(?:\s+|$)|,\s*|\s+(?:and|but|while|whereas|plus|also)\s+", re.IGNORECASE)
_ZH = re.compile(r"[。！？；：!?;:]+|而且|并且|但是|不过|另外|还有|同时|以及|可是")
_TRIM = " \t\n,，、"
_MIN_EN_WORDS, _MIN_ZH_CHARS = 2, 2  # shorter pieces ("and so on", "还有") are not clauses of their own


def clauses(text: str, lang: str) -> list[str]:
    """The answer's clauses (pieces too short to state anything are joined to the one before); one clause: [text]."""
    zh = lang == "zh"
    pieces = [p.strip(_TRIM) for p in (_ZH if zh else _EN).split(text)]
    out: list[str] = []
    for p in pieces:
        if not p:
            continue
        big = len(p) >= _MIN_ZH_CHARS if zh else len(p.split()) >= _MIN_EN_WORDS
        if big or not out:
            out.append(p)
        else:
            out[-1] = f"{out[-1]} {p}"
    return out if len(out) > 1 else [text]
