"""Probe rule files (probes.<lang>.yaml): their closed vocabularies, strict parser and validator."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from string import Formatter
from typing import Any

import yaml

from core import yaml_text
from core.script import CUSTOMER_SEGMENTS, PROBE_FAMILIES
from core.script_parse import Problem, ScriptError

LANGS = ("en", "zh")
# Closed set: "surface:<family>" is a stable interface of `cna probe` and of stored ladders.
SURFACE_FAMILIES = ("price", "speed", "quality", "service", "ease", "feature", "more")

_SITUATIONS = ("dont_know", "generic", "too_short", "any")
# Situations the specificity judge adds: a superficial answer with no known cue ("a holistic platform").
_OPTIONAL_SITUATIONS = ("vague", "use", "hearsay", "hearsay_dont_know", "practice")
# Wording for staff, for customers, and for a customer segment of its own ("customer_past": former customers).
AUDIENCES = ("internal", "customer", *(f"customer_{segment}" for segment in CUSTOMER_SEGMENTS))
_TOP_KEYS = ("lang", "limits", "order", "fillers", "stop", "specific", "surface", *_SITUATIONS,
             *_OPTIONAL_SITUATIONS, "acknowledgements", "way_out", "audiences")
_OPTIONAL_KEYS = frozenset({"order", "fillers", *_OPTIONAL_SITUATIONS, "acknowledgements", "way_out", "audiences"})
_LIMIT_KEYS = ("too_short", "short_answer", "long_answer")
_DEFAULT_ORDER: tuple[tuple[str, ...], ...] = (
    ("clarify", "example", "number", "contrast", "consequence", "ladder_up", "dont_know"),
    ("consequence", "example", "ladder_up", "number", "clarify", "contrast", "dont_know"),
    ("ladder_up", "consequence", "example", "clarify", "contrast", "number", "dont_know"),
)
_EXAMPLE = "see interview_scripts/probes.en.yaml for a complete example"

_Path = tuple[str | int, ...]


# ---------------------------------------------------------------- validation


class _Checker:
    """Collects problems with the line they belong to."""

    def __init__(self, filename: str, lines: dict[_Path, int]):
        self.filename = filename
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: _Path, message: str, hint: str = "", line: int | None = None) -> None:
        where = ".".join(str(p) for p in path)
        self.problems.append(Problem(self.filename, line or self._line(path),
                                     f"{where}: {message}" if where else message, hint))

    def _line(self, path: _Path) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def _index(node: yaml.Node, path: _Path, lines: dict[_Path, int], dups: list[tuple[_Path, int]]) -> None:
    """Record the line of every key and item, and duplicate keys, which safe_load silently collapses."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                dups.append(((*path, key), key_node.start_mark.line + 1))
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _index(value_node, (*path, key), lines, dups)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _index(item, (*path, i), lines, dups)


def _did_you_mean(word: object, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    allowed = f"allowed: {', '.join(choices)}"
    return f"did you mean {close[0]!r}? ({allowed})" if close else allowed


def _unknown_keys(data: Mapping[Any, Any], allowed: Collection[str], path: _Path, c: _Checker) -> None:
    for key in data:
        if key not in allowed:
            c.add((*path, key), f"unknown key {key!r}", _did_you_mean(key, allowed))


_UPPER_RE = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]")
_BACKREF_RE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
_GLOBAL_FLAGS_RE = re.compile(r"\(\?[aiLmsux]+\)")
_ZERO_WIDTH_PROBES = ("", "a", "a b", "测试 1")


def _check_patterns(value: Any, path: _Path, c: _Checker) -> None:
    if not isinstance(value, list) or not value:
        c.add(path, "must be a non-empty list of regular expressions", "write one pattern per line: - '...'")
        return
    for i, pattern in enumerate(value):
        where = (*path, i)
        if not isinstance(pattern, str) or not pattern.strip():
            c.add(where, f"a pattern must be non-empty text, not {pattern!r}",
                  "quote it: YAML reads bare no/yes/on/off as true/false")
            continue
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            c.add(where, f"bad regular expression {pattern!r}: {exc}",
                  "check brackets and escapes; in single quotes backslashes stay as written")
            continue
        if set(rx.groupindex) - {"cue"}:
            c.add(where, f"named groups {sorted(set(rx.groupindex) - {'cue'})} are not supported",
                  "name only the words to echo back, as (?P<cue>...); use (?:...) for other groups")
        if _BACKREF_RE.search(pattern) or _GLOBAL_FLAGS_RE.search(pattern):
            c.add(where, "back-references and global inline flags are not supported",
                  "patterns are combined into one expression; spell the text out and drop (?i)")
        if _UPPER_RE.search(pattern):
            c.add(where, "upper-case letters never match",
                  "answers are lower-cased first; write patterns in lower case")
        if any((m := rx.search(s)) is not None and m.end() == m.start() for s in _ZERO_WIDTH_PROBES):
            c.add(where, f"{pattern!r} can match empty text, so it would match every answer",
                  "make at least one character required, e.g. 'x+' instead of 'x*'")


