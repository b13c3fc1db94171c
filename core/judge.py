"""The specificity judge: a small linear model over judge_features, saying how concrete an answer is."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.judge_features import Context, Lexicon, RuleHits, clean, features
from core.judge_grams import GRAM, gram_value, grams
from core.judge_senses import SENSE, block_reads, sense_classes, sense_value
from core.judge_tags import TAGS, tag_grams, tag_value

CLASSES = ("surface", "specific", "stop", "dont_know")
RUNGS = ("attribute", "consequence", "value")

Weights = dict[str, dict[str, float]]  # class -> feature -> weight
VALUE_SURE = 0.7  # how sure the rung model must be to read a value in an answer without words of ends
_CACHED = 8192  # verdicts a judge remembers: streams and interviews repeat short answers ("no", "没有", "idk")


@dataclass(frozen=True)
class Verdict:
    """The judge's reading of one answer."""

    label: str  # surface | specific | stop | dont_know
    score: float  # 0..1: the probability that the answer is specific
    rung: str  # attribute | consequence | value: how far up the ladder the answer reaches
    probs: Mapping[str, float] = field(default_factory=dict)
    rung_probs: Mapping[str, float] = field(default_factory=dict)  # the rung model's own reading
    why: tuple[tuple[str, float], ...] = ()  # the features that pushed hardest towards the label


def ruled_out(f: Mapping[str, float]) -> tuple[str, ...]:
    """Classes the context rules out, by the labels' definitions: an ending is a fair answer only to a
    follow-up or a closing question (to a first content question "nothing" is a non-answer, `dont_know`),
    and to "anything else?" not knowing is an ending (`stop`), never something to help with. An answer of marks
    alone ("…", "？？？", "🤐": no word or character) names no want and tells nothing: neither `surface` nor
    `specific`."""
    marks = ("surface", "specific") if "units" in f and not f["units"] else ()
    if f.get("closing"):
        return ("dont_know", *marks)
    if not f.get("follow_up"):
        return ("stop", *marks)
    return marks


def _decide(probs: dict[str, float], f: Mapping[str, float]) -> str:
    for c in ruled_out(f):
        if c in probs:
            probs[c] = 0.0
    total = sum(probs.values())
    for c in probs:
        probs[c] /= total
    return max(probs, key=probs.__getitem__)


