"""The codebook (hierarchical codes with bilingual labels and cues), its strict YAML parser, and coder v1."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    model_validator,
)

from core.script import ID_PATTERN, LANGS

# The codebook reports problems exactly like scripts do, so `cna scripts lint` can print both alike.
from core.script_parse import Problem, ScriptError, _friendly_loc, _line_for, _line_index

COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_CueText = Annotated[str, StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LangText(_Strict):
    """A text in both languages; both are required so every screen and report can show either."""

    en: _Text
    zh: _Text

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Cues(_Strict):
    """Regular expressions per language that suggest a code (see interview_scripts/codebook.yaml)."""

    en: tuple[_CueText, ...] = ()
    zh: tuple[_CueText, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        return self.zh if lang == "zh" else self.en


class Code(_Strict):
    """One codebook entry; `parent` places it in the hierarchy (None for a top-level group)."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    parent: str | None = None
    label: LangText
    description: LangText
    cues: Cues = Cues()
    colour: Annotated[str, Field(pattern=COLOUR_PATTERN)] | None = None


@dataclass(frozen=True)
class _Issue:
    """A consistency problem found without line numbers; `loc` lets the parser find the line."""

    loc: tuple[str | int, ...]
    message: str
    hint: str = ""


class Codebook(_Strict):
    """All codes, in file order, with helpers to walk the hierarchy."""

    version: Annotated[int, Field(ge=1)] = 1
    codes: Annotated[tuple[Code, ...], Field(min_length=1)]
    _by_id: dict[str, Code] = PrivateAttr(default_factory=dict)
    _kids: dict[str, tuple[Code, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Codebook:
        issues = _check_codes(self.codes)
        if issues:
            raise ValueError("; ".join(i.message for i in issues))
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._by_id = {c.id: c for c in self.codes}
        kids: dict[str, list[Code]] = {}
        for c in self.codes:
            if c.parent is not None:
                kids.setdefault(c.parent, []).append(c)
        self._kids = {k: tuple(v) for k, v in kids.items()}

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def get(self, code_id: str) -> Code:
        """The code with this id; KeyError when there is none (use `in` to test first)."""
        try:
            return self._by_id[code_id]
        except KeyError:
            raise KeyError(f"unknown code id {code_id!r}") from None

    def children(self, code_id: str) -> tuple[Code, ...]:
        """Direct children of a code, in file order."""
        self.get(code_id)
        return self._kids.get(code_id, ())

    def ancestors(self, code_id: str) -> tuple[Code, ...]:
        """Parent, grandparent, ... up to the root (nearest first)."""
        out: list[Code] = []
        parent = self.get(code_id).parent
        while parent is not None:
            code = self._by_id[parent]
            out.append(code)
            parent = code.parent
        return tuple(out)

    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.codes)

    def roots(self) -> tuple[Code, ...]:
        """Top-level codes (the groups)."""
        return tuple(c for c in self.codes if c.parent is None)


def _check_codes(codes: Sequence[Code]) -> list[_Issue]:
    """Cross-entry rules pydantic cannot express: unique ids, known parents, no cycles, usable cues."""
    issues: list[_Issue] = []
    first: dict[str, int] = {}
    for i, c in enumerate(codes):
        if c.id in first:
            issues.append(
                _Issue(
                    ("codes", i, "id"),
                    f"duplicate code id {c.id!r}",
                    f"code #{first[c.id] + 1} already uses it; ids must be unique",
                )
            )
        first.setdefault(c.id, i)
    parent_of = {c.id: c.parent for c in codes}
    groups = ", ".join(c.id for c in codes if c.parent is None) or "none yet"
    cycles: set[frozenset[str]] = set()
    for i, c in enumerate(codes):
        if c.parent is not None and c.parent not in parent_of:
            issues.append(
                _Issue(
                    ("codes", i, "parent"),
                    f"code {c.id!r}: parent {c.parent!r} does not exist",
                    f"use an existing code id, e.g. one of the groups: {groups}",
                )
            )
        chain: list[str] = []
        cur: str | None = c.id
        while cur is not None and cur in parent_of and cur not in chain:
            chain.append(cur)
            cur = parent_of[cur]
        if cur is not None and cur in chain:
            loop = chain[chain.index(cur) :]
            if c.id in loop and frozenset(loop) not in cycles:
                cycles.add(frozenset(loop))
                issues.append(
                    _Issue(
                        ("codes", i, "parent"),
                        f"code {c.id!r} is its own ancestor: {' -> '.join([*loop, cur])}",
                        "a code's parents must lead up to a top-level group",
                    )
                )
        for lang in LANGS:
            for j, cue in enumerate(c.cues.get(lang)):
                problem = _cue_problem(lang, cue)
                if problem:
                    issues.append(
                        _Issue(
                            ("codes", i, "cues", lang, j),
                            f"code {c.id!r}: {lang} cue {cue!r} {problem[0]}",
                            problem[1],
                        )
                    )
    return issues


@functools.lru_cache(maxsize=8192)  # the parser and the Codebook validator both check every cue
def _cue_problem(lang: str, cue: str) -> tuple[str, str] | None:
    if lang == "zh" and re.search(r"(?<!\\)\\b", cue):
        return (
            "uses \\b",
            "Chinese has no word boundaries: match substrings, exclude neighbours with (?<!..)/(?!..)",
        )
    try:
        re.compile(_wrap(lang, _lower_pattern(cue), None))  # the form the coder runs
        bare = re.compile(cue)
    except re.error as exc:
        return (
            f"is not a valid regular expression: {exc.msg} (at character {exc.pos})",
            "escape special characters such as ( ) [ ] . ? * + with a backslash",
        )
    if bare.fullmatch("") is not None or not cue.strip():
        return (
            "matches empty text, so it would fire on every answer",
            "make at least one character required",
        )
    return None


def parse_codebook(text: str, filename: str = "<codebook>") -> Codebook:
    """Parse and validate a codebook; raise ScriptError listing every problem with file:line and a hint."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ScriptError(
            [
                Problem(
                    filename,
                    line,
                    f"not valid YAML: {getattr(exc, 'problem', exc)}",
                    "check indentation and quote cues containing ':', '#', '[' or '{'",
                )
            ]
        ) from None
    if not isinstance(data, dict) or root is None:
        raise ScriptError(
            [
                Problem(
                    filename,
                    1,
                    "a codebook must be a YAML mapping",
                    "start with 'version: 1' and 'codes:' followed by a list of codes",
                )
            ]
        )
    lines: dict[tuple[str | int, ...], int] = {}
    _line_index(root, (), lines)
    twice = list(_duplicate_keys(root))
    if twice:
        raise ScriptError(
            [
                Problem(
                    filename,
                    line,
                    f"key {key!r} appears twice here",
                    "YAML keeps only the last one; merge them",
                )
                for key, line in twice
            ]
        )
    try:
        draft = _CodebookDraft.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            where = _friendly_loc(loc, data)
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(
                Problem(
                    filename,
                    _line_for(lines, loc),
                    f"{where}: {msg}" if where else msg,
                    _HINTS.get(err["type"], ""),
                )
            )
        raise ScriptError(problems) from None
    issues = _check_codes(draft.codes)
    if issues:
        raise ScriptError([Problem(filename, _line_for(lines, i.loc), i.message, i.hint) for i in issues])
    return Codebook(version=draft.version, codes=draft.codes)


def _duplicate_keys(node: yaml.Node) -> Iterator[tuple[str, int]]:
    """Repeated keys in one mapping (safe_load would silently keep the last, e.g. a second `cues:`)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield key.value, key.start_mark.line + 1
            seen.add(key.value)
            yield from _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)


