"""Searching answer text: the SQL condition, served by a trigram index (SQLite FTS5, PostgreSQL pg_trgm)."""

from __future__ import annotations

import weakref

from sqlalchemy import ColumnElement, Select, and_, column, func, select, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer

# SQLite: an external-content FTS5 table over answers.text (migration 0010), kept in step by triggers on answers,
# so it stores no copy of the words, only their trigrams. PostgreSQL: a GIN pg_trgm index on answers.text that
# the planner uses for ILIKE by itself, so the condition there stays a plain ILIKE.
FTS_TABLE = "answer_search"
MIN_INDEXED = 3  # a trigram index cannot look up fewer characters; shorter terms (e.g. 价格) scan with LIKE
# A page of a common term is found fastest by reading answers in list order until the page is full (few rows
# read); a rare term's page and any count are found fastest through the index. The index tells which case it is
# by stopping at this many hits.
COMMON = 2000

_fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))
_has_index: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def escape_like(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, with % and _ taken literally (escape character '\\')."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def fts_phrase(term: str) -> str:
    """An FTS5 query for `term` as one phrase: with the trigram tokenizer, any substring of the text."""
    return '"' + term.replace('"', '""') + '"'


def search_condition(term: str, dialect: str, indexed: bool) -> ColumnElement[bool]:
    """SQL: the answer's text contains `term` (ASCII case ignored on SQLite, as its LIKE does; any case on
    PostgreSQL, as ILIKE does). With the SQLite index, the index finds the candidates and the same LIKE as
    without it decides, so results never depend on whether the index exists."""
    if dialect != "sqlite":
        return Answer.text.ilike(escape_like(term), escape="\\")
    like = Answer.text.like(escape_like(term), escape="\\")
    if not indexed or len(term) < MIN_INDEXED:
        return like
    return and_(Answer.id.in_(_hits(term)), like)


def _hits(term: str) -> Select[tuple[int]]:
    return select(_fts.c.rowid).where(_fts.c[FTS_TABLE].op("MATCH")(fts_phrase(term)))


async def use_index(s: AsyncSession, term: str, *, page: bool) -> bool:
    """Whether to search `term` through the index: for counts whenever it can, for a page only when the term
    is rare (see COMMON)."""
    if len(term) < MIN_INDEXED or not await has_index(s):
        return False
    if not page:
        return True
    found = await s.scalar(select(func.count()).select_from(_hits(term).limit(COMMON).subquery()))
    return (found or 0) < COMMON


async def has_index(s: AsyncSession) -> bool:
    """Whether the SQLite database has the FTS5 index (migration 0010 skips it where SQLite lacks FTS5 or its
    trigram tokenizer)."""
    bind = s.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    if _has_index.get(bind.engine):
        return True
    found = bool(await s.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n"),
                                {"n": FTS_TABLE}))
    if found:  # only a yes is kept: a database migrated later in the process is asked again
        _has_index[bind.engine] = True
    return found


async def purge_deleted(s: AsyncSession) -> None:
    """After answers were deleted (erasure, retention): merge the index so that the deleted answers' trigrams
    are gone from it, not only marked deleted (FTS5 keeps them in older segments until a merge). With
    secure_delete the freed pages are overwritten too. Nothing to do on PostgreSQL (VACUUM, docs/privacy.md)."""
    if await has_index(s):
        await s.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))
