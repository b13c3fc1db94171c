"""The learned coder at run time: per-code calibrated probabilities from a JSON weights file, pure Python.

A code is decided by the model only where the weights file says so (its kappa passed the adoption gate);
every other code keeps its cue rule. Neighbouring codes that rarely belong together keep the likelier one,
and a short answer gets at most as many codes as answers of its length had in the training data."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.agreement import MIN_ANSWERS, MIN_CASES
from core.coder_features import (
    VocabularySegmenter,
    en_bigrams,
    en_words,
    latin_words,
    word_grams,
    zh_run_grams,
    zh_runs,
    zh_vocabulary,
)

ACTIVE, CUES = "model", "cues"
THRESHOLD = 0.5  # a calibrated probability at or above this is a proposal (core.analysis.AUTO_THRESHOLD)
_CACHE_MAX = 200_000  # words and Chinese runs whose model features are remembered (cleared past this)


@dataclass(frozen=True)
class CodeGate:
    """Why a code is decided by the model or by its cues: kappas on held-out folds and on the lead's answers."""

    code: str
    active: str  # model | cues
    kappa_model: float | None
    kappa_cues: float | None
    kappa_lead_model: float | None = None
    kappa_lead_cues: float | None = None
    lead_cases: int = 0  # the lead's reviewed answers where either side applied the code
    positives: int = 0
    why: str = ""
    lead_answers: int = 0  # the lead's held-out reviewed answers the gate saw

    @property
    def decided_by_lead(self) -> bool:
        """Whether the lead's answers decided (as app.train_coder's gate: MIN_ANSWERS answers, MIN_CASES cases)."""
        return self.lead_answers >= MIN_ANSWERS and self.lead_cases >= MIN_CASES


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _opt(v: Any) -> float | None:
    return None if v is None else float(v)


