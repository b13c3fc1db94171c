"""The coder: proposes codes for an answer from the codebook's cues (en/zh, negation-aware) and, for the codes
whose learned model passed the adoption gate, from that model's calibrated probability."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Re-exported: callers and tests import the codebook models from here, as before the split.
from core.codebook import Code, Codebook, Cues, LangText, parse_codebook
from core.coder_clauses import clause_spans, focus_object
from core.coder_model import ACTIVE, THRESHOLD, LearnedModel, resolve
from core.coder_tfidf import length_bucket
from core.cue_index import _denied, _LangCues
from core.cue_index import _prefixes as _prefixes  # re-exported for tests/unit/test_coding.py
from core.script import LANGS

__all__ = ["Code", "CodeHit", "Codebook", "Coder", "Cues", "LangText", "parse_codebook"]


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


def _distinct(found: list[tuple[float, int, int, str]]) -> int:
    """Distinct cue texts, not counting a match inside a longer one ("cost" within "cost of ownership")."""
    kept_end, texts = -1, set()
    for _, start, _, matched in sorted(found, key=lambda e: (e[1], -len(e[3]))):
        if start + len(matched) <= kept_end:
            continue
        kept_end = max(kept_end, start + len(matched))
        texts.add(matched.lower())
    return len(texts)


# What an answer of several clauses has judged clause by clause (bench/coder_writers.py --clauses measures each;
# "rescue" and "cap" were measured and are off, docs/coding.md): "cues" a cue-hit code the whole answer left below
# its line, scored without the other clauses' cue hits; "rescue" the same code scored on its own clause alone;
# "pairs" confusable pairs; "cap" the code cap; "focus" an answer stating someone's focus ("the customer only cares
# about the price"): the codes of the focus's object, coded alone, are proposed and come first where a pair or the
# cap chooses (the frame says whose concern it is, its object what the answer is about).
CLAUSES: frozenset[str] = frozenset({"cues", "pairs", "focus"})


class Coder:
    """The coder: cue rules per code, replaced by the learned model for the codes it was adopted for.

    Deterministic; at most one hit per code; hits sorted by confidence, then code id. Without a model (or
    for a code the model was not adopted for) a code is proposed from its best cue, and codes without cues
    (the groups, by default) are never proposed. A model hit's confidence is a calibrated probability.
    """

    name = "cues-v1"

    def __init__(self, codebook: Codebook, min_confidence: float = 0.0, model: LearnedModel | None = None):
        self.codebook = codebook
        self.min_confidence = min_confidence
        self.model = model
        if model is not None:
            self.name = f"learned:{model.id}"
        self._langs = {
            lang: _LangCues(lang, ((c.id, p) for c in codebook.codes for p in c.cues.get(lang))) for lang in LANGS
        }

    def code(self, text: str, lang: str | None = None, hints: Iterable[str] = ()) -> list[CodeHit]:
        """Codes for one answer; `lang` 'en', 'zh' (or a tag like 'zh-Hans'), or None/'auto' to detect.
        `hints`: the codes the question was written to elicit (its `codes:` in the script), if known."""
        if not text or not text.strip():
            return []
        lang = _norm_lang(text, lang)
        evidence = self._evidence(text, lang)
        cue_hits = self._cue_hits(text, lang, evidence)
        model = self.model
        if model is None or not model.active:
            return [h for h in cue_hits if h.confidence >= self.min_confidence]
        cue_codes = [h.code_id for h in cue_hits]
        cue_of = {h.code_id: h for h in cue_hits}
        hints = tuple(hints)
        hits = [h for h in cue_hits if h.code_id not in model.active]
        proposed = model.proposals(text, lang, cue_codes, hints)
        for code_id, p in proposed.items():
            cue = cue_of[code_id].cue if code_id in cue_of else model.evidence(code_id, text, lang)
            hits.append(CodeHit(code_id, cue, round(p, 2), f"{lang}:model:{model.id}"))
        pairs: Sequence[tuple[str, str]] = model.pairs
        cap = model.cap_for(length_bucket(text, lang))
        unproposed = {c: h.cue for c, h in cue_of.items() if c in model.active and c not in proposed}
        if CLAUSES and (unproposed or len(hits) > 1):  # else nothing to judge clause by clause
            hits, pairs, cap = self._by_clause(text, lang, hints, hits, unproposed, cap, evidence)
        # A topic is named by a cue: without any cue match there is none (and the frame is not searched for).
        topic = self._focus(text, lang, hints, hits) if "focus" in CLAUSES and evidence else set()
        if len(hits) > 1:  # pairs and the cap only ever drop one of several codes
            # The focus's object's codes rank first (+1 keeps the order among them and among the rest).
            dropped = resolve({h.code_id: h.confidence + (h.code_id in topic) for h in hits}, pairs, cap)
            hits = [h for h in hits if h.code_id not in dropped]
        hits = [h for h in hits if h.confidence >= self.min_confidence]
        hits.sort(key=lambda h: (-h.confidence, h.code_id))
        return hits

    def _by_clause(self, text: str, lang: str, hints: tuple[str, ...], hits: list[CodeHit],
                   unproposed: dict[str, str], cap: int, evidence: dict[str, list[tuple[float, int, int, str]]]
                   ) -> tuple[list[CodeHit], Sequence[tuple[str, str]], int]:
        """An answer of several clauses (CLAUSES says which of these apply): a code whose cue fired but which the
        whole answer's score left below its line is proposed if the answer reaches its line without the cue hits
        of the other clauses ("cues": another clause's speed cue must not take price from "The price is too high
        and delivery is slow"), or if its own clause alone reaches it ("rescue"); a confusable pair keeps both codes
        where each has a clause of its own ("pairs": learned where one concept is stated, not two); the cap is at
        least the number of clauses with a top code of their own ("cap")."""
        model = self.model
        assert model is not None
        on = {h.code_id for h in hits if h.confidence >= THRESHOLD}
        firing = [(a, b) for a, b in model.pairs if a in on and b in on] if "pairs" in CLAUSES and len(on) > 1 else []
        if "rescue" not in CLAUSES and "cues" not in CLAUSES:
            unproposed = {}
        if not unproposed and not firing and (len(on) <= cap or "cap" not in CLAUSES):
            return hits, model.pairs, cap
        spans = clause_spans(text, lang)
        if len(spans) < 2:
            return hits, model.pairs, cap
        parts = [text[a:b] for a, b in spans]
        if "cues" in CLAUSES and unproposed:  # each clause's cue hits, from where the whole answer's matched
            sets = [{c for c, found in evidence.items() if any(a <= e[1] < b for e in found)} for a, b in spans]
            every = set().union(*sets)
            for code_id, cue in unproposed.items():
                local = set().union(*(s for s in sets if code_id in s))
                got = model.proposals(text, lang, sorted(local), hints).get(code_id) if local < every else None
                if got is not None:
                    hits.append(CodeHit(code_id, cue, round(got, 2), f"{lang}:model:{model.id}"))
                    on.add(code_id)
            firing = [(a, b) for a, b in model.pairs if a in on and b in on] if "pairs" in CLAUSES else []
        if not ("rescue" in CLAUSES and unproposed.keys() - on) and not firing and (len(on) <= cap
                                                                                  or "cap" not in CLAUSES):
            return hits, model.pairs, cap
        per = [self._clause_codes(p, lang, hints) for p in parts]
        for code_id in sorted(unproposed.keys() - on if "rescue" in CLAUSES else ()):
            alone = [(c[code_id], part) for c, part in zip(per, parts, strict=True) if code_id in c]
            if alone:
                (v, cue), part = max(alone)
                cue = cue or model.evidence(code_id, part, lang)
                hits.append(CodeHit(code_id, cue, round(v, 2), f"{lang}:model:{model.id}"))
                on.add(code_id)
        apart = {(a, b) for a, b in firing
                 if any(a in c and b not in c for c in per) and any(b in c and a not in c for c in per)}
        tops = {max(c, key=lambda k: (c[k][0], k)) for c in per if c} if "cap" in CLAUSES else set()
        return hits, [p for p in model.pairs if p not in apart], max(cap, len(tops & on))

    def _focus(self, text: str, lang: str, hints: tuple[str, ...], hits: list[CodeHit]) -> set[str]:
        """An answer that is one statement of someone's focus ("the customer only cares about the price"): the codes
        its object names (a cue of theirs fires in it) and reaches coded alone; those the whole answer missed are
        added to `hits`."""
        span = focus_object(text, lang)
        if span is None or len(clause_spans(text, lang)) > 1:  # one statement of focus is the whole answer
            return set()
        model = self.model
        assert model is not None
        part = text[span[0]:span[1]]
        # A topic is a code the object names (its cue fires there) and reaches its line coded alone.
        topic = {c: v for c, v in self._clause_codes(part, lang, hints).items() if v[1]}
        have = {h.code_id for h in hits}
        for code_id, (v, cue) in sorted(topic.items()):
            if code_id not in have:
                hits.append(CodeHit(code_id, cue, round(v, 2), f"{lang}:model:{model.id}"))
        return set(topic)

    def _clause_codes(self, clause: str, lang: str, hints: tuple[str, ...]) -> dict[str, tuple[float, str]]:
        """One clause coded alone (model and cue rules, before pairs and the cap): code -> (confidence, cue)."""
        model = self.model
        assert model is not None
        cue_hits = self.cue_hits(clause, lang)
        out = {h.code_id: (h.confidence, h.cue) for h in cue_hits
               if h.code_id not in model.active and h.confidence >= THRESHOLD}
        cue_of = {h.code_id: h.cue for h in cue_hits}
        for code_id, p in model.proposals(clause, lang, list(cue_of), hints).items():
            out[code_id] = (p, cue_of.get(code_id, ""))  # no cue: the evidence is looked up only if shown
        return out

    def decided_by_model(self, code_id: str) -> bool:
        return self.model is not None and code_id in self.model.active and self.model.gates[code_id].active == ACTIVE

    def cue_hits(self, text: str, lang: str) -> list[CodeHit]:
        """The cue rule's hits for every code (lang already normalised), before any model or threshold."""
        return self._cue_hits(text, lang, self._evidence(text, lang))

    def _evidence(self, text: str, lang: str) -> dict[str, list[tuple[float, int, int, str]]]:
        """Per code its cue matches: (confidence, start in the text, cue index, matched text)."""
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
        return evidence

    def _cue_hits(self, text: str, lang: str, evidence: dict[str, list[tuple[float, int, int, str]]]
                  ) -> list[CodeHit]:
        cues = self._langs[lang]
        hits = []
        for code_id, found in evidence.items():
            best = max(found, key=lambda e: (e[0], -e[1], -e[2]))
            confidence = round(min(_CEILING, best[0] + _BONUS * (_distinct(found) - 1)), 2)
            hits.append(CodeHit(code_id, best[3], confidence, f"{lang}:{cues.cues[best[2]].pattern}"))
        hits.sort(key=lambda h: (-h.confidence, h.code_id))
        return hits
