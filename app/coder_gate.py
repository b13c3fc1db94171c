"""The coder's adoption gate: the learned model decides a code only with kappa >= 0.6 and not below its cue rule's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.agreement import MIN_ANSWERS, MIN_CASES
from core.coder_fit import table
from core.coder_model import ACTIVE, CUES, THRESHOLD

GATE_KAPPA = 0.6
MIN_LEAD_CASES = MIN_CASES  # fewer lead cases than this (as the Agreement screen): the corpus folds decide
MIN_LEAD_ANSWERS = MIN_ANSWERS  # fewer held-out reviewed answers than this: too few to decide on (or calibrate)


def kappa(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float | None, int]:
    t = table(pred, gold)
    return (None if t.kappa is None else round(t.kappa, 3)), t.cases


def gate(code: str, probs: Sequence[float], cue: Sequence[float], gold: Sequence[bool], lead: Sequence[bool],
          positives: int) -> dict[str, Any]:
    """The adoption gate: the model decides a code only with kappa >= 0.6 and not below the cue rule's: with the
    lead's decisions on held-out folds of the answers they reviewed, where they reviewed enough answers
    (MIN_LEAD_ANSWERS, as the Agreement screen) and enough of them have the code on either side (MIN_LEAD_CASES);
    else on held-out folds of the corpus."""
    pm = [p >= THRESHOLD for p in probs]
    pc = [c >= THRESHOLD for c in cue]
    km, _ = kappa(pm, gold)
    kc, _ = kappa(pc, gold)
    idx = [i for i, is_lead in enumerate(lead) if is_lead]
    klm = klc = None
    lead_cases = 0
    if idx:
        g = [gold[i] for i in idx]
        klm, lead_cases = kappa([pm[i] for i in idx], g)
        klc, _ = kappa([pc[i] for i in idx], g)
    out: dict[str, Any] = {"kappa_model": km, "kappa_cues": kc, "kappa_lead_model": klm, "kappa_lead_cues": klc,
                           "lead_cases": lead_cases, "positives": positives}
    why: list[str] = []
    decide_on_lead = len(idx) >= MIN_LEAD_ANSWERS and lead_cases >= MIN_LEAD_CASES  # as CodeGate.decided_by_lead
    out["lead_answers"] = len(idx)
    if decide_on_lead:  # the lead's own decisions are the evidence that counts for this round
        if klm is None or klm < GATE_KAPPA:
            why.append(f"lead kappa {klm if klm is not None else '—'} < {GATE_KAPPA}")
        elif klc is not None and klm < klc:
            why.append(f"lead kappa {klm} below cues {klc}")
    elif km is None or km < GATE_KAPPA:
        why.append(f"model kappa {km if km is not None else '—'} < {GATE_KAPPA}")
    elif kc is not None and km < kc:
        why.append(f"model kappa {km} below cues {kc}")
    out["active"] = CUES if why else ACTIVE
    out["why"] = "; ".join(why) if why else (
        f"lead kappa {klm} >= {GATE_KAPPA} and >= cues {klc}" if decide_on_lead
        else f"model kappa {km} >= {GATE_KAPPA} and >= cues {kc}")
    return out
