"""Toneless pinyin read as Chinese characters: "bu zhi dao ei" → 不知道诶, so the judge reads it as the Chinese it is.

Why: a Chinese respondent with the input method off types pinyin ("kan qing kuang ba", "meiyou"); read as English
words, none of the Chinese features, words or n-grams see it. This is a small, generic reader, not a phrase list:

- A token is pinyin when it splits into Mandarin syllables (the inventory below: every toneless syllable of a
  character in wordfreq's Chinese list by pypinyin's readings, less the bare nasals m/n/ng; a tone digit after a
  syllable is allowed). A run splits into the fewest syllables ("fangan" → fang an, "xian" → xian).
- An answer is pinyin only when it is not plain English: by the judge's own wordfreq table, a lone token common
  in English (Zipf ≥ 4: "one", "long", "ban") and tokens most of which are common English words and common on the
  whole (mean Zipf ≥ 4.5: "a ban", but not "ba ta gai le", whose syllables are English abbreviations) stay English.
  Inside a Chinese answer pinyin is read only when the answer's other Latin words are fewer than its characters
  ("不知道 tbh, ask Li Wei…" keeps its name), and a lone token only when rare in English (Zipf < 3: "meiyou", not
  "oa" or "ai"). Tokens in capitals ("CRM") are names and stay as they are.
- The characters: pypinyin's readings reversed (its phrase dictionary for words it lists, a character's first
  reading otherwise) over wordfreq's Chinese words, the syllables segmented into words by the most likely path
  (each word's log frequency; homophones go to the commoner word; a modal particle, jieba's tag 'y', only closes a
  run: 看情况吧, 把它改了). The table is read on the first pinyin answer
  (built once per machine, ~0.7 s, and kept in the temporary directory as app.zh_words keeps jieba's words), so a
  process that never meets one never pays for it.

Without pypinyin installed, answers are read as they are (logged once).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import marshal
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger("cna.judge")

# Toneless Mandarin syllables by initial (ü written v, as IMEs take it; "lue"/"nue" as typed too).
_FINALS = {
    "": "a ai an ang ao e ei en eng er o ou",
    "b": "a ai an ang ao ei en eng i ian iao ie in ing o u",
    "p": "a ai an ang ao ei en eng i ian iao ie in ing o ou u",
    "m": "a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u",
    "f": "a an ang ei en eng o ou u",
    "d": "a ai an ang ao e ei eng i ian iao ie ing iu ong ou u uan ui un uo",
    "t": "a ai an ang ao e ei eng i ian iao ie ing ong ou u uan ui un uo",
    "n": "a ai an ang ao e ei en eng i ian iang iao ie in ing iu ong ou u uan uo v ve ue",
    "l": "a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan un uo v ve ue",
    "g": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "k": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "h": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "j": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "q": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "x": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "zh": "a ai an ang ao e ei en eng i ong ou u ua uai uan uang ui un uo",
    "ch": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "sh": "a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo",
    "r": "an ang ao e en eng i ong ou u uan ui un uo",
    "z": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "c": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "s": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "y": "a an ang ao e i in ing o ong ou u uan ue un",
    "w": "a ai an ang ei en eng o u",
}
SYLLABLES = frozenset(i + f for i, fs in _FINALS.items() for f in fs.split())
_LONGEST = max(map(len, SYLLABLES))
# A Latin token (letters, then an optional tone digit per syllable: "bu4zhi1dao4"), apostrophes splitting syllables.
_TOKEN = re.compile(r"[A-Za-z][A-Za-z1-5]*(?:'[A-Za-z][A-Za-z1-5]*)*")
_LATIN = re.compile("[A-Za-z]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_GAP = re.compile(r"[ \t]+")  # what may separate the tokens of one pinyin run
_HAN_GAP = re.compile("(?<=[\u3400-\u9fff，。！？、])\\s+|\\s+(?=[\u3400-\u9fff，。！？、])")
_FORMAT = 1  # bump when the kept table's layout or its making changes
ENGLISH_ZIPF = 4.0  # a token this common in English is an English word ("a", "one", "ban")
ENGLISH_MEAN = 4.5  # ... and the tokens this common on average
ENGLISH_ZIPF_INSIDE = 3.0  # a lone token inside a Chinese answer: "oa", "ai", "ding" stay English
_UNREAD = -12.0  # a syllable no character in the table has: kept in Latin letters, at a cost
PHRASE_ZIPF = 2.0  # a phrase of pypinyin's not in the frequency list: as rare as an unknown word
OTHER_READING = 2.0  # Zipf taken off a character read by one of its later readings
# Modal particles (jieba's tag 'y': 吧 呢 吗 嘛 呗…) close a clause: "kan qing kuang ba" is 看情况吧, but
# "ba ta gai le" 把它改了; the particle's Zipf gains this much at a run's end (it is not read anywhere else).
PARTICLE_SHIFT = 3.0


@lru_cache(maxsize=1 << 14)
def syllables(token: str) -> tuple[str, ...] | None:
    """The token as the fewest toneless syllables (the longer one first on a tie), or None when it is not pinyin."""
    word = token.lower().replace("ü", "v")
    parts: list[str] = []
    for piece in word.split("'"):
        bare = re.sub("[1-5]", "", piece)
        if not bare or re.search("[1-5][1-5]|^[1-5]", piece):
            return None
        split = _split(bare)
        if split is None:
            return None
        parts.extend(split)
    return tuple(parts)


def _split(s: str) -> tuple[str, ...] | None:
    # best[i]: the fewest syllables that spell s[i:]; tried longest first, so a tie keeps the longer first syllable.
    best: list[tuple[str, ...] | None] = [None] * (len(s) + 1)
    best[len(s)] = ()
    for i in range(len(s) - 1, -1, -1):
        for n in range(min(_LONGEST, len(s) - i), 0, -1):
            rest = best[i + n]
            if rest is not None and s[i:i + n] in SYLLABLES:
                cand = (s[i:i + n], *rest)
                cur = best[i]
                if cur is None or len(cand) < len(cur):
                    best[i] = cand
    return best[0]


def _bare(reading: str) -> str:
    """A pypinyin reading without its tone mark: 'lǜ' → 'lv', 'zhī' → 'zhi'."""
    s = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in s if not unicodedata.combining(c))


def particles() -> frozenset[str]:
    """The one-character modal particles of jieba's dictionary (tag 'y')."""
    from app.zh_words import jieba_dict

    text = jieba_dict().read_text(encoding="utf-8")
    return frozenset(re.findall(r"^(\S) \d+ y$", text, re.M))


