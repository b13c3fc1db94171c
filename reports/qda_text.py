"""A QDA tool's source text normalised as cna writes transcripts (no BOM, '\\n', NFC), with offsets translated."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

UTF16_FLAG = re.compile(r"UTF-?16", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def decode(data: bytes) -> str:
    """A source file's characters: UTF-16 when it starts with a UTF-16 BOM, else UTF-8; a BOM is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


class Normalised:
    """`raw` (a tool's text without its BOM) and `text` (line endings as '\\n', Unicode NFC), with a map between
    positions in both. A position inside something normalisation merged (a CRLF, a base letter and its accent)
    goes to the start of it for a start and to its end for an end, so a selection never loses a character."""

    def __init__(self, raw: str) -> None:
        self.raw = raw.removeprefix("\ufeff")
        raw = self.raw
        if "\r" not in raw and unicodedata.is_normalized("NFC", raw):
            self.text = raw
            self._raw_starts: list[int] | None = None  # identity
            self._norm_starts: list[int] = []
        else:
            pieces: list[tuple[int, str]] = []  # (raw start, normalised text) of each piece
            i, n = 0, len(raw)
            while i < n:
                if raw[i] == "\r":
                    j = i + 2 if raw.startswith("\n", i + 1) else i + 1
                    pieces.append((i, "\n"))
                    i = j
                    continue
                j = i + 1
                while j < n and raw[j] != "\r" and (unicodedata.combining(raw[j])
                                                    or _nfc(raw[i:j + 1]) != _nfc(raw[i:j]) + _nfc(raw[j])):
                    j += 1
                pieces.append((i, _nfc(raw[i:j])))
                i = j
            self._raw_starts = [p[0] for p in pieces] + [n]
            self._norm_starts = []
            pos = 0
            for _, piece in pieces:
                self._norm_starts.append(pos)
                pos += len(piece)
            self._norm_starts.append(pos)
            self.text = "".join(p[1] for p in pieces)
        self._units: list[int] | None = None

    def _cut(self, starts: list[int], other: list[int], pos: int, end: bool) -> int:
        k = bisect_right(starts, pos) - 1
        if k < 0:
            return 0
        if k >= len(starts) - 1:
            return other[-1]
        if starts[k] == pos or not end:
            return other[k]
        return other[k + 1]

    def to_text(self, pos: int, end: bool = False) -> int:
        """A position in `raw` (code points) as a position in `text`."""
        pos = max(0, min(pos, len(self.raw)))
        if self._raw_starts is None:
            return pos
        return self._cut(self._raw_starts, self._norm_starts, pos, end)

    def to_raw(self, pos: int, end: bool = False) -> int:
        """A position in `text` as a position in `raw`."""
        pos = max(0, min(pos, len(self.text)))
        if self._raw_starts is None:
            return pos
        return self._cut(self._norm_starts, self._raw_starts, pos, end)

    def from_utf16(self, units: int, end: bool = False) -> int:
        """A UTF-16 code unit offset into `raw` as a code point offset (characters beyond the BMP are two units)."""
        if self._units is None:
            self._units = [0]
            for ch in self.raw:
                self._units.append(self._units[-1] + (2 if ord(ch) > 0xFFFF else 1))
        k = bisect_right(self._units, units) - 1
        if k < 0:
            return 0
        if self._units[k] == units or not end or k + 1 >= len(self._units):
            return k
        return k + 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines (a transcript's header and each ladder)."""
    out, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


@dataclass
class Alignment:
    """Where a tool's (normalised) text sits in cna's transcript: pieces (start, end, our start) that are equal."""

    pieces: list[tuple[int, int, int]]
    exact: bool
    matched: int  # characters of the tool's text found in ours

    def place(self, start: int, end: int, theirs: str, ours: str) -> tuple[int, int] | None:
        """[start, end) of their text in ours; None where either end lies in text that differs, or the range
        crosses text that differs."""
        a = next((o + start - s for s, e, o in self.pieces if s <= start < e), None)
        b = next((o + end - s for s, e, o in self.pieces if s < end <= e), None)
        if a is None or b is None or b <= a:
            return None
        if not self.exact and ours[a:b] != theirs[start:end]:
            return None
        return a, b


def align(theirs: str, ours: str) -> Alignment:
    """Equal texts align exactly; otherwise equal paragraphs do, in order among repeats (a header with another
    pseudonym, ladders in another order, an answer edited in the tool only lose what differs)."""
    if theirs == ours:
        return Alignment([(0, len(ours), 0)], True, len(ours))
    free: dict[str, list[int]] = {}
    for s, e in paragraphs(ours):
        free.setdefault(ours[s:e], []).append(s)
    pieces = []
    for s, e in paragraphs(theirs):
        spots = free.get(theirs[s:e])
        if spots:
            pieces.append((s, e, spots.pop(0)))
    return Alignment(pieces, False, sum(e - s for s, e, _ in pieces))
