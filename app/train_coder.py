"""Train the learned coder on the shipped coder corpus (and the lead's codings), gate each code by kappa, score it."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app import coder_learn, word_senses
from app.coder_gate import GATE_KAPPA, MIN_LEAD_ANSWERS, MIN_LEAD_CASES  # noqa: F401 (re-exported)
from app.coder_gate import gate as _gate
from app.coder_gate import kappa as _kappa
from app.coder_learn import C_GRID, fit, fold_idf, hint_prior, rows
from app.coder_rules import code_cap, confusable_pairs, merge_round_copies, proposal_line, round_copies
from app.corpus_records import read_records
from core.coder_fit import folds, micro_f1, platt, platt_shift, sigmoid
from core.coder_model import ACTIVE, CUES, THRESHOLD, VERSION, LearnedModel, confidence, resolve
from core.coder_tfidf import Analyzer, Pieces, SenseClasses, idf_of, length_bucket, zh_runs
from core.coding import Coder
from core.script import Script
from interview_scripts import CODER, CODER_CORPUS

CORPUS_DIR = CODER_CORPUS
WEIGHTS_PATH = CODER
OLD_SET = Path(__file__).resolve().parent.parent / "tests" / "data"  # the cue author's set: training only
FEEDBACK_WEIGHT = 3.0  # a lead's decision on a real answer of this round outweighs a written example
MIN_POSITIVES = 6  # fewer answers with the code than this: no model, the cue rule stays
PRUNE = 1.0  # n-gram weights with |weight x idf| below this are dropped from the file (they move no score visibly)
K_FOLDS = 5
SHARED_BY = 1  # an n-gram gets a weight only if this many corpus batches (writers) use it (1: every n-gram)
FOLDS = "random"  # held-out folds: "random" (K_FOLDS) or "writers" (one per corpus batch: answer_folds)
# Answers coded with no question (`cna code`, a pasted answer) have no code hints, which every corpus answer has:
# HINT_DROPOUT of the corpus answers (fixed by id) are trained on without their hints, so the words must carry the
# code; PLAIN_CALIBRATION gives each code an intercept and proposal line of its own for answers with no hints,
# fitted on the held-out scores of every answer with its hints removed (issue 19: docs/coding.md).
HINT_DROPOUT = 0.0
PLAIN_CALIBRATION = True
FOLD_SEED = 11  # the first split into folds (core.coder_fit.folds' default); repeats use FOLD_SEED + 1, + 2, ...
# Splits into folds the gate's kappa is averaged over where the lead's answers decide (repeated k-fold): each adds
# one cross-validation's fits to a retraining.
GATE_REPEATS = 3


@dataclass(frozen=True)
class Labelled:
    """One answer with the codes a person gave it, and the question's code hints."""

    id: str
    lang: str
    text: str
    codes: frozenset[str]
    hints: tuple[str, ...] = ()
    lead: bool = False  # a lead's decision from the database, not a corpus answer


def _hints(scripts: Mapping[tuple[str, str], Script], script: str | None, lang: str,
           qid: str | None) -> tuple[str, ...]:
    s = scripts.get((script or "", lang))
    if s is None or not qid:
        return ()
    try:
        return tuple(s.question(qid).codes)
    except KeyError:
        return ()


def load_corpus(paths: Iterable[Path], scripts: Mapping[tuple[str, str], Script],
                known: Iterable[str]) -> list[Labelled]:
    """Answers from JSON-lines files; a bad line raises ValueError naming the file, the line and the fix."""
    codes_known = set(known)

    def labelled(path: Path, n: int, r: dict[str, Any]) -> Labelled:
        lang = r.get("lang") or ("zh" if ".zh." in path.name else "en")
        if lang not in ("en", "zh"):
            raise ValueError(f'"lang" must be "en" or "zh", not {lang!r}')
        unknown = set(r["codes"]) - codes_known
        if unknown:
            raise ValueError(f"codes not in the codebook: {', '.join(sorted(unknown))}")
        hints = _hints(scripts, r.get("script"), lang, r.get("question_id"))
        return Labelled(str(r.get("id") or f"{path.stem}-{n}"), lang, str(r["text"]), frozenset(r["codes"]), hints)

    return read_records(paths, labelled, ' (one JSON object per line with "text" and "codes")')


