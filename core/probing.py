"""Rule-based prober: spots superficial answers (en, zh) and picks the next laddering probe from rules."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from core.lang import lang_from_counts, unit_counts
from core.probe_rules import _DEFAULT_ORDER, _SITUATIONS, LANGS, SURFACE_FAMILIES, check_rules, parse_rules
from core.probe_types import ProbeDecision
from core.script import PROBE_FAMILIES
from core.script_parse import Problem, ScriptError

# Re-exported: callers and tests import the rule-file API from here, as before the split.
__all__ = ["EXHAUSTED", "LANGS", "SURFACE_FAMILIES", "RuleProber", "check_rules", "parse_rules"]

# The no-probe reason when every fitting template was used or the question allows no family;
# like max_depth it says why nothing was asked.
EXHAUSTED = "exhausted"


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
