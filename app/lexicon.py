"""Words, how common they are and their senses (jieba segments Chinese, wordfreq gives frequencies, Cilin and WordNet
group words by meaning: app.word_senses), and the judge built on them."""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from core.judge import Judge
from core.probing import RuleProber
from core.script_parse import Problem, ScriptError
from interview_scripts import JUDGE

log = logging.getLogger("cna.judge")

# Han ideographs and kana (as core.lang counts them); runs of them are segmented, the rest split on non-letters.
_CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_UNKNOWN_ZIPF = 2.0  # a word in neither list is rarer than the lists go (about once per 100 million words)
# The sense classes the judge reads (core.judge_senses): Cilin's levels 4, 5 and 7 ('c4:Gb08', 'c5:Gb08A',
# 'c7:Gb08A01'), WordNet's lexicographer files, synsets and their direct hypernyms. Cilin's level 2 ('c2:Gb', a dozen
# words' worth of meanings apart) was tried beside them, leaving one writer's file out (docs/probing.md).
SENSE_KINDS = ("c4:", "c5:", "c7:", "l:", "s:", "h:")


class Lexicon:
    """core.judge_features.Lexicon with jieba and wordfreq; built once per process (see `lexicon()`).

    Answers repeat their words, and a stream repeats whole answers: segmentation and frequency look-ups are
    remembered (bounded, so a long-running service stays within its memory budget). jieba's dictionary (about
    half the judge's start-up) loads on the first Chinese answer, so an English stream never pays for it;
    `cna serve` loads it at start (`warm()`), so the first Slack answer in Chinese is not the slow one."""

    def __init__(self) -> None:
        self._jieba: Any = None
        # The frequency lists load on the first look-up, not here: a command that loads the catalog but never
        # judges an answer (`cna report`, `cna round`, `cna scripts list`) does not pay their ~0.3 s.
        self._by_lang: dict[str, dict[str, float]] = {}
        self._cut = lru_cache(maxsize=1 << 13)(self._cut_run)
        self._words = lru_cache(maxsize=1 << 13)(self._split)
        self._classes = lru_cache(maxsize=1 << 15)(self._read_classes)
        self._pinyin: Any = None

    def _tables(self) -> dict[str, dict[str, float]]:
        import wordfreq  # heavy imports stay out of modules that never judge an answer

        # The "small" lists (about 30,000 words each) hold every word common enough to matter here; the
        # full lists would cost ~80 MB more in a long-running service for words that all count as rare.
        en, zh = ({w: round(math.log10(f) + 9, 2)
                   for w, f in wordfreq.get_frequency_dict(lang, wordlist="small").items()} for lang in ("en", "zh"))
        # One table per answer language, so a look-up is one dict access: a Chinese answer reads Chinese words
        # from the Chinese list and other words from the Chinese list, then the English one ("CRM", "excel").
        self._by_lang = {"en": en, "zh": {**{w: z for w, z in en.items() if not _CJK_RUN.match(w)}, **zh}}
        return self._by_lang

    def warm(self) -> None:
        """Load the frequency lists and open jieba's dictionary now rather than on the first answer (jieba's words
        are then read a first character at a time, app.zh_words, so opening it costs milliseconds)."""
        if not self._by_lang:
            self._tables()
        if self._jieba is None:
            from app.zh_words import Segmenter

            self._jieba = Segmenter()

    def _cut_run(self, run: str) -> tuple[str, ...]:
        if self._jieba is None:
            self.warm()
        return tuple(w for w in self._jieba.cut(run) if w.strip())

    def _split(self, text: str) -> tuple[str, ...]:
        out: list[str] = []
        pos = 0
        for m in _CJK_RUN.finditer(text):
            out.extend(w.lower() for w in _WORD.findall(text[pos:m.start()]))
            out.extend(self._cut(m.group()))
            pos = m.end()
        out.extend(w.lower() for w in _WORD.findall(text[pos:]))
        return tuple(out)

    def words(self, text: str) -> tuple[str, ...]:
        """Lower-cased words in reading order: Chinese runs segmented by jieba, other runs split on non-letters."""
        return self._words(text)

    def zipf(self, word: str, lang: str) -> float:
        """wordfreq's Zipf frequency (log10 per billion words: 'the' ≈ 7.7, 'invoice' ≈ 3.9); unknown ≈ 2."""
        tables = self._by_lang or self._tables()
        table = tables.get(lang) or (tables["zh"] if _CJK_RUN.match(word) else tables["en"])
        return table.get(word, _UNKNOWN_ZIPF)

    def zipfs(self, words: Iterable[str], lang: str) -> list[float]:
        """zipf() of each word, in one call (the judge asks for every word of every answer)."""
        tables = self._by_lang or self._tables()
        get = (tables.get(lang) or tables["en"]).get
        if lang in tables:
            return [get(w, _UNKNOWN_ZIPF) for w in words]
        return [self.zipf(w, lang) for w in words]

    def hanzi(self, text: str) -> str:
        """`text` with its toneless pinyin read as characters ("bu zhi dao ei" → 不知道诶: app.pinyin_reader); the
        same object when there is none (English answers, Chinese ones typed with the input method on)."""
        if self._pinyin is None:
            from app.pinyin_reader import PinyinReader

            self._pinyin = PinyinReader(lambda w: self.zipf(w, "en"), lambda: (self._by_lang or self._tables())["zh"])
        result: str = self._pinyin.read(text)
        return text if result == text else result  # the remembered reading of an equal text is another object

    def zh_tag(self, word: str) -> str | None:
        """The word's part of speech in jieba's dictionary (core.judge_tags), None when it is not a word there."""
        if self._jieba is None:
            self.warm()
        tag: str | None = self._jieba.dictionary.tag(word)
        return tag

    def _read_classes(self, word: str) -> tuple[str, ...]:
        from app.word_senses import senses  # the thesauri load on the first word, or at warm()

        # The word's script picks the thesaurus, not the answer's language (Chinese answers embed English words).
        return tuple(c for c in senses().classes(word, "") if c.startswith(SENSE_KINDS))

    def classes(self, word: str, lang: str) -> tuple[str, ...]:
        """The word's sense classes the judge reads (SENSE_KINDS of app.word_senses' classes); () when neither
        thesaurus lists the word, or its package is not installed."""
        del lang
        return self._classes(word)


