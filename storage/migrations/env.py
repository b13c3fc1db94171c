"""Alembic environment: runs on the connection storage.db hands over, or on CNA_DATABASE_URL."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base

target_metadata = Base.metadata


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Autogenerate leaves the search index alone: it is built by hand in 0010 (FTS5 tables, a pg_trgm index)."""
    return not (name or "").startswith(("answer_search", "ix_answers_text_trgm"))


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      include_name=_include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.db import make_engine

    async def main() -> None:
        engine = make_engine(context.config.get_main_option("sqlalchemy.url") or None)
        async with engine.begin() as conn:
            await conn.run_sync(_run)
        await engine.dispose()

    asyncio.run(main())


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; use 'cna db upgrade'")
run_migrations_online()
