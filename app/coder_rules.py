"""The learned coder's rules around the per-code models: confusable pairs, the code cap, proposal lines, and the
lead round's feature copies (training only; the run-time side is core.coder_model)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from core.agreement import MIN_ANSWERS
from core.coder_model import THRESHOLD

MIN_LEAD_ANSWERS = MIN_ANSWERS  # fewer of the lead's held-out answers than this: pairs are judged on the corpus


def confusable_pairs(conf: Sequence[dict[str, float]], gold: Sequence[frozenset[str]], codes: Sequence[str],
           lead: Sequence[bool] = ()) -> list[list[str]]:
    """Confusable pairs: both proposed, and keeping only the likelier one removes at least twice as many wrong
    codes as right ones (on held-out folds). With enough of the lead's answers (MIN_LEAD_ANSWERS) a pair must also
    remove more wrong codes than right ones on theirs: where the round's two codes go together (a review praising
    the dish and the waiter), the corpus's pair would drop a code the lead gives."""
    gain: Counter[tuple[str, str]] = Counter()
    loss: Counter[tuple[str, str]] = Counter()
    lead_gain: Counter[tuple[str, str]] = Counter()
    lead_loss: Counter[tuple[str, str]] = Counter()
    is_lead = list(lead) or [False] * len(gold)
    for cf, g, mine in zip(conf, gold, is_lead, strict=True):
        on = sorted(c for c, p in cf.items() if p >= THRESHOLD and c in codes)
        for i, a in enumerate(on):
            for b in on[i + 1:]:
                weaker = b if (cf[a], b) >= (cf[b], a) else a
                right = weaker in g
                (loss if right else gain)[a, b] += 1
                if mine:
                    (lead_loss if right else lead_gain)[a, b] += 1
    judge_lead = sum(is_lead) >= MIN_LEAD_ANSWERS
    return [[a, b] for (a, b), n in sorted(gain.items()) if n >= 3 and n >= 2 * loss[a, b]
            and not (judge_lead and lead_loss[a, b] >= lead_gain[a, b] and lead_loss[a, b] > 0)]


def code_cap(gold: Sequence[frozenset[str]], buckets: Sequence[int]) -> list[int]:
    """Per length bucket: the number of codes 95% of the labelled answers of that length stay within."""
    out: list[int] = []
    for b in range(4):
        counts = sorted(len(g) for g, k in zip(gold, buckets, strict=True) if k == b)
        out.append(max(1, counts[int(0.95 * (len(counts) - 1))]) if counts else (out[-1] + 1 if out else 2))
    return [max(out[: i + 1]) for i in range(4)]  # longer answers never get a lower cap


ROUND = "L|"  # the lead's own copy of a feature (what a word means in this round's coding)
# The round's copies enter this many times larger (the L2 penalty on their weights ROUND_SCALE² smaller), so a hundred
# of the lead's answers could move them further. 3 was measured at 100 answers (bench/coder_small_n.py, the curve's
# pool only): model on every code MAMS 0.703 → 0.702, ASAP 0.882 → 0.877; no gain, left at 1 (docs/coding.md).
ROUND_SCALE = 1.0


def round_copies(f: Mapping[str, float], shared: set[str] | None = None) -> dict[str, float]:
    """A lead-coded answer's features twice: shared with the corpus, and the round's own copy. The round's copies
    learn what the lead means where it differs from the corpus (feature augmentation, Daumé 2007), without
    200 lead answers having to outvote 2,500 corpus answers. `shared`: the n-grams the shared part may use (the
    round's copies keep every one)."""
    base = f if shared is None else {k: v for k, v in f.items() if k[0] not in "wc" or k in shared}
    return {**base, **{ROUND + k: v * ROUND_SCALE for k, v in f.items()}}


def merge_round_copies(weights: Mapping[str, list[float]]) -> dict[str, list[float]]:
    """Weights for coding this round's answers: each feature's shared weight plus the round's copy."""
    out = {f: list(r) for f, r in weights.items() if not f.startswith(ROUND)}
    for f, r in weights.items():
        if f.startswith(ROUND):
            base, own = f[len(ROUND):], [ROUND_SCALE * w for w in r]
            out[base] = [a + b for a, b in zip(out[base], own, strict=True)] if base in out else own
    return out


LINES = tuple(round(0.15 + 0.05 * k, 2) for k in range(10))  # proposal lines tried per code: 0.15 ... 0.6


def proposal_line(probs: Sequence[float], gold: Sequence[bool]) -> float:
    """The calibrated probability from which proposing a code gives the best F1 on these (held-out) answers."""
    def f1(t: float) -> float:
        tp = sum(1 for p, g in zip(probs, gold, strict=True) if g and p >= t)
        fp = sum(1 for p, g in zip(probs, gold, strict=True) if not g and p >= t)
        return 2 * tp / (2 * tp + fp + (sum(gold) - tp)) if tp else 0.0
    return max(LINES, key=lambda t: (f1(t), t))
