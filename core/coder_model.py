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
from core.coder_tfidf import BLOCKS, Analyzer

ACTIVE, CUES = "model", "cues"
THRESHOLD = 0.5  # a calibrated probability at or above this is a proposal (core.analysis.AUTO_THRESHOLD)
VERSION = 2  # 2: TF-IDF n-grams (idf and the Chinese lexicon in the file); 1 was binary features


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


def confidence(p: float, line: float) -> float:
    """A calibrated probability as the confidence shown and stored: its code's proposal line (chosen for F1 on
    held-out folds) moved to THRESHOLD by a piecewise-linear map, so "proposed from 0.5" holds for every code
    while the order of answers by confidence stays the order by probability."""
    if line == THRESHOLD:
        return p
    if p < line:
        return THRESHOLD * p / line
    return THRESHOLD + (1 - THRESHOLD) * (p - line) / (1 - line)


def _opt(v: Any) -> float | None:
    return None if v is None else float(v)


class LearnedModel:
    """Weights as trained by app.train_coder (interview_scripts/coder.json or a model stored in the database).

    The file holds each n-gram's idf (every n-gram of the training vocabulary: the L2 norm counts them all), the
    Chinese lexicon, and per feature its weights as flat (index into 'weight_codes', weight) pairs; binary features ('cue:<lang>:<code>',
    'hint:<lang>:<code>', 'lang:<lang>', 'bias') are used as they are."""

    def __init__(self, data: Mapping[str, Any], known_codes: Iterable[str] | None = None):
        if data.get("version") != VERSION:
            raise ValueError(f"coder weights version {data.get('version')!r} is not {VERSION}: "
                             "retrain with 'cna train coder'")
        known = set(known_codes) if known_codes is not None else None
        self.meta: Mapping[str, Any] = data.get("meta", {})
        self.id: str = str(self.meta.get("id", "unknown"))
        self.gates: dict[str, CodeGate] = {}
        self.platt: dict[str, tuple[float, float]] = {}
        self.line: dict[str, float] = {}  # per code the calibrated probability from which it is proposed
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
                self.line[code] = float(g.get("line", THRESHOLD))
        self.active = frozenset(self.platt)
        # Only the active codes' weights are kept: the rest would cost lookups for nothing.
        self.weights: dict[str, dict[str, float]] = {}
        order = [str(c) for c in data["weight_codes"]]
        for f, flat in data["weights"].items():
            kept = {order[int(j)]: float(w) for j, w in zip(flat[::2], flat[1::2], strict=True)
                    if order[int(j)] in self.active}
            if kept:
                self.weights[f] = kept
        self.idf: dict[str, float] = {str(f): float(v) for f, v in data["idf"].items()}
        self.analyzer = Analyzer(data.get("lexicon", ()))
        # For speed (`cna code` streams 10,000+ answers a second): per n-gram one entry (block, idf, its weight
        # row over the active codes times its idf, or None), so an answer costs one lookup per n-gram and the
        # rows of its n-grams are summed column by column at C level; the bias and language rows are folded into
        # a start vector per language; per code the raw score a proposal needs (the sigmoid runs only past it).
        self._codes = tuple(sorted(self.active))
        zero = [0.0] * len(self._codes)
        dense = {f: [row.get(c, 0.0) for c in self._codes] for f, row in self.weights.items()}
        self._grams: dict[str, tuple[int, float, list[float] | None]] = {}
        for f, v in self.idf.items():
            r = dense.get(f)
            self._grams[f] = (BLOCKS.index(f[0]), v, None if r is None else [w * v for w in r])
        self._start = {lang: [a + b for a, b in zip(dense.get("bias", zero), dense.get(f"lang:{lang}", zero),
                                                    strict=True)] for lang in ("en", "zh")}
        self._extra = {f: r for f, r in dense.items() if f.startswith(("cue:", "hint:"))}
        self._cut = tuple((math.log(self.line[c] / (1 - self.line[c])) - self.platt[c][1]) / self.platt[c][0]
                          if self.platt[c][0] > 0 else -math.inf for c in self._codes)
        self.cap: tuple[int, ...] = tuple(int(k) for k in data.get("cap", ())) or (99,)
        self.pairs: tuple[tuple[str, str], ...] = tuple((str(a), str(b)) for a, b in data.get("pairs", ()))

    def scores(self, text: str, lang: str, cues: Iterable[str] = (), hints: Iterable[str] = ()) -> list[float]:
        """Raw score per active code (in the order of sorted codes): TF-IDF n-grams, cue hits and code hints."""
        lang = "zh" if lang == "zh" else "en"
        grams = self._grams
        sq = [0.0, 0.0]
        rows: tuple[list[list[float]], list[list[float]]] = ([], [])
        for f, n in self.analyzer(text, lang).items():
            e = grams.get(f)
            if e is None:
                continue
            block, idf, row = e
            if n == 1:
                sq[block] += idf * idf
                if row is not None:
                    rows[block].append(row)
            else:  # sublinear tf: 1 + ln(n)
                t = 1.0 + math.log(n)
                sq[block] += (t * idf) ** 2
                if row is not None:
                    rows[block].append([w * t for w in row])
        acc = self._start[lang]
        for block in (0, 1):
            if rows[block]:
                inv = 1.0 / math.sqrt(sq[block])
                acc = [s + x * inv for s, x in zip(acc, map(sum, zip(*rows[block], strict=True)), strict=True)]
        extra = [r for r in map(self._extra.get, [f"cue:{lang}:{c}" for c in cues]
                                + [f"hint:{lang}:{c}" for c in hints]) if r is not None]
        if extra:
            acc = list(map(sum, zip(acc, *extra, strict=True)))
        return acc

    def probabilities(self, text: str, lang: str, cues: Iterable[str] = (), hints: Iterable[str] = ()
                      ) -> dict[str, float]:
        """Calibrated probability per active code (before the proposal line's map: see confidence())."""
        s = self.scores(text, lang, cues, hints)
        return {c: _sigmoid(self.platt[c][0] * x + self.platt[c][1]) for c, x in zip(self._codes, s, strict=True)}

    def proposals(self, text: str, lang: str, cues: Iterable[str] = (), hints: Iterable[str] = ()
                  ) -> dict[str, float]:
        """The confidence (see confidence()) of each active code whose probability reaches its proposal line."""
        out = {}
        for i, s in enumerate(self.scores(text, lang, cues, hints)):
            if s >= self._cut[i]:
                c = self._codes[i]
                a, b = self.platt[c]
                v = confidence(_sigmoid(a * s + b), self.line[c])
                if v >= THRESHOLD:
                    out[c] = v
        return out

    def evidence(self, code: str, text: str, lang: str) -> str:
        """The answer's n-gram that pushes hardest towards the code (shown as the 'cue' of a model proposal):
        among whole words first (readable), else any n-gram; ties go to the alphabetically first."""
        best, best_w = "", 0.0
        for f in sorted(self.analyzer(text, "zh" if lang == "zh" else "en")):
            w = self.weights.get(f, {}).get(code, 0.0) * self.idf.get(f, 0.0)
            if f[0] == "c":
                w *= 0.5  # a character n-gram is weaker evidence to show than a word
            if w > best_w:
                best, best_w = f[2:].strip(), w
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
