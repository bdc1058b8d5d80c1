"""Event de-duplication on a real Redis (127.0.0.1:6379), and without one."""

from __future__ import annotations

import asyncio
import os
import secrets

import pytest

from bot.slack.redis_events import RedisEventStore

REDIS_URL = os.environ.get("SRO_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture
async def redis_url():
    store = RedisEventStore(REDIS_URL, timeout=1.0)
    try:
        await store.redis.ping()
    except Exception as error:
        reason = f"Redis is not running at {REDIS_URL}: {error!r}"
        if os.environ.get("SRO_REQUIRE_REDIS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        await store.close()
    return REDIS_URL


async def test_two_processes_stores_agree_on_the_first_delivery(redis_url):
    one, two = RedisEventStore(redis_url), RedisEventStore(redis_url)
    key = f"Ev{secrets.token_hex(6)}"
    answers = await asyncio.gather(*(s.first_time(key) for s in (one, two, one, two)))
    assert sorted(answers) == [False, False, False, True]
    assert await two.first_time(f"{key}-other")
    ttl = await one.redis.ttl(f"sro-bot:event:{key}")
    assert 0 < ttl <= 3600
    await one.close()
    await two.close()


async def test_redis_down_falls_back_to_this_process_and_says_so_once(caplog):
    store = RedisEventStore("redis://127.0.0.1:9/0", timeout=0.2)
    assert await store.first_time("EvA")
    assert not await store.first_time("EvA")  # still de-duplicated, in process
    assert await store.first_time("EvB")
    failures = [r for r in caplog.records if r.name == "bot.slack.redis_events"]
    assert len(failures) == 1 and "Redis unavailable" in failures[0].getMessage()
    await store.close()