def _package_json(name: str) -> dict[str, Any]:
    """One of pypinyin's data files (found without importing pypinyin); ImportError when it is not installed."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypinyin is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Table:
    """What the reader decodes with: syllables → the commonest word read so (with its Zipf frequency), and a
    syllable → the commonest modal particle read so (only a run's last syllable may be one)."""

    words: dict[str, tuple[str, float]]  # keyed by the syllables joined by spaces ("bu zhi dao")
    closers: dict[str, tuple[str, float]]


def build_table(words: Iterable[tuple[str, float]], closing: frozenset[str] = frozenset()) -> Table:
    """The table from (Chinese word, Zipf) pairs and the modal particles among them."""
    # pypinyin's data files, read here and let go (its modules would keep both dictionaries, ~60 MB, for good).
    pinyin_dict = {int(k): v for k, v in _package_json("pinyin_dict.json").items()}
    phrases_dict = _package_json("phrases_dict.json")

    table: dict[str, tuple[str, float]] = {}
    closers: dict[str, tuple[str, float]] = {}

    def add(syl: tuple[str, ...], word: str, zipf: float) -> None:
        if all(k in SYLLABLES for k in syl):
            key = " ".join(syl)
            cur = table.get(key)
            if cur is None or cur[1] < zipf:
                table[key] = (word, zipf)

    def add_closer(key: tuple[str, ...], word: str, zipf: float) -> None:
        cur = closers.get(key[0])
        if cur is None or cur[1] < zipf:
            closers[key[0]] = (word, zipf)

    for word, zipf in words:
        if not all(_HAN.match(ch) for ch in word):
            continue
        if len(word) == 1:
            # A character's other readings are rarer ones (长 zhǎng, 会 kuài, 而 néng): they compete at a cost.
            for k, r in enumerate((pinyin_dict.get(ord(word)) or "").split(",")):
                if r:
                    (add_closer if word in closing else add)((_bare(r),), word, zipf - (OTHER_READING if k else 0.0))
            continue
        phrase = phrases_dict.get(word)
        if phrase:
            key = tuple(_bare(r[0]) for r in phrase)
        else:
            firsts = [(pinyin_dict.get(ord(ch)) or "").split(",")[0] for ch in word]
            if not all(firsts):
                continue
            key = tuple(_bare(r) for r in firsts)
        if len(key) == len(word):
            add(key, word, zipf)
    # Set phrases and idioms pypinyin lists that the frequency list lacks (无可奉告), as rare words.
    for word, readings in phrases_dict.items():
        key = tuple(_bare(r[0]) for r in readings)
        if len(key) == len(word) and " ".join(key) not in table:
            add(key, word, PHRASE_ZIPF)
    return Table(table, closers)


def table_path(folder: Path | None = None) -> Path:
    """Where the built table is kept: named by the versions of the packages whose data it is made of."""
    import importlib.metadata as md

    uid = os.getuid() if hasattr(os, "getuid") else 0
    return (folder or Path(tempfile.gettempdir())) / \
        f"cna-pinyin-v{_FORMAT}-u{uid}-{md.version('pypinyin')}-{md.version('wordfreq')}.marshal"


def load_table(words: Callable[[], Mapping[str, float]], folder: Path | None = None) -> Table:
    """The table, read from its file, or built (~0.7 s and ~70 MB of pypinyin's data for the moment) and kept in
    a file for the next process (written to a temporary name and renamed: readers never see half a file)."""
    try:
        path = table_path(folder)
    except Exception as exc:  # pypinyin not installed
        raise ImportError(str(exc)) from None
    try:
        fmt, table, closers = marshal.loads(path.read_bytes())
        if fmt == _FORMAT and isinstance(table, dict) and isinstance(closers, dict):
            return Table(table, closers)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    built = build_table(words().items(), particles())
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps((_FORMAT, built.words, built.closers)))
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        log.warning("cannot keep the pinyin table in %s (%s): built again by the next process", path, exc)
    return built


