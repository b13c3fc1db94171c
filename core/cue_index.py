"""Compiled cue matching: one language's cues indexed by literal prefix, and the denied-relevance check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property


def _lower_pattern(pattern: str) -> str:
    """Lower-case a regex except escapes (\\W, \\S, \\D differ from their lower case): we match lowered text
    without re.IGNORECASE, which keeps the regex engine's fast literal scans."""
    out: list[str] = []
    escaped = False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out)


def _wrap(lang: str, pattern: str, prefixes: frozenset[str] | None) -> str:
    """English cues are whole words; \\b is much faster than (?<!\\w) but only right before a word char."""
    if lang == "zh":
        return f"(?:{pattern})"
    word_start = prefixes is not None and all(re.match(r"\w", p) for p in prefixes)
    return ("\\b" if word_start else "(?<!\\w)") + f"(?:{pattern})(?!\\w)"


# Prefix analysis: every cue gets the literal strings (up to _GRAM chars) a match must start with, so an
# answer only runs the few cues whose prefix occurs in it. Anything the reader does not understand makes
# the prefix shorter (or absent: the cue then always runs), never wrong.
_GRAM = {"en": 3, "zh": 2}
_MAX_PREFIXES = 256
_State = frozenset[tuple[str, bool]]  # (prefix so far, whether later atoms may still extend it)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_QUANT = re.compile(r"\{(\d*)(,?)(\d*)\}")


class _Unknown(Exception):
    pass


class _PrefixReader:
    def __init__(self, pattern: str, k: int):
        self.p, self.i, self.k = pattern, 0, k

    def alternation(self) -> _State:
        states = set(self.sequence())
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            states |= self.sequence()
        return frozenset(states)

    def sequence(self) -> _State:
        states: _State = frozenset({("", True)})
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            atom = self.atom()
            low, high = self.quantifier()
            states = self.repeat(states, atom, low, high)
        return states

    def concat(self, states: _State, atom: _State) -> _State:
        out: set[tuple[str, bool]] = set()
        for s, open_ in states:
            if not open_:
                out.add((s, False))
                continue
            for t, open_t in atom:
                u = s + t
                out.add((u[: self.k], False) if len(u) >= self.k else (u, open_t))
        if len(out) > _MAX_PREFIXES:
            raise _Unknown
        return frozenset(out)

    def repeat(self, states: _State, atom: _State, low: int, high: int) -> _State:
        result: set[tuple[str, bool]] = set(states) if low == 0 else set()
        cur = states
        for r in range(1, min(high, self.k + low) + 1):
            cur = self.concat(cur, atom)
            if r >= low:
                result |= cur
        return frozenset(result)

    def quantifier(self) -> tuple[int, int]:
        p, big = self.p, 1 << 30
        if self.i >= len(p):
            return 1, 1
        bounds = {"?": (0, 1), "*": (0, big), "+": (1, big)}.get(p[self.i])
        if bounds:
            self.i += 1
        else:
            m = _QUANT.match(p, self.i)
            if not m or not (m.group(1) or m.group(3)):
                return 1, 1
            self.i = m.end()
            low = int(m.group(1) or 0)
            bounds = (low, int(m.group(3)) if m.group(3) else (big if m.group(2) else low))
        if self.i < len(p) and p[self.i] in "?+":  # lazy or possessive: same strings
            self.i += 1
        return bounds

    def atom(self) -> _State:
        p = self.p
        ch = p[self.i]
        self.i += 1
        zero: _State = frozenset({("", True)})
        wild: _State = frozenset({("", False)})
        if ch == "(":
            kind = "group"
            if p.startswith("?", self.i):
                rest = p[self.i + 1 :]
                if rest[:1] in ("=", "!") or rest[:2] in ("<=", "<!"):
                    kind, self.i = "zero", self.i + (2 if rest[:1] in "=!" else 3)
                elif rest[:1] == "#":
                    self.i = p.index(")", self.i) + 1
                    return zero
                elif rest[:1] == ":" or rest[:1] == ">":
                    self.i += 2
                elif rest[:2] == "P<":
                    self.i = p.index(">", self.i) + 1
                else:  # flags, back-references, conditionals: too rare to read
                    raise _Unknown
            inner = self.alternation()
            if self.i >= len(p) or p[self.i] != ")":
                raise _Unknown
            self.i += 1
            return zero if kind == "zero" else inner
        if ch == "[":
            return self.char_class()
        if ch in "^$":
            return zero
        if ch == ".":
            return wild
        if ch == "\\":
            e = p[self.i]
            self.i += 1
            if e in "bBAZ":
                return zero
            if e in "dDwWsSxuUN" or e.isdigit():
                return wild
            return frozenset({(_ESCAPES.get(e, e), True)})
        return frozenset({(ch, True)})

    def char_class(self) -> _State:
        p = self.p
        chars: set[str] = set()
        known = p[self.i] != "^"
        if not known:
            self.i += 1
        first = True
        while True:
            ch = p[self.i]
            if ch == "]" and not first:
                self.i += 1
                break
            first = False
            if ch == "\\":
                e = p[self.i + 1]
                self.i += 2
                if e in "dDwWsSxuUN" or e.isdigit():
                    known = False
                chars.add(_ESCAPES.get(e, e))
            elif p[self.i + 1] == "-" and p[self.i + 2] != "]":
                lo, hi = ord(ch), ord(p[self.i + 2])
                known = known and hi - lo < 16
                chars.update(chr(c) for c in range(lo, min(hi, lo + 16) + 1))
                self.i += 3
            else:
                chars.add(ch)
                self.i += 1
        return frozenset((c, True) for c in chars) if known else frozenset({("", False)})