def _softmax(scores: Mapping[str, float]) -> dict[str, float]:
    top = max(scores.values())
    exp = {k: math.exp(v - top) for k, v in scores.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


def _scores(weights: Weights, f: Mapping[str, float]) -> dict[str, float]:
    return {c: sum(w.get(k, 0.0) * v for k, v in f.items()) for c, w in weights.items()}


def read_past_specific(class_scores: Mapping[str, float], block: Mapping[str, float], f: Mapping[str, float]) -> str:
    """The label of an answer the class model did not find specific, with the sense block's scores added (issue 13's
    new-writers round): the block chooses among surface, stop and don't-know only, so it never makes an answer
    specific or takes that away (inside the class model it did both, and respondents lost a follow-up)."""
    probs = _softmax({c: s + block.get(c, 0.0) for c, s in class_scores.items()})
    probs["specific"] = 0.0
    return _decide(probs, f)


def predict_with_block(weights: Weights, sense_weights: Weights, f: Mapping[str, float]) -> str:
    """predict, then the sense block (`k:` features of f) for an answer not found specific, as Judge reads it."""
    plain = {k: v for k, v in f.items() if not k.startswith(SENSE)}
    scores = _scores(weights, plain)
    label = _decide(_softmax(scores), plain)
    if label == "specific" or not sense_weights or not block_reads(f):
        return label
    block = _scores(sense_weights, {k: v for k, v in f.items() if k.startswith(SENSE)})
    return read_past_specific(scores, block, f) if any(block.values()) else label


def rung_of(rung_scores: Mapping[str, float], f: Mapping[str, float]) -> str:
    """The rung an answer reaches, from the rung model's scores and the answer's rung cues."""
    rung_probs = _softmax(rung_scores)
    rung = max(rung_probs, key=rung_probs.__getitem__)
    # A value needs words of ends (trust, keeping customers, 安心, 口碑…), not only "reads past a consequence":
    # without them, unless the model is sure, the answer reaches a consequence when the model puts more weight
    # above the attribute than on it ("if something's wrong I can ring someone I know and it gets done"), else an
    # attribute: a value turned down is not evidence of a property.
    if rung == "value" and not f.get("value_cue") and not f.get("value_words") and rung_probs["value"] < VALUE_SURE:
        above = rung_probs["consequence"] + rung_probs["value"]
        rung = "consequence" if above > rung_probs["attribute"] else "attribute"
    # The words of a rung set its floor ("so we could...", "customers stay with us"): the rung model learns
    # from a few hundred answers, the cues name the rung outright.
    floor = 2 if f.get("value_cue") else 1 if f.get("consequence_cue") else 0
    return RUNGS[max(RUNGS.index(rung), floor)]


class Judge:
    """Reads an answer's features with trained weights (shipped as interview_scripts/judge.json)."""

    def __init__(self, data: Mapping[str, Any], lexicon: Lexicon):
        self.weights: Weights = {c: dict(w) for c, w in data["weights"].items()}
        self.rung_weights: Weights = {c: dict(w) for c, w in data["rung_weights"].items()}
        self.meta: Mapping[str, Any] = data.get("meta", {})
        self.lexicon = lexicon
        missing = set(CLASSES) - set(self.weights) or set(RUNGS) - set(self.rung_weights)
        if missing:
            raise ValueError(f"judge weights lack {sorted(missing)}: retrain with 'cna train prober'")
        # Bounded: a long-running service keeps at most this many verdicts (a few MB).
        self._cached = lru_cache(maxsize=_CACHED)(self._judge)

        # Per language, one row per feature with its weight in every class and rung, the language's own copy
        # ("en:rare") folded into the shared one: one pass over an answer's features, half as many of them.
        self._names = (*CLASSES, *RUNGS)
        tables = [self.weights[c] for c in CLASSES] + [self.rung_weights[r] for r in RUNGS]
        keys = {k for t in tables for k in t if not k.startswith((GRAM, SENSE))}
        self._rows: dict[str, dict[str, tuple[float, ...]]] = {}
        for lang in ("en", "zh"):
            prefix = f"{lang}:"
            shared = {k for k in keys if k[2:3] != ":" or k.startswith("w:")}
            own = {k[len(prefix):] for k in keys if k.startswith(prefix)}
            self._rows[lang] = {k: tuple(t.get(k, 0.0) + t.get(prefix + k, 0.0) for t in tables)
                                for k in shared | own}
        # The answer's n-grams (core.judge_grams) in a table of their own, keyed by the bare gram, one row of class
        # weights each: one look-up per gram (the intersection runs in C), then column sums. The cost is per answer
        # read, and the engine's per-answer CPU is what limits it (issue 20): four tables, one per class, cost more.
        # Classes only: the rung model reads no grams.
        self._grams: dict[str, tuple[float, ...]] = {
            k[len(GRAM):]: tuple(self.weights[c].get(k, 0.0) for c in CLASSES)
            for k in {k for c in CLASSES for k in self.weights[c] if k.startswith(GRAM)}}
        # The sense classes of the answer's words (core.judge_senses), the same way: one row each, classes only.
        self._senses: dict[str, tuple[float, ...]] = {
            k[len(SENSE):]: tuple(self.weights[c].get(k, 0.0) for c in CLASSES)
            for k in {k for c in CLASSES for k in self.weights[c] if k.startswith(SENSE)}}
        # The sense block behind the class model (issue 13's new-writers round, `sense_weights`): learnt on top of the
        # class model's fixed weights, it moves only the surface, stop and don't-know scores, and is read only when
        # the class model has not found the answer specific (read_past_specific).
        block = data.get("sense_weights") or {}
        self._sense_block: dict[str, tuple[float, ...]] = {
            k[len(SENSE):]: tuple(block.get(c, {}).get(k, 0.0) for c in CLASSES)
            for k in {k for c in block for k in block[c]}}
        # Its tag grams (core.judge_tags, issue 13's last-cell round) are rows of the same table, valued apart.
        self._reads_tags = any(k.startswith(TAGS) for k in self._sense_block)

    @property
    def reads_senses(self) -> bool:
        """Whether these weights read the sense classes of an answer's words (then the thesauri load at start)."""
        return bool(self._senses or self._sense_block)

    def features(self, text: str, ctx: Context, hits: RuleHits) -> dict[str, float]:
        return features(text, self.lexicon, ctx, hits)

    def _sense_classes(self, text: str, zh: bool) -> set[str]:
        """The distinct sense classes of the answer's words (every word: its segmentation is remembered)."""
        lang = "zh" if zh else "en"
        return sense_classes(self.lexicon.words(clean(text).lower()), self.lexicon, lang)

    def _all_scores(self, f: Mapping[str, float], text: str = "") -> tuple[dict[str, float], dict[str, float]]:
        get = self._rows["zh" if f.get("zh") else "en"].get
        # Column sums of the rows the answer's features pick (scaled by their values), in feature order: the
        # same sums, added in the same order, as a loop over features and classes, at a fraction of the cost.
        picked = [row if v == 1.0 else [w * v for w in row]
                  for k, v in f.items() if v and (row := get(k)) is not None]
        acc = [sum(col) for col in zip(*picked, strict=True)] if picked else [0.0] * len(self._names)
        n = len(CLASSES)
        if text and self._grams:
            gs = grams(clean(text).lower(), bool(f.get("zh")))
            table = self._grams
            found = [table[g] for g in table.keys() & gs]
            if found:
                v = gram_value(len(gs))
                for i, col in enumerate(zip(*found, strict=True)):
                    acc[i] += v * sum(col)
        if text and self._senses:
            cs = self._sense_classes(text, bool(f.get("zh")))
            hit = [self._senses[c] for c in self._senses.keys() & cs]
            if hit:
                v = sense_value(len(cs))
                for i, col in enumerate(zip(*hit, strict=True)):
                    acc[i] += v * sum(col)
        return dict(zip(CLASSES, acc[:n], strict=True)), dict(zip(RUNGS, acc[n:], strict=True))

    def judge(self, text: str, ctx: Context, hits: RuleHits, explain: bool = False) -> Verdict:
        """The verdict on one answer; repeated answers in the same context are read once (see _CACHED)."""
        return self._cached(text, ctx, hits, explain)

    def _judge(self, text: str, ctx: Context, hits: RuleHits, explain: bool) -> Verdict:
        f = self.features(text, ctx, hits)
        class_scores, rung_scores = self._all_scores(f, text)
        probs = _softmax(class_scores)
        label = _decide(probs, f)
        block: dict[str, float] = {}
        block_cs: set[str] = set()
        block_tags: set[str] = set()
        if label != "specific" and self._sense_block and block_reads(f):
            zh = bool(f.get("zh"))
            block_cs = self._sense_classes(text, zh)
            block_tags = tag_grams(clean(text).lower(), zh, self.lexicon) if self._reads_tags else set()
            acc = [0.0] * len(CLASSES)
            for keys, v in ((block_cs, sense_value(len(block_cs))), (block_tags, tag_value(len(block_tags)))):
                for block_row in (self._sense_block[k] for k in self._sense_block.keys() & keys):
                    for i, w in enumerate(block_row):
                        acc[i] += v * w
            if any(acc):
                block = dict(zip(CLASSES, acc, strict=True))
                label = read_past_specific(class_scores, block, f)
        rung_probs = _softmax(rung_scores)
        rung = rung_of(rung_scores, f)
        why: tuple[tuple[str, float], ...] = ()
        if explain:
            rows, me = self._rows["zh" if f.get("zh") else "en"], CLASSES.index(label)
            # A feature's push towards the label: its weight there minus its mean weight elsewhere, times its value.
            push = {k: v * (row[me] - sum(row[i] for i in range(len(CLASSES)) if i != me) / (len(CLASSES) - 1))
                    for k, v in f.items() if (row := rows.get(k)) is not None}
            gs = grams(clean(text).lower(), bool(f.get("zh"))) if self._grams else set()
            for g in gs:
                if (row := self._grams.get(g)) is not None:
                    push[GRAM + g] = gram_value(len(gs)) * (row[me] - sum(row[i] for i in range(len(CLASSES))
                                                                          if i != me) / (len(CLASSES) - 1))
            cs = self._sense_classes(text, bool(f.get("zh"))) if self._senses else set()
            for c in cs:
                if (row := self._senses.get(c)) is not None:
                    push[SENSE + c] = sense_value(len(cs)) * (row[me] - sum(row[i] for i in range(len(CLASSES))
                                                                              if i != me) / (len(CLASSES) - 1))
            if block:  # the sense block's classes, where it moved the label among the non-specific classes
                others = [i for i, c in enumerate(CLASSES) if c not in (label, "specific")]
                for keys, v in ((block_cs, sense_value(len(block_cs))), (block_tags, tag_value(len(block_tags)))):
                    for c in keys:
                        if (row := self._sense_block.get(c)) is not None:
                            push[SENSE + c] = push.get(SENSE + c, 0.0) + v * (
                                row[me] - sum(row[i] for i in others) / len(others))
            why = tuple((k, round(p, 3)) for k, p in sorted(push.items(), key=lambda kv: -kv[1])[:6] if p > 0)
        return Verdict(label, probs["specific"], rung, probs, rung_probs, why)


# ---------------------------------------------------------------- training (pure Python: tiny data, no numpy)

# The n-grams' L2 (their values are 1/sqrt(n) each, so an answer's grams have unit length together), chosen by leaving
# one writer's file out: 1e-2 and 3e-3 held the grams near zero (no gain), 3e-4 and 1e-4 helped every cell, none lost
# more than an answer; with 1e-4 the dev respondents lost a value reply to a follow-up (docs/probing.md).
GRAM_L2 = 3e-4
# The sense classes' L2 (their values are 1/sqrt(n) each, as the grams'), chosen the same way (docs/probing.md).
SENSE_L2 = 3e-4


def penalty(name: str, l2: float, lexical_l2: float, gram_l2: float, sense_l2: float = SENSE_L2) -> float:
    """The L2 penalty of one feature: words, n-grams, sense classes and designed features each have their own."""
    if name.startswith("w:"):
        return lexical_l2
    return gram_l2 if name.startswith(GRAM) else sense_l2 if name.startswith(SENSE) else l2



def fit(rows: Sequence[tuple[Mapping[str, float], str]], classes: Sequence[str], *, epochs: int = 250,
        rate: float = 0.3, l2: float = 1e-2, lexical_l2: float = 1e-3, gram_l2: float = GRAM_L2,
        sense_l2: float = SENSE_L2) -> Weights:
    """Multinomial logistic regression by full-batch AdaGrad, classes weighted to balance them.

    Word features (`w:`) and the designed ones have their own L2 penalties, chosen by 5-fold
    cross-validation on the train split (`cna train prober --cv 5`): many rare words, each lightly held, beat
    few strongly held ones, while the designed features are kept from leaning on any one of them. N-grams (`g:`)
    and sense classes (`k:`) have their own, chosen by leaving one writer's file out (`cna train prober --by-file`).
    Features are numbered once and rows kept as index lists: the same arithmetic as over dicts, several
    times faster (cross-validation fits many models)."""
    counts = Counter(label for _, label in rows)
    present = [c for c in classes if counts[c]]
    balance = {c: len(rows) / (len(present) * counts[c]) for c in present}
    index: dict[str, int] = {}
    sparse: list[tuple[list[int], list[float], int, float]] = []
    for f, label in rows:
        items = [(index.setdefault(k, len(index)), v) for k, v in f.items() if v]
        sparse.append(([i for i, _ in items], [v for _, v in items], list(classes).index(label),
                       balance.get(label, 1.0)))
    names = list(index)
    reg = [penalty(k, l2, lexical_l2, gram_l2, sense_l2) for k in names]
    k_n, f_n, n = len(classes), len(names), len(rows)
    weights = [[0.0] * f_n for _ in classes]
    history = [[0.0] * f_n for _ in classes]
    for _ in range(epochs):
        grad = [[0.0] * f_n for _ in classes]
        for idx, vals, y, b in sparse:
            scores = [sum(w[i] * v for i, v in zip(idx, vals, strict=True)) for w in weights]
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            total = sum(exp)
            for c in range(k_n):
                err = b * (exp[c] / total - (1.0 if c == y else 0.0))
                if abs(err) < 1e-6:
                    continue
                g = grad[c]
                for i, v in zip(idx, vals, strict=True):
                    g[i] += err * v
        for c in range(k_n):
            w, h, g = weights[c], history[c], grad[c]
            for i in range(f_n):
                if g[i] == 0.0 and w[i] == 0.0:
                    continue
                step = g[i] / n + reg[i] * w[i]
                h[i] += step * step
                w[i] -= rate * step / (math.sqrt(h[i]) + 1e-8)
    return {c: {k: round(v, 4) for k, v in zip(names, weights[ci], strict=True) if abs(v) >= 1e-3}
            for ci, c in enumerate(classes)}


def predict(weights: Weights, f: Mapping[str, float]) -> str:
    return _decide(_softmax(_scores(weights, f)), f)


def read_rung(rung_weights: Weights, f: Mapping[str, float]) -> str:
    """The rung a model with these weights reads (as Judge does, from unfolded training features)."""
    return rung_of(_scores(rung_weights, f), f)
