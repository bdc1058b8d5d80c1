"""Remember which Slack events were already handled, so a retried delivery is not answered twice.

Slack redelivers an event it thinks failed (``X-Slack-Retry-Num``) with the same
``event_id``. The store is an interface so a shared one (Redis, a database) can replace the
in-process one when more than one instance serves the app.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

RETRY_WINDOW_SECONDS = 3600.0  # Slack retries within minutes; keep ids an hour to be safe
MAX_REMEMBERED = 10_000


class EventStore(Protocol):
    async def first_time(self, key: str) -> bool:
        """Record ``key``; True the first time it is seen, False on every repeat."""
        ...


class InMemoryEventStore:
    """Event ids seen in the last ``ttl`` seconds, at most ``max_size`` of them, in process."""

    def __init__(
        self,
        *,
        ttl: float = RETRY_WINDOW_SECONDS,
        max_size: int = MAX_REMEMBERED,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max_size = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    async def first_time(self, key: str) -> bool:
        now = self._clock()
        while self._seen:
            oldest, at = next(iter(self._seen.items()))
            if now - at < self._ttl and len(self._seen) < self._max_size:
                break
            del self._seen[oldest]
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
