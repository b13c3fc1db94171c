"""The learned coder's n-grams and TF-IDF weighting, one implementation for the trainer and for `cna code`.

English: word unigrams and bigrams (block "w") and character 2-5-grams inside space-padded words (block "c",
scikit-learn's char_wb). Chinese: words by forward maximum matching over the model's lexicon (jieba's words
from the training answers, so training and run time segment alike) and Latin words (block "w"), and character
1-3-grams inside runs of Chinese characters (block "c"). Each block is weighted by sublinear tf x idf and
L2-normalised on its own, as scikit-learn's TfidfVectorizer(sublinear_tf=True) does per vectoriser, with one
difference that makes an answer's vector a sum over its words: tf is counted within each piece (a word, a run of
Chinese characters, a bigram), an n-gram in two pieces adds two values, and the norm adds each piece's squares.
So `cna code` sums remembered per-word rows and never revisits an answer's n-grams (most answers have no n-gram
in two words; where they do, it is a second occurrence of the same evidence)."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

_EN_WORD = re.compile(r"\w+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_CACHE_MAX = 200_000  # words and Chinese runs whose n-grams are remembered (cleared past this)
BLOCKS = ("w", "c")  # a feature's block is its first character
Pieces = list[Counter[str]]  # an answer's n-gram counts, piece by piece (core.coder_tfidf.Analyzer)


def en_word_grams(w: str) -> tuple[str, ...]:
    """A word and its character 2-5-grams inside the space-padded word (" pay " -> " p", "pa", ... "pay ")."""
    padded = f" {w} "
    out = ["w:" + w]
    size = len(padded)
    for n in range(2, 6):
        if n > size:
            break
        out.extend("c:" + padded[i:i + n] for i in range(size - n + 1))
    return tuple(out)


def fmm(run: str, lexicon: frozenset[str], longest: int) -> list[str]:
    """Chinese words by forward maximum matching over `lexicon`, characters outside it alone."""
    out, i, n = [], 0, len(run)
    while i < n:
        for size in range(min(longest, n - i), 1, -1):
            if run[i:i + size] in lexicon:
                out.append(run[i:i + size])
                i += size
                break
        else:
            out.append(run[i])
            i += 1
    return out


def zh_run_grams(run: str, lexicon: frozenset[str], longest: int) -> tuple[str, ...]:
    """A run of Chinese characters: its words, and its character 1-3-grams."""
    out = ["w:" + w for w in fmm(run, lexicon, longest)]
    size = len(run)
    for n in (1, 2, 3):
        out.extend("c:" + run[i:i + n] for i in range(size - n + 1))
    return tuple(out)


class Analyzer:
    """An answer's n-gram counts; a word's (or a Chinese run's) n-grams are worked out once and remembered,
    since words repeat from answer to answer and building character n-grams is most of the cost."""

    def __init__(self, lexicon: Iterable[str] = ()):
        self.lexicon = frozenset(w for w in lexicon if len(w) >= 2)
        self.longest = min(6, max((len(w) for w in self.lexicon), default=1))
        self._known: dict[str, tuple[str, ...]] = {}

    def grams(self, piece: str, zh: bool) -> tuple[str, ...]:
        """The n-grams of one English word or one run of Chinese characters (remembered)."""
        key = ("z" if zh else "e") + piece
        got = self._known.get(key)
        if got is None:
            if len(self._known) > _CACHE_MAX:
                self._known.clear()
            got = self._known[key] = (zh_run_grams(piece, self.lexicon, self.longest) if zh
                                      else en_word_grams(piece))
        return got

    @staticmethod
    def split(text: str, lang: str) -> tuple[list[str], list[str]]:
        """(pieces: English words or Chinese runs, whose n-grams grams() makes; the answer's other n-grams:
        English word bigrams, Latin words inside Chinese)."""
        low = text.lower().replace("\u2019", "'")
        if lang == "zh":
            return _CJK_RUN.findall(low), ["w:" + w for w in _LATIN_WORD.findall(low)]
        words = _EN_WORD.findall(low)
        return words, ["w:" + a + " " + b for a, b in itertools.pairwise(words)]

    def __call__(self, text: str, lang: str) -> Pieces:
        """The answer's pieces: each word's (or Chinese run's) n-gram counts, then each other n-gram alone."""
        zh = lang == "zh"
        pieces, other = self.split(text, lang)
        return [Counter(self.grams(p, zh)) for p in pieces] + [Counter((g,)) for g in other]

    def counts(self, text: str, lang: str) -> Counter[str]:
        """All the answer's n-grams with their counts."""
        out: Counter[str] = Counter()
        for p in self(text, lang):
            out.update(p)
        return out


def tfidf(pieces: Pieces, idf: Mapping[str, float]) -> dict[str, float]:
    """Sublinear tf (within each piece) x idf over the features in `idf`, each block L2-normalised over its
    pieces' values (features outside `idf` dropped)."""
    raw: dict[str, float] = {}
    sq = dict.fromkeys(BLOCKS, 0.0)
    for piece in pieces:
        for f, n in piece.items():
            w = idf.get(f)
            if w is not None:
                v = (1.0 + math.log(n)) * w if n > 1 else w
                raw[f] = raw.get(f, 0.0) + v
                sq[f[0]] += v * v
    norm = {b: math.sqrt(s) if s > 0 else 1.0 for b, s in sq.items()}
    return {f: v / norm[f[0]] for f, v in raw.items()}


def idf_of(docs: Iterable[Iterable[str]], min_df: int = 2) -> dict[str, float]:
    """Smoothed idf (scikit-learn's: ln((1 + n) / (1 + df)) + 1) of the features in at least `min_df` documents."""
    df: Counter[str] = Counter()
    n = 0
    for d in docs:
        df.update(set(d))
        n += 1
    return {f: math.log((1 + n) / (1 + k)) + 1.0 for f, k in df.items() if k >= min_df}


def length_bucket(text: str, lang: str) -> int:
    """Answer length in rough words (a Chinese word is about two characters), bucketed for the code cap."""
    n = len(_CJK_RUN.sub(lambda m: " x" * max(1, len(m.group()) // 2), text).split())
    return 0 if n <= 6 else 1 if n <= 15 else 2 if n <= 30 else 3


def zh_runs(text: str) -> list[str]:
    """The runs of Chinese characters in a text."""
    return _CJK_RUN.findall(text)
