"""Domain events the interview state machine returns; adapters store them and turn them into messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    """What a channel shows for a question."""

    question_id: str
    kind: str
    text: str
    help: str | None
    position: int
    total: int
    choices: tuple[tuple[str, str], ...] = ()
    scale: tuple[int, int, str | None, str | None] | None = None
    anonymous: bool = False
    section: str | None = None


@dataclass(frozen=True)
class Started:
    pass


@dataclass(frozen=True)
class Asked:
    prompt: Prompt


@dataclass(frozen=True)
class Probed:
    """A follow-up was asked (step = the ladder step its answer will take)."""

    question_id: str
    step: int
    text: str
    reason: str
    family: str | None
    key: str | None
    repeat: bool = False  # shown again after a pause or help, not a new probe


@dataclass(frozen=True)
class Answered:
    """An answer to store: step 0 is the first answer, 1..n answer the probes."""

    question_id: str
    step: int
    text: str
    values: tuple[str, ...]
    probe_text: str | None
    probe_reason: str | None
    probe_family: str | None
    decision: str  # the prober's verdict on this answer (specific, stop_phrase, surface:price, ...)
    anonymous: bool = False
    department: str | None = None
    truncated: bool = False


@dataclass(frozen=True)
class Skipped:
    question_id: str
    step: int


@dataclass(frozen=True)
class LetGo:
    """The person declined to answer ("I'd rather not say"): said kindly, the interview moves on. `turn` (how many
    questions came before) varies the wording, so two declines in a row are not met with the same words."""

    question_id: str
    turn: int


@dataclass(frozen=True)
class WentBack:
    """The respondent went back to re-answer `question_id`; answers to `discarded` are superseded."""

    question_id: str
    discarded: tuple[str, ...]


@dataclass(frozen=True)
class Paused:
    pass


@dataclass(frozen=True)
class Resumed:
    pass


@dataclass(frozen=True)
class Declined:
    pass


@dataclass(frozen=True)
class HelpShown:
    question_help: str | None


@dataclass(frozen=True)
class Rejected:
    """Input that could not be used; `why` is a phrase key (bad_choice, noted, stale, empty, finished, ...).
    For a choice, `detail` says why it did not fit (none, ambiguous, range, one_only, too_many, exclusive) and
    `options` names the labels a hint can offer."""

    why: str
    detail: str | None
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interpreted:
    """A typed reply was read as these options without naming them exactly ("pirce" -> "Price / total cost"):
    the channel says so, and the person can go back."""

    question_id: str
    values: tuple[str, ...]
    labels: tuple[str, ...]
    kept: tuple[str, ...] = ()  # list items that named no option, kept as the person's comment


@dataclass(frozen=True)
class Reconsidered:
    """A person who had declined takes part after all."""


@dataclass(frozen=True)
class Completed:
    answered: int


Event = (Started | Asked | Probed | Answered | Skipped | LetGo | WentBack | Paused | Resumed | Declined | HelpShown
         | Rejected | Completed | Interpreted | Reconsidered)