class _CodebookDraft(_Strict):
    """The file's shape only, so field errors and cross-entry errors get their own line numbers."""

    version: Annotated[int, Field(ge=1)] = 1
    codes: Annotated[tuple[Code, ...], Field(min_length=1)]


_HINTS = {
    "extra_forbidden": "remove it or check its spelling; a code takes id, parent, label, description, cues, colour",
    "missing": "add this key (labels and descriptions need both 'en' and 'zh')",
    "string_pattern_mismatch": "ids use lowercase a-z, digits, '_', '-', '.'; colours look like '#1f77b4'",
    "string_too_short": "write some text here",
    "string_type": "quote it so YAML reads it as text",
}


# ---------------------------------------------------------------------------------------------- coder


@dataclass(frozen=True)
class CodeHit:
    """A code the coder proposes for an answer: which cue fired, how sure it is and by which rule."""

    code_id: str
    cue: str
    confidence: float
    rule: str


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def _detect_lang(text: str) -> str:
    """'zh' when CJK characters make up a quarter of the letters; one Chinese char carries about a word."""
    if _CJK.search(text) is None:
        return "en"
    cjk = len(_CJK.findall(text))
    return "zh" if 3 * cjk >= len(_LATIN.findall(text)) else "en"


def _norm_lang(text: str, lang: str | None) -> str:
    if lang is None or lang in ("", "auto"):
        return _detect_lang(text)
    tag = lang.lower()
    if tag.startswith("zh"):
        return "zh"
    if tag.startswith("en"):
        return "en"
    raise ValueError(f"unknown language {lang!r}: use 'en', 'zh' or 'auto'")


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