class PinyinReader:
    """Reads the pinyin in an answer as characters; `english(word)` is the word's Zipf frequency in English."""

    def __init__(self, english: Callable[[str], float], chinese: Callable[[], Mapping[str, float]]):
        self._english = english
        self._chinese = chinese
        self._table: Table | None = None
        self._lock = threading.Lock()
        self._failed = False
        self.read = lru_cache(maxsize=1 << 13)(self._read)

    def _words(self) -> Table | None:
        if self._table is None and not self._failed:
            with self._lock:
                if self._table is None and not self._failed:
                    try:
                        self._table = load_table(self._chinese)
                    except ImportError:
                        self._failed = True
                        log.warning("pypinyin is not installed: pinyin answers are read as they are")
        return self._table

    def _runs(self, text: str) -> list[tuple[int, int, list[tuple[str, ...]]]]:
        """The spans of pinyin runs in `text` with each token's syllables (before the English check)."""
        runs: list[tuple[int, int, list[tuple[str, ...]]]] = []
        start = end = -1
        run: list[tuple[str, ...]] = []
        for m in _TOKEN.finditer(text):
            tok = m.group()
            syl = None if (tok.isupper() and len(tok) > 1) else syllables(tok)
            if syl is not None and run and _GAP.fullmatch(text[end:m.start()]):
                run.append(syl)
                end = m.end()
                continue
            if run:
                runs.append((start, end, run))
            run = [syl] if syl is not None else []
            start, end = (m.start(), m.end()) if syl is not None else (-1, -1)
        if run:
            runs.append((start, end, run))
        return runs

    def _english_run(self, tokens: list[str], inside: bool) -> bool:
        """Whether pinyin-shaped tokens are English words: most of them common ones, and common on the whole
        ("a ban", "one"; but "ba ta gai le", whose syllables are English abbreviations, is pinyin)."""
        zipfs = [self._english(t.lower()) for t in tokens]
        if len(tokens) == 1:
            return zipfs[0] >= (ENGLISH_ZIPF_INSIDE if inside else ENGLISH_ZIPF)
        return sum(z >= ENGLISH_ZIPF for z in zipfs) * 2 > len(zipfs) and sum(zipfs) / len(zipfs) >= ENGLISH_MEAN

    def _read(self, text: str) -> str:
        if not _LATIN.search(text):
            return text
        han = len(_HAN.findall(text))
        if han:
            # Pinyin inside a Chinese answer, not a name inside an English one ("不知道 tbh, ask Li Wei, she…"): the
            # answer's other Latin words (English ones: "sales ops") are fewer than its characters.
            others = sum(1 for t in _TOKEN.findall(text) if syllables(t) is None)
            if others >= han:
                return text
        else:
            # An answer in Latin letters is pinyin only when every word of it is (names in capitals aside): most
            # English answers are told at their first word or two, which is what an English stream pays here.
            toks: list[str] = []
            for m in _TOKEN.finditer(text):
                t = m.group()
                if t.isupper() and len(t) > 1:
                    continue
                if syllables(t) is None:
                    return text
                toks.append(t)
            if not toks or self._english_run(toks, inside=False):
                return text
        runs = [(s, e, syl) for s, e, syl in self._runs(text)
                if not self._english_run(_TOKEN.findall(text[s:e]), inside=bool(han))]
        if not runs or (table := self._words()) is None:
            return text
        out: list[str] = []
        pos = 0
        for s, e, syl in runs:
            out.append(text[pos:s])
            out.append(_decode([x for t in syl for x in t], table.words, table.closers))
            pos = e
        out.append(text[pos:])
        return _HAN_GAP.sub("", "".join(out))


