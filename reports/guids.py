"""Stable GUIDs for exports: uuid5 of a row's kind and id, so re-exporting the same database gives the same file."""

from __future__ import annotations

import uuid

# A fixed namespace for this product; changing it would change every exported GUID.
NAMESPACE = uuid.UUID("6f1c3c52-7d0a-5b7e-9a57-0c2f1e0c4a11")


def guid(kind: str, key: object) -> str:
    """e.g. guid('answer', 42) -> the same upper-case GUID on every export of that answer."""
    return str(uuid.uuid5(NAMESPACE, f"cna:{kind}:{key}")).upper()


def norm_guid(value: str | None) -> str:
    """GUIDs compare without braces and case: tools write {…}, lower or upper case."""
    return (value or "").strip().strip("{}").upper()


def answer_guid(answer_id: int) -> str:
    return guid("answer", answer_id)


def coding_guid(answer_id: int, code_id: str, source: str) -> str:
    """By what the coding is (the table's unique key), so a coding deleted and restored keeps its GUID."""
    return guid("coding", f"{answer_id}:{code_id}:{source}")


def passage_coding_guid(answer_id: int, code_id: str, source: str, start: int, end: int) -> str:
    """A coding on part of an answer: by what it is, like coding_guid, plus the passage."""
    return guid("coding", f"{answer_id}:{code_id}:{source}:{start}:{end}")


def selection_guid(answer_id: int, start: int, end: int, coder: str) -> str:
    """Every selection of an answer after its first (which is answer_guid): one per passage and coder."""
    return guid("selection", f"{answer_id}:{start}:{end}:{coder}")


def code_guid(code_id: str) -> str:
    return guid("code", code_id)


def user_guid(coder: str) -> str:
    return guid("user", coder)


def interview_guid(interview_id: int) -> str:
    return guid("interview", interview_id)


def anonymous_source_guid(round_id: int, segment: str) -> str:
    return guid("anonymous", f"{round_id}:{segment}")


def participant_guid(participant_id: int) -> str:
    return guid("participant", participant_id)


AUTO_CODER = "auto"
# What QDA tools show as the user of the auto coder's proposals no person has reviewed; older exports named it
# "cna automatic coder". Tools replace GUIDs, so the import recognises it by these names as well.
PROPOSAL_USER = "cna proposal (unreviewed)"
AUTO_CODER_NAMES = frozenset({PROPOSAL_USER, "cna automatic coder"})
