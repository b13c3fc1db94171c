"""Who may read what: department-restricted answers are visible only to reviewers allowed for that department."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Reviewer:
    """The person using the review app, the report or an export; `departments` may include '*' (all)."""

    name: str = "lead"
    departments: frozenset[str] = frozenset()

    def may_read(self, department: str | None) -> bool:
        if not department:
            return True
        return "*" in self.departments or department.lower() in self.departments

    def visible_departments(self, all_departments: Iterable[str]) -> set[str]:
        return {d for d in all_departments if self.may_read(d)}


def reviewer_from_env(env: Mapping[str, str]) -> Reviewer:
    """CNA_REVIEWER (a name for coding attribution) and CNA_REVIEWER_DEPARTMENTS ('finance,hr' or '*')."""
    e = env  # passed in (os.environ at the entry points) so core stays free of I/O
    deps = frozenset(d.strip().lower() for d in e.get("CNA_REVIEWER_DEPARTMENTS", "").split(",") if d.strip())
    return Reviewer(name=e.get("CNA_REVIEWER", "").strip() or "lead", departments=deps)
