"""Event de-duplication on a real Redis (127.0.0.1:6379), and without one."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from bot.slack.redis_events import RedisEventStore
from tests.support.services import redis_url as real_redis_url


@pytest.fixture
async def redis_url() -> str:
    return await real_redis_url()


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
