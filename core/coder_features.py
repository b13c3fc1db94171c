"""What the learned coder sees in an answer: word and character n-grams, cue hits and the question's code hints."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Segmenter = Callable[[str], list[str]]  # Chinese text -> words (app.coder passes jieba's)

_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no topic; dropping them from bigrams keeps "the price" and "price" as one signal.
_EN_FILLER = frozenset("a an the of to and or is are was were be it its this that for in on at i we our".split())
_CHAR_N = 4  # English character n-grams inside words: "invoic", "invoice", "invoicing" share "invo", "nvoi"


def word_grams(w: str) -> list[str]:
    """An English word's own features: the word, and inside a content word its character n-grams."""
    out = ["w:" + w]
    if w not in _EN_FILLER and len(w) > _CHAR_N:
        padded = f"<{w}>"
        out.extend("c:" + padded[i:i + _CHAR_N] for i in range(len(padded) - _CHAR_N + 1))
    return out


def en_bigrams(words: list[str]) -> list[str]:
    """Content-word bigrams; a negation joins the next content word: "not cheap" is not "cheap"."""
    out, prev = [], ""
    for w in words:
        if w not in _EN_FILLER:
            if prev:
                out.append("b:" + prev + " " + w)
            prev = w
        if w in ("not", "no", "never") or w.endswith("n't"):
            prev = "not"
    return out


def en_words(text: str) -> list[str]:
    return _EN_WORD.findall(text)


def _en(text: str, out: dict[str, float]) -> None:
    words = _EN_WORD.findall(text)
    for w in words:
        out.update(dict.fromkeys(word_grams(w), 1.0))
    out.update(dict.fromkeys(en_bigrams(words), 1.0))


def zh_run_grams(run: str, segment: Segmenter | None) -> list[str]:
    """The features of one run of Chinese characters: characters, character bigrams, words and word bigrams."""
    out = []
    for i, ch in enumerate(run):
        out.append("c:" + ch)
        if i + 1 < len(run):
            out.append("c:" + run[i:i + 2])
    if segment is not None:
        prev = ""
        for w in segment(run):
            out.append("w:" + w)
            if prev:
                out.append("b:" + prev + " " + w)
            prev = w
    return out


def zh_runs(text: str) -> list[str]:
    return _CJK_RUN.findall(text)


def latin_words(text: str) -> list[str]:
    """Latin words inside a Chinese answer ("CRM", "Excel", "SLA")."""
    return _LATIN_WORD.findall(text)


def _zh(text: str, segment: Segmenter | None, out: dict[str, float]) -> None:
    for run in _CJK_RUN.findall(text):
        out.update(dict.fromkeys(zh_run_grams(run, segment), 1.0))
    for w in _LATIN_WORD.findall(text):
        out["w:" + w] = 1.0


class VocabularySegmenter:
    """Chinese words by forward maximum matching over a vocabulary, unknown characters alone.

    The coder trains on jieba's words; at run time only the words the model has weights for can move a
    score, so matching those (longest first) reproduces the segmentation that matters at a tenth of jieba's
    cost and without loading its dictionary (`cna code` streams 10,000+ answers a second)."""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(w for w in words if len(w) >= 2)
        self.longest = min(6, max((len(w) for w in self.words), default=1))

    def __call__(self, run: str) -> list[str]:
        out, i, n, words = [], 0, len(run), self.words
        while i < n:
            for size in range(min(self.longest, n - i), 1, -1):
                if run[i:i + size] in words:
                    out.append(run[i:i + size])
                    i += size
                    break
            else:
                out.append(run[i])
                i += 1
        return out


def zh_vocabulary(feature_names: Iterable[str]) -> set[str]:
    """The Chinese words (two characters or more) in a model's word and word-bigram features."""
    out: set[str] = set()
    for f in feature_names:
        if f[:2] in ("w:", "b:"):
            out.update(w for w in f[2:].split(" ") if len(w) >= 2 and _CJK_RUN.fullmatch(w))
    return out


def features(text: str, lang: str, *, cues: Iterable[str] = (), hints: Iterable[str] = (),
             segment: Segmenter | None = None) -> dict[str, float]:
    """Binary features of one answer. `cues`: codes whose cue fired (negation-aware, from core.coding);
    `hints`: codes the question was written to elicit (the script's `codes:`)."""
    low = text.lower().replace("\u2019", "'")
    out: dict[str, float] = {"bias": 1.0, f"lang:{lang}": 1.0}
    if lang == "zh":
        _zh(low, segment, out)
    else:
        _en(low, out)
    for c in cues:
        out["cue:" + c] = 1.0
    for c in hints:
        out["hint:" + c] = 1.0
    return out


def length_bucket(text: str, lang: str) -> int:
    """Answer length in rough words (a Chinese word is about two characters), bucketed for the code cap."""
    n = len(_CJK_RUN.sub(lambda m: " x" * max(1, len(m.group()) // 2), text).split())
    return 0 if n <= 6 else 1 if n <= 15 else 2 if n <= 30 else 3
