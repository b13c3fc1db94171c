"""What every review screen shares: reload when data changed, database writes in workers, palette commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, ClassVar, cast

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from core.analysis import ScoreError
from storage import review
from tui.host import ReviewHost
from tui.widgets.nav import NavBar

# Errors shown as a message instead of ending the app: the reviewer's own mistakes, and the database being
# busy or gone (the bot writes to the same database; a locked SQLite file or a restarted server is transient).
USER_ERRORS = (review.ReviewError, review.NotVisible, ScoreError, LookupError, SQLAlchemyError)


class ReviewScreen(Screen[None]):
    """A screen that loads its data in a worker and reloads whenever the data or the round changed."""

    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""  # Markdown shown by '?': what the screen is for, beyond the keys

    def __init__(self) -> None:
        super().__init__()
        self.loaded_generation = -1

    @property
    def rapp(self) -> ReviewHost:
        return cast(ReviewHost, self.app)

    def header(self) -> NavBar:
        return NavBar(self.TITLE)

    def footer(self) -> Footer:
        return Footer()

    def on_mount(self) -> None:
        self.title = f"CNA review · {self.TITLE}"
        self.set_class(self.compact, "compact")

    def on_screen_resume(self) -> None:
        if self.loaded_generation != self.rapp.generation:
            self.reload()
        else:
            self.show_nav()

    def show_nav(self) -> None:
        for nav in self.query(NavBar):
            nav.show(self.rapp.round_label, self.rapp.reviewer.name, self.rapp.hide_names)

    COMPACT: ClassVar[int] = 100  # below this many columns screens use their compact layout (80x24 and up)

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < self.COMPACT, "compact")
        self.show_nav()

    @property
    def compact(self) -> bool:
        return self.app.size.width < self.COMPACT

    def reload(self) -> None:
        self.loaded_generation = self.rapp.generation
        self._load()

    @work(exclusive=True, group="load")
    async def _load(self) -> None:
        if await self.rapp.current_round() is None:
            self.notify("The database has no assessment yet: create one with 'cna assessment create' "
                        "or try 'cna demo --no-interview'.", severity="warning", timeout=10)
            return
        self.show_nav()
        try:
            await self.load()
        except USER_ERRORS as exc:
            self.notify(_message(exc), severity="error")

    async def load(self) -> None:
        """Read what the screen shows (runs in a worker)."""

    def write(self, fn: Callable[[AsyncSession, review.ReviewScope], Awaitable[Any]],
              done: str | Callable[[Any], str] | None = None) -> None:
        """Run one database write in a worker: commit, make each Change it returns undoable, reload."""
        self._write(fn, done)

    @work(group="write")
    async def _write(self, fn: Callable[[AsyncSession, review.ReviewScope], Awaitable[Any]],
                     done: str | Callable[[Any], str] | None) -> None:
        try:
            async with await self.rapp.uow() as uow:
                result = await fn(uow.session, self.rapp.scope())
                await uow.commit()
        except USER_ERRORS as exc:
            self.notify(_message(exc), severity="error")
            return
        changes = [c for c in (result if isinstance(result, tuple) else (result,)) if isinstance(c, review.Change)]
        for c in changes:
            self.rapp.record(c, self.TITLE)
        message = done(result) if callable(done) else done or (changes[0].label if changes else None)
        if message:
            self.notify(message + (" · ctrl+z undoes" if changes else ""), timeout=3)
        self.rapp.changed()

    def edit_memo(self, kind: str, target: str | int, title: str, name: str | None = None) -> None:
        """Open the memo dialog on a target (answer, code, opportunity, round) and save what the lead writes."""
        from tui.screens.memo_dialog import MemoDialog  # a dialog module, imported where it is used

        async def load() -> None:
            async with await self.rapp.uow() as uow:
                memo = await review.get_memo(uow.session, self.rapp.scope(), kind, target)
            self.app.push_screen(MemoDialog(title, memo), save)

        def save(result: tuple[str, bool] | None) -> None:
            if result is not None:
                text, in_report = result
                self.write(lambda s, scope: review.set_memo(s, scope, kind, target, text, in_report=in_report,
                                                            title=name))

        self.run_worker(load(), group="memo", exclusive=True)

    def commands(self) -> Iterator[tuple[str, str, str]]:
        """(title, help, action) for the command palette: every described key of this screen."""
        for b in self.BINDINGS:
            if isinstance(b, Binding) and b.description:
                key = b.key_display or b.key
                yield f"{self.TITLE}: {b.description}", f"{b.tooltip or b.description} ({key})", b.action


def _message(exc: BaseException) -> str:
    if isinstance(exc, SQLAlchemyError):
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return f"Database error: {reason}. Try again in a moment."
    return str(exc)
