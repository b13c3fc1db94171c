"""The codebook (hierarchical codes with bilingual labels and cues) and its strict YAML parser."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
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

from core import yaml_text

# A cue is valid only in the form the coder compiles it, so validation borrows the coder's rewriting.
from core.cue_index import _lower_pattern, _wrap
from core.script import ID_PATTERN, LANGS

# The codebook reports problems exactly like scripts do, so `cna scripts lint` can print both alike.
from core.script_parse import Problem, ScriptError, _line_for, _line_index, validation_problems

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
        root = yaml_text.compose(text)
        data = yaml_text.load(text)
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
        raise ScriptError(validation_problems(exc, data, filename, lines, _HINTS)) from None
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
