"""Agreement between the auto coder and people: Cohen's kappa per code and pooled, with confidence intervals.

The unit is one answer x one codebook code. An answer counts only when a person has finished it: they made at
least one decision on a codebook code and decided on every confident proposal the auto coder made on it
(accepted or rejected each). On such an answer the person's judgement on every code is known: applied (accepted
or added) is yes, rejected or never applied is no. Answers with undecided proposals are left out, so leaving
a proposal standing is never read as agreeing with it."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

MIN_ANSWERS = 20  # fewer finished answers than this: "not enough reviewed answers" instead of a number
MIN_CASES = 5  # per code: fewer finished answers where either side applied it: "too few cases"
Z95 = 1.959964
JACKKNIFE_GROUPS = 50


@dataclass(frozen=True)
class Decisions:
    """One answer: the auto coder's confident proposals and a person's decisions, codebook codes only."""

    answer_id: int
    auto: frozenset[str]
    applied: frozenset[str]
    rejected: frozenset[str]

    @property
    def decided(self) -> frozenset[str]:
        return self.applied | self.rejected

    @property
    def finished(self) -> bool:
        """A person decided on something and on every proposal: their judgement on every code is known."""
        return bool(self.decided) and self.auto <= self.decided


@dataclass(frozen=True)
class Table:
    """A 2x2 table of answer x code units: auto yes/no against person yes/no."""

    both: int = 0
    auto_only: int = 0  # proposed, the person rejected it
    human_only: int = 0  # the person added it, the auto coder had not proposed it
    neither: int = 0

    @property
    def n(self) -> int:
        return self.both + self.auto_only + self.human_only + self.neither

    @property
    def cases(self) -> int:
        """Units where at least one side said yes."""
        return self.both + self.auto_only + self.human_only

    def __add__(self, other: Table) -> Table:
        return Table(self.both + other.both, self.auto_only + other.auto_only,
                     self.human_only + other.human_only, self.neither + other.neither)

    def __sub__(self, other: Table) -> Table:
        return Table(self.both - other.both, self.auto_only - other.auto_only,
                     self.human_only - other.human_only, self.neither - other.neither)

    def _p(self) -> tuple[float, float, float, float]:
        n = self.n
        return self.both / n, self.auto_only / n, self.human_only / n, self.neither / n

    @property
    def observed(self) -> float | None:
        return (self.both + self.neither) / self.n if self.n else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa; None when undefined (no units, or both sides constant so chance explains it all)."""
        if not self.n:
            return None
        a, b, c, d = self._p()
        auto_yes, human_yes = a + b, a + c
        pe = auto_yes * human_yes + (1 - auto_yes) * (1 - human_yes)
        if pe >= 1.0 - 1e-12:
            return None
        return ((a + d) - pe) / (1 - pe)

    @property
    def ac1(self) -> float | None:
        """Gwet's AC1 (2008): agreement beyond chance where chance is 2q(1-q), q the mean of the two sides' yes
        shares. Unlike kappa it does not collapse when one answer is nearly always yes (the kappa paradox: a coder
        right on 96 of 100 answers can score kappa 0); None without units."""
        if not self.n:
            return None
        a, b, c, d = self._p()
        q = ((a + b) + (a + c)) / 2
        pe = 2 * q * (1 - q)
        return ((a + d) - pe) / (1 - pe)

    @property
    def se(self) -> float | None:
        """Large-sample standard error of kappa (Fleiss, Cohen and Everitt 1969), units independent."""
        k = self.kappa
        if k is None:
            return None
        a, b, c, d = self._p()
        row = (a + b, c + d)  # auto yes, auto no
        col = (a + c, b + d)  # person yes, person no
        cells = ((a, b), (c, d))
        pe = row[0] * col[0] + row[1] * col[1]
        diag = sum(cells[i][i] * (1 - (row[i] + col[i]) * (1 - k)) ** 2 for i in (0, 1))
        off = (1 - k) ** 2 * sum(cells[i][j] * (col[i] + row[j]) ** 2 for i in (0, 1) for j in (0, 1) if i != j)
        var = (diag + off - (k - pe * (1 - k)) ** 2) / (self.n * (1 - pe) ** 2)
        return math.sqrt(max(var, 0.0))

    @property
    def ci95(self) -> tuple[float, float] | None:
        return _interval(self.kappa, self.se)


