"""The plan marks: which interviews (and rounds) changed since the sweeper last planned them, read and forgotten.

Triggers write them (migration 0011) whenever something planning reads changes. The planner reads the marks
before it reads any data, so the data it weighs is at least as new as each mark; after its writes committed it
deletes each mark only if its token is still the one it read. A change committed later, in whatever order
transactions commit and whatever the clocks say, has written a new token (or a new mark) and stays for the next
plan; a kill -9 before the delete leaves the marks, and planning them again is idempotent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import and_, bindparam, delete, insert, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PlanMark
from storage.thread_writes import write_transaction
from storage.uow import Database

PAGE = 500  # marks read per statement and forgotten per transaction
INTERVIEW, ROUND, PLANNING = "i", "a", "w"
T = TypeVar("T")


@dataclass
class Marks:
    """The marks one plan read: (kind, ref_id, token) each."""

    seen: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def interviews(self) -> list[int]:
        return sorted({ref for kind, ref, _ in self.seen if kind == INTERVIEW})

    @property
    def rounds(self) -> list[int]:
        return sorted({ref for kind, ref, _ in self.seen if kind == ROUND})


async def read_marks(s: AsyncSession) -> Marks:
    """Every mark now, in pages by key (a busy minute marks every interview that had an input)."""
    marks = Marks()
    after: tuple[str, int] = ("", 0)
    while True:
        page = (await s.execute(select(PlanMark.kind, PlanMark.ref_id, PlanMark.token)
                                .where(tuple_(PlanMark.kind, PlanMark.ref_id) > tuple_(*after))
                                .order_by(PlanMark.kind, PlanMark.ref_id).limit(PAGE))).all()
        marks.seen.extend((k, int(r), int(t)) for k, r, t in page)
        if len(page) < PAGE:
            return marks
        after = (page[-1][0], int(page[-1][1]))
        await asyncio.sleep(0)


_FORGET = delete(PlanMark).where(and_(PlanMark.kind == bindparam("k"), PlanMark.ref_id == bindparam("r"),
                                      PlanMark.token == bindparam("t")))


def _forget_page(rows: list[dict[str, object]], conn: Connection) -> None:
    conn.execute(_FORGET, rows)


_PLANNING = insert(PlanMark).values(kind=PLANNING, ref_id=0, token=0)
_PLANNED = delete(PlanMark).where(PlanMark.kind == PLANNING)


def as_planner(conn: Connection, fn: Callable[[Connection], T]) -> T:
    """fn(conn) inside the planner's write transaction, marking nothing: a row no other transaction ever sees
    (deleted before the commit) tells the schedule items' triggers that the planner writes."""
    conn.execute(_PLANNING)
    out = fn(conn)
    conn.execute(_PLANNED)
    return out


async def forget_marks(db: Database, marks: Marks) -> None:
    """Delete the marks a plan read, each only if no write touched it since (its token is unchanged)."""
    rows: list[dict[str, object]] = [{"k": k, "r": r, "t": t} for k, r, t in marks.seen]
    for i in range(0, len(rows), PAGE):
        await write_transaction(db, lambda conn, page=rows[i:i + PAGE]: _forget_page(page, conn))
