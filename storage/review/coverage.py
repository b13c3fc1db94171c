"""What the review did, for the report's Method section and the dashboard: answers reviewed, by whom, and what
became of the auto coder's proposals."""

from __future__ import annotations

from dataclasses import dataclass

from storage.review.insights import RoundCoding


@dataclass(frozen=True)
class Coverage:
    open_answers: int  # free-text answers (ladder steps) the reader may see: the ones that get coded
    reviewed: int  # of them, answers with at least one decision by a person
    finished: int  # answers a person decided every proposal on (the ones agreement counts)
    reviewers: tuple[str, ...]  # the people who made decisions, by the name they code under
    proposals: int  # confident auto proposals (they count until a person decides otherwise)
    accepted: int
    rejected: int
    undecided: int  # proposals no person has decided on yet: proposals = accepted + rejected + undecided
    weak: int  # proposals below the confidence threshold: never counted
    added: int  # codebook codes a person applied that the auto coder had not proposed
    theme_tags: int  # themes a person applied


def coverage(rc: RoundCoding) -> Coverage:
    """Counts over the loaded round (visible, current answers only)."""
    book = {c for c, i in rc.codebook.codes.items() if i.kind == "code"}
    open_ = [a for a in rc.answers.values() if a.is_open]
    reviewers: set[str] = set()
    proposals = accepted = rejected = weak = added = themes = 0
    for a in open_:
        reviewers |= a.coders
        confident = a.auto_set()
        proposals += len(confident)
        weak += len(set(a.auto) - confident)
        accepted += len(confident & a.applied)
        rejected += len(confident & a.rejected)
        added += len((a.applied & book) - confident)
        themes += len(a.applied - book)
    finished = sum(1 for d in rc.decisions() if d.finished)
    return Coverage(len(open_), sum(1 for a in open_ if a.reviewed), finished, tuple(sorted(reviewers)),
                    proposals, accepted, rejected, proposals - accepted - rejected, weak, added, themes)
