"""The sense classes of an answer's words (a thesaurus's groups: Cilin, WordNet) as sparse features (issue 13).

Each new writer's non-answers used words no training answer had ("无可奉告" where others said "不方便说", "不评论",
"这题跳过吧"): a word the model never learnt carries nothing, whatever it means. A thesaurus groups words by meaning
(Cilin's 'Gb08A01' is 知道/清楚/了解/明白; WordNet's verb.cognition holds know, remember, figure), so a class learnt
from some words is read in the others. Like the n-grams (core.judge_grams), an answer's classes are one block: each of
its n distinct classes counts 1/sqrt(n), with an L2 of its own, and a class is learnt only when a few training
answers have it. Every word is read, the commonest too: the classes of 不, 没, "not" are half of what a non-answer says
(content words alone scored lower, leaving one writer's file out: docs/probing.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Protocol

SENSE = "k:"  # the prefix of a sense-class feature in the weights ("k:c7:Gb08A01", "k:l:verb.cognition")


class Lexicon(Protocol):
    """What is read of the words here (core.judge_features.Lexicon has it; not imported: no cycle in core)."""

    def classes(self, word: str, lang: str) -> Sequence[str]: ...


def sense_classes(words: Iterable[str], lex: Lexicon, lang: str) -> set[str]:
    """The distinct sense classes of the words (every sense of each word: no word-sense disambiguation)."""
    out: set[str] = set()
    for w in words:
        out.update(lex.classes(w, lang))
    return out


def sense_value(n: int) -> float:
    """Each of an answer's n distinct classes counts 1/sqrt(n): an answer's classes have unit length together."""
    return 1.0 / math.sqrt(n) if n else 0.0


def sense_features(words: Iterable[str], lex: Lexicon, lang: str) -> dict[str, float]:
    """The classes as named features, for training (the judge reads them from its own table: core.judge)."""
    cs = sense_classes(words, lex, lang)
    v = sense_value(len(cs))
    return {SENSE + c: v for c in cs}
