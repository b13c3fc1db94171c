"""Which codes count for an answer, and opportunity scoring and the short list with the sources' criteria
(the gap is in core.topics, agreement in core.agreement, closed questions in core.closed_questions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# --- which codes count for an answer -------------------------------------------------------------------------

AUTO_THRESHOLD = 0.5


def effective_codes(auto: Mapping[str, float], human_applied: Iterable[str], human_rejected: Iterable[str],
                    threshold: float = AUTO_THRESHOLD) -> set[str]:
    """A human decision wins: applied codes count, rejected ones do not; unreviewed auto codes count when
    confident enough."""
    applied, rejected = set(human_applied), set(human_rejected)
    return applied | {c for c, conf in auto.items() if conf >= threshold and c not in rejected}


# --- opportunities -------------------------------------------------------------------------------------------

CRITERIA = ("benefit", "cost", "strategic_fit", "culture_change", "unit_support", "competitive_position")
# Higher cost and more culture change make an opportunity less attractive, so they count inverted.
INVERTED = frozenset({"cost", "culture_change"})
DEFAULT_WEIGHTS: dict[str, float] = {"benefit": 3, "cost": 2, "strategic_fit": 2, "culture_change": 1,
                                     "unit_support": 1.5, "competitive_position": 1}
SHORTLIST_LIMIT = 7


class ScoreError(ValueError):
    """A score outside 1-5 or an unknown criterion."""


def check_scores(scores: Mapping[str, int]) -> dict[str, int]:
    out = {}
    for k, v in scores.items():
        if k not in CRITERIA:
            raise ScoreError(f"unknown criterion {k!r}; use one of {', '.join(CRITERIA)}")
        if not isinstance(v, int) or not 1 <= v <= 5:
            raise ScoreError(f"{k} must be a whole number from 1 to 5, not {v!r}")
        out[k] = v
    return out


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **(weights or {})}


def missing_criteria(scores: Mapping[str, int], weights: Mapping[str, float] | None = None) -> tuple[str, ...]:
    """Criteria that carry weight but have no score yet."""
    w = _weights(weights)
    return tuple(c for c in CRITERIA if w.get(c, 0) > 0 and c not in scores)


def contributions(scores: Mapping[str, int], weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Points each scored criterion adds to the 0-100 score (they add up to it): what put it where it is."""
    w = _weights(weights)
    used = {k: w[k] for k in CRITERIA if k in scores and w.get(k, 0) > 0}
    total = sum(used.values())
    out = {}
    for k, weight in used.items():
        v = 6 - scores[k] if k in INVERTED else scores[k]
        out[k] = 100 * weight * (v - 1) / 4 / total
    return out


def opportunity_score(scores: Mapping[str, int], weights: Mapping[str, float] | None = None) -> float | None:
    """0-100, from the criteria scored so far; None until at least one is scored."""
    parts = contributions(scores, weights)
    return round(sum(parts.values()), 1) if parts else None


# Where an opportunity stands. Only fully scored ones are ranked; the short list holds the best of those the
# lead put on it, up to the limit.
SHORT, OVER_LIMIT, PARKED, CANDIDATE = "short", "over_limit", "parked", "candidate"


@dataclass(frozen=True)
class Ranked:
    id: int
    title: str
    score: float | None  # None for candidates: a partial score is not comparable with full ones
    rank: int | None  # 1.. among fully scored opportunities; None for candidates
    status: str  # short | over_limit | parked | candidate
    warnings: tuple[str, ...] = field(default_factory=tuple)
    missing: tuple[str, ...] = ()
    contributions: dict[str, float] = field(default_factory=dict)


def _warnings(s: Mapping[str, int], missing: tuple[str, ...]) -> list[str]:
    warn = []
    if s.get("cost", 0) >= 4 and s.get("benefit", 5) <= 2:
        warn.append("costs more than it returns")
    if s.get("culture_change", 0) >= 5:
        warn.append("needs a lot of culture change")
    if s.get("strategic_fit", 5) <= 1:
        warn.append("does not fit the strategy")
    if s.get("unit_support", 5) <= 1:
        warn.append("lacks support from the business unit")
    if missing:
        warn.append("not scored: " + ", ".join(missing))
    return warn


def rank(opportunities: Iterable[tuple[int, str, Mapping[str, int], bool]],
         weights: Mapping[str, float] | None = None, limit: int = SHORTLIST_LIMIT) -> list[Ranked]:
    """(id, title, scores, put on the short list by the lead) -> ranked: fully scored ones by score (ties by
    title), then candidates by title. The short list is the `limit` best-scored of those the lead put on it;
    an unscored opportunity is a candidate whatever its flag."""
    rows = []
    for oid, title, s, flagged in opportunities:
        missing = missing_criteria(s, weights)
        parts = contributions(s, weights)
        score = round(sum(parts.values()), 1) if parts and not missing else None
        rows.append((oid, title, dict(s), flagged, missing, parts, score))
    rows.sort(key=lambda r: (r[6] is None, -(r[6] or 0), r[1], r[0]))
    out, n_rank, n_short = [], 0, 0
    for oid, title, s, flagged, missing, parts, score in rows:
        if score is None:
            out.append(Ranked(oid, title, None, None, CANDIDATE, tuple(_warnings(s, missing)), missing, parts))
            continue
        n_rank += 1
        status = PARKED
        if flagged:
            n_short += 1
            status = SHORT if n_short <= limit else OVER_LIMIT
        out.append(Ranked(oid, title, score, n_rank, status, tuple(_warnings(s, missing)), missing, parts))
    return out


def shortlist_warning(n_marked: int, limit: int = SHORTLIST_LIMIT) -> str | None:
    """When the lead has put more on the short list than the limit allows."""
    if n_marked > limit:
        return (f"{n_marked} opportunities put on the short list (limit {limit}): the {n_marked - limit} "
                "lowest-scored are held back; this is becoming a wish list, and budget and culture let a "
                "company do only a few things well")
    return None
