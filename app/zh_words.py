"""Chinese words as jieba cuts them (its dictionary, its no-HMM route), its dictionary read a character at a time.

Why not jieba itself at run time: `import jieba` pulls in pkg_resources (~0.15 s) and its dictionary loads whole
(~500,000 words and prefixes, 0.7-1.2 s by marshal), which was most of the judge's start-up. Segmenting a run only
ever looks up words that begin with one of the run's own characters, so the dictionary is kept on disk grouped by
first character and a group is read the first time a character is met: the same words, the same frequencies, the
same cut (tests/unit/test_zh_words.py compares it with jieba on every Chinese answer of the train split).

The grouped file is built once per machine from jieba's own dict.txt (about 2 s, as jieba builds its cache) and kept
beside jieba's cache in the temporary directory, named by the dictionary's size and modification time, so an
upgraded jieba gets a new file. Each group's part-of-speech tags (jieba's own: n, v, d, y…) are kept after its words
and read only when a word's tag is asked for (core/judge_tags.py, issue 13's last-cell round).
"""

from __future__ import annotations

import importlib.util
import logging
import marshal
import math
import mmap
import os
import re
import tempfile
from pathlib import Path

log = logging.getLogger("cna.judge")

_FORMAT = 3  # bump when the file's layout changes (3: each group's part-of-speech tags follow it, read apart)
# jieba 0.42's own block and skip patterns (jieba.re_han_default, re_skip_default, re_eng), so blocks split alike.
_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile("(\r\n|\\s)")
_ENG = re.compile("[a-zA-Z0-9]")