def corpus_files(split: str) -> list[Path]:
    """A split's answer files, one per language (train.en.jsonl; not heldout.en.coder2.jsonl, a second coding)."""
    return sorted(CORPUS_DIR.glob(f"{split}.??.jsonl"))


def old_set_files() -> list[Path]:
    return sorted(OLD_SET.glob("codebook_eval.*.jsonl"))


def zh_lexicon(answers: Iterable[Labelled], segment: Any) -> list[str]:
    """jieba's words of two characters or more found in at least two Chinese training answers: the lexicon the
    model segments with, in training and at run time alike (forward maximum matching, no jieba at run time)."""
    if segment is None:
        return []
    df: Counter[str] = Counter()
    for a in answers:
        if a.lang == "zh":
            df.update({w for run in zh_runs(a.text.lower()) for w in segment(run) if len(w) >= 2})
    return sorted(w for w, k in df.items() if k >= 2)


class Featurizer:
    """Each answer's n-gram counts, its binary extras (language, cue hits, code hints) and the cue rule's
    confidences, memoised (folds and benches reuse them)."""

    def __init__(self, cues: Coder, lexicon: Iterable[str] = (), senses: SenseClasses | None = None,
                 kinds: Iterable[str] = ()):
        self.cues, self.analyzer = cues, Analyzer(lexicon, senses, kinds)
        self._memo: dict[tuple[str, str, tuple[str, ...]], tuple[Pieces, dict[str, float], dict[str, float]]] = {}

    def __call__(self, ans: Labelled) -> tuple[Pieces, dict[str, float], dict[str, float]]:
        """(n-gram counts piece by piece, extras, cue confidence per code)."""
        key = (ans.text, ans.lang, ans.hints)
        got = self._memo.get(key)
        if got is None:
            conf = {h.code_id: h.confidence for h in self.cues.cue_hits(ans.text, ans.lang)}
            extra = {f"lang:{ans.lang}": 1.0, **{f"cue:{ans.lang}:{c}": 1.0 for c in conf},
                     **{f"hint:{ans.lang}:{c}": 1.0 for c in ans.hints}}
            got = self._memo[key] = (self.analyzer(ans.text, ans.lang), extra, conf)
        return got


def _oof(counts: Sequence[Pieces], design: Any, gold: Sequence[frozenset[str]], codes: Sequence[str],
         weight: Sequence[float], fold_sets: Sequence[list[int]], c: float,
         plain: list[list[float]] | None = None) -> list[list[float]]:
    """Raw scores of every answer from a model that did not train on it (idf from the training folds too); into
    `plain` the same answers' scores without their question's hints (an answer coded with no question)."""
    raw: list[list[float]] = [[] for _ in counts]
    n = len(counts)
    if plain is not None:
        plain[:] = [[] for _ in counts]
    for held in fold_sets:
        hs = set(held)
        tr = [i for i in range(n) if i not in hs]
        idf = fold_idf(counts, tr)  # one idf per fold: design() then builds its rows once for both uses
        x = design(idf, drop=True)
        m = fit([x[i] for i in tr], [gold[i] for i in tr], codes, [weight[i] for i in tr], c)
        x = design(idf)
        for i, r in zip(held, m.decisions([x[i] for i in held]), strict=True):
            raw[i] = r
        if plain is not None:
            for i, r in zip(held, m.decisions([without_hints(x[i]) for i in held]), strict=True):
                plain[i] = r
    return raw


def without_hints(r: Mapping[str, float]) -> dict[str, float]:
    """An answer's features without its question's code hints (also a lead round's copies of them)."""
    return {f: v for f, v in r.items() if not (f.startswith("hint:") or f.startswith("L|hint:"))}


def _dropped(a: Labelled) -> bool:
    """Whether a corpus answer is trained on without its question (HINT_DROPOUT of them, fixed by its id)."""
    draw = int(hashlib.sha1(a.id.encode()).hexdigest()[:8], 16) / 2**32
    return not a.lead and draw < HINT_DROPOUT


def batch_of(a: Labelled) -> str:
    """The corpus batch (one writer's, or one pair's) an answer comes from: its id's prefix (ctr, ctr2, ...)."""
    return a.id.split("-")[0]


