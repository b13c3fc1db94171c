"""Analysis the lead relies on: effective codes, the internal-vs-customer gap, Cohen's kappa and
opportunity scoring with the sources' criteria."""

from __future__ import annotations

from collections import defaultdict
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


# --- internal belief vs customer reality ---------------------------------------------------------------------

def group_of(segment: str) -> str:
    """'internal:sales' -> 'internal'; 'customer:past' -> 'customer'."""
    return segment.split(":", 1)[0]


@dataclass(frozen=True)
class GapRow:
    code: str
    internal_share: float  # share of internal respondents who raised it
    customer_share: float  # share of customer respondents who raised it
    internal_n: int
    customer_n: int

    @property
    def gap(self) -> float:
        """Positive: staff believe it matters more than customers say; negative: customers raise it more."""
        return self.internal_share - self.customer_share


def gap_table(rows: Iterable[tuple[str, str, Iterable[str]]], codes: Iterable[str] | None = None) -> list[GapRow]:
    """rows: (segment, respondent key, codes raised in that answer). Shares are per respondent, not per
    answer, so a talkative person does not count twice. Sorted by the size of the gap."""
    respondents: dict[str, set[str]] = {"internal": set(), "customer": set()}
    raised: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"internal": set(), "customer": set()})
    for segment, who, answer_codes in rows:
        g = group_of(segment)
        if g not in respondents:
            continue
        respondents[g].add(who)
        for c in answer_codes:
            raised[c][g].add(who)
    n_int, n_cus = len(respondents["internal"]), len(respondents["customer"])
    wanted = list(codes) if codes is not None else sorted(raised)
    out = []
    for c in wanted:
        r = raised.get(c, {"internal": set(), "customer": set()})
        out.append(GapRow(c, len(r["internal"]) / n_int if n_int else 0.0,
                          len(r["customer"]) / n_cus if n_cus else 0.0,
                          len(r["internal"]), len(r["customer"])))
    return sorted(out, key=lambda g: (-abs(g.gap), g.code))


@dataclass(frozen=True)
class RoundChange:
    code: str
    before: float  # customer share in the previous round
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


def compare_rounds(previous: list[GapRow], current: list[GapRow]) -> list[RoundChange]:
    """How often customers raised each theme now versus last round."""
    before = {g.code: g.customer_share for g in previous}
    after = {g.code: g.customer_share for g in current}
    return sorted((RoundChange(c, before.get(c, 0.0), after.get(c, 0.0)) for c in set(before) | set(after)),
                  key=lambda r: (-abs(r.delta), r.code))


# --- agreement between the auto coder and humans -------------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    code: str
    n: int  # reviewed answers
    both: int
    auto_only: int
    human_only: int
    neither: int

    @property
    def observed(self) -> float:
        return (self.both + self.neither) / self.n if self.n else 0.0

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa; None when undefined (both coders constant and identical by chance alone)."""
        if not self.n:
            return None
        pa = (self.both + self.auto_only) / self.n
        ph = (self.both + self.human_only) / self.n
        pe = pa * ph + (1 - pa) * (1 - ph)
        if pe >= 1.0:
            return None
        return (self.observed - pe) / (1 - pe)


def agreement(reviewed: Iterable[tuple[set[str], set[str]]], codes: Iterable[str]) -> list[Agreement]:
    """reviewed: (auto codes, human codes) per answer a human has reviewed."""
    pairs = list(reviewed)
    out = []
    for c in codes:
        both = auto_only = human_only = neither = 0
        for a, h in pairs:
            if c in a and c in h:
                both += 1
            elif c in a:
                auto_only += 1
            elif c in h:
                human_only += 1
            else:
                neither += 1
        out.append(Agreement(c, len(pairs), both, auto_only, human_only, neither))
    return out


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


def opportunity_score(scores: Mapping[str, int], weights: Mapping[str, float] | None = None) -> float | None:
    """0-100, from the criteria scored so far; None until at least one is scored."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    total = weight = 0.0
    for k in CRITERIA:
        if k in scores and w.get(k, 0) > 0:
            v = scores[k]
            v = 6 - v if k in INVERTED else v
            total += w[k] * (v - 1) / 4
            weight += w[k]
    return round(100 * total / weight, 1) if weight else None


@dataclass(frozen=True)
class Ranked:
    id: int
    title: str
    score: float | None
    rank: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


def rank(opportunities: Iterable[tuple[int, str, Mapping[str, int]]],
         weights: Mapping[str, float] | None = None) -> list[Ranked]:
    """Highest score first; unscored last. Flags what the sources call a poor bet."""
    scored = [(oid, title, s, opportunity_score(s, weights)) for oid, title, s in opportunities]
    scored.sort(key=lambda x: (x[3] is None, -(x[3] or 0), x[1]))
    out = []
    for i, (oid, title, s, score) in enumerate(scored, 1):
        warn = []
        if s.get("cost", 0) >= 4 and s.get("benefit", 5) <= 2:
            warn.append("costs more than it returns")
        if s.get("culture_change", 0) >= 5:
            warn.append("needs a lot of culture change")
        if s.get("strategic_fit", 5) <= 1:
            warn.append("does not fit the strategy")
        if s.get("unit_support", 5) <= 1:
            warn.append("lacks support from the business unit")
        missing = [c for c in CRITERIA if c not in s]
        if missing:
            warn.append("not scored: " + ", ".join(missing))
        out.append(Ranked(oid, title, score, i, tuple(warn)))
    return out


def shortlist_warning(n_shortlisted: int, limit: int = SHORTLIST_LIMIT) -> str | None:
    if n_shortlisted > limit:
        return (f"{n_shortlisted} opportunities on the short list (limit {limit}): this is becoming a wish list; "
                "budget and culture let a company do only a few things well")
    return None
