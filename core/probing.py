"""Rule-based prober: spots superficial answers (en, zh) and picks the next laddering probe from rules."""

from __future__ import annotations

import difflib
import re
import unicodedata
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any

import yaml

from core.lang import lang_from_counts, unit_counts
from core.probe_types import ProbeDecision
from core.script import PROBE_FAMILIES
from core.script_parse import Problem, ScriptError

LANGS = ("en", "zh")
# Closed set: "surface:<family>" is a stable interface of `cna probe` and of stored ladders.
SURFACE_FAMILIES = ("price", "speed", "quality", "service", "ease", "feature", "more")
# The no-probe reason when every fitting template was used or the question allows no family;
# like max_depth it says why nothing was asked.
EXHAUSTED = "exhausted"

_SITUATIONS = ("dont_know", "generic", "too_short", "any")
_TOP_KEYS = ("lang", "limits", "order", "fillers", "stop", "specific", "surface", *_SITUATIONS)
_OPTIONAL_KEYS = frozenset({"order", "fillers"})
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
    allowed = ("match", "order", "probes") if match else ("order", "probes")
    _unknown_keys(value, allowed, path, c)
    if match and "match" not in value:
        c.add(path, "missing key 'match'", "list the patterns that recognise this kind of answer")
    if "match" in value and match:
        _check_patterns(value["match"], (*path, "match"), c)
    if "order" in value:
        _check_order(value["order"], (*path, "order"), c)
    if "probes" in value:
        _check_probes(value["probes"], (*path, "probes"), c)
    else:
        c.add(path, "missing key 'probes'", "add at least one question")


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
    for name in _SITUATIONS:
        if name in data:
            _check_situation(data[name], (name,), c, match=name in ("dont_know", "generic"))
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
        root = yaml.compose(text)
        data = yaml.safe_load(text)
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


# ---------------------------------------------------------------- compiled rules


@dataclass(frozen=True)
class _Situation:
    order: tuple[tuple[str, ...], ...]  # family preference per depth; the last row serves deeper levels
    probes: Mapping[str, tuple[tuple[str, str], ...]]  # family -> ((key, template), ...)


@dataclass(frozen=True)
class _Rules:
    lang: str
    too_short: int
    short_answer: int
    long_answer: int
    stop_whole: re.Pattern[str]
    stop_any: re.Pattern[str]
    generic_whole: re.Pattern[str]
    generic_any: re.Pattern[str]
    dont_know: re.Pattern[str]
    specific: re.Pattern[str]
    surface: re.Pattern[str]
    surface_groups: Mapping[str, tuple[str, str | None]]  # group -> (family, cue group)
    situations: Mapping[str, _Situation]
    texts: Mapping[str, str]  # key -> template, to avoid asking the same words under another key


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


# Latin words must not run into each other ("ok" inside "okta"), but CJK has no spaces ("ok了").
_EDGE = "(?!(?<=[a-z0-9])[a-z0-9])"


def _whole(patterns: list[str]) -> re.Pattern[str]:
    """An answer made only of these phrases, each standing alone."""
    return re.compile(f"(?:{_EDGE}(?:{_alt(patterns)}){_EDGE}\\s*)+")