def jieba_dict() -> Path:
    """jieba's shipped dictionary, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jieba is not installed: reinstall cna (make install)")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def read_dict(path: Path) -> tuple[dict[str, int], int]:
    """Every word with its count and every prefix of a word with 0, and the total count (jieba's gen_pfdict)."""
    freq: dict[str, int] = {}
    total = 0
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip().decode("utf-8")
            try:
                word, count = line.split(" ")[:2]
                n = int(count)
            except ValueError:
                raise ValueError(f"invalid dictionary entry in {path} at line {lineno}: {line}") from None
            freq[word] = n
            total += n
            for end in range(1, len(word)):
                freq.setdefault(word[:end], 0)
    return freq, total


def read_tags(path: Path) -> dict[str, str]:
    """Every word's part-of-speech tag as jieba's dictionary gives it ('n', 'v', 'd', 'y'…; issue 13's tag grams)."""
    tags: dict[str, str] = {}
    with path.open("rb") as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags


def build(source: Path, target: Path) -> None:
    """Write `source`'s words grouped by first character: a header (format, total, {char: (offset, length)}), then
    one marshalled dict per character. Written to a temporary name and renamed, so readers never see half a file."""
    freq, total = read_dict(source)
    tags = read_tags(source)
    groups: dict[str, dict[str, int]] = {}
    for word, n in freq.items():
        groups.setdefault(word[0], {})[word] = n
    # Each group's tags are a blob of their own after its words: segmenting reads only the words, and only answers the
    # sense block reads ask for tags (core.judge_tags).
    blobs = {ch: (marshal.dumps(g), marshal.dumps({w: tags[w] for w in g if w in tags})) for ch, g in groups.items()}
    index: dict[str, tuple[int, int, int]] = {}
    offset = 0
    for ch, (words, tagged) in blobs.items():
        index[ch] = (offset, len(words), len(tagged))
        offset += len(words) + len(tagged)
    header = marshal.dumps((_FORMAT, total, index))
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(len(header).to_bytes(8, "little"))
            f.write(header)
            for words, tagged in blobs.values():
                f.write(words)
                f.write(tagged)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def grouped_path(source: Path, folder: Path | None = None) -> Path:
    """Where the grouped copy of `source` lives: named by its size and modification time."""
    st = source.stat()
    # One file per user: the temporary directory is shared, and another user's file (mode 0600) cannot be read.
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return (folder or Path(tempfile.gettempdir())) / \
        f"cna-jieba-v{_FORMAT}-u{uid}-{st.st_size}-{st.st_mtime_ns}.dict"


class Dictionary:
    """jieba's word counts, read a first character at a time from the grouped file (built here if missing)."""

    def __init__(self, source: Path | None = None, folder: Path | None = None) -> None:
        src = source or jieba_dict()
        path = grouped_path(src, folder)
        self._groups: dict[str, dict[str, int]] = {}
        self._tags: dict[str, dict[str, str]] = {}  # the same words' tags, read with their group
        self._index: dict[str, tuple[int, int, int]] = {}
        self._base = 0
        if not path.exists():
            log.info("grouping jieba's dictionary by first character into %s (once per machine)", path)
            try:
                build(src, path)
            except OSError as exc:  # a read-only temporary directory: hold the whole dictionary, as jieba did
                log.warning("cannot write %s (%s): jieba's dictionary is held in memory instead", path, exc)
                self._hold(src)
                return
        try:
            self._open(path)
        except (OSError, ValueError, EOFError, TypeError) as exc:
            # Unreadable or damaged (cut short by a full disk, another version's format): never fail an answer.
            log.warning("cannot read %s (%s): jieba's dictionary is held in memory instead; delete the file to "
                        "have it rebuilt", path, exc)
            self._hold(src)

    def _open(self, path: Path) -> None:
        with path.open("rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        size = int.from_bytes(self._map[:8], "little")
        fmt, total, index = marshal.loads(self._map[8:8 + size])
        if fmt != _FORMAT or not isinstance(index, dict):
            raise ValueError(f"grouped dictionary format {fmt}, expected {_FORMAT}")
        self.total, self._index, self._base = total, index, 8 + size
        self.log_total = math.log(self.total)

    def _hold(self, src: Path) -> None:
        """The whole dictionary in memory, as jieba holds it."""
        freq, self.total = read_dict(src)
        for word, n in freq.items():
            self._groups.setdefault(word[0], {})[word] = n
        for word, tag in read_tags(src).items():
            self._tags.setdefault(word[0], {})[word] = tag
        self._index, self._base = {}, 0
        self.log_total = math.log(self.total)

    def group(self, ch: str) -> dict[str, int]:
        """The words (and prefixes) that begin with `ch`; read from the file the first time."""
        g = self._groups.get(ch)
        if g is None:
            at = self._index.get(ch)
            g = {} if at is None else marshal.loads(self._map[self._base + at[0]:self._base + at[0] + at[1]])
            self._groups[ch] = g
        return g

    def tag(self, word: str) -> str | None:
        """The word's part-of-speech tag in jieba's dictionary, None when it is not a word there."""
        if not word:
            return None
        ch = word[0]
        t = self._tags.get(ch)
        if t is None:
            at = self._index.get(ch)
            start = self._base + at[0] + at[1] if at is not None else 0
            t = {} if at is None else marshal.loads(self._map[start:start + at[2]])
            self._tags[ch] = t
        return t.get(word)

    def loaded(self) -> int:
        """How many first characters have been read so far (for tests and the bench)."""
        return len(self._groups)


class Segmenter:
    """jieba's `lcut(text, HMM=False)` over a Dictionary: the most probable route through the word graph."""

    def __init__(self, dictionary: Dictionary | None = None) -> None:
        self.dictionary = dictionary or Dictionary()

    def _block(self, s: str) -> list[str]:
        n = len(s)
        loaded = self.dictionary._groups
        groups = [loaded.get(ch) or self.dictionary.group(ch) for ch in s]  # an empty group is read again: rare
        # The word graph: from each character, the ends of the dictionary's words that start there.
        graph: list[list[int]] = []
        for k in range(n):
            words = groups[k]
            ends: list[int] = []
            i = k
            frag = s[k]
            while i < n and frag in words:
                if words[frag]:
                    ends.append(i)
                i += 1
                frag = s[k:i + 1]
            graph.append(ends or [k])
        # The most probable route (jieba's calc: log counts over the total; ties go to the longer word).
        log_total = self.dictionary.log_total
        log = math.log
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for idx in range(n - 1, -1, -1):
            get = groups[idx].get
            route[idx] = max((log(get(s[idx:x + 1]) or 1) - log_total + route[x + 1][0], x) for x in graph[idx])
        out: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = route[x][1] + 1
            word = s[x:y]
            if len(word) == 1 and _ENG.match(word):
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)
        return out

    def cut(self, text: str) -> list[str]:
        """The words of `text` in order, as jieba.lcut(text, HMM=False) gives them."""
        out: list[str] = []
        for blk in _HAN.split(text):
            if not blk:
                continue
            if _HAN.match(blk):
                out.extend(self._block(blk))
            else:
                for part in _SKIP.split(blk):
                    if _SKIP.match(part):
                        out.append(part)
                    else:
                        out.extend(part)
        return out