def _interval(k: float | None, se: float | None) -> tuple[float, float] | None:
    if k is None or se is None:
        return None
    return max(-1.0, k - Z95 * se), min(1.0, k + Z95 * se)


@dataclass(frozen=True)
class CodeAgreement:
    code: str
    table: Table
    status: str  # ok | too_few_answers | too_few_cases | undefined

    @property
    def kappa(self) -> float | None:
        """The value to show, or None when the status says why there is none."""
        return self.table.kappa if self.status == "ok" else None


@dataclass(frozen=True)
class Agreement:
    """Per-code kappa and the pooled kappa over every code's units, on finished answers."""

    answers: int  # finished answers counted
    unfinished: int  # reviewed answers not counted: proposals undecided, or only themes tagged
    codes: list[CodeAgreement] = field(default_factory=list)
    pooled: Table = Table()
    pooled_ci: tuple[float, float] | None = None  # jackknife over answers (units of one answer are related)
    status: str = "too_few_answers"  # ok | too_few_answers | undefined

    @property
    def kappa(self) -> float | None:
        return self.pooled.kappa if self.status == "ok" else None

    @property
    def disagreements(self) -> int:
        return self.pooled.auto_only + self.pooled.human_only


def _tables(answers: list[Decisions], codes: list[str]) -> list[dict[str, Table]]:
    """Each answer's 2x2 contribution per code (one unit per code)."""
    out = []
    for a in answers:
        per = {}
        for c in codes:
            au, hu = c in a.auto, c in a.applied
            per[c] = Table(int(au and hu), int(au and not hu), int(hu and not au), int(not au and not hu))
        out.append(per)
    return out


def _sum(tables: Iterable[Table]) -> Table:
    total = Table()
    for t in tables:
        total = total + t
    return total


def _jackknife(per_answer: list[Table], total: Table) -> tuple[float, float] | None:
    """Delete-a-group jackknife interval for the pooled kappa: answers, not units, are resampled, because the
    codes of one answer are judged together."""
    k = total.kappa
    g = min(JACKKNIFE_GROUPS, len(per_answer))
    if k is None or g < 2:
        return None
    groups = [_sum(per_answer[i::g]) for i in range(g)]
    leave_out = [(total - grp).kappa for grp in groups]
    if any(v is None for v in leave_out):
        return None
    values = [v for v in leave_out if v is not None]
    mean = sum(values) / g
    se = math.sqrt((g - 1) / g * sum((v - mean) ** 2 for v in values))
    return _interval(k, se)


def agreement(answers: Iterable[Decisions], *, min_answers: int = MIN_ANSWERS,
              min_cases: int = MIN_CASES) -> Agreement:
    """Kappa per code over the finished answers, and pooled over every code either side applied there.
    `answers`: every answer a person reviewed (made any decision on); the unfinished ones are only counted."""
    pool = list(answers)
    done = sorted((a for a in pool if a.finished), key=lambda a: a.answer_id)
    unfinished = len(pool) - len(done)
    codes = sorted(set().union(*[a.auto | a.applied for a in done])) if done else []
    per_answer = _tables(done, codes)
    by_code = {c: _sum(t[c] for t in per_answer) for c in codes}
    enough = len(done) >= min_answers
    rows = []
    for c in codes:
        t = by_code[c]
        status = ("too_few_answers" if not enough else "too_few_cases" if t.cases < min_cases
                  else "undefined" if t.kappa is None else "ok")
        rows.append(CodeAgreement(c, t, status))
    flat = [_sum(t.values()) for t in per_answer]
    pooled = _sum(flat)
    status = "too_few_answers" if not enough else "undefined" if pooled.kappa is None else "ok"
    ci = _jackknife(flat, pooled) if status == "ok" else None
    return Agreement(len(done), unfinished, rows, pooled, ci, status)
