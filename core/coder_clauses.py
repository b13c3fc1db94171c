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


# Someone's focus stated as a frame around its object ("the customer only cares about the price", "客户只关心价格"):
# the object is what the answer is about; the frame says only whose concern it is. A frame verb (care about, focus
# on, 关心, 在乎, 看重 ...), optionally "what ... is" around it; the object runs to the end of the verb's clause.
_FOCUS_EN = re.compile(r"\b(?:cares?|caring|cared|worr(?:y|ies|ied)|obsess(?:es|ed)?|think(?:s|ing)?|talks?|asks?)"
                       r" (?:about|for)\b|\bfocus(?:es|ed|ing)? on\b|\b(?:only|just|mostly|mainly) (?:wants?|needs?|"
                       r"sees?|looks? at|values?)\b|\bprioriti[sz](?:es|ed|e|ing)\b", re.IGNORECASE)
_FOCUS_ZH = re.compile(r"(?:关心|在乎|在意|看重|注重|关注|重视|盯着|只看|只要|只想要)(?:的是|的就是|的只是|是)?")
_OBJECT_END = re.compile(r"[.!?;,。！？；，\n]")  # the object ends with its clause (in Chinese too at a comma)


def focus_object(text: str, lang: str) -> tuple[int, int] | None:
    """(start, end) of the object of the focus frame in the answer's first clause ("The customer only cares about
    <the price>."), or None: no frame there, or nothing after it but punctuation."""
    first = _OBJECT_END.search(text)  # the frame must be in the answer's first clause: only that is searched
    stop = len(text) if first is None else first.start()
    m = (_FOCUS_ZH if lang == "zh" else _FOCUS_EN).search(text, 0, stop)
    if m is None:
        return None
    piece = text[m.end():stop].strip(_TRIM)
    if not piece:
        return None
    a = text.index(piece, m.end())
    return a, a + len(piece)
