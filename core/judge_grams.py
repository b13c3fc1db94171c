"""Character n-grams of an answer: sparse features that read wordings no grammar or word list names (issue 13).

The designed features and the non-answer grammar generalise by construction, but each new writer brought wordings
they had not met ("can't point to one time", "据我所知", "俺们"). Pieces of words (English 3-5 letters inside a word,
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
_EN_SIZES = (3, 4, 5)  # letters, inside a word padded with < and > (its start and end are pieces too)
_ZH_SIZES = (1, 2, 3)  # characters, over the answer without spaces, with ^ and $ for its start and end


def grams(low: str, zh: bool) -> set[str]:
    """The distinct n-grams of a cleaned, lower-cased answer."""
    if zh:
        s = "^" + "".join(low.split()) + "$"
        return {s[i:i + n] for n in _ZH_SIZES for i in range(len(s) - n + 1)}
    out: set[str] = set()
    for w in _EN_WORD.findall(low):
        p = f"<{w}>"
        out.update(p[i:i + n] for n in _EN_SIZES for i in range(len(p) - n + 1))
    return out


def gram_value(n: int) -> float:
    """Each of an answer's n distinct grams counts 1/sqrt(n): the grams of an answer have unit length together."""
    return 1.0 / math.sqrt(n) if n else 0.0


def gram_features(low: str, zh: bool) -> dict[str, float]:
    """The n-grams as named features, for training (the judge reads them from its own table: core.judge)."""
    gs = grams(low, zh)
    v = gram_value(len(gs))
    return {GRAM + g: v for g in gs}