def answer_folds(answers: Sequence[Labelled], k: int, seed: int = 11) -> list[list[int]]:
    """Held-out folds: k random ones, or with FOLDS "writers" one per corpus batch (the lead's answers dealt
    round the batches), so calibration, proposal lines and the gate see scores of writers the model never saw.
    `seed`: another split of the same answers (the gate's repeated folds)."""
    groups = sorted({batch_of(a) for a in answers if not a.lead})
    if FOLDS != "writers" or len(groups) < 3:
        return _deal_lead(folds(len(answers), k, seed), answers, None if seed == FOLD_SEED else seed)
    out: list[list[int]] = [[] for _ in groups]
    pos = {g: n for n, g in enumerate(groups)}
    dealt = 0
    for i, a in enumerate(answers):
        if a.lead:
            out[dealt % len(groups)].append(i)
            dealt += 1
        else:
            out[pos[batch_of(a)]].append(i)
    return out


def _deal_lead(fold_sets: list[list[int]], answers: Sequence[Labelled], seed: int | None = None
               ) -> list[list[int]]:
    """The folds with the lead's answers dealt round them, stratified: their rarest code's answers first, so each
    fold holds its share of each code's few positives (the gate's kappa and the lead's intercept are fitted on the
    other folds: a fold with none of a code's positives would leave one fit without them). The corpus answers keep
    their folds. With a `seed` (another split, for the gate's repeated folds) the answers of one rarest code are
    dealt in a shuffled order from a shuffled fold, still stratified."""
    idx = [i for i, a in enumerate(answers) if a.lead]
    if not idx:
        return fold_sets
    freq = Counter(c for i in idx for c in answers[i].codes)
    rng = random.Random(seed)
    draw = {i: (rng.random() if seed is not None else float(i)) for i in idx}
    idx.sort(key=lambda i: (min((freq[c] for c in answers[i].codes), default=len(idx) + 1),
                            min(answers[i].codes, default=""), draw[i]))
    lead = set(idx)
    out = [[i for i in held if i not in lead] for held in fold_sets]
    start = rng.randrange(len(out)) if seed is not None else 0
    for n, i in enumerate(idx):
        out[(start + n) % len(out)].append(i)
    return out


def _shared_ngrams(answers: Sequence[Labelled], counts: Sequence[Pieces]) -> set[str] | None:
    """With SHARED_BY above 1, the n-grams used by at least that many corpus batches (writers; the lead's answers
    one more): the model learns no weight for one writer's own phrasing. None: every n-gram."""
    if SHARED_BY <= 1:
        return None
    seen: dict[str, set[str]] = {}
    for a, c in zip(answers, counts, strict=True):
        b = "lead" if a.lead else batch_of(a)
        for piece in c:
            for f in piece:
                seen.setdefault(f, set()).add(b)
    return {f for f, bs in seen.items() if len(bs) >= SHARED_BY}


def _only(r: dict[str, float], shared: set[str] | None) -> dict[str, float]:
    if coder_learn.SENSE_ROUND_ONLY:  # the sense block is learned from the round's copies alone
        r = {f: v for f, v in r.items() if f[0] != "s"}
    return r if shared is None else {f: v for f, v in r.items() if f[0] not in "wcs" or f in shared}


def _lead_row(r: dict[str, float], shared: set[str] | None) -> dict[str, float]:
    """A lead's answer's features: the shared part and the round's own copies ('L|...'); with SENSE_ROUND_ONLY
    its sense classes in the round's copies only."""
    out = round_copies(r, shared)
    return {f: v for f, v in out.items() if f[0] != "s"} if coder_learn.SENSE_ROUND_ONLY else out


def _prior(raw: list[list[float]], answers: Sequence[Labelled], codes: Sequence[str]
           ) -> tuple[list[list[float]], list[dict[str, float]]]:
    """With HINTS "prior", held-out scores plus each code's own-hint offset (and the offsets); else as they are."""
    if coder_learn.HINTS != "prior":
        return raw, []
    hinted = [[c in a.hints for c in codes] for a in answers]
    offs = hint_prior(raw, hinted, [a.lang for a in answers], [[c in a.codes for c in codes] for a in answers])
    return [[s + offs[j][a.lang] * h for j, (s, h) in enumerate(zip(r, hs, strict=True))]
            for r, hs, a in zip(raw, hinted, answers, strict=True)], offs


