"""What a review screen needs from the app that hosts it: a Protocol, so screens never import the app."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Protocol

from core.access import Reviewer
from storage import review
from storage.uow import UnitOfWork


class ReviewHost(Protocol):
    """The review app as its screens see it (tui.app.ReviewApp implements it)."""

    reviewer: Reviewer
    today: date
    generation: int
    hide_names: bool
    round_id: int | None
    round_label: str
    last_code: str | None
    recent_codes: list[str]
    undone: review.Change | None

    def uow(self) -> Awaitable[UnitOfWork]: ...

    def current_round(self) -> Awaitable[int | None]: ...

    def scope(self) -> review.ReviewScope: ...

    def changed(self) -> None: ...

    def record(self, change: review.Change, where: str) -> None: ...

    def use_code(self, code_id: str) -> None: ...

    def show_ladder(self, ladder_key: str, answer_id: int | None = None) -> None: ...

    def show_code(self, code_id: str) -> None: ...

    def show_filter(self, f: review.AnswerFilter) -> None: ...
