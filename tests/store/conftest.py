"""Databases for storage tests: SQLite always; PostgreSQL on 127.0.0.1:5432 when it runs
(see tests/support/services.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.services import fresh_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path) -> AsyncIterator[str]:
    """A SQLAlchemy URL of an empty database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'sro-bot.db'}"
        return
    async for url in fresh_postgres():
        yield url
