"""Databases for storage tests: SQLite always; PostgreSQL on 127.0.0.1:5432 when it runs.

Each PostgreSQL test gets a database of its own, dropped afterwards. Where PostgreSQL is
not running the PostgreSQL cases skip and say why, unless ``SRO_REQUIRE_POSTGRES=1`` (CI
sets it): then a missing PostgreSQL fails them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator

import pytest

POSTGRES = os.environ.get("SRO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


async def _admin():
    import asyncpg

    return await asyncpg.connect(POSTGRES, timeout=3)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path) -> AsyncIterator[str]:
    """A SQLAlchemy URL of an empty database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'sro-bot.db'}"
        return
    async for url in fresh_postgres():
        yield url


async def fresh_postgres() -> AsyncIterator[str]:
    try:
        admin = await _admin()
    except (OSError, TimeoutError) as error:
        reason = f"PostgreSQL is not running at {POSTGRES}: {error}"
        if os.environ.get("SRO_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"sro_test_{secrets.token_hex(6)}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
