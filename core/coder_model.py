"""The learned coder at run time: per-code calibrated probabilities from a JSON weights file, pure Python.

A code is decided by the model only where the weights file says so (its kappa passed the adoption gate);
every other code keeps its cue rule. Neighbouring codes that rarely belong together keep the likelier one,
and a short answer gets at most as many codes as answers of its length had in the training data."""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.agreement import MIN_ANSWERS, MIN_CASES
from core.coder_tfidf import Analyzer, SenseClasses

ACTIVE, CUES = "model", "cues"
THRESHOLD = 0.5  # a calibrated probability at or above this is a proposal (core.analysis.AUTO_THRESHOLD)
# Words and Chinese runs whose sums are remembered (all forgotten past this). A Chinese run is rarely seen twice, so on
# a long stream of distinct answers (an export, `cna serve` for months) the pieces fill up to this bound and are
# cleared: about 2.5 KB each (the row as 8-byte floats, the n-grams as shared strings, the evidence found), so at
# most about 100 MB. Every train answer once makes 34,208 pieces, which fit.
_PIECES_MAX = 40_000
_GRAMS_MAX = 200_000  # n-grams whose weights are remembered: never more than the weights file's vocabulary
# A piece's n-grams the model knows (the weights file's own strings, shared), its row sums (block w, then c, then s,
# over the active codes), its squared values per block, and its best evidence for the codes some n-gram of it pushes
# towards (filled in as asked; the key "" marks it filled).
_Piece = tuple[tuple[str, ...], "array[float]", tuple[float, float, float], dict[str, tuple[float, str]]]
_NO_EVIDENCE = (0.0, "")
_BLOCK = {"w": 0, "c": 1, "s": 2}
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
    lead_positives: int = 0  # those of them the lead gave the code
    splits: int = 1  # splits into folds the kappas are means over (repeated k-fold)
    kappa_lead_range: tuple[float, float] | None = None  # the lead's kappa, lowest and highest over the splits
    # "ac1" where the lead gives the code to nearly every answer (app.coder_gate.HIGH_SHARE): Gwet's AC1 decided
    statistic: str = "kappa"
    ac1_lead_model: float | None = None
    ac1_lead_cues: float | None = None

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


def _range(v: Any) -> tuple[float, float] | None:
    return None if not v else (float(v[0]), float(v[1]))