# Confidence: a cue is a hint, not a verdict. Long or multi-word matches are specific ("cost of ownership",
# "响应时间"); very short ones ("fee", "贵") are often incidental. Each further distinct cue for the same
# code adds evidence.
_SPECIFIC, _PLAIN, _SHORT = 0.75, 0.6, 0.45
_BONUS, _CEILING = 0.1, 0.95


def _base_confidence(lang: str, matched: str) -> float:
    n = len(matched.strip())
    if lang == "zh":
        return _SPECIFIC if n >= 3 else _PLAIN if n == 2 else _SHORT - 0.05  # one character: weakest
    if n >= 8 or " " in matched.strip():
        return _SPECIFIC
    return _PLAIN if n >= 4 or matched.isupper() else _SHORT  # "SLA", "ERP": short but deliberate


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
    regex: re.Pattern[str]


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
            self.cues.append(_Cue(code_id, pattern, re.compile(_wrap(lang, lowered, prefixes))))
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


def _distinct(found: list[tuple[float, int, int, str]]) -> int:
    """Distinct cue texts, not counting a match inside a longer one ("cost" within "cost of ownership")."""
    kept_end, texts = -1, set()
    for _, start, _, matched in sorted(found, key=lambda e: (e[1], -len(e[3]))):
        if start + len(matched) <= kept_end:
            continue
        kept_end = max(kept_end, start + len(matched))
        texts.add(matched.lower())
    return len(texts)


class Coder:
    """Rule/cue-based coder v1: proposes codes for an answer from the codebook's cues.

    Deterministic; at most one hit per code (its best cue); hits sorted by confidence, then code id.
    Codes without cues (the groups, by default) are never proposed.
    """

    name = "cues-v1"

    def __init__(self, codebook: Codebook, min_confidence: float = 0.0):
        self.codebook = codebook
        self.min_confidence = min_confidence
        self._langs = {
            lang: _LangCues(lang, ((c.id, p) for c in codebook.codes for p in c.cues.get(lang))) for lang in LANGS
        }

    def code(self, text: str, lang: str | None = None) -> list[CodeHit]:
        """Codes for one answer; `lang` 'en', 'zh' (or a tag like 'zh-Hans'), or None/'auto' to detect."""
        if not text or not text.strip():
            return []
        lang = _norm_lang(text, lang)
        cues = self._langs[lang]
        lowered = text.lower().replace("\u2019", "'")
        shown = text if len(lowered) == len(text) else lowered  # rare case-folds change lengths
        evidence: dict[str, list[tuple[float, int, int, str]]] = {}
        for n, m in cues.matches(lowered):
            start, end = m.span()
            if end == start or _denied(lang, lowered, start, end):
                continue
            matched = shown[start:end]
            evidence.setdefault(cues.cues[n].code, []).append((_base_confidence(lang, matched), start, n, matched))
        hits = []
        for code_id, found in evidence.items():
            best = max(found, key=lambda e: (e[0], -e[1], -e[2]))
            confidence = round(min(_CEILING, best[0] + _BONUS * (_distinct(found) - 1)), 2)
            if confidence >= self.min_confidence:
                hits.append(CodeHit(code_id, best[3], confidence, f"{lang}:{cues.cues[best[2]].pattern}"))
        hits.sort(key=lambda h: (-h.confidence, h.code_id))
        return hits