@cache
def lexicon() -> Lexicon:
    """The process's one lexicon (jieba's dictionary and the frequency lists load once, ~0.5 s)."""
    return Lexicon()


def load_judge(path: Path | None = None) -> Judge | None:
    """The shipped judge (interview_scripts/judge.json), or None when the file is absent: the rules alone decide.

    A file that is there but unreadable raises ScriptError naming it, like any other broken data file."""
    p = path or JUDGE
    if not p.exists():
        log.warning("no judge weights at %s: probing with the rules alone (run 'cna train prober')", p)
        return None
    try:
        return Judge(json.loads(p.read_text(encoding="utf-8")), lexicon())
    except (ValueError, KeyError, TypeError) as exc:
        raise ScriptError([Problem(str(p), 1, f"judge weights are not readable: {exc}",
                                   "retrain them with 'cna train prober'")]) from None


def warm_judge(prober: RuleProber) -> None:
    """Load everything the prober's judge reads answers with (jieba's dictionary), e.g. when `cna serve` starts."""
    lex = prober.judge.lexicon if prober.judge is not None else None
    if isinstance(lex, Lexicon):
        lex.warm()
        if prober.judge is not None and prober.judge.reads_senses:  # core.judge_senses
            from app.word_senses import senses

            senses().warm()  # Cilin's tree (~0.1 s, ~17 MB) and WordNet's index files, not on the first answer