def _prefixes(pattern: str, k: int) -> frozenset[str] | None:
    """Literal strings one of which every match starts with (shorter than k when a match can be shorter)."""
    try:
        reader = _PrefixReader(pattern, k)
        states = reader.alternation()
        if reader.i != len(pattern):
            return None
    except (_Unknown, IndexError, ValueError):
        return None
    out = frozenset(s for s, _ in states)
    return None if "" in out else out


# Denied relevance: "not about price", "cost isn't the issue", "不是价格问题", "价格无所谓". Only frames that
# deny the topic count; "not cheap" or "不够快" still talk about price and speed, and so do contrasts
# ("within the hour rather than the next day", "而不是拖到第二天"), which is why "rather than" is absent.
_CLAUSE = {"en": re.compile(r"[.;:!?,]|\bbut\b"), "zh": re.compile(r"[，。；：！？、,.;:!?]|但是|可是|而是")}
_DENY_BEFORE = {
    "en": re.compile(
        r"(?:(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}?(?:about|because\s+of|due\s+to|related\s+to|a\s+matter\s+of|"
        r"down\s+to|driven\s+by)|nothing\s+to\s+do\s+with|regardless\s+of|irrespective\s+of|"
        r"less\s+about)\s+(?:\w+\s+){0,2}$"
    ),
    "zh": re.compile(
        r"(?:不是因为|不是由于|并非因为|不在于|不在乎|不太在乎|不关心|不看重|不太看重|不在意|"
        r"不太在意|无关乎)[^，。；！？]{0,4}$"
    ),
}
_DENY_AFTER = {
    "en": re.compile(
        r"^\s*(?:\w+\s+){0,2}?(?:(?:is|are|was|were|'s|has|have)(?:n't|\s+not|\s+never)\s+(?:been\s+)?"
        r"(?:\w+\s+){0,2}?(?:issue|problem|concern|factor|priority|point|driver|deal|question|reason)s?\b|"
        r"(?:doesn't|does\s+not|don't|do\s+not|didn't)\s+(?:really\s+)?matter|"
        r"(?:is|are|was|were)\s+(?:secondary|irrelevant|unimportant|not\s+important|less\s+important)|matters?\s+less)"
    ),
    "zh": re.compile(
        r"^[^，。；！？]{0,4}?(?:不是(?:什么)?问题|不是重点|不是关键|不是主要|不是我们(?:最)?(?:关心|在意|看重)|"
        r"无所谓|不重要|没关系|没有关系|无关|是次要|不要紧)"
    ),
}
_DENY_FRAME_BEFORE = re.compile(r"(?:不是|并非|并不是)[^，。；！？]{0,3}$")  # 不是 + cue + 问题: "不是价格问题"
_DENY_FRAME_AFTER = re.compile(r"^的?(?:问题|事|原因|因素|重点|关键)")


def _denied(lang: str, text: str, start: int, end: int) -> bool:
    clause = _CLAUSE[lang]
    before = text[max(0, start - 60) : start]
    cuts = list(clause.finditer(before))
    if cuts:
        before = before[cuts[-1].end() :]
    after = text[end : end + 60]
    cut = clause.search(after)
    if cut:
        after = after[: cut.start()]
    if _DENY_BEFORE[lang].search(before) or _DENY_AFTER[lang].search(after):
        return True
    return lang == "zh" and bool(_DENY_FRAME_BEFORE.search(before) and _DENY_FRAME_AFTER.search(after))


@dataclass(frozen=True)
class _Cue:
    code: str
    pattern: str
    source: str  # the regex as run (lowered, wrapped)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use: an answer tries only the cues whose prefix it has, so most cues of a short batch
        are never compiled (the codebook's parse has already checked every one compiles)."""
        return re.compile(self.source)


_WORD_START = re.compile(r"\b\w")


class _LangCues:
    """One language's cues, compiled once and indexed by literal prefix, so an answer tries only the cues
    whose prefix occurs in it, and each only where it occurs (no full scan per cue)."""

    def __init__(self, lang: str, cues: Iterable[tuple[str, str]]):
        self.lang = lang
        self.cues: list[_Cue] = []
        index: dict[int, dict[str, list[int]]] = {}
        always: list[int] = []
        for code_id, pattern in cues:
            lowered = _lower_pattern(pattern)
            prefixes = _prefixes(lowered, _GRAM[lang])
            n = len(self.cues)
            self.cues.append(_Cue(code_id, pattern, _wrap(lang, lowered, prefixes)))
            # English cues start at a word start (see _wrap), so only word starts are looked up; a cue
            # that may start elsewhere ("$100") simply runs on every answer.
            if prefixes is None or (lang == "en" and not all(re.match(r"\w", p) for p in prefixes)):
                always.append(n)
                continue
            for p in prefixes:
                index.setdefault(len(p), {}).setdefault(p, []).append(n)
        self.always = tuple(always)
        self.index = tuple((size, {p: tuple(ns) for p, ns in grams.items()}) for size, grams in sorted(index.items()))

    def matches(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(cue number, match) for every position where a cue matches lowered `text`."""
        starts: Iterable[int] = (
            [m.start() for m in _WORD_START.finditer(text)] if self.lang == "en" else range(len(text))
        )
        cues, index = self.cues, self.index
        for i in starts:
            for size, grams in index:
                found = grams.get(text[i : i + size])
                if found:
                    for n in found:
                        m = cues[n].regex.match(text, i)
                        if m:
                            yield n, m
        for n in self.always:
            for m in cues[n].regex.finditer(text):
                yield n, m
