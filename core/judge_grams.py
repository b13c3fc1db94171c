"""Character n-grams of an answer: sparse features that read wordings no grammar or word list names (issue 13).

The designed features and the non-answer grammar generalise by construction, but each new writer brought wordings
they had not met ("can't point to one time", "据我所知", "俺们"). Pieces of words (English 4 letters inside a word,
Chinese 1-3 characters) carry what a whole word or phrase does not: a stem shared with a word never seen, a
character of negation inside a compound, a dialect form of a common one. They are learnt beside the other features,
lightly held (their own L2, chosen by leaving one writer's file out: `cna train prober --by-file`), and their values
are scaled so an answer's grams weigh the same in total however long it is.
"""

from __future__ import annotations

import math
import re

GRAM = "g:"  # the prefix of an n-gram feature in the weights ("g:不清", "g:know")
_EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Letters inside a word padded with < and > (its start and end are pieces too). 3-5 letters scored the same as 4 alone
# leaving one writer's file out (5,935 / 5,933 of 6,164 right) at three times the grams per answer, and the grams are
# most of what the judge adds per answer (docs/probing.md).
_EN_SIZES = (4,)
_ZH_SIZES = (1, 2, 3)  # characters, over the answer without spaces, with ^ and $ for its start and end


def grams(low: str, zh: bool) -> set[str]:
    """The distinct n-grams of a cleaned, lower-cased answer."""
    if zh:
        s = "^" + "".join(low.split()) + "$"
        return {s[i:i + n] for n in _ZH_SIZES for i in range(len(s) - n + 1)}
    padded = {f"<{w}>" for w in _EN_WORD.findall(low)}  # one comprehension: the cost is per answer read (issue 20)
    return {p[i:i + n] for p in padded for n in _EN_SIZES for i in range(len(p) - n + 1)}


def gram_value(n: int) -> float:
    """Each of an answer's n distinct grams counts 1/sqrt(n): the grams of an answer have unit length together."""
    return 1.0 / math.sqrt(n) if n else 0.0


def gram_features(low: str, zh: bool) -> dict[str, float]:
    """The n-grams as named features, for training (the judge reads them from its own table: core.judge)."""
    gs = grams(low, zh)
    v = gram_value(len(gs))
    return {GRAM + g: v for g in gs}