def _check_order(value: Any, path: _Path, c: _Checker) -> None:
    if not isinstance(value, list) or not value or not all(isinstance(r, list) and r for r in value):
        c.add(path, "must be a list of rows, one per depth, each a list of probe families",
              "e.g. - [clarify, example, number]; the last row is used for deeper levels")
        return
    for i, row in enumerate(value):
        for j, family in enumerate(row):
            if family not in PROBE_FAMILIES:
                c.add((*path, i, j), f"unknown probe family {family!r}",
                      _did_you_mean(family, PROBE_FAMILIES))
        names = [f for f in row if isinstance(f, str)]
        if len(set(names)) != len(names):
            c.add((*path, i), "a family is listed twice in one row", "list each family at most once per row")


def _check_probes(value: Any, path: _Path, c: _Checker) -> None:
    if not isinstance(value, dict):
        c.add(path, "must map probe families to lists of questions", "e.g. probes: {clarify: [\"...\"]}")
        return
    for family, items in value.items():
        where = (*path, family)
        if family not in PROBE_FAMILIES:
            c.add(where, f"unknown probe family {family!r}", _did_you_mean(family, PROBE_FAMILIES))
            continue
        if not isinstance(items, list) or not items:
            c.add(where, "must be a non-empty list of questions", "write one question per line: - \"...\"")
            continue
        for i, template in enumerate(items):
            if not isinstance(template, str) or not template.strip():
                c.add((*where, i), f"a question must be non-empty text, not {template!r}", "quote it")
                continue
            try:
                slots = {f for _, f, _, _ in Formatter().parse(template) if f is not None}
                if slots - {"cue"}:
                    c.add((*where, i), f"unknown slot(s) {sorted(slots - {'cue'})} in {template!r}",
                          "the only slot is {cue}, the person's words that triggered the probe")
                    continue
                template.format(cue="x")
            except (ValueError, IndexError, KeyError) as exc:
                c.add((*where, i), f"bad question template {template!r}: {exc}",
                      "the only slot is {cue}; write a literal brace as {{ or }}")


def _check_situation(value: Any, path: _Path, c: _Checker, match: bool) -> None:
    if not isinstance(value, dict):
        c.add(path, "must be a mapping", "with 'match:' and 'probes:'" if match else "with 'probes:'")
        return
    allowed = ("match", "topic", "order", "probes") if match else ("order", "probes")
    _unknown_keys(value, allowed, path, c)
    if match and "match" not in value:
        c.add(path, "missing key 'match'", "list the patterns that recognise this kind of answer")
    if "match" in value and match:
        _check_patterns(value["match"], (*path, "match"), c)
    if "topic" in value and match:
        _check_patterns(value["topic"], (*path, "topic"), c)
    if "order" in value:
        _check_order(value["order"], (*path, "order"), c)
    if "probes" in value:
        _check_probes(value["probes"], (*path, "probes"), c)
    else:
        c.add(path, "missing key 'probes'", "add at least one question")


def _check_lines(value: Any, path: _Path, c: _Checker) -> None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        c.add(path, "must be a non-empty list of sentences", "write one per line: - \"...\"")
    elif len(set(value)) != len(value):
        c.add(path, "a sentence is listed twice", "each one must differ, so the bot never repeats itself")


def _check_audiences(value: Any, c: _Checker) -> None:
    """audiences: {internal: {<situation or surface family>: {probes: ...}}}: wording for one kind of person."""
    names = (*SURFACE_FAMILIES, *_SITUATIONS, *_OPTIONAL_SITUATIONS)
    if not isinstance(value, dict):
        c.add(("audiences",), "must map internal/customer to template sets", "e.g. audiences: {internal: {price: ...}}")
        return
    for audience, spec in value.items():
        where: _Path = ("audiences", audience)
        if audience not in AUDIENCES:
            c.add(where, f"unknown audience {audience!r}", _did_you_mean(audience, AUDIENCES))
            continue
        if not isinstance(spec, dict) or not spec:
            c.add(where, "must map situations to their probes", f"situations: {', '.join(names)}")
            continue
        for name, situation in spec.items():
            if name not in names:
                c.add((*where, name), f"unknown situation {name!r}", _did_you_mean(name, names))
            else:
                _check_situation(situation, (*where, name), c, match=False)