def _held_out(raw: Sequence[float], gold: Sequence[bool], fold_of: Sequence[int], k_folds: int,
              lead: Sequence[bool]) -> tuple[float, float, float, float, list[float]]:
    """One code's calibration from held-out scores, and the confidences the gate judges: (Platt's a, the corpus's
    b, the final b (the lead's own intercept with MIN_LEAD_ANSWERS of theirs), the proposal line, the cross-fitted
    confidence of every answer)."""
    lead_idx = [i for i, is_lead in enumerate(lead) if is_lead]
    # One slope over every held-out answer (a full refit on a few dozen lead answers flips slopes), and with
    # enough of the lead's answers their own intercept: what a score means in this round. For the gate the
    # intercept is cross-fitted (each fold's lead answers scored with one fitted on the other folds), so the
    # gate never sees probabilities tuned on the answers it judges.
    a_, b_ = platt(raw, gold)
    b_fold = dict.fromkeys(range(k_folds), b_)
    b_final = b_
    if len(lead_idx) >= MIN_LEAD_ANSWERS:
        lr, lg = [raw[i] for i in lead_idx], [gold[i] for i in lead_idx]
        for k in range(k_folds):
            keep = [n for n, i in enumerate(lead_idx) if fold_of[i] != k]
            b_fold[k] = platt_shift([lr[n] for n in keep], [lg[n] for n in keep], a_, b_)
        b_final = platt_shift(lr, lg, a_, b_)
    cal = [sigmoid(a_ * r + (b_fold[fold_of[i]] if lead[i] else b_)) for i, r in enumerate(raw)]
    # Each code's proposal line: for the final model from all held-out answers; for the gate cross-fitted
    # (a fold's answers judged with a line chosen on the other folds), so the gate never sees a tuned line.
    line = proposal_line(cal, gold)
    line_fold = [proposal_line([p for p, k in zip(cal, fold_of, strict=True) if k != f],
                               [y for y, k in zip(gold, fold_of, strict=True) if k != f]) for f in range(k_folds)]
    return a_, b_, b_final, line, [confidence(p, line_fold[fold_of[i]]) for i, p in enumerate(cal)]


def _calibrated_f1(raw: Sequence[Sequence[float]], gold: Sequence[frozenset[str]], codes: Sequence[str]) -> float:
    """Micro-F1 at THRESHOLD of Platt-calibrated held-out scores: what choosing C by cross-validation maximises."""
    pred: list[set[str]] = [set() for _ in raw]
    for j, c in enumerate(codes):
        a, b = platt([r[j] for r in raw], [c in g for g in gold])
        for i, r in enumerate(raw):
            if sigmoid(a * r[j] + b) >= THRESHOLD:
                pred[i].add(c)
    return micro_f1(pred, [set(g) for g in gold])["f1"]


