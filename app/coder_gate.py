"""The coder's adoption gate: the learned model decides a code only with kappa >= 0.6 and not below its cue rule's
(Gwet's AC1 in place of kappa for a code the lead gives to nearly every answer)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.agreement import MIN_ANSWERS, MIN_CASES
from core.coder_fit import table
from core.coder_model import ACTIVE, CUES, THRESHOLD

GATE_KAPPA = 0.6
MIN_LEAD_CASES = MIN_CASES  # fewer lead cases than this (as the Agreement screen): the corpus folds decide
MIN_LEAD_ANSWERS = MIN_ANSWERS  # fewer held-out reviewed answers than this: too few to decide on (or calibrate)
# Fewer of the lead's answers with the code than this: their kappa is chance (one agreement more or less moves it
# by 0.2-0.3), so the model is not adopted on their evidence; the cue rule stays until the lead has coded more.
MIN_LEAD_POSITIVES = 5
# A code the lead gives to at least this share of their reviewed answers is judged by Gwet's AC1, not kappa. Kappa's
# chance term grows with the code's share (the kappa paradox, Feinstein and Cicchetti 1990): with the code on 96 of
# 100 answers, a coder that agrees with the lead on all 96 and misses the 4 scores kappa 0, the same as one that
# finds none of the 96, so no model could be adopted and the cue rule (which finds a few) stays. AC1's chance term
# shrinks instead. Only the common side: for a rare code, a coder that never proposes it has a high AC1 too and is
# useless to the lead, so kappa (with MIN_LEAD_POSITIVES) stays the test there.
HIGH_SHARE = 0.9


def kappa(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float | None, int]:
    t = table(pred, gold)
    return (None if t.kappa is None else round(t.kappa, 3)), t.cases


def ac1(pred: Sequence[bool], gold: Sequence[bool]) -> float | None:
    v = table(pred, gold).ac1
    return None if v is None else round(v, 3)


def _mean(values: Sequence[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return round(sum(got) / len(got), 3) if got else None


def gate(code: str, probs: Sequence[float], cue: Sequence[float], gold: Sequence[bool], lead: Sequence[bool],
         positives: int, folds: int = 5, repeats: Sequence[Sequence[float]] = ()) -> dict[str, Any]:
    """The adoption gate: the model decides a code only with kappa >= 0.6 and not below the cue rule's: with the
    lead's decisions, where they reviewed enough answers (MIN_LEAD_ANSWERS, as the Agreement screen) and enough of
    them have the code on either side (MIN_LEAD_CASES); else on the corpus. `probs` are cross-validated: every
    answer, each of the lead's included, scored by a model of the `folds` that did not train on it (and calibrated
    without it), so the kappa pools all the lead's answers rather than one held-out slice of them. Adopting on the
    lead's evidence also needs MIN_LEAD_POSITIVES of their answers with the code.

    `repeats`: the same probabilities from other splits of the answers into folds (repeated k-fold, each split
    with its own seed): the kappas are the means over every split, so which codes are adopted does not hang on one
    split (with 100 reviewed answers one split's kappa moved by 0.1-0.15 from the next's); the spread is reported."""
    splits = [probs, *repeats]
    pc = [c >= THRESHOLD for c in cue]
    kc, _ = kappa(pc, gold)
    idx = [i for i, is_lead in enumerate(lead) if is_lead]
    g_lead = [gold[i] for i in idx]
    klc = kappa([pc[i] for i in idx], g_lead)[0] if idx else None
    km_all, klm_all, cases_all, alm_all = [], [], [], []
    for split in splits:
        pm = [p >= THRESHOLD for p in split]
        km_all.append(kappa(pm, gold)[0])
        if idx:
            k, cases = kappa([pm[i] for i in idx], g_lead)
            klm_all.append(k)
            cases_all.append(cases)
            alm_all.append(ac1([pm[i] for i in idx], g_lead))
    km = _mean(km_all)
    klm = _mean(klm_all) if idx else None
    lead_cases = round(sum(cases_all) / len(cases_all)) if cases_all else 0
    lead_positives = sum(g_lead)
    out: dict[str, Any] = {"kappa_model": km, "kappa_cues": kc, "kappa_lead_model": klm, "kappa_lead_cues": klc,
                           "lead_cases": lead_cases, "lead_positives": lead_positives, "positives": positives}
    got = [k for k in klm_all if k is not None]
    if len(splits) > 1 and got:
        out["splits"] = len(splits)
        out["kappa_lead_range"] = [min(got), max(got)]
    why: list[str] = []
    decide_on_lead = len(idx) >= MIN_LEAD_ANSWERS and lead_cases >= MIN_LEAD_CASES  # as CodeGate.decided_by_lead
    out["lead_answers"] = len(idx)
    over = f"{len(splits)} x {folds}-fold" if len(splits) > 1 else f"{folds}-fold"
    evidence = f"{over} over {len(idx)} reviewed answers, {lead_positives} with the code"
    if "kappa_lead_range" in out:
        lo, hi = out["kappa_lead_range"]
        evidence += f"; kappa {lo:.2f} to {hi:.2f} across the splits"
    common = decide_on_lead and lead_positives >= HIGH_SHARE * len(idx)
    if common:  # nearly every answer has it: kappa cannot show agreement there (HIGH_SHARE), AC1 can
        out["statistic"] = "ac1"
        out["ac1_lead_model"] = _mean(alm_all)
        out["ac1_lead_cues"] = ac1([pc[i] for i in idx], g_lead)
        evidence += f"; the lead gave it to {lead_positives / len(idx):.0%} of them, so AC1 rather than kappa"
    # What decides: the lead's own decisions where there are enough (the evidence that counts for this round), by
    # AC1 for a code on nearly every answer; else the corpus folds. The model's value and the cue rule's.
    name, vm, vc = (("lead AC1", out["ac1_lead_model"], out["ac1_lead_cues"]) if common
                    else ("lead kappa", klm, klc) if decide_on_lead else ("model kappa", km, kc))
    if decide_on_lead and not common and lead_positives < MIN_LEAD_POSITIVES:
        why.append(f"only {lead_positives} of the lead's answers have the code (needs {MIN_LEAD_POSITIVES})")
    elif vm is None or vm < GATE_KAPPA:
        why.append(f"{name} {vm if vm is not None else '—'} < {GATE_KAPPA}")
    elif vc is not None and vm < vc:
        why.append(f"{name} {vm} below cues {vc}")
    out["active"] = CUES if why else ACTIVE
    out["why"] = "; ".join(why) if why else f"{name} {vm} >= {GATE_KAPPA} and >= cues {vc}"
    if decide_on_lead:
        out["why"] += f" ({evidence})"
    return out
