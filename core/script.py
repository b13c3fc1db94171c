"""The interview script model: questions, probe policy, branching and sensitivity, validated by pydantic."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LANGS = ("en", "zh")
QuestionKind = Literal["open", "single", "multi", "scale", "yesno"]
ProbeFamily = Literal["ladder_up", "clarify", "example", "number", "consequence", "contrast", "dont_know"]
PROBE_FAMILIES: tuple[str, ...] = (
    "ladder_up", "clarify", "example", "number", "consequence", "contrast", "dont_know",
)
INTERNAL_ROLES = (
    "sales", "service", "marketing", "operations", "finance", "it", "leadership", "other",
)
CUSTOMER_SEGMENTS = ("current", "past", "prospective")
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Audience(_Strict):
    """Who a script is for: an internal role or a customer segment."""

    kind: Literal["internal", "customer"]
    role: str | None = None
    segment: str | None = None

    @model_validator(mode="after")
    def _role_or_segment(self) -> Audience:
        if self.kind == "internal":
            if self.role not in INTERNAL_ROLES:
                raise ValueError(f"internal audience needs role, one of: {', '.join(INTERNAL_ROLES)}")
            if self.segment is not None:
                raise ValueError("internal audience takes role, not segment")
        else:
            if self.segment not in CUSTOMER_SEGMENTS:
                raise ValueError(f"customer audience needs segment, one of: {', '.join(CUSTOMER_SEGMENTS)}")
            if self.role is not None:
                raise ValueError("customer audience takes segment, not role")
        return self

    @property
    def label(self) -> str:
        """The segment name used in analysis: 'internal:sales' or 'customer:current'."""
        return f"{self.kind}:{self.role or self.segment}"


class Choice(_Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    label: Annotated[str, Field(min_length=1, max_length=75)]
    exclusive: bool = False  # in a multi question, e.g. "none of these": cannot be ticked with others


class Scale(_Strict):
    min: int = 1
    max: int = 5
    min_label: str | None = None
    max_label: str | None = None

    @model_validator(mode="after")
    def _order(self) -> Scale:
        if not self.min < self.max or self.max - self.min > 10:
            raise ValueError("scale needs min < max and at most 11 points (e.g. 0..10 for NPS)")
        return self


class ProbePolicy(_Strict):
    max_depth: Annotated[int, Field(ge=0, le=5)] = 3
    families: tuple[ProbeFamily, ...] = PROBE_FAMILIES  # type: ignore[assignment]


class Condition(_Strict):
    """A branching rule on an earlier answer: the question is asked only when it holds."""

    question: Annotated[str, Field(pattern=ID_PATTERN)]
    equals: str | None = None
    in_: tuple[str, ...] | None = Field(default=None, alias="in")
    not_in: tuple[str, ...] | None = None
    answered: bool | None = None
    min: float | None = None
    max: float | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [self.equals, self.in_, self.not_in, self.answered, self.min, self.max]
        if all(t is None for t in tests):
            raise ValueError("a condition needs one of: equals, in, not_in, answered, min, max")
        return self


class When(_Strict):
    """All of `all` and at least one of `any` (when given) must hold."""

    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()

    @model_validator(mode="after")
    def _non_empty(self) -> When:
        if not self.all and not self.any:
            raise ValueError("'when' needs 'all' or 'any' with at least one condition")
        return self

    def conditions(self) -> tuple[Condition, ...]:
        return self.all + self.any


class Sensitivity(_Strict):
    anonymous: bool = False
    department: str | None = None  # only reviewers allowed for this department may read the answer


class Question(_Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    kind: QuestionKind
    text: Annotated[str, Field(min_length=1, max_length=2900)]
    help: str | None = None
    intent: Annotated[str, Field(min_length=1)]
    choices: tuple[Choice, ...] = ()
    max_choices: Annotated[int, Field(ge=1)] | None = None  # multi only: "pick up to three"
    scale: Scale | None = None
    probe: ProbePolicy = ProbePolicy()
    when: When | None = None
    codes: tuple[str, ...] = ()
    sensitivity: Sensitivity = Sensitivity()
    section: str | None = None
    # "Anything else?": "nothing" is a fair answer here and ends the question; elsewhere it is probed.
    closing: bool = False

    @model_validator(mode="after")
    def _kind_fields(self) -> Question:
        if self.kind in ("single", "multi"):
            if len(self.choices) < 2:
                raise ValueError(f"a {self.kind} question needs at least 2 choices")
            ids = [c.id for c in self.choices]
            if len(set(ids)) != len(ids):
                raise ValueError("choice ids must be unique within a question")
        elif self.choices:
            raise ValueError(f"a {self.kind} question takes no choices (only single and multi do)")
        if self.kind != "multi" and (self.max_choices is not None or any(c.exclusive for c in self.choices)):
            raise ValueError("max_choices and exclusive choices only apply to multi questions")
        if self.kind == "scale" and self.scale is None:
            raise ValueError("a scale question needs 'scale: {min: 1, max: 5}'")
        if self.kind != "scale" and self.scale is not None:
            raise ValueError("only scale questions take 'scale'")
        return self

    def choice_label(self, choice_id: str) -> str:
        for c in self.choices:
            if c.id == choice_id:
                return c.label
        return choice_id


class Script(_Strict):
    """One interview script in one language."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    version: Annotated[int, Field(ge=1)] = 1
    lang: Literal["en", "zh"]
    title: Annotated[str, Field(min_length=1, max_length=150)]
    audience: Audience
    description: str | None = None
    intro: Annotated[str, Field(min_length=1)]
    consent: Annotated[str, Field(min_length=1)]
    outro: Annotated[str, Field(min_length=1)]
    minutes: Annotated[int, Field(ge=1, le=120)] = 15
    questions: Annotated[tuple[Question, ...], Field(min_length=1)]

    @field_validator("lang", mode="before")
    @classmethod
    def _lang_tag(cls, v: object) -> object:
        if isinstance(v, str) and v.lower() in ("zh-hans", "zh-cn", "zh_cn"):
            return "zh"
        return v

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def index(self, qid: str) -> int:
        for i, q in enumerate(self.questions):
            if q.id == qid:
                return i
        raise KeyError(qid)

    @property
    def key(self) -> str:
        return f"{self.id}.{self.lang}"