def _anywhere(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(f"{_EDGE}(?:{_alt(patterns)}){_EDGE}")


def _rows(value: Any, default: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    if not value:
        return default
    # A row lists preferences; families it leaves out still come last, so an allowed family is never lost.
    return tuple(tuple(row) + tuple(f for f in PROBE_FAMILIES if f not in row) for row in value)


def _compile(lang: str, data: Mapping[str, Any]) -> _Rules:
    default_order = _rows(data.get("order"), _DEFAULT_ORDER)
    texts: dict[str, str] = {}

    def situation(name: str, spec: Mapping[str, Any]) -> _Situation:
        probes: dict[str, tuple[tuple[str, str], ...]] = {}
        for family, items in (spec.get("probes") or {}).items():
            probes[family] = tuple((f"{lang}.{name}.{family}.{i}", t) for i, t in enumerate(items, 1))
            texts.update(probes[family])
        return _Situation(_rows(spec.get("order"), default_order), probes)

    situations = {name: situation(name, data[name]) for name in _SITUATIONS}
    parts: list[str] = []
    groups: dict[str, tuple[str, str | None]] = {}
    for family, spec in data["surface"].items():
        situations[family] = situation(family, spec)
        for pattern in spec["match"]:
            n = len(parts)
            cue = f"c{n}" if "cue" in re.compile(pattern).groupindex else None
            parts.append(f"(?P<s{n}>{pattern.replace('(?P<cue>', f'(?P<c{n}>')})")
            groups[f"s{n}"] = (family, cue)
    fillers: list[str] = list(data.get("fillers") or [])
    generic: list[str] = list(data["generic"]["match"])
    limits = data["limits"]
    return _Rules(
        lang=lang, too_short=limits["too_short"], short_answer=limits["short_answer"],
        long_answer=limits["long_answer"],
        stop_whole=_whole([*data["stop"], *generic, *fillers]), stop_any=_anywhere(data["stop"]),
        generic_whole=_whole([*generic, *fillers]), generic_any=_anywhere(generic),
        dont_know=re.compile(_alt(data["dont_know"]["match"])), specific=re.compile(_alt(data["specific"])),
        surface=re.compile("|".join(parts)), surface_groups=groups, situations=situations, texts=texts,
    )


# ---------------------------------------------------------------- text


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_PUNCT_RE = re.compile(r"[^\w\s'/-]+")
_TRIM = " \t\"'.,;:!?…-—()[]。，、；：！？“”‘’（）《》【】"
_MAX_CUE = 60
_CJK_RE = re.compile("[\u3400-\u9fff]")
_FULL_WIDTH = str.maketrans({",": "，", "?": "？", "!": "！", ";": "；", ":": "："})


def _clean(text: str) -> str:
    # NFKC folds full-width letters, digits and punctuation (ＡＰＰ，１０％) into their plain forms.
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


def _cue(clean: str, low: str, start: int, end: int) -> str:
    # Echo the person's own casing when lower-casing kept offsets aligned (it nearly always does).
    source = clean if len(clean) == len(low) else low
    cue = source[start:end].strip(_TRIM)
    if len(cue) > _MAX_CUE:
        cue = cue[:_MAX_CUE].rsplit(" ", 1)[0] + "…"
    if _CJK_RE.search(cue):
        cue = cue.translate(_FULL_WIDTH)  # NFKC made "，" a ","; give Chinese its own punctuation back
    # A capital that only marks the start of the answer reads oddly mid-question; keep acronyms ("CRM").
    if cue[:1].isupper() and not cue[1:2].isupper() and source[:start].strip(_TRIM) == "":
        cue = cue[0].lower() + cue[1:]
    return cue


_EMPTY = ProbeDecision(None, "empty")
_MAX_DEPTH = ProbeDecision(None, "max_depth")
_STOP = ProbeDecision(None, "stop_phrase")
_SPECIFIC = ProbeDecision(None, "specific")


class RuleProber:
    """Probes superficial answers using per-language rules (see interview_scripts/probes.*.yaml).

    The answer is matched with the rules of the language it is written in (so a Chinese answer in an
    English interview still has its cues recognised); the probe is phrased in `lang`, the script's.
    """

    def __init__(self, rules: Mapping[str, Mapping[str, Any]]):
        problems = [p for lang, data in rules.items()
                    for p in check_rules(data, f"<{lang} probe rules>", lang=lang)]
        if not rules:
            problems.append(Problem("<probe rules>", 1, "no probe rules given", "pass at least one language"))
        if problems:
            raise ScriptError(problems)
        self._rules = {lang: _compile(lang, data) for lang, data in rules.items()}

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> RuleProber:
        """Build from YAML texts by language, e.g. {"en": ..., "zh": ...}; errors name probes.<lang>.yaml."""
        return cls({lang: parse_rules(text, f"probes.{lang}.yaml", lang) for lang, text in texts.items()})

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self._rules)

    def _phrase_lang(self, lang: str | None, heard: str) -> str:
        tag = (lang or "auto").lower().replace("_", "-").split("-")[0]  # "zh-Hans" -> "zh"
        if tag in self._rules:
            return tag
        return heard if heard in self._rules else next(iter(self._rules))

    def decide(
        self,
        text: str,
        lang: str,
        depth: int = 0,
        max_depth: int = 3,
        families: Collection[str] | None = None,
        asked: Collection[str] = (),
        question_id: str | None = None,
    ) -> ProbeDecision:
        """Decide whether the answer `text`, given after `depth` probes, needs a follow-up, and which."""
        clean = _clean(text)
        low = clean.lower()
        cjk, words = unit_counts(low)
        units = cjk + words
        if not units:
            return _EMPTY
        if depth >= max_depth:
            return _MAX_DEPTH
        heard = lang_from_counts(cjk, words)
        say = self._phrase_lang(lang, heard)
        r = self._rules.get(heard) or self._rules[say]

        def probe(situation: str, reason: str, start: int, end: int) -> ProbeDecision:
            return self._pick(say, situation, reason, _cue(clean, low, start, end), depth, families, asked,
                              question_id)

        short = units <= r.short_answer
        # Whole-answer checks run on short answers only: cheap, and safe from regex backtracking.
        bare = " ".join(_PUNCT_RE.sub(" ", low).split()) if short else ""
        # A stop word inside a generic phrase ("no complaints") is not a stop.
        if short and r.stop_whole.fullmatch(bare) and r.stop_any.search(r.generic_any.sub(" ", bare)):
            return _STOP
        if short and (m := r.dont_know.search(low)):
            return probe("dont_know", "dont_know", *m.span())
        if units >= r.long_answer or r.specific.search(low):
            return _SPECIFIC
        if m := r.surface.search(low):
            family, cue_group = r.surface_groups[m.lastgroup or ""]
            span = m.span(cue_group) if cue_group and m.group(cue_group) else m.span()
            return probe(family, f"surface:{family}", *span)
        if short and r.generic_whole.fullmatch(bare) and r.generic_any.search(bare):
            return probe("generic", "generic", 0, len(low))
        if units < r.too_short:
            return probe("too_short", "too_short", 0, len(low))
        return _SPECIFIC

    def _pick(self, say: str, situation: str, reason: str, cue: str, depth: int,
              families: Collection[str] | None, asked: Collection[str],
              question_id: str | None) -> ProbeDecision:
        """The first unused template by the depth's family preference: the situation's own, then 'any'."""
        r = self._rules[say]
        own = r.situations.get(situation)
        fallback = r.situations["any"]
        orders = (own or fallback).order
        row = orders[min(max(depth, 0), len(orders) - 1)]
        used = set(asked)
        used_texts = {r.texts[k] for k in used if k in r.texts}
        # Rotating by question keeps one interview from opening every ladder with the same words,
        # while the same question always gets the same probe.
        spin = zlib.crc32(question_id.encode()) if question_id else 0
        for source in (own, fallback) if own is not None else (fallback,):
            for family in row:
                if families is not None and family not in families:
                    continue
                options = source.probes.get(family, ())
                for i in range(len(options)):
                    key, template = options[(spin + i) % len(options)]
                    if key not in used and template not in used_texts:
                        return ProbeDecision(template.format(cue=cue), reason, family, key, cue)
        return ProbeDecision(None, EXHAUSTED, cue=cue)
