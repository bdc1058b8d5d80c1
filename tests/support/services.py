"""Real PostgreSQL and Redis for tests: a database of the test's own, or a skip (a failure
where ``SRO_REQUIRE_POSTGRES`` / ``SRO_REQUIRE_REDIS`` is 1, as in CI)."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator

import pytest

POSTGRES = os.environ.get("SRO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("SRO_TEST_REDIS", "redis://127.0.0.1:6379/15")


def _unavailable(what: str, flag: str, error: BaseException) -> None:
    reason = f"{what} is not running: {error!r}"
    if os.environ.get(flag) == "1":
        pytest.fail(reason)
    pytest.skip(reason)


async def fresh_postgres() -> AsyncIterator[str]:
    """The URL (postgresql+asyncpg://) of a new, empty database; dropped afterwards."""
    import asyncpg

    try:
        admin = await asyncpg.connect(POSTGRES, timeout=3)
    except (OSError, TimeoutError) as error:
        _unavailable(f"PostgreSQL at {POSTGRES}", "SRO_REQUIRE_POSTGRES", error)
    name = f"sro_test_{secrets.token_hex(6)}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def redis_url() -> str:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        await client.ping()
    except Exception as error:
        _unavailable(f"Redis at {REDIS}", "SRO_REQUIRE_REDIS", error)
    finally:
        await client.aclose()
    return REDIS
