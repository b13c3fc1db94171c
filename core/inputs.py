"""What a channel can feed the interview state machine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Start:
    """The respondent agreed to begin (or begin again after a pause)."""


@dataclass(frozen=True)
class Reply:
    """Typed text: an answer, a choice by number or label, or a command word."""

    text: str


@dataclass(frozen=True)
class Choose:
    """A button or select: choice ids for a given question (stale clicks are rejected)."""

    question_id: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Pause:
    """Stop for now; the interview resumes where it stopped."""


@dataclass(frozen=True)
class Resume:
    """Carry on after a pause."""


@dataclass(frozen=True)
class Decline:
    """The respondent does not want to take part."""


@dataclass(frozen=True)
class Reconsider:
    """Someone who declined changed their mind and wants to take part after all."""


Input = Start | Reply | Choose | Pause | Resume | Decline | Reconsider