def _decode(syl: list[str], table: Mapping[str, tuple[str, float]],
            closers: Mapping[str, tuple[str, float]]) -> str:
    """The likeliest characters for a run of syllables: words chosen by the sum of their log frequencies, a modal
    particle (kept apart from the table) only at the run's end, and preferred there."""
    n = len(syl)
    best: list[tuple[float, int, str]] = [(0.0, 0, "")] + [(-1e9, 0, "")] * n  # score, start, word
    longest = 6
    for j in range(1, n + 1):
        for i in range(max(0, j - longest), j):
            hit = table.get(" ".join(syl[i:j]))
            if hit is None:
                if j - i > 1:
                    continue
                word, score = syl[i], _UNREAD
            else:
                word, score = hit[0], hit[1] - 9.0
            if j == n and j - i == 1 and (end := closers.get(syl[i])) is not None \
                    and end[1] - 9.0 + PARTICLE_SHIFT > score:
                word, score = end[0], end[1] - 9.0 + PARTICLE_SHIFT
            total = best[i][0] + score
            if total > best[j][0]:
                best[j] = (total, i, word)
    words: list[str] = []
    j = n
    while j > 0:
        _, i, word = best[j]
        words.append(word)
        j = i
    return "".join(reversed(words))


class Sounds(Mapping[str, tuple[str, ...]]):
    """A Chinese character → (its toneless first reading,), from pypinyin's data, read on first use (~0.15 s, 21k
    characters) and shared: the closed-question reader repairs input-method homophones with it
    (core/choice_sounds.py). Empty when pypinyin is not installed."""

    def __init__(self) -> None:
        self._table: dict[str, tuple[str, ...]] | None = None
        self._lock = threading.Lock()

    def _load(self) -> dict[str, tuple[str, ...]]:
        if self._table is None:
            with self._lock:
                if self._table is None:
                    try:
                        data = _package_json("pinyin_dict.json")
                    except (ImportError, OSError, ValueError):
                        data = {}
                    self._table = {chr(int(k)): (_bare(v.split(",")[0]),) for k, v in data.items()
                                   if 0x4E00 <= int(k) <= 0x9FFF}
        return self._table

    def __getitem__(self, ch: str) -> tuple[str, ...]:
        return self._load()[ch]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


SOUNDS = Sounds()
