"""Agreement of two human coders on the same answers, and a coder scored against each and against their agreement.

Every (answer, code) pair is one yes/no decision. Two people who code the heldout split independently give:
- human vs human: micro-F1 of coder 2 against coder 1 (the heldout writer) and Cohen's kappa, pooled over all
  decisions and per code (the mean over codes either person used): the ceiling any coder can reach against one
  person;
- a coder against each person (coder 1's labels are the issue's target);
- a coder on the **agreed decisions**: only the pairs where both people decided alike (both gave the code or
  neither did) are scored, disputed pairs left out, as inter-coder studies score a system on the items the
  annotators agree on;
- a **lenient** score: a proposal is right if either person gave the code, a code counts as missed only if both
  gave it (precision against the union, recall against the intersection)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.agreement import Table

Codes = Mapping[str, frozenset[str]]  # answer id -> codes


def _f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "precision": round(p, 4), "recall": round(r, 4),
            "tp": tp, "fp": fp, "fn": fn}


def _table(pred: Codes, gold: Codes, ids: Sequence[str], code: str) -> Table:
    both = sum(1 for i in ids if code in pred[i] and code in gold[i])
    only_p = sum(1 for i in ids if code in pred[i] and code not in gold[i])
    only_g = sum(1 for i in ids if code in gold[i] and code not in pred[i])
    return Table(both, only_p, only_g, len(ids) - both - only_p - only_g)


def kappas(pred: Codes, gold: Codes, codes: Sequence[str]) -> dict[str, float | None]:
    """Cohen's kappa pooled over every (answer, code) decision, and the mean of per-code kappas over the codes
    either side used (a code neither side used has no kappa)."""
    ids = sorted(gold)
    tables = {c: _table(pred, gold, ids, c) for c in codes}
    pooled = sum(tables.values(), Table())
    per = [t.kappa for t in tables.values() if t.both + t.auto_only + t.human_only and t.kappa is not None]
    return {"pooled": None if pooled.kappa is None else round(pooled.kappa, 4),
            "mean_per_code": round(sum(per) / len(per), 4) if per else None}


def against(pred: Codes, gold: Codes) -> dict[str, float]:
    """Micro-F1 of `pred` against `gold` over gold's answers."""
    tp = fp = fn = 0
    for i, g in gold.items():
        p = pred.get(i, frozenset())
        tp, fp, fn = tp + len(p & g), fp + len(p - g), fn + len(g - p)
    return _f1(tp, fp, fn)


def on_agreed(pred: Codes, first: Codes, second: Codes) -> dict[str, float]:
    """Micro-F1 on the decisions both people made alike (disputed (answer, code) pairs left out)."""
    tp = fp = fn = 0
    for i, g1 in first.items():
        g2 = second.get(i, frozenset())
        disputed = g1 ^ g2
        p, g = pred.get(i, frozenset()) - disputed, g1 & g2
        tp, fp, fn = tp + len(p & g), fp + len(p - g), fn + len(g - p)
    return _f1(tp, fp, fn)


def lenient(pred: Codes, first: Codes, second: Codes) -> dict[str, float]:
    """Precision against the codes either person gave, recall against those both gave, and their F1."""
    right = proposed = found = agreed = 0
    for i, g1 in first.items():
        g2 = second.get(i, frozenset())
        p = pred.get(i, frozenset())
        right, proposed = right + len(p & (g1 | g2)), proposed + len(p)
        found, agreed = found + len(p & g1 & g2), agreed + len(g1 & g2)
    prec = right / proposed if proposed else 0.0
    rec = found / agreed if agreed else 0.0
    return {"f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0, "precision": round(prec, 4),
            "recall": round(rec, 4)}
