"""The lead's review app: one Textual screen per step of the review, switched with 1-5, over one database."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from core.access import Reviewer, reviewer_from_env
from storage import review
from storage.uow import Database, UnitOfWork
from tui.screens.agreement import AgreementScreen
from tui.screens.answers import AnswersScreen
from tui.screens.base import USER_ERRORS, ReviewScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen
from tui.screens.opportunities import OpportunitiesScreen
from tui.screens.themes import ThemesScreen

SCREENS = {"dashboard": ("1", "Dashboard", DashboardScreen), "answers": ("2", "Answers", AnswersScreen),
           "themes": ("3", "Themes", ThemesScreen), "agreement": ("4", "Agreement", AgreementScreen),
           "opportunities": ("5", "Opportunities", OpportunitiesScreen)}


class ReviewApp(App[None]):
    """`cna tui`: review ladders, code and theme them, compare segments, prioritise opportunities."""

    TITLE = "CNA review"
    CSS_PATH = "styles/app.tcss"
    MODES: dict[str, Callable[[], Screen[Any]]] = {name: cls for name, (_k, _t, cls) in SCREENS.items()}
    DEFAULT_MODE = "dashboard"
    BINDINGS = [
        *[Binding(key, f"switch_mode('{name}')", title, show=False) for name, (key, title, _c) in SCREENS.items()],
        Binding("h", "toggle_names", "Names"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    hide_names: reactive[bool] = reactive(True)
    round_id: reactive[int | None] = reactive(None)

    def __init__(self, db_url: str | None = None, *, database: Database | None = None,
                 reviewer: Reviewer | None = None, today: date | None = None, round_id: int | None = None,
                 show_names: bool = False, retrain_every: int = 0):
        super().__init__()
        self.retrain_every = retrain_every  # 0: never retrain the coder from here (tests, embedded use)
        self._retrain: Any = None  # the background `cna train coder` process, while it runs
        self._db_url = db_url
        self._db = database
        self._owns_db = database is None  # close only what this app opened
        self._db_lock = asyncio.Lock()
        self.reviewer = reviewer or reviewer_from_env(os.environ)
        self.today = today or date.today()
        self.set_reactive(ReviewApp.round_id, round_id)
        self.set_reactive(ReviewApp.hide_names, not show_names)
        self.generation = 0  # bumped by every write and round change; screens reload when theirs is older
        self.undo_stack: list[tuple[review.Change, str]] = []  # (change, the screen it was made on), newest last
        self.last_code: str | None = None  # for "repeat last tag"
        self.recent_codes: list[str] = []
        self.round_label = ""
        self.undone: review.Change | None = None  # the last change undone (screens re-select what it touched)

    # --- database --------------------------------------------------------------------------------------

    async def database(self) -> Database:
        """The database, opened on first use inside the app's own event loop."""
        async with self._db_lock:
            if self._db is None:
                self._db = await Database.open(self._db_url, migrate=False)
                self.run_worker(self._warm(self._db), group="warm")
            return self._db

    @staticmethod
    async def _warm(db: Database) -> None:
        """Open a few pooled connections ahead of need: screens run several loads at once (page, count,
        detail), and a first connection costs a thread and the SQLite pragmas."""

        async def one() -> None:
            async with db.engine.connect() as conn:
                await asyncio.sleep(0.05)  # hold it so the others open new ones
                del conn

        await asyncio.gather(*(one() for _ in range(3)))

    async def uow(self) -> UnitOfWork:
        return (await self.database()).uow()

    async def current_round(self) -> int | None:
        """The round being reviewed (the current open round unless one was picked); sets round_label."""
        if self.round_id is None or not self.round_label:
            async with await self.uow() as uow:
                if self.round_id is None:
                    self.set_reactive(ReviewApp.round_id, await review.default_round(uow.session))
                info = next((r for r in await review.rounds(uow.session) if r.id == self.round_id), None)
                self.round_label = f"round {info.round_no} ({info.status})" if info else ""
        return self.round_id

    def scope(self) -> review.ReviewScope:
        assert self.round_id is not None
        return review.ReviewScope(self.round_id, self.reviewer)

    def changed(self) -> None:
        """Data changed: screens reload when shown; the visible one now."""
        self.generation += 1
        if isinstance(self.screen, ReviewScreen):
            self.screen.reload()
        if self.retrain_every and self._db_url:
            self.run_worker(self._maybe_retrain(), group="retrain", exclusive=True)

    async def _maybe_retrain(self) -> None:
        """After every `retrain_every` new decisions: `cna train coder` in its own low-priority process, so the
        review never waits for it; the next answers the bot codes use the new model (cna serve picks it up)."""
        from app.coder_training import due, retrain_in_background

        if self._retrain is not None and self._retrain.returncode is None:
            return
        if await due(await self.database(), self.retrain_every):
            assert self._db_url is not None
            self._retrain = await retrain_in_background(self._db_url)
            self.notify(f"Retraining the coder on your decisions in the background ({self.retrain_every}+ new)")

    def watch_round_id(self, old: int | None, new: int | None) -> None:
        if old is not None and new != old:
            self.round_label = ""
            self.undo_stack.clear()  # undo is per round: never revert a change the lead cannot see
            self.changed()

    async def on_unmount(self) -> None:
        if self._db is not None and self._owns_db:
            await self._db.close()

    # --- actions -------------------------------------------------------------------------------------------

    def action_toggle_names(self) -> None:
        self.hide_names = not self.hide_names
        if not self.hide_names:
            self.run_worker(self._audit_names(), group="audit")
            self.notify("Names are shown (recorded in the audit log). Press h to hide them again.")
        self.changed()

    async def _audit_names(self) -> None:
        if await self.current_round() is None:
            return
        async with await self.uow() as uow:
            await review.record_names_shown(uow.session, self.scope())
            await uow.commit()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        self.run_worker(self._undo(*self.undo_stack.pop()), group="write", exclusive=False)

    def undo_label(self) -> str | None:
        """What ctrl+z would undo, naming the screen when it is not the one shown."""
        if not self.undo_stack:
            return None
        change, where = self.undo_stack[-1]
        here = getattr(self.screen, "TITLE", "")
        return change.label + ("" if where == here else f" (on {where})")

    async def _undo(self, change: review.Change, where: str) -> None:
        here = getattr(self.screen, "TITLE", "")
        try:
            async with await self.uow() as uow:
                await review.undo(uow.session, change)
                await uow.commit()
        except USER_ERRORS as exc:
            self.notify(f"Could not undo {change.label}: {exc}", severity="error")
            return
        # A change the lead cannot see here is named with its screen, so nothing is reverted unnoticed.
        self.notify(f"Undone: {change.label}" + ("" if where == here else f" (on the {where} screen)"),
                    timeout=5)
        self.undone = change
        self.changed()

    def record(self, change: review.Change, where: str) -> None:
        """A write the lead made on screen `where`: undoable with ctrl+z from any screen."""
        self.undo_stack.append((change, where))
        del self.undo_stack[:-200]

    def use_code(self, code_id: str) -> None:
        self.last_code = code_id
        self.recent_codes = [code_id, *[c for c in self.recent_codes if c != code_id]][:9]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def show_ladder(self, ladder_key: str, answer_id: int | None = None) -> None:
        """Open the Answers screen on one ladder (from quotes and disagreements)."""
        self.switch_mode("answers")
        screen = self.screen
        if isinstance(screen, AnswersScreen):
            screen.show_ladder(ladder_key, answer_id)

    def show_code(self, code_id: str) -> None:
        """Open the Answers screen on the answers a code or theme counts for."""
        self.show_filter(review.AnswerFilter(code_id=code_id))

    def show_filter(self, f: review.AnswerFilter) -> None:
        """Open the Answers screen on a filter (a theme on the board, a cell of the matrix)."""
        self.switch_mode("answers")
        screen = self.screen
        if isinstance(screen, AnswersScreen):
            screen.show_filter(f)

    # --- command palette -------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for name, (key, title, _cls) in SCREENS.items():
            yield SystemCommand(f"Go to {title}", f"Show the {title} screen ({key})",
                                partial(self.switch_mode, name))
        yield SystemCommand("Hide names" if not self.hide_names else "Show names",
                            "Toggle participants' names; hidden shows pseudonyms only (h)", self.action_toggle_names)
        what = self.undo_label()
        yield SystemCommand(f"Undo: {what}" if what else "Undo", "Revert the last change of this session, on any "
                            "screen (ctrl+z)", self.action_undo)
        yield SystemCommand("Help", "Keys and what this screen is for (?)", self.action_help)
        base = screen if not isinstance(screen, HelpScreen) else screen.target
        if isinstance(base, ReviewScreen):
            for title, help_, action in base.commands():
                yield SystemCommand(title, help_, partial(base.run_action, action))
        yield from super().get_system_commands(screen)
