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


def clause_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each of the answer's clauses in `text` (pieces too short to state anything are joined to the
    one before); an answer of one clause: [(0, len(text))]."""
    zh = lang == "zh"
    out: list[tuple[int, int]] = []
    at = 0
    for m in [*(_ZH if zh else _EN).finditer(text), None]:
        end = len(text) if m is None else m.start()
        piece = text[at:end].strip(_TRIM)
        if piece:
            a = text.index(piece, at)
            big = len(piece) >= _MIN_ZH_CHARS if zh else len(piece.split()) >= _MIN_EN_WORDS
            if big or not out:
                out.append((a, a + len(piece)))
            else:
                out[-1] = (out[-1][0], a + len(piece))
        if m is not None:
            at = m.end()
    return out if len(out) > 1 else [(0, len(text))]


def clauses(text: str, lang: str) -> list[str]:
    """The answer's clauses as text (see clause_spans)."""
    return [text[a:b] for a, b in clause_spans(text, lang)]