def _check_limits(value: Any, c: _Checker) -> None:
    if not isinstance(value, dict):
        c.add(("limits",), "must be a mapping", f"with {', '.join(_LIMIT_KEYS)}")
        return
    _unknown_keys(value, _LIMIT_KEYS, ("limits",), c)
    for key in _LIMIT_KEYS:
        v = value.get(key)
        if key not in value:
            c.add(("limits",), f"missing key {key!r}", _EXAMPLE)
        elif not isinstance(v, int) or isinstance(v, bool) or v < 1:
            c.add(("limits", key), f"must be a whole number of at least 1, not {v!r}",
                  "limits count words; a CJK character counts as one")


def check_rules(data: Any, filename: str, lines: dict[_Path, int] | None = None,
                lang: str | None = None) -> list[Problem]:
    """Every problem in parsed rules `data`; `lang`, if given, is the language they are loaded for."""
    c = _Checker(filename, lines or {})
    if not isinstance(data, dict):
        c.add((), "a probe rule file must be a YAML mapping", "start with 'lang:', 'limits:', 'stop:' ...")
        return c.problems
    _unknown_keys(data, _TOP_KEYS, (), c)
    for key in _TOP_KEYS:
        if key not in data and key not in _OPTIONAL_KEYS:
            c.add((), f"missing key {key!r}", _EXAMPLE)
    if "lang" in data:
        if data["lang"] not in LANGS:
            c.add(("lang",), f"unknown language {data['lang']!r}", "use 'en' or 'zh'")
        elif lang is not None and data["lang"] != lang:
            c.add(("lang",), f"rules say lang {data['lang']!r} but are loaded for {lang!r}",
                  f"name the file probes.{data['lang']}.yaml or fix 'lang'")
    if "limits" in data:
        _check_limits(data["limits"], c)
    if "order" in data:
        _check_order(data["order"], ("order",), c)
    for key in ("fillers", "stop", "specific"):
        if key in data:
            _check_patterns(data[key], (key,), c)
    for name in (*_SITUATIONS, *_OPTIONAL_SITUATIONS):
        if name in data:
            _check_situation(data[name], (name,), c, match=name in ("dont_know", "generic"))
    for key in ("acknowledgements", "way_out"):
        if key in data:
            _check_lines(data[key], (key,), c)
    if "audiences" in data:
        _check_audiences(data["audiences"], c)
    fallback = data.get("any")
    if isinstance(fallback, dict) and isinstance(fallback.get("probes"), dict):
        missing = [f for f in PROBE_FAMILIES if f not in fallback["probes"]]
        if missing:
            c.add(("any", "probes"), f"no question for {', '.join(missing)}",
                  "'any' is the fallback, so it must have at least one question in every family")
    surface = data.get("surface")
    if surface is not None and (not isinstance(surface, dict) or not surface):
        c.add(("surface",), "must map surface families to their cues and probes",
              f"families: {', '.join(SURFACE_FAMILIES)}")
    elif isinstance(surface, dict):
        for family, spec in surface.items():
            if family not in SURFACE_FAMILIES:
                c.add(("surface", family), f"unknown surface family {family!r}",
                      _did_you_mean(family, SURFACE_FAMILIES))
            else:
                _check_situation(spec, ("surface", family), c, match=True)
    return c.problems


def parse_rules(text: str, filename: str = "<probe rules>", lang: str | None = None) -> dict[str, Any]:
    """Parse and validate one probe rule file; raise ScriptError listing every problem with file:line."""
    try:
        root = yaml_text.compose(text)
        data = yaml_text.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ScriptError([Problem(filename, line, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                   "check indentation; quote patterns in single quotes")]) from None
    lines: dict[_Path, int] = {}
    dups: list[tuple[_Path, int]] = []
    if root is not None:
        _index(root, (), lines, dups)
    c = _Checker(filename, lines)
    for path, line in dups:
        c.add(path, "key appears twice", "YAML keeps only the last one; merge them", line=line)
    problems = c.problems + check_rules(data, filename, lines, lang)
    if problems:
        raise ScriptError(problems)
    assert isinstance(data, dict)
    return data
