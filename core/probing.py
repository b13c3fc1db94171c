"""Rule-based prober: spots superficial answers (en, zh) and picks the next laddering probe from rules."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from core.declines import declines
from core.judge import Judge
from core.judge_concrete import tells_occasion
from core.judge_features import Context, RuleHits
from core.ladder import RUNG as _RUNG
from core.ladder import reached as ladder_reached
from core.lang import blank_cjk, lang_from_counts, unit_counts
from core.probe_alike import echoes
from core.probe_fit import (
    HEARSAY,
    PRACTICE,
    USE,
    asks_hearsay,
    asks_practice,
    compared,
    costs_someone,
    denied,
    fit_for,
    handled,
    in_a_list_of_steps,
    mismatched,
    modifies,
    outcome,
)
from core.probe_pick import EXHAUSTED, Picker, said_key
from core.probe_pick import Situation as _Situation
from core.probe_quote import clean as _clean
from core.probe_quote import consequence_span, names_a_thing, names_what
from core.probe_quote import cue as _cue
from core.probe_rules import (
    _DEFAULT_ORDER,
    _OPTIONAL_SITUATIONS,
    _SITUATIONS,
    AUDIENCES,
    LANGS,
    SURFACE_FAMILIES,
    check_rules,
    parse_rules,
)
from core.probe_types import RUNG_ORDER, ProbeDecision
from core.question_asks import (
    answers_an_ask,
    asks_why,
    episode_left,
    fact_asked,
    fills_asks,
    follow_on,
    missing_part,
    next_ask,
    opens_with_yes_or_no,
    single_clause,
)
from core.script import PROBE_FAMILIES
from core.script_parse import Problem, ScriptError

# Re-exported: callers and tests import the rule-file API from here, as before the split.
__all__ = ["EXHAUSTED", "LANGS", "SURFACE_FAMILIES", "RuleProber", "check_rules", "parse_rules", "said_key"]

# EXHAUSTED (re-exported): the no-probe reason when every fitting template was used or the question allows no
# family; like max_depth it says why nothing was asked.


# ---------------------------------------------------------------- compiled rules


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
    # A cue that only names what is talked about ("报价", "support"): another family's cue later in the answer says
    # what is wrong with it ("报价太慢" is about speed) and chooses the follow-up instead.
    topic: re.Pattern[str]
    situations: Mapping[str, _Situation]
    texts: Mapping[str, str]  # key -> template, to avoid asking the same words under another key
    by_audience: Mapping[str, Mapping[str, _Situation]]  # audience -> situation -> its own wording
    acks: tuple[str, ...]  # said before a follow-up, never the same twice in a row
    way_out: tuple[tuple[str, str], ...]  # (key, text): offered after two non-answers


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


# Latin words must not run into each other ("ok" inside "okta"), but CJK has no spaces ("ok了").
_EDGE = "(?!(?<=[a-z0-9])[a-z0-9])"


def _whole(patterns: list[str]) -> re.Pattern[str]:
    """An answer made only of these phrases, each standing alone."""
    return re.compile(f"(?:{_EDGE}(?:{_alt(patterns)}){_EDGE}\\s*)+")


def _anywhere(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(f"{_EDGE}(?:{_alt(patterns)}){_EDGE}")


def _guard(lang: str) -> str:
    """A cheap test each position must pass before the alternatives are tried (3-4x faster, same matches):
    cues start at a word, a digit, a currency sign or an apostrophe ("'d like"), in English never inside a word."""
    return "(?:(?=')|(?=[\\w$€£¥%])(?<![a-z0-9]))" if lang == "en" else "(?=[\\w$€£¥%'])"


def _rows(value: Any, default: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    if not value:
        return default
    # A row lists preferences; families it leaves out still come last, so an allowed family is never lost.
    return tuple(tuple(row) + tuple(f for f in PROBE_FAMILIES if f not in row) for row in value)


def _compile(lang: str, data: Mapping[str, Any]) -> _Rules:
    default_order = _rows(data.get("order"), _DEFAULT_ORDER)
    texts: dict[str, str] = {}

    def situation(name: str, spec: Mapping[str, Any], prefix: str = "") -> _Situation:
        probes: dict[str, tuple[tuple[str, str], ...]] = {}
        for family, items in (spec.get("probes") or {}).items():
            probes[family] = tuple((f"{lang}.{prefix}{name}.{family}.{i}", t) for i, t in enumerate(items, 1))
            texts.update(probes[family])
        return _Situation(_rows(spec.get("order"), default_order), probes)

    situations = {name: situation(name, data[name]) for name in (*_SITUATIONS, *_OPTIONAL_SITUATIONS)
                  if name in data}
    by_audience = {aud: {name: situation(name, spec, f"{aud}.") for name, spec in (sets or {}).items()}
                   for aud, sets in (data.get("audiences") or {}).items() if aud in AUDIENCES}
    parts: list[str] = []
    groups: dict[str, tuple[str, str | None]] = {}
    for family, spec in data["surface"].items():
        situations[family] = situation(family, spec)
        for pattern in spec["match"]:
            n = len(parts)
            cue = f"c{n}" if "cue" in re.compile(pattern).groupindex else None
            parts.append(f"(?P<s{n}>{pattern.replace('(?P<cue>', f'(?P<c{n}>')})")
            groups[f"s{n}"] = (family, cue)
    topics = [p for spec in data["surface"].values() for p in spec.get("topic") or ()]
    fillers: list[str] = list(data.get("fillers") or [])
    generic: list[str] = list(data["generic"]["match"])
    limits = data["limits"]
    return _Rules(
        lang=lang, too_short=limits["too_short"], short_answer=limits["short_answer"],
        long_answer=limits["long_answer"],
        stop_whole=_whole([*data["stop"], *generic, *fillers]), stop_any=_anywhere(data["stop"]),
        generic_whole=_whole([*generic, *fillers]), generic_any=_anywhere(generic),
        dont_know=re.compile(_alt(data["dont_know"]["match"])),
        specific=re.compile(_guard(lang) + _alt(data["specific"])),
        surface=re.compile(_guard(lang) + "(?:" + "|".join(parts) + ")"), surface_groups=groups,
        topic=re.compile(f"(?:{_alt(topics)})" if topics else "(?!)"),
        situations=situations, texts=texts,
        by_audience=by_audience, acks=tuple(data.get("acknowledgements") or ()),
        way_out=tuple((f"{lang}.way_out.{i}", t) for i, t in enumerate(data.get("way_out") or (), 1)),
    )


# ---------------------------------------------------------------- text


_PUNCT_RE = re.compile(r"[^\w\s'/-]+")


_EMPTY = ProbeDecision(None, "empty")
_MAX_DEPTH = ProbeDecision(None, "max_depth")
_STOP = ProbeDecision(None, "stop_phrase")
_NOTHING_ASKED = ProbeDecision(None, EXHAUSTED)
_SPECIFIC = ProbeDecision(None, "specific")
_CACHED = 8192  # answers whose rule hits a prober remembers
_CUE_WINDOW = 160  # characters of the answer the rule cues are looked for in, as judge features



_CLAUSE_BREAK = re.compile(r"[,;:.!?，。；：！？、]|\s(?:but|and|because|so)\s|但|可是|就是|而且")


def _predicate(r: _Rules, low: str, topic: re.Match[str], lang: str) -> re.Match[str] | None:
    """After a cue that only names a topic ("报价", "support"), the first cue of another family that says something
    about it ("太慢", "slow"): "报价太慢" asks about speed, not price. None when there is none."""
    family = r.surface_groups[topic.lastgroup or ""][0]
    for m in r.surface.finditer(low, topic.end()):
        if r.surface_groups[m.lastgroup or ""][0] != family and not r.topic.fullmatch(m.group()) \
                and not denied(low, *m.span(), lang) and not outcome(low, m.start(), lang):
            return m
    return None


# Words in the other language's script: Latin letters in a Chinese answer, Chinese characters in an English one.
_OTHER_SCRIPT = {"en": re.compile(r"[a-z]{3,}"), "zh": re.compile(r"[\u4e00-\u9fff]")}
_MIXED_FAMILIES = frozenset({"price", "service", "speed", "ease", "quality"})


def _find_cue(r: _Rules, low: str, m: re.Match[str] | None, lang: str,
              process: bool) -> tuple[re.Match[str] | None, int | None]:
    """The first surface cue from `m` on that says what the answer wants (not one beside the point), and where the
    quote starts when a topic word is quoted with what is said of it ("报价太慢"); (None, None) when there is none."""
    while m is not None and _beside_the_point(r, low, m, lang, process):
        m = r.surface.search(low, m.end())
    if m and r.topic.fullmatch(m.group()) and (p := _predicate(r, low, m, lang)) is not None:
        # Quote the topic with what is said of it ("报价太慢", "support is slow"), when they share a clause.
        return p, (m.start() if not _CLAUSE_BREAK.search(low, m.end(), p.start()) else None)
    return m, None


def _beside_the_point(r: _Rules, low: str, m: re.Match[str], lang: str, process: bool = False) -> bool:
    """Whether the cue m, though it matched, does not say what the answer wants (core/probe_fit.py): said to be beside
    the point, in a result clause, "cost" as a verb, one step of a list (`process`: the question asks how something
    is done, so a list set off by commas is steps too), a topic word looked up or said not to match, or a word that
    only qualifies a process noun ("报价审批", "discount approval")."""
    start, end = m.span()
    topic = r.topic.fullmatch(m.group()) is not None
    return (denied(low, start, end, lang) or outcome(low, start, lang) or costs_someone(low, start)
            or in_a_list_of_steps(low, start, end, lang, process)
            or (topic and (handled(low, start, lang) or mismatched(low, end, lang)))
            or (" " not in m.group().strip() and modifies(low, end, lang)))


class RuleProber:
    """Probes superficial answers: the judge (core.judge) says whether, the rules (probes.*.yaml) say which.

    The answer is matched with the rules of the language it is written in (so a Chinese answer in an
    English interview still has its cues recognised); the probe is phrased in `lang`, the script's.
    Without a judge the rules alone decide, as before the judge existed (the baseline `cna train prober`
    reports beside the judge's scores).
    """

    def __init__(self, rules: Mapping[str, Mapping[str, Any]], judge: Judge | None = None):
        problems = [p for lang, data in rules.items()
                    for p in check_rules(data, f"<{lang} probe rules>", lang=lang)]
        if not rules:
            problems.append(Problem("<probe rules>", 1, "no probe rules given", "pass at least one language"))
        if problems:
            raise ScriptError(problems)
        self._rules = {lang: _compile(lang, data) for lang, data in rules.items()}
        self.judge = judge
        self._hit_cache: dict[tuple[str, str], tuple[RuleHits, re.Match[str] | None]] = {}

    @classmethod
    def from_texts(cls, texts: Mapping[str, str], judge: Judge | None = None) -> RuleProber:
        """Build from YAML texts by language, e.g. {"en": ..., "zh": ...}; errors name probes.<lang>.yaml."""
        return cls({lang: parse_rules(text, f"probes.{lang}.yaml", lang) for lang, text in texts.items()}, judge)

    def with_judge(self, judge: Judge | None) -> RuleProber:
        """The same compiled rules with another judge (or none: the rules alone)."""
        other = object.__new__(RuleProber)
        other._rules, other.judge, other._hit_cache = self._rules, judge, self._hit_cache
        return other

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self._rules)

    def _phrase_lang(self, lang: str | None, heard: str) -> str:
        tag = (lang or "auto").lower().replace("_", "-").split("-")[0]  # "zh-Hans" -> "zh"
        if tag in self._rules:
            return tag
        return heard if heard in self._rules else next(iter(self._rules))

    def rule_hits(self, text: str) -> RuleHits:
        """What the rule files recognise in `text`: features for the judge, no longer verdicts."""
        clean = _clean(text)
        low = clean.lower()
        cjk, words = unit_counts(low)
        r = self._rules.get(lang_from_counts(cjk, words)) or next(iter(self._rules.values()))
        return self._hits(r, low, cjk + words)[0]

    def _hits(self, r: _Rules, low: str, units: int) -> tuple[RuleHits, re.Match[str] | None]:
        """The rule hits, and the first surface cue when the window saw the whole answer (to reuse)."""
        short = units <= r.short_answer
        bare = " ".join(_PUNCT_RE.sub(" ", low).split()) if short else ""
        stop = bool(short and r.stop_whole.fullmatch(bare) and r.stop_any.search(r.generic_any.sub(" ", bare)))
        surface = r.surface.search(low, 0, _CUE_WINDOW)
        return RuleHits(
            stop=stop, stop_any=bool(r.stop_any.search(low)), dont_know=bool(short and r.dont_know.search(low)),
            generic=bool(short and r.generic_whole.fullmatch(bare) and r.generic_any.search(bare)),
            # Presence in the opening words, not counts: the combined cue expression costs ~0.3 µs a character,
            # and whether an answer opens with a cue is what tells a shallow answer from a detailed one.
            surface=int(surface is not None),
            specific=int(r.specific.search(low, 0, _CUE_WINDOW) is not None)), \
            surface if len(low) <= _CUE_WINDOW else None

    def decide(
        self,
        text: str,
        lang: str,
        depth: int = 0,
        max_depth: int = 3,
        families: Collection[str] | None = None,
        asked: Collection[str] = (),
        question_id: str | None = None,
        *,
        closing: bool = False,
        audience: str = "customer",
        question: str = "",
        nonanswers: int = 0,
        rung: str | None = None,
        said: Collection[int] = (),
        last_ack: str | None = None,
        explain: bool = False,
        anonymous: bool = False,
        segment: str | None = None,
    ) -> ProbeDecision:
        """Decide whether the answer `text`, given after `depth` probes, needs a follow-up, and which.

        closing: the question is a closing one; audience: internal (staff) or customer; question: its
        text and intent; nonanswers: non-answers already given on this question; rung: the highest rung
        this ladder reached so far; said: fingerprints (said_key) of every probe asked in the interview;
        last_ack: the acknowledgement said last; anonymous: the question is anonymous, so the follow-up quotes none of
        the person's words (a quote would sit in the outbox and the DM beside their name); segment: a customer's
        segment (current, past, prospective): a former customer is asked in words about their time with us, from the
        rule file's `customer_past` wording where it has one (core.probe_pick)."""
        clean = _clean(text)
        typed_as_pinyin = False
        if self.judge is not None and (read := self.judge.lexicon.hanzi(clean)) is not clean:
            # Toneless pinyin ("bu zhi dao ei") is Chinese typed with the input method off: read as characters, it
            # meets the Chinese rules, features and n-grams. The follow-up never quotes it: homophones are chosen by
            # frequency, and "jia ge pian yi dian" read as 价格骗一点 must not come back as the person's own words.
            text = clean = read
            typed_as_pinyin = True
        low = clean.lower()
        cjk, words = unit_counts(low)
        units = cjk + words
        if not units and (self.judge is None or not clean):
            # A blank answer is empty. With the judge, an answer of marks alone ("…", "？？？", "🤐") is read like any
            # other: silence or a puzzled look, which every train writer who typed one labelled a non-answer (issue 13's
            # last cell); read as empty it was never helped with.
            return _EMPTY
        # The last follow-up's answer ends the ladder either way; only a decline is read on (for its kind word).
        last = depth >= max_depth
        if last and not declines(clean):
            return _MAX_DEPTH
        heard = lang_from_counts(cjk, words)
        say = self._phrase_lang(lang, heard)
        r = self._rules.get(heard) or self._rules[say]
        if self.judge is None:
            if last:
                return _MAX_DEPTH
            return self._decide_rules(r, clean, low, units, say, depth, families, asked, question_id)
        # Streams and interviews repeat short answers ("no", "没有"): the rules read each text once.
        if (found := self._hit_cache.get((r.lang, low))) is None:
            if len(self._hit_cache) >= _CACHED:
                self._hit_cache.clear()
            found = self._hit_cache[r.lang, low] = self._hits(r, low, units)
        hits, first_cue = found
        ctx = Context(depth=depth, closing=closing, audience=audience, question=question)
        v = self.judge.judge(text, ctx, hits, explain=explain)
        reached = ladder_reached(v.label, v.rung, v.rung_probs, tuple(asked), rung, depth)
        seen = {"score": round(v.score, 3), "label": v.label, "rung": RUNG_ORDER[reached], "why": v.why}
        pick = Picker(self._rules[say],  audience, families, asked, said, question_id, last_ack, anonymous=anonymous,
                      segment=segment)

        def cue(start: int, end: int) -> str:
            # Nothing to quote in pinyin (read by guess), an anonymous answer, or marks alone ("？？？").
            return "" if typed_as_pinyin or anonymous or not units else _cue(clean, low, start, end)

        if v.label == "stop":
            return ProbeDecision(None, "stop_phrase", **seen)  # type: ignore[arg-type]
        if v.label in ("dont_know", "surface") and declines(clean):
            # "I'd rather not say", "无可奉告": declining is not a gap to help with or a want to explore; pushing
            # again presses someone who has said no. A non-answer, let go (the interview says so kindly).
            return ProbeDecision(None, "declined", **{**seen, "label": "dont_know"})  # type: ignore[arg-type]
        if last:
            return _MAX_DEPTH
        answered_no = v.label == "dont_know" and depth == 0 and not closing and bool(question) \
            and opens_with_yes_or_no(question, low)
        if answered_no:
            # "No. Never" to "Do the sales figures agree with the books? Where do they part ways…?": a no that answers
            # the question's yes-or-no ask, not a bare "nothing"; the rest of the question is what is left, and
            # with none left, what else was said ("没有，挺顺的") is read as an answer.
            d = self._rest_of_question(pick, low, question, "vague", depth, seen)
            if d.fires:
                return d
            answered_no = len(_CLAUSE_BREAK.split(low.strip(" .!。！"), maxsplit=1)) > 1
        if v.label == "dont_know" and not answered_no:
            if nonanswers >= 2:
                return ProbeDecision(None, "moved_on", **seen)  # type: ignore[arg-type]
            if nonanswers == 1 and r.way_out:
                return pick.way_out(seen)
            m = r.dont_know.search(low)
            # A technique that repeats the question's own frame ("think of the last time…" to a question that asked
            # for the last time) asks again what the person could not answer: another technique first.
            fresh = (lambda t: not echoes(t, question, say)) if question and say == lang else None
            if question and asks_hearsay(question, say):
                # "Nothing really", "没听说过" to "what have you heard about us?": one nudge about hearsay ("not even
                # in passing?"), not a recall of their own experience ("think of the last time this came up for you").
                d = pick("hearsay_dont_know", "dont_know", "", depth, seen, ack=False)
                if d.fires:
                    return d
            return pick("dont_know", "dont_know", cue(*(m.span() if m else (0, len(low)))), depth, seen, ack=False,
                        fits=fresh)
        if depth >= 1 and asked and ".practice.clarify." in tuple(asked)[-1] and v.label == "surface" and units <= 8 \
                and question and answers_an_ask(question, low):
            # "about four years now" to "The question also asked: How long have you worked this way?": the part left
            # out is answered, in the kind of words it asked for; the question is whole, not a shallow answer to push.
            return ProbeDecision(None, "specific", **seen)  # type: ignore[arg-type]
        if depth >= 1 and v.label == "specific" and question and fills_asks(question, low):
            # "老板定的，今年三月份" after "费用超出预期的时候，会带来什么影响？": the reply gives what the
            # question asked (who decided, when), not a consequence; "您提到“今年三月份”，这一点说到底为什么
            # 重要？" would climb from a date.
            return ProbeDecision(None, "specific", **seen)  # type: ignore[arg-type]
        if depth >= 1 and reached == _RUNG["value"]:
            # The ladder reached why it matters in the end (even in general words): a terminal value ends it.
            return ProbeDecision(None, "ladder_done", **seen)  # type: ignore[arg-type]
        if depth >= 1 and reached == _RUNG["consequence"]:
            # Inside a ladder, a stated consequence earns one question about why it matters (the value rung).
            # It quotes a whole clause of it, or nothing (then only the wordings without a quote fit).
            span = consequence_span(low)
            if span and question and fact_asked(question, low[span[0]:span[1]]):
                # "…I raised it with our director in the spring and we decided in June, when the contract came up" to
                # "…how and when it was decided, and who was involved": the clause found is a date the question asked
                # for, and "You mentioned “when the contract came up”. Why does that matter?" asks why a date matters.
                # The value question is asked without a quote.
                span = None
            # Why it matters, in words that fit what was said: no "how would the customer benefit?" after a problem.
            _, fits_reply = fit_for(low, heard, say, question)
            d = pick("any", "ladder:value", cue(*span) if span else "", 2, seen, only=("ladder_up",),
                     fits=fits_reply)
            if d.fires:
                return d
        if v.label == "specific" and depth == 0 and question and episode_left(question, low) \
                and not tells_occasion(low, say):
            # "ERP到CRM的夜间同步，每周至少断一次" to "…最容易出问题？最近一次出故障是
            # 什么情况？": a real answer, but the occasion the question asked for is not told, and it is where the
            # consequence shows; an interviewer asks it ("那最近一次出故障是什么情况？"). Not after an answer that
            # tells one ("上周三断了…", "the samples arrived late").
            d = self._rest_of_question(pick, low, question, "episode_left", depth, seen)
            if d.fires:
                return d
        if v.label == "specific":
            # A first answer with substance is not pushed further (but for the occasion its question asked for).
            return ProbeDecision(None, "specific", **seen)  # type: ignore[arg-type]
        row = max(depth, 2 if reached >= _RUNG["consequence"] else 0)
        # The wording must fit what the answer is: no "last time that happened?" after a statement of use, no
        # "who would you like to reach?" after a mention of a service (core/probe_fit.py).
        kind, fits = fit_for(low, heard, say, question)
        if kind == USE and depth == 0:
            # "We use it for order tracking": what it does for them, not an episode or a wish; but first the part of
            # the question left out ("Packaging film, mostly" to "What do you rely on us for? If we were not there
            # tomorrow, what would you have to do instead?" is asked the second, in its own words).
            if question and missing_part(low, question) and not (asks_why(question) and single_clause(low)):
                d = self._rest_of_question(pick, low, question, "use", row, seen)
                if d.fires:
                    return d
            return pick("use", "use", "", row, seen, fits=fits)
        if kind == HEARSAY and depth == 0:
            # "Heard your support is slow": what they heard and where from, not "the last time you needed help".
            return pick("hearsay", "hearsay", "", row, seen, fits=fits)
        # "问题不在钱": not a question about price; "…, so the money is just gone": what followed, not a want.
        process = bool(question) and asks_practice(question, say)
        rc, cue_lang = r, heard
        m, said_of = _find_cue(r, low, first_cue if len(low) <= _CUE_WINDOW else r.surface.search(low), heard, process)
        other = "en" if heard == "zh" else "zh"
        if m is None and other in self._rules and _OTHER_SCRIPT[other].search(low):
            # "主要是price，还有我们delivery比较稳": a cue word in the other language, as people type who mix them. An
            # English cue is looked for with the Chinese characters blanked (same length, so the quote's span holds):
            # "是price" has no word boundary before "p" otherwise.
            # Only a quality wanted (price, service, speed, ease, quality): a system's name said in passing
            # ("crm里导出来，再用excel算") names a tool, not a want.
            rc, cue_lang = self._rules[other], other
            seen_as = blank_cjk(low) if other == "en" else low
            m, said_of = _find_cue(rc, seen_as, rc.surface.search(seen_as), other, process)
            if m is not None and rc.surface_groups[m.lastgroup or ""][0] not in _MIXED_FAMILIES:
                rc, cue_lang, m, said_of = r, heard, None, None
        if m and depth == 0 and kind not in (USE, HEARSAY) and question and episode_left(question, low):
            # "pricing mostly" to "Where do deals stall? Think of the last deal that dragged on: what happened?": the
            # question's own ask for an episode makes the answer concrete, before a follow-up about the cue word.
            d = self._rest_of_question(pick, low, question, f"surface:{rc.surface_groups[m.lastgroup or ''][0]}",
                                       row, seen)
            if d.fires:
                return d
        if m:
            family, cue_group = rc.surface_groups[m.lastgroup or ""]
            span = m.span(cue_group) if cue_group and m.group(cue_group) else m.span()
            span = (said_of, span[1]) if said_of is not None else span
            # "faster quotes", "报价太慢": the part is named, so "which step do you mean?" would ask it again.
            named: tuple[str, ...] = ("clarify",) if names_what(low, *span, cue_lang) else ()
            # "便宜点但是质量不稳定，你们贵一点但靠谱": the comparison is made; "compared with what?" asks it again.
            named += ("contrast",) if compared(low, heard) else ()
            return pick(family, f"surface:{family}", cue(*span), row, seen, fits=fits, skip=named)
        if depth == 0 and kind not in (USE, HEARSAY) and missing_part(low, question) \
                and not (asks_why(question) and single_clause(low)):
            # "两者都要" to "mainly for staff or for management? What would have to change…?": an interviewer asks for
            # the part not answered before anything else (a why the ladder asks itself).
            d = self._rest_of_question(pick, low, question, "practice" if kind == PRACTICE else "vague", row, seen)
            if d.fires:
                return d
        if hits.generic:
            return pick("generic", "generic", cue(0, len(low)), row, seen, fits=fits)
        if units < r.too_short:
            # "lol no", "yes definitely": nothing to quote back ("You said “lol no”…"); only a thing named is echoed.
            whole = cue(0, len(low))
            return pick("too_short", "too_short", whole if names_a_thing(whole) else "", row, seen, fits=fits)
        if kind == PRACTICE:
            # "销售吧，用自己手机" to "which people, on what devices, offline?": how it is now, not a wish to picture;
            # the rest of the question, or one real case (core/probe_fit.py).
            # The rest of the question is asked for once per question, in whichever words.
            if missing_part(low, question) and not any(".practice.clarify." in k for k in asked):
                d = self._rest_of_question(pick, low, question, "practice", row, seen)
                if d.fires:
                    return d
            return pick("practice", "practice", "", row, seen, fits=fits, skip=("clarify",))
        echo = cue(0, len(low)) if units <= 8 else ""
        return pick("vague", "vague", echo if names_a_thing(echo) else "", row, seen, fits=fits)

    @staticmethod
    def _rest_of_question(pick: Picker, low: str, question: str, reason: str, row: int,
                          seen: Mapping[str, Any]) -> ProbeDecision:
        """The part of a question the answer left out, asked in the question's own words ("And how will you stop
        each department…?"; "The question also asked: Think of…"). Only where the question has such an ask: a blind
        rater of held-out interviews found the general wording ("问题里另外几问呢") weak, and wrong where the part was
        answered."""
        part, flows = follow_on(next_ask(question, low))
        if not part:
            return _NOTHING_ASKED

        def fits(template: str) -> bool:  # "And {cue}" / "那{cue}" for an ask, a frame for an instruction
            return "{cue}" in template and template.startswith(("And ", "那{")) == flows

        d = pick("practice", reason, part, row, seen, only=("clarify",), any_family=True, fits=fits)
        return d if d.fires and part in (d.probe or "") else _NOTHING_ASKED

    def _decide_rules(self, r: _Rules, clean: str, low: str, units: int, say: str, depth: int,
                      families: Collection[str] | None, asked: Collection[str],
                      question_id: str | None) -> ProbeDecision:
        """The rules alone (no judge): length, marker words and cue lists decide."""
        pick = Picker(self._rules[say],  "customer", families, asked, (), question_id, None, acks=False)

        def probe(situation: str, reason: str, start: int, end: int) -> ProbeDecision:
            return pick(situation, reason, _cue(clean, low, start, end), depth, {})

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
