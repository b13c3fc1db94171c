"""The ladder's rung: how far up attribute → consequence → value a reply reaches, given what the follow-up asked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.probe_types import RUNG_ORDER

RUNG = {r: i for i, r in enumerate(RUNG_ORDER)}
# How sure the rung model must be that a reply stayed an attribute to overrule what the follow-up asked for: a reply
# to "what would that let you do?" is read as a consequence, to "why does that matter in the end?" as a value,
# unless it plainly names only a property or a wish ("there are duplicates I think"). Tuned on the written
# respondents (bench/replay.py, the dev set).
STAYED_ATTRIBUTE = {RUNG["consequence"]: 0.6, RUNG["value"]: 0.8}
# A reply to the value question that the rung model reads as a consequence, and is at least this sure of ("and our
# own customer had to wait so we looked bad too"), stays a consequence: the value is asked for once more where the
# question's depth allows. Lower, values read as consequences got a needless push; tuned on the written respondents.
# Not after two follow-ups with a concrete reply ("that was maybe 18k a year, and the next hotel will have heard"): a
# blind rater of held-out interviews found a third push, a second "why does it matter?", pressing.
STAYED_CONSEQUENCE = 0.5
# Inside a ladder, a reply the rung model puts at least this much weight above the attribute on (consequence and value
# together) reached a consequence, even when "attribute" is its likeliest single rung ("把时间花在能成的单子上，不去陪
#那些只是来比价的": 0.44 attribute, 0.56 above): the value question follows, as a laddering interviewer asks it after a
# concrete reply anyway. Tuned on the written respondents (issue 13's generalisation round); a first answer is never
# read this way.
ABOVE_ATTRIBUTE = 0.5


def family_of(key: str) -> str:
    """The family of a probe template's key ("en.internal.speed.consequence.2" → "consequence")."""
    parts = key.rsplit(".", 2)
    return parts[-2] if len(parts) == 3 else ""


def asked_for(asked: Sequence[str], rung: str | None) -> int | None:
    """The rung the last follow-up on this question asked for, or None (an example, a number, a don't-know help).

    A consequence question asks for the consequence; "why does that matter?" asks for the rung above the one the
    ladder had reached when it was asked (from a property, what it leads to; from a consequence, the value)."""
    if not asked:
        return None
    family = family_of(asked[-1])
    if family == "consequence":
        return RUNG["consequence"]
    if family == "ladder_up":
        return min(RUNG.get(rung or "attribute", 0) + 1, RUNG["value"])
    return None


def reached(label: str, rung: str, rung_probs: Mapping[str, float], asked: Sequence[str],
            before: str | None, depth: int = 1) -> int:
    """The highest rung the ladder has reached after this reply (an index into RUNG_ORDER).

    A substantive reply (surface or specific) to a follow-up that asked for a rung reaches at least that rung,
    unless the rung model is sure it named only an attribute; a reply that reads higher keeps its reading. A shallow
    first answer, even one that names an end ("it's the relationship", "peace of mind"), has not yet said what it
    matters for: it is followed up to make it concrete, and the ladder starts from the bottom."""
    prior = RUNG.get(before or "attribute", 0)
    if label not in ("surface", "specific"):
        return prior
    if depth == 0 and label == "surface":
        return prior
    got = RUNG[rung]
    if depth >= 1 and got == RUNG["attribute"] and \
            rung_probs.get("consequence", 0.0) + rung_probs.get("value", 0.0) >= ABOVE_ATTRIBUTE:
        got = RUNG["consequence"]
    want = asked_for(asked, before)
    if want is not None and got < want and rung_probs.get("attribute", 0.0) < STAYED_ATTRIBUTE[want] \
            and not (want == RUNG["value"] and got == RUNG["consequence"] and not (label == "specific" and depth >= 2)
                     and rung_probs.get("consequence", 0.0) >= STAYED_CONSEQUENCE):
        got = want
    return max(prior, got)
