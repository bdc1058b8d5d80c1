"""Remember which Slack events were already handled, so a retried delivery is not answered twice.

Slack redelivers an event it thinks failed (``X-Slack-Retry-Num``) with the same
``event_id``. The store is an interface so a shared one (Redis ``SET key 1 NX EX ttl``, a
database unique key) can replace the in-process one when more than one instance serves
the app: ``first_time`` must be one atomic check-and-record.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

RETRY_WINDOW_SECONDS = 3600.0  # Slack retries within minutes; keep ids an hour to be safe
MAX_REMEMBERED = 10_000  # about 1 MB of ids; the oldest are forgotten first
MAX_KEY_LENGTH = 200  # Slack's event ids are ~11 characters; longer keys are cut


class EventStore(Protocol):
    async def first_time(self, key: str) -> bool:
        """Record ``key``; True the first time it is seen, False on every repeat."""
        ...


class InMemoryEventStore:
    """Event ids seen in the last ``ttl`` seconds, at most ``max_size`` of them, in process.

    Safe for deliveries arriving at the same time: ``first_time`` does not await between
    looking a key up and recording it, so on one event loop no two calls interleave.
    """

    def __init__(
        self,
        *,
        ttl: float = RETRY_WINDOW_SECONDS,
        max_size: int = MAX_REMEMBERED,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0 or max_size <= 0:
            raise ValueError("ttl and max_size must be positive")
        self._ttl = ttl
        self._max_size = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # oldest first

    def __len__(self) -> int:
        return len(self._seen)

    async def first_time(self, key: str) -> bool:
        return self.record(key)

    def record(self, key: str) -> bool:
        """The synchronous, atomic check-and-record behind :meth:`first_time`."""
        key = key[:MAX_KEY_LENGTH]
        now = self._clock()
        self._forget_expired(now)
        if key in self._seen:
            return False
        while len(self._seen) >= self._max_size:
            self._seen.popitem(last=False)
        self._seen[key] = now
        return True

    def _forget_expired(self, now: float) -> None:
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at < self._ttl:
                return
            del self._seen[oldest]
