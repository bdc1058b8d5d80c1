"""Event de-duplication shared by every process, on Redis (``REDIS_URL``).

``first_time`` is one ``SET key 1 NX EX ttl``: atomic across processes. While Redis is
down or slow, the outage is logged once and the in-process store answers (a retry that
reaches another process may then be answered twice, a reply is never lost); each key is
also recorded in process, so the fallback knows what this process saw before.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot import log_messages
from bot.slack.dedupe import MAX_KEY_LENGTH, RETRY_WINDOW_SECONDS, InMemoryEventStore

logger = logging.getLogger(__name__)

KEY_PREFIX = "sro-bot:event:"
TIMEOUT_SECONDS = 0.25  # a reply waits at most this long on Redis before the fallback


class RedisEventStore:
    def __init__(
        self,
        url: str,
        *,
        ttl: float = RETRY_WINDOW_SECONDS,
        timeout: float = TIMEOUT_SECONDS,
        fallback: InMemoryEventStore | None = None,
    ) -> None:
        self.redis = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry_on_timeout=False
        )
        self.ttl = int(ttl)
        self.fallback = fallback or InMemoryEventStore(ttl=ttl)
        self._down = False

    async def first_time(self, key: str) -> bool:
        key = key[:MAX_KEY_LENGTH]
        seen_here = not self.fallback.record(key)
        try:
            first = await self.redis.set(KEY_PREFIX + key, b"1", nx=True, ex=self.ttl)
        except (RedisError, OSError, TimeoutError) as error:
            if not self._down:
                logger.error(log_messages.REDIS_DOWN, type(error).__name__)
            self._down = True
            return not seen_here
        if self._down:
            logger.info(log_messages.REDIS_BACK)
            self._down = False
        return bool(first)

    async def close(self) -> None:
        await self.redis.aclose()