class LearnedModel:
    """Weights as trained by app.train_coder (interview_scripts/coder.json or a model stored in the database).

    The file holds each n-gram's idf (every n-gram of the training vocabulary: the L2 norm counts them all),
    the Chinese lexicon, and per feature its weights as flat (index into 'weight_codes', weight) pairs; binary
    features ('cue:<lang>:<code>', 'hint:<lang>:<code>', 'lang:<lang>', 'bias') are used as they are.

    Weights trained with words' sense classes ('senses': their kinds and the block's scale) read them through
    `senses` (app.word_senses); without it (or without the thesauri installed) words simply have no classes and the
    n-grams alone decide."""

    def __init__(self, data: Mapping[str, Any], known_codes: Iterable[str] | None = None,
                 senses: SenseClasses | None = None):
        if data.get("version") != VERSION:
            raise ValueError(f"coder weights version {data.get('version')!r} is not {VERSION}: "
                             "retrain with 'cna train coder'")
        known = set(known_codes) if known_codes is not None else None
        self.meta: Mapping[str, Any] = data.get("meta", {})
        self.id: str = str(self.meta.get("id", "unknown"))
        self.gates: dict[str, CodeGate] = {}
        self.platt: dict[str, tuple[float, float]] = {}
        self.line: dict[str, float] = {}  # per code the calibrated probability from which it is proposed
        self.plain: dict[str, tuple[float, float]] = {}  # Platt's (a, b) for answers with no question's hints
        self.plain_line: dict[str, float] = {}
        for code, g in data["codes"].items():
            active = g.get("active", CUES)
            if active not in (ACTIVE, CUES):
                raise ValueError(f"code {code!r}: 'active' must be 'model' or 'cues', not {active!r}")
            if known is not None and code not in known:
                continue  # a code this codebook does not have (a lead's own codebook): never proposed
            self.gates[code] = CodeGate(code, active, _opt(g.get("kappa_model")), _opt(g.get("kappa_cues")),
                                        _opt(g.get("kappa_lead_model")), _opt(g.get("kappa_lead_cues")),
                                        int(g.get("lead_cases", 0)), int(g.get("positives", 0)),
                                        str(g.get("why", "")), int(g.get("lead_answers", 0)),
                                        int(g.get("lead_positives", 0)), int(g.get("splits", 1)),
                                        _range(g.get("kappa_lead_range")), str(g.get("statistic", "kappa")),
                                        _opt(g.get("ac1_lead_model")), _opt(g.get("ac1_lead_cues")))
            if active == ACTIVE:
                self.platt[code] = (float(g["a"]), float(g["b"]))
                self.line[code] = float(g.get("line", THRESHOLD))
                if "b_plain" in g:  # an answer with no question (no code hints): its own intercept and line
                    self.plain[code] = (float(g["a"]), float(g["b_plain"]))
                    self.plain_line[code] = float(g.get("line_plain", self.line[code]))
        self.active = frozenset(self.platt)
        self.idf: Mapping[str, float] = data["idf"]  # as parsed: every n-gram of the training vocabulary
        sense_cfg: Mapping[str, Any] = data.get("senses") or {}
        self.sense_kinds: tuple[str, ...] = tuple(sense_cfg.get("kinds", ()))
        self.sense_scale = float(sense_cfg.get("scale", 1.0))
        self.analyzer = Analyzer(data.get("lexicon", ()), senses, self.sense_kinds)
        # For speed (`cna code` streams 10,000+ answers a second, start-up included) nothing is unpacked up front:
        # a feature's dense row over the active codes is built from the file's flat pairs the first time a word
        # needs it (words are remembered), and only the bias, language, cue and hint rows are built here.
        self._codes = tuple(sorted(self.active))
        pos = {c: i for i, c in enumerate(self._codes)}
        self._col = [pos.get(str(c)) for c in data["weight_codes"]]
        self._flat: Mapping[str, Sequence[float]] = data["weights"]
        zero = [0.0] * len(self._codes)
        self._zero = zero
        self._start = {lang: [a + b for a, b in zip(self._row("bias") or zero, self._row(f"lang:{lang}") or zero,
                                                    strict=True)] for lang in ("en", "zh")}
        self._extra: dict[str, list[float] | None] = {}
        self._pieces: dict[str, _Piece] = {}
        # An n-gram's non-zero weights times its idf as (position in the piece's row, value): a weight file keeps
        # about 4 of 33 codes per n-gram, so a new word's sums add those alone (the zeros would add nothing).
        self._sparse: dict[str, tuple[tuple[int, float], ...]] = {}
        self._last: tuple[str, str, list[float]] | None = None  # the last answer's n-gram scores (clauses re-ask)
        # A piece's row: block w, then c, then (only where the thesauri give words sense classes) s.
        self._width = (3 if self.analyzer.senses is not None else 2) * len(self._codes)
        self._nil = array("d", [0.0] * self._width)  # the row of every piece with no weight at all (shared)
        self._cut = self._cuts(self.platt, self.line)
        self._cut_plain = self._cuts({**self.platt, **self.plain}, {**self.line, **self.plain_line})
        self.cap: tuple[int, ...] = tuple(int(k) for k in data.get("cap", ())) or (99,)
        self.pairs: tuple[tuple[str, str], ...] = tuple((str(a), str(b)) for a, b in data.get("pairs", ()))
        floor, cue_floor = data.get("hint_floor"), data.get("cue_floor")
        self.hint_floor: float | None = None if floor is None else float(floor)
        self.cue_floor: float | None = None if cue_floor is None else float(cue_floor)

    def _cuts(self, platt: Mapping[str, tuple[float, float]], line: Mapping[str, float]) -> tuple[float, ...]:
        """Per active code the raw score from which its calibrated probability reaches its proposal line."""
        return tuple((math.log(line[c] / (1 - line[c])) - platt[c][1]) / platt[c][0] if platt[c][0] > 0
                     else -math.inf for c in self._codes)

    def calibration(self, code: str, hints: Sequence[str]) -> tuple[float, float, float]:
        """(Platt's a, b, proposal line) of a code: those for answers with no question's hints where there are none
        and the weights have them, else those fitted on answers with their hints."""
        if not hints and code in self.plain:
            return (*self.plain[code], self.plain_line[code])
        return (*self.platt[code], self.line[code])

    def _row(self, f: str) -> list[float] | None:
        """A feature's weights over the active codes (None: it has none)."""
        flat = self._flat.get(f)
        if flat is None:
            return None
        row, col, hit = list(self._zero), self._col, False
        for j, w in zip(flat[::2], flat[1::2], strict=True):
            k = col[int(j)]
            if k is not None:
                row[k], hit = float(w), True
        return row if hit else None

    def weight(self, f: str, code: str) -> float:
        """One feature's weight for one active code (0 where it has none)."""
        row = self._row(f)
        return 0.0 if row is None or code not in self.active else row[self._codes.index(code)]

    def _gram_sparse(self, g: str) -> tuple[tuple[int, float], ...]:
        """An n-gram's non-zero weights over the active codes times its idf, as (code position, value) (remembered)."""
        got = self._sparse.get(g)
        if got is None:
            if len(self._sparse) > _GRAMS_MAX:
                self._sparse.clear()
            flat, col, got = self._flat.get(g), self._col, ()
            if flat is not None:  # as _row() reads the pairs (a code named twice: its last weight), zeros left out
                row: dict[int, float] = {}
                for j, w in zip(flat[::2], flat[1::2], strict=True):
                    k = col[int(j)]
                    if k is not None:
                        row[k] = float(w)
                idf = self.idf[g]
                got = tuple((k, w * idf) for k, w in sorted(row.items()) if w != 0.0)
            self._sparse[g] = got
        return got

    def _piece(self, key: str, grams: Iterable[str]) -> _Piece:
        """One word's (or Chinese run's, or other n-gram's) n-grams the model knows, with its rows summed (sublinear
        tf x idf) and its squared values per block: remembered, since words repeat (core.coder_tfidf.tfidf).

        Each column adds the same values in the same order as a sum of dense rows would (a zero adds nothing), so
        the sums are exactly those of core.coder_tfidf.tfidf's vector dotted with the weights, as before."""
        got = self._pieces.get(key)
        if got is None:
            if len(self._pieces) >= _PIECES_MAX:
                self._pieces.clear()
            idfs, sparse = self.idf, self._sparse
            counts = Counter([g for g in grams if g in idfs])
            k = len(self._codes)
            vec = [0.0] * self._width
            sq = [0.0, 0.0, 0.0]
            weighted = False
            for g, n in counts.items():
                block = _BLOCK[g[0]]
                off = block * k
                pairs = sparse.get(g)
                if pairs is None:
                    pairs = self._gram_sparse(g)
                weighted = weighted or bool(pairs)
                if n == 1:
                    sq[block] += (1.0 * idfs[g]) ** 2
                    for j, x in pairs:
                        vec[off + j] += x
                else:
                    t = 1.0 + math.log(n)
                    sq[block] += (t * idfs[g]) ** 2
                    for j, x in pairs:
                        vec[off + j] += t * x
            # Compact, since pieces pile up on distinct answers: the row as 8-byte floats (not float objects), the
            # n-grams as the one interned copy of each string (not the piece's own copies, nor a set).
            got = self._pieces[key] = (tuple(map(sys.intern, counts)), array("d", vec) if weighted else self._nil,
                                       (sq[0], sq[1], sq[2]), {})
        return got

    def _parts(self, text: str, lang: str) -> list[_Piece]:
        return [p for _, p in self._keyed_parts(text, lang)]

    def _keyed_parts(self, text: str, lang: str) -> list[tuple[str, _Piece]]:
        """(word or Chinese run, or other n-gram; its piece) for each piece of the answer."""
        zh = lang == "zh"
        words, other = self.analyzer.split(text, lang)
        grams, known, idf = self.analyzer.make_grams, self._pieces, self.idf  # a piece's sums are remembered
        tag = "z" if zh else "e"
        out = []
        for w in words:
            p = known.get(tag + w)  # a word seen before: its n-grams need not be made again
            out.append((w, p if p is not None else self._piece(tag + w, grams(w, zh))))
        for g in other:
            if g in idf:
                p = known.get("o" + g)
                out.append((g, p if p is not None else self._piece("o" + g, (g,))))
        return out

    def _combine(self, parts: list[_Piece], lang: str) -> list[float]:
        """The n-gram part of the score: the pieces' row sums and squares added, each block normalised."""
        if not parts:
            return self._start[lang]
        v: Sequence[float]
        if len(parts) == 1:
            _, v, (qw, qc, qs), _ = parts[0]
        else:
            # Pieces without any weight add only zeros to each column's sum: leaving them out changes no sum.
            rows = [p[1] for p in parts if p[1] is not self._nil]
            v = list(map(sum, zip(*rows, strict=True))) if rows else self._nil
            qw, qc, qs = (sum(p[2][b] for p in parts) for b in range(3))
        iw = 1.0 / math.sqrt(qw) if qw > 0 else 0.0
        ic = 1.0 / math.sqrt(qc) if qc > 0 else 0.0
        k = len(self._codes)
        if qs <= 0:  # no sense classes (or weights without them): the two n-gram blocks
            return [a + x * iw + y * ic for a, x, y in zip(self._start[lang], v[:k], v[k:2 * k], strict=True)]
        i_s = self.sense_scale / math.sqrt(qs)
        return [a + x * iw + y * ic + z * i_s
                for a, x, y, z in zip(self._start[lang], v[:k], v[k:2 * k], v[2 * k:], strict=True)]

    def scores(self, text: str, lang: str, cues: Iterable[str] = (), hints: Iterable[str] = ()) -> list[float]:
        """Raw score per active code (in the order of sorted codes): TF-IDF n-grams, cue hits and code hints.

        Exactly core.coder_tfidf.tfidf's values dotted with the weights, computed from remembered per-word sums."""
        lang = "zh" if lang == "zh" else "en"
        last = self._last
        if last is not None and last[0] == text and last[1] == lang:  # the same answer again, other cues (clauses)
            acc = last[2]
        else:
            acc = self._combine(self._parts(text, lang), lang)
            self._last = (text, lang, acc)
        extra = self._floored(f"cue:{lang}:", tuple(cues), self.cue_floor)
        if hints:
            extra.extend(self._floored(f"hint:{lang}:", tuple(hints), self.hint_floor))
        if extra:
            acc = list(map(sum, zip(acc, *extra, strict=True)))
        return acc

    def _floored(self, prefix: str, named: tuple[str, ...], floor: float | None) -> list[list[float]]:
        """The question's code hints (or the cue hits): each one's row, or with a floor each code's own plus the
        other codes' summed and floored at -floor (a question about other things, or another code's cue, never
        buries a plain statement)."""
        rows = [r for r in map(self._extra_row, [prefix + c for c in named]) if r is not None]
        if floor is None or not rows:
            return rows
        total = list(map(sum, zip(*rows, strict=True)))
        own = [self._extra_row(prefix + c) if c in named else None for c in self._codes]
        out = []
        for k, t in enumerate(total):
            mine = own[k][k] if own[k] is not None else 0.0  # type: ignore[index]
            out.append(mine + max(t - mine, -floor))
        return [out]

    def _extra_row(self, f: str) -> list[float] | None:
        if f not in self._extra:
            self._extra[f] = self._row(f)
        return self._extra[f]

    def probabilities(self, text: str, lang: str, cues: Iterable[str] = (), hints: Iterable[str] = ()
                      ) -> dict[str, float]:
        """Calibrated probability per active code (before the proposal line's map: see confidence())."""
        hints = tuple(hints)
        s = self.scores(text, lang, cues, hints)
        out = {}
        for c, x in zip(self._codes, s, strict=True):
            a, b, _ = self.calibration(c, hints)
            out[c] = _sigmoid(a * x + b)
        return out

    def proposals(self, text: str, lang: str, cues: Iterable[str] = (), hints: Iterable[str] = ()
                  ) -> dict[str, float]:
        """The confidence (see confidence()) of each active code whose probability reaches its proposal line."""
        out = {}
        hints = tuple(hints)
        scores = self.scores(text, lang, cues, hints)
        cuts = self._cut if hints else self._cut_plain
        for i in [i for i, (s, cut) in enumerate(zip(scores, cuts, strict=True)) if s >= cut]:
            c = self._codes[i]
            a, b, line = self.calibration(c, hints)
            v = confidence(_sigmoid(a * scores[i] + b), line)
            if v >= THRESHOLD:
                out[c] = v
        return out

    def evidence(self, code: str, text: str, lang: str) -> str:
        """The answer's n-gram that pushes hardest towards the code (shown as the 'cue' of a model proposal);
        a character n-gram or a sense class counts half (a word is better evidence to show; a class is shown as its
        word); ties go to the alphabetically first. Each word's best n-gram per code is remembered with the word."""
        if code not in self.active:
            return ""
        lang = "zh" if lang == "zh" else "en"
        best: tuple[float, str] = (0.0, "")
        for key, p in self._keyed_parts(text, lang):
            if not p[3]:
                self._strongest(p, key, lang)
            best = min(best, p[3].get(code, _NO_EVIDENCE))
        return best[1] if best[0] < 0 else ""

    def _strongest(self, p: _Piece, key: str, lang: str) -> None:
        """Fill a piece's best evidence for every code at once: (-strength, shown) of its n-gram that pushes hardest
        towards the code, ties to the alphabetically first; a code no n-gram pushes towards is left out (read as
        (0.0, ""): only a negative first value is ever shown, so n-grams of zero or negative strength need not be
        looked at)."""
        codes, best = self._codes, p[3]
        found: dict[int, tuple[float, str]] = {}
        for f in p[0]:
            pairs = self._gram_sparse(f)
            if not pairs:
                continue
            half = f[0] != "w"
            shown: str | None = None
            for k, x in pairs:
                s = x * (0.5 if half else 1.0)
                if s > 0:
                    if shown is None:
                        shown = sys.intern(self._shown(f, key, lang))  # one copy however many pieces show it
                    cand = (-s, shown)
                    old = found.get(k)
                    if old is None or cand < old:
                        found[k] = cand
        for k, cand in found.items():
            best[codes[k]] = cand
        best[""] = _NO_EVIDENCE  # filled (no code is named "")

    def _shown(self, f: str, key: str, lang: str) -> str:
        """An n-gram as evidence: its text; a sense class: the word of the answer that has it."""
        return self.analyzer.sense_word(key, lang == "zh", f) if f[0] == "s" else f[2:].strip()

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
