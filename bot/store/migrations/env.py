"""Alembic's environment: migrations run on the async engine sro-bot uses."""

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.store.schema import metadata

# Several processes may start at once against one PostgreSQL: one migrates at a time.
_MIGRATION_LOCK = 0x5F0B07


def _migrate(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run() -> None:
    # The URL comes as an attribute, not an option: options are %-interpolated and logged.
    engine = create_async_engine(context.config.attributes["url"], poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_migrate)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("sro-bot migrates a live database only (no --sql)")
asyncio.run(_run())
