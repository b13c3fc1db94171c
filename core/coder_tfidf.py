"""The learned coder's n-grams and TF-IDF weighting, one implementation for the trainer and for `cna code`.

English: word unigrams and bigrams (block "w") and character 2-5-grams inside space-padded words (block "c",
scikit-learn's char_wb). Chinese: words by forward maximum matching over the model's lexicon (jieba's words
from the training answers, so training and run time segment alike) and Latin words (block "w"), and character
1-3-grams inside runs of Chinese characters (block "c"). Each block is weighted by sublinear tf x idf and
L2-normalised on its own, as scikit-learn's TfidfVectorizer(sublinear_tf=True) does per vectoriser, with one
difference that makes an answer's vector a sum over its words: tf is counted within each piece (a word, a run of
Chinese characters, a bigram), an n-gram in two pieces adds two values, and the norm adds each piece's squares.
So `cna code` sums remembered per-word rows and never revisits an answer's n-grams (most answers have no n-gram
in two words; where they do, it is a second occurrence of the same evidence).

Optionally a third block "s": each word's sense classes from a thesaurus (Cilin for Chinese, WordNet for English,
passed in as `SenseClasses`: core stays pure), so a word the training answers never used still shares a feature with
its synonyms that they did ('价钱' the class of '价格'). Chinese words for senses are matched longest first over the
model's lexicon and the thesaurus's own words (a new writer's word is seldom in the lexicon)."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Protocol

_EN_WORD = re.compile(r"\w+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_CACHE_MAX = 200_000  # words and Chinese runs whose n-grams are remembered (cleared past this)
BLOCKS = ("w", "c", "s")  # a feature's block is its first character (s: sense classes)
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


class SenseClasses(Protocol):
    """A thesaurus: a word's sense classes ('c7:Dj02B01', 's:n13303315' ...; app.word_senses implements it)."""

    def classes(self, word: str, lang: str) -> tuple[str, ...]: ...

    def words(self, lang: str) -> Iterable[str]:
        """The words it lists (Chinese: matched longest first to find words for senses)."""
        ...


_SENSE_LONGEST = 4  # the longest thesaurus word matched in a Chinese run (longer ones are idioms, rare in answers)


def sense_kind(cls: str) -> str:
    """A sense class's kind: 'c7:Dj02B01' -> 'c7', 's:n13303315' -> 's'."""
    return cls.split(":", 1)[0]


class Analyzer:
    """An answer's n-gram counts; a word's (or a Chinese run's) n-grams are worked out once and remembered,
    since words repeat from answer to answer and building character n-grams is most of the cost.

    With `senses` and `kinds` (the sense-class kinds the model reads: 'c5', 'c7', 'l', 's', 'h' ...) each word's
    classes of those kinds join its n-grams as 's' + class ('sc7:Dj02B01')."""

    def __init__(self, lexicon: Iterable[str] = (), senses: SenseClasses | None = None,
                 kinds: Iterable[str] = ()):
        self.lexicon = frozenset(w for w in lexicon if len(w) >= 2)
        self.longest = min(6, max((len(w) for w in self.lexicon), default=1))
        self._known: dict[str, tuple[str, ...]] = {}
        self.kinds = frozenset(kinds)
        self.senses = senses if self.kinds else None
        self._sense_lexicon: frozenset[str] | None = None

    def __getstate__(self) -> dict[str, object]:
        # The thesaurus's words are rebuilt where the analyzer is unpickled (the engine's child process).
        return {**self.__dict__, "_sense_lexicon": None, "_known": {}}

    def _sense_words(self, run: str) -> list[str]:
        """A Chinese run's words for sense look-up: longest first over the lexicon and the thesaurus's words."""
        if self._sense_lexicon is None:
            assert self.senses is not None
            self._sense_lexicon = self.lexicon | frozenset(
                w for w in self.senses.words("zh") if 2 <= len(w) <= _SENSE_LONGEST)
        return fmm(run, self._sense_lexicon, max(self.longest, _SENSE_LONGEST))

    def _classes(self, word: str, lang: str) -> list[str]:
        assert self.senses is not None
        return ["s" + c for c in self.senses.classes(word, lang) if sense_kind(c) in self.kinds]

    def sense_grams(self, piece: str, zh: bool) -> list[str]:
        """The sense-class features of one English word or one run of Chinese characters."""
        if self.senses is None:
            return []
        if not zh:
            return self._classes(piece, "en")
        return [f for w in self._sense_words(piece) for f in self._classes(w, "zh")]

    def sense_word(self, piece: str, zh: bool, feature: str) -> str:
        """The word of a piece whose classes hold `feature` (shown as a proposal's evidence), else the piece."""
        if self.senses is not None and zh:
            for w in self._sense_words(piece):
                if feature in self._classes(w, "zh"):
                    return w
        return piece

    def grams(self, piece: str, zh: bool) -> tuple[str, ...]:
        """The n-grams of one English word or one run of Chinese characters (remembered)."""
        key = ("z" if zh else "e") + piece
        got = self._known.get(key)
        if got is None:
            if len(self._known) > _CACHE_MAX:
                self._known.clear()
            got = self._known[key] = self.make_grams(piece, zh)
        return got

    def make_grams(self, piece: str, zh: bool) -> tuple[str, ...]:
        """The n-grams of one English word or one run of Chinese characters, made afresh (not remembered: the
        learned model remembers each piece's sums instead, and a Chinese run is rarely seen twice)."""
        got = zh_run_grams(piece, self.lexicon, self.longest) if zh else en_word_grams(piece)
        if self.senses is not None:
            got += tuple(self.sense_grams(piece, zh))
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


def tfidf(pieces: Pieces, idf: Mapping[str, float], sense_scale: float = 1.0) -> dict[str, float]:
    """Sublinear tf (within each piece) x idf over the features in `idf`, each block L2-normalised over its
    pieces' values (features outside `idf` dropped); the sense block then times `sense_scale`."""
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
    norm["s"] /= sense_scale
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
