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
# Fewer of the lead's answers with the code than this: their kappa is chance (one agreement more or less moves it
# by 0.2-0.3), so the model is not adopted on their evidence; the cue rule stays until the lead has coded more.
MIN_LEAD_POSITIVES = 5


def kappa(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float | None, int]:
    t = table(pred, gold)
    return (None if t.kappa is None else round(t.kappa, 3)), t.cases


def gate(code: str, probs: Sequence[float], cue: Sequence[float], gold: Sequence[bool], lead: Sequence[bool],
          positives: int, folds: int = 5) -> dict[str, Any]:
    """The adoption gate: the model decides a code only with kappa >= 0.6 and not below the cue rule's: with the
    lead's decisions, where they reviewed enough answers (MIN_LEAD_ANSWERS, as the Agreement screen) and enough of
    them have the code on either side (MIN_LEAD_CASES); else on the corpus. `probs` are cross-validated: every
    answer, each of the lead's included, scored by a model of the `folds` that did not train on it (and calibrated
    without it), so the kappa pools all the lead's answers rather than one held-out slice of them. Adopting on the
    lead's evidence also needs MIN_LEAD_POSITIVES of their answers with the code."""
    pm = [p >= THRESHOLD for p in probs]
    pc = [c >= THRESHOLD for c in cue]
    km, _ = kappa(pm, gold)
    kc, _ = kappa(pc, gold)
    idx = [i for i, is_lead in enumerate(lead) if is_lead]
    klm = klc = None
    lead_cases = lead_positives = 0
    if idx:
        g = [gold[i] for i in idx]
        klm, lead_cases = kappa([pm[i] for i in idx], g)
        klc, _ = kappa([pc[i] for i in idx], g)
        lead_positives = sum(g)
    out: dict[str, Any] = {"kappa_model": km, "kappa_cues": kc, "kappa_lead_model": klm, "kappa_lead_cues": klc,
                           "lead_cases": lead_cases, "lead_positives": lead_positives, "positives": positives}
    why: list[str] = []
    decide_on_lead = len(idx) >= MIN_LEAD_ANSWERS and lead_cases >= MIN_LEAD_CASES  # as CodeGate.decided_by_lead
    out["lead_answers"] = len(idx)
    evidence = f"{folds}-fold over {len(idx)} reviewed answers, {lead_positives} with the code"
    if decide_on_lead:  # the lead's own decisions are the evidence that counts for this round
        if lead_positives < MIN_LEAD_POSITIVES:
            why.append(f"only {lead_positives} of the lead's answers have the code (needs {MIN_LEAD_POSITIVES})")
        elif klm is None or klm < GATE_KAPPA:
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
    if decide_on_lead:
        out["why"] += f" ({evidence})"
    return out