def train(answers: Sequence[Labelled], cues: Coder, segment: Any = None, *, c: float | None = None,
          only: Iterable[str] | None = None, k_folds: int = K_FOLDS, keep_inactive: bool = False,
          prune: float = PRUNE, senses: Sequence[str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(weights data for core.coder_model.LearnedModel, held-out-fold report). `segment`: jieba's words, for the
    Chinese lexicon; `c`: the regularisation (None: the best of C_GRID on held-out folds); `keep_inactive` also
    keeps the weights of codes the gate left to their cues (for benches that try the model without the gate);
    `senses`: the sense-class kinds read (None: app.coder_learn.SENSE_KINDS)."""
    lexicon = zh_lexicon([a for a in answers if not a.lead], segment)
    kinds = tuple(senses) if senses is not None else coder_learn.SENSE_KINDS
    thesauri = word_senses.senses() if kinds else None
    feat = Featurizer(cues, lexicon, thesauri, kinds)
    fc = [feat(a) for a in answers]
    counts = [f[0] for f in fc]
    known = {c.id for c in cues.codebook.codes}
    count = Counter(c for a in answers for c in a.codes)
    wanted = set(only) if only is not None else known
    codes = sorted(cd for cd in wanted & known if count[cd] >= MIN_POSITIVES)
    gold_sets = [a.codes for a in answers]
    weight = [FEEDBACK_WEIGHT if a.lead else 1.0 for a in answers]

    shared = _shared_ngrams(answers, counts)

    built: list[tuple[Mapping[str, float], list[dict[str, float]]]] = []  # the last idf's rows (TF-IDF is most of
    # a fold's time: the fit's and the scoring's rows are the same but for the dropped hints)

    def design(idf: Mapping[str, float], drop: bool = False) -> list[dict[str, float]]:
        """Feature rows; with `drop`, for fitting, HINT_DROPOUT of the corpus answers without their hints."""
        if built and built[0][0] is idf:
            out = built[0][1]
        else:
            x = rows(counts, [f[1] for f in fc], idf)
            # Normalised over every n-gram (as at run time), weighted on the shared ones only; the lead's round
            # copies keep all theirs (what this round's words mean).
            out = [_lead_row(r, shared) if a.lead else _only(r, shared) for a, r in zip(answers, x, strict=True)]
            built[:] = [(idf, out)]
        return [without_hints(r) if drop and _dropped(a) else r for a, r in zip(answers, out, strict=True)]

    fold_sets = answer_folds(answers, k_folds)
    k_folds = len(fold_sets)
    fold_of = [0] * len(answers)
    for k, held in enumerate(fold_sets):
        for i in held:
            fold_of[i] = k
    tried: dict[float, float] = {}
    raw: list[list[float]] = []
    reg = C_GRID[0]
    prior: list[dict[str, float]] = []
    plain: list[list[float]] = []
    for cand in ((c,) if c is not None else C_GRID):
        p: list[list[float]] = []
        r, offs = _prior(_oof(counts, design, gold_sets, codes, weight, fold_sets, cand, p), answers, codes)
        tried[cand] = _calibrated_f1(r, gold_sets, codes)
        if tried[cand] >= max(tried.values()):
            raw, reg, prior, plain = r, cand, offs, p
    report_codes: dict[str, Any] = {}
    oof_prob: list[dict[str, float]] = [{} for _ in answers]
    lead = [a.lead for a in answers]
    lead_idx = [i for i, is_lead in enumerate(lead) if is_lead]
    # The gate's evidence from more splits into folds (repeated k-fold), where the lead's answers decide: with a
    # hundred of them one split's kappa differs from the next's by 0.1-0.15. The corpus's kappa, over thousands of
    # answers, does not swing, so a training without the lead's answers fits one split only.
    others: list[tuple[list[list[float]], list[int]]] = []
    if len(lead_idx) >= MIN_LEAD_ANSWERS and FOLDS == "random":
        for rep in range(1, GATE_REPEATS):
            sets = answer_folds(answers, k_folds, seed=FOLD_SEED + rep)
            r_rep, _ = _prior(_oof(counts, design, gold_sets, codes, weight, sets, reg), answers, codes)
            of = [0] * len(answers)
            for k, held in enumerate(sets):
                for i in held:
                    of[i] = k
            others.append((r_rep, of))
    for j, c in enumerate(codes):
        gold = [c in a.codes for a in answers]
        a_, b_, b_final, line, probs = _held_out([r[j] for r in raw], gold, fold_of, k_folds, lead)
        for i, v in enumerate(probs):
            oof_prob[i][c] = v
        repeats = [_held_out([r[j] for r in r_rep], gold, of, k_folds, lead)[4] for r_rep, of in others]
        g = _gate(c, probs, [f[2].get(c, 0.0) for f in fc], gold, lead, count[c], k_folds, repeats)
        report_codes[c] = {"a": round(a_, 4), "b": round(b_final, 4), "b_corpus": round(b_, 4), "line": line, **g}
        if PLAIN_CALIBRATION and plain:  # an answer with no question: its own intercept and line (same slope)
            b_p = platt_shift([r[j] for r in plain], gold, a_, b_)
            report_codes[c]["b_plain"] = round(b_p + b_final - b_, 4)
            report_codes[c]["line_plain"] = proposal_line([sigmoid(a_ * r[j] + b_p) for r in plain], gold)
    for cd in sorted(known - set(codes)):
        if cd in wanted and any(x.id == cd and (x.cues.en or x.cues.zh) for x in cues.codebook.codes):
            gold = [cd in a.codes for a in answers]
            kc, _ = _kappa([f[2].get(cd, 0.0) >= THRESHOLD for f in fc], gold)
            report_codes[cd] = {"active": CUES, "kappa_model": None, "kappa_cues": kc, "positives": count[cd],
                                "why": f"only {count[cd]} labelled answers (a model needs {MIN_POSITIVES})"}
    active = {c for c, g in report_codes.items() if g["active"] == ACTIVE}
    # What the run-time coder would have proposed on each held-out answer, before pairs and the cap.
    hybrid = [{**{c: p for c, p in f[2].items() if c not in active}, **{c: oof_prob[i][c] for c in active}}
              for i, f in enumerate(fc)]
    pairs = confusable_pairs(hybrid, gold_sets, sorted(known), lead)
    buckets = [length_bucket(a.text, a.lang) for a in answers]
    cap = code_cap(gold_sets, buckets)
    idf = idf_of(set().union(*c) for c in counts)
    final = merge_round_copies(fit(design(idf, drop=True), gold_sets, codes, weight, reg).weights())
    for j, off in enumerate(prior):  # HINTS "prior": a code's own hint as its fixed offset, nothing else's
        for lang, v in off.items():
            final.setdefault(f"hint:{lang}:{codes[j]}", [0.0] * len(codes))[j] = v
    # The file lists, per feature, (index into weight_codes, weight) pairs: an n-gram's weight is kept where it can
    # move a score (|weight x idf| >= prune: the normalised TF-IDF value of an n-gram is at most its idf over a
    # norm of 10 or more), binary features' weights from 0.01.
    order = [cd for cd in codes if cd in active or keep_inactive]
    col = {cd: j for j, cd in enumerate(codes)}
    weights: dict[str, list[float]] = {}
    for f, r in final.items():
        scale, least = (idf[f], prune) if f in idf else (1.0, 0.01)
        kept = [x for k, cd in enumerate(order) if abs(r[col[cd]] * scale) >= least
                for x in (k, round(r[col[cd]], 2))]
        if kept:
            weights[f] = kept
    langs = Counter(a.lang for a in answers)
    meta = {"trained": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"), "examples": len(answers),
            "lead_answers": sum(lead), "by_lang": dict(sorted(langs.items())), "threshold": THRESHOLD,
            "c": reg, "c_tried": {str(k): v for k, v in tried.items()}}
    data: dict[str, Any] = {"version": VERSION, "meta": meta, "codes": dict(sorted(report_codes.items())),
                            "weight_codes": order, "weights": dict(sorted(weights.items())), "cap": cap, "pairs": pairs,
                            "idf": {f: round(v, 3) for f, v in sorted(idf.items())}, "lexicon": lexicon}
    if coder_learn.HINT_FLOOR is not None and coder_learn.HINTS == "all":
        data["hint_floor"] = coder_learn.HINT_FLOOR
    if coder_learn.CUE_FLOOR is not None:
        data["cue_floor"] = coder_learn.CUE_FLOOR
    if kinds:
        data["senses"] = {"kinds": list(kinds), "scale": coder_learn.SENSE_SCALE}
    meta["id"] = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()[:10]
    # Held-out folds, as the run-time coder would decide (pairs and cap included).
    model = LearnedModel(data, senses=thesauri)
    predicted = []
    for a, h in zip(answers, hybrid, strict=True):
        on = {c for c, p in h.items() if p >= THRESHOLD}
        drop = resolve(h, model.pairs, model.cap_for(length_bucket(a.text, a.lang)))
        predicted.append(on - drop)
    modelled = [{c for c in codes if oof_prob[i][c] >= THRESHOLD} for i in range(len(answers))]
    cue_only = [{c for c, v in f[2].items() if v >= THRESHOLD} for f in fc]

    def f1(pred: Sequence[set[str] | frozenset[str]], lang: str) -> dict[str, float]:
        mine = [i for i, a in enumerate(answers) if a.lang == lang]
        return micro_f1([set(pred[i]) for i in mine], [set(answers[i].codes) for i in mine])

    report = {"folds": {lang: {"coder": f1(predicted, lang), "cues": f1(cue_only, lang),
                               "model_everywhere": f1(modelled, lang)} for lang in sorted(langs)}}
    return data, report


def evaluate(coder: Coder, answers: Sequence[Labelled], only: set[str] | None = None) -> dict[str, Any]:
    """Micro-F1 per language of a coder's proposals (confidence >= 0.5) against the answers' codes."""
    out: dict[str, Any] = {}
    for lang in sorted({a.lang for a in answers}):
        mine = [a for a in answers if a.lang == lang]
        pred = [{h.code_id for h in coder.code(a.text, a.lang, a.hints) if h.confidence >= THRESHOLD} for a in mine]
        out[lang] = {"answers": len(mine), **micro_f1(pred, [set(a.codes) for a in mine], only)}
    return out


def write(data: Mapping[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                    encoding="utf-8")