class LearnedModel:
    """Weights as trained by app.train_coder (interview_scripts/coder.json or a model stored in the database)."""

    def __init__(self, data: Mapping[str, Any], known_codes: Iterable[str] | None = None):
        if data.get("version") != 1:
            raise ValueError(f"coder weights version {data.get('version')!r} is not 1: retrain with 'cna train coder'")
        known = set(known_codes) if known_codes is not None else None
        self.meta: Mapping[str, Any] = data.get("meta", {})
        self.id: str = str(self.meta.get("id", "unknown"))
        self.gates: dict[str, CodeGate] = {}
        self.platt: dict[str, tuple[float, float]] = {}
        for code, g in data["codes"].items():
            active = g.get("active", CUES)
            if active not in (ACTIVE, CUES):
                raise ValueError(f"code {code!r}: 'active' must be 'model' or 'cues', not {active!r}")
            if known is not None and code not in known:
                continue  # a code this codebook does not have (a lead's own codebook): never proposed
            self.gates[code] = CodeGate(code, active, _opt(g.get("kappa_model")), _opt(g.get("kappa_cues")),
                                        _opt(g.get("kappa_lead_model")), _opt(g.get("kappa_lead_cues")),
                                        int(g.get("lead_cases", 0)), int(g.get("positives", 0)),
                                        str(g.get("why", "")), int(g.get("lead_answers", 0)))
            if active == ACTIVE:
                self.platt[code] = (float(g["a"]), float(g["b"]))
        self.active = frozenset(self.platt)
        # Only the active codes' weights are kept: the rest would cost lookups for nothing.
        self.weights: dict[str, dict[str, float]] = {}
        for f, row in data["weights"].items():
            kept = {c: float(w) for c, w in row.items() if c in self.active}
            if kept:
                self.weights[f] = kept
        # For speed (`cna code` streams 10,000+ answers a second): one dense row per feature over the active
        # codes (summed with C-level `map`), the always-present bias and language rows folded into a start
        # vector per language, and per code the raw score a proposal needs (the sigmoid runs only past it).
        self.segment = VocabularySegmenter(zh_vocabulary(self.weights))  # run-time Chinese words
        self._codes = tuple(sorted(self.active))
        zero = [0.0] * len(self._codes)
        dense = {f: [row.get(c, 0.0) for c in self._codes] for f, row in self.weights.items()}
        self._start = {lang: [a + b for a, b in zip(dense.get("bias", zero), dense.get(f"lang:{lang}", zero),
                                                    strict=True)] for lang in ("en", "zh")}
        self._rows = {f: r for f, r in dense.items() if f != "bias" and not f.startswith("lang:")}
        logit = math.log(THRESHOLD / (1 - THRESHOLD))
        self._cut = tuple((logit - b) / a if a > 0 else -math.inf for a, b in (self.platt[c] for c in self._codes))
        self.cap: tuple[int, ...] = tuple(int(k) for k in data.get("cap", ())) or (99,)
        self.pairs: tuple[tuple[str, str], ...] = tuple((str(a), str(b)) for a, b in data.get("pairs", ()))
        self._known: dict[str, tuple[str, ...]] = {}  # a word or Chinese run -> its features the model has rows for

    def _of(self, piece: str, grams: list[str]) -> tuple[str, ...]:
        if len(self._known) > _CACHE_MAX:
            self._known.clear()
        got = self._known[piece] = tuple(g for g in grams if g in self._rows)
        return got

    def known_features(self, text: str, lang: str, cues: Iterable[str] = (), hints: Iterable[str] = ()) -> set[str]:
        """The answer's features that have weights (as core.coder_features.features makes them, minus the bias
        and language): a word's or a Chinese run's features are worked out once and remembered, since words
        repeat from answer to answer and building their character n-grams is most of the cost."""
        low = text.lower().replace("\u2019", "'")
        rows, known = self._rows, self._known
        out: set[str] = set()
        if lang == "zh":
            for run in zh_runs(low):
                got = known.get("z" + run)
                out.update(got if got is not None else self._of("z" + run, zh_run_grams(run, self.segment)))
            out.update(k for k in ("w:" + w for w in latin_words(low)) if k in rows)
        else:
            words = en_words(low)
            for w in words:
                got = known.get(w)
                out.update(got if got is not None else self._of(w, word_grams(w)))
            out.update(k for k in en_bigrams(words) if k in rows)
        out.update(k for k in ("cue:" + c for c in cues) if k in rows)
        out.update(k for k in ("hint:" + c for c in hints) if k in rows)
        return out

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """Calibrated probability per active code."""
        acc: dict[str, float] = {}
        for f, v in features.items():
            row = self.weights.get(f)
            if row is not None:
                for c, w in row.items():
                    acc[c] = acc.get(c, 0.0) + w * v
        return {c: _sigmoid(a * acc.get(c, 0.0) + b) for c, (a, b) in self.platt.items()}

    def proposals(self, features: Iterable[str], lang: str) -> dict[str, float]:
        """Calibrated probability of each active code that reaches THRESHOLD (features as core.coder_features
        makes them: binary, with 'bias' and 'lang:<lang>')."""
        # Only the features the model has rows for, summed column by column at C level (zip + sum): an answer
        # hits a dozen rows, and one pass over them beats a new list per row.
        hit = [r for r in map(self._rows.get, features) if r is not None]
        start = self._start["zh" if lang == "zh" else "en"]
        acc = list(map(sum, zip(start, *hit, strict=True))) if hit else start
        out = {}
        for i, s in enumerate(acc):
            if s >= self._cut[i]:
                c = self._codes[i]
                a, b = self.platt[c]
                p = _sigmoid(a * s + b)
                if p >= THRESHOLD:
                    out[c] = p
        return out

    def evidence(self, code: str, features: Iterable[str]) -> str:
        """The answer's n-gram that pushes hardest towards the code (shown as the 'cue' of a model proposal);
        ties go to the alphabetically first, so the answer does not depend on the features' order."""
        best, best_w = "", 0.0
        for f in features:
            if f[:2] in ("w:", "b:", "c:"):
                w = self.weights.get(f, {}).get(code, 0.0)
                if w > best_w or (w == best_w and w > 0 and f[2:] < best):
                    best, best_w = f[2:], w
        return best

    def cap_for(self, bucket: int) -> int:
        return self.cap[min(bucket, len(self.cap) - 1)]


def resolve(confidences: Mapping[str, float], pairs: Sequence[tuple[str, str]], cap: int,
            threshold: float = THRESHOLD) -> set[str]:
    """Codes to drop from the proposals: the less likely of a confusable pair, then those past the cap."""
    proposed = {c for c, p in confidences.items() if p >= threshold}
    dropped: set[str] = set()
    for a, b in pairs:
        if a in proposed and b in proposed and a not in dropped and b not in dropped:
            dropped.add(b if (confidences[a], b) >= (confidences[b], a) else a)
    kept = sorted(proposed - dropped, key=lambda c: (-confidences[c], c))
    dropped.update(kept[cap:])
    return dropped
