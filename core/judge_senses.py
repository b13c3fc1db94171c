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
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

SENSE = "k:"  # the prefix of a sense-class feature in the weights ("k:c7:Gb08A01", "k:l:verb.cognition")


class Lexicon(Protocol):
    """What is read of the words here (core.judge_features.Lexicon has it; not imported: no cycle in core)."""

    def classes(self, word: str, lang: str) -> Sequence[str]: ...


# Where the sense block behind the class model (core.judge.read_past_specific) reads an answer: one with a sign of not
# knowing or deferring (a bare negation, a rule-file don't-know, no content word) or one short enough that a refusal
# or a shrug fits in it ("这题我弃权", "next question please"). Read everywhere, the block took real replies for
# non-answers ("他们下回还找不找我们拿货，就看这个了", a value reply, then got a don't-know technique); read beside the
# signs of an ending too, it turned "…we keep our word, that's everything in this business" from a stop into a shallow
# reply the ladder then followed up (respondents floors, docs/probing.md). Leaving one writer's file out (24 files):
# everywhere +56 answers, this gate +42, signs of any kind or under 16 units +50.
BLOCK_MAX_UNITS = 12
_SIGNS = ("na_unsure", "na_defer",
          *(f"{k}@{p}" for k in ("rule_dont_know", "negated_bare", "empty") for p in ("first", "follow", "closing")))
_SHORT = math.log1p(BLOCK_MAX_UNITS)  # the judge's `units` feature is log1p of the answer's words and characters


def block_reads(f: Mapping[str, float]) -> bool:
    """Whether the sense block reads an answer with these features (a sign of not knowing, or short)."""
    return f.get("units", 0.0) < _SHORT or any(f.get(k) for k in _SIGNS)


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
