"""Work that runs after Slack has its acknowledgement: replies sent through the Web API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot import log_messages

logger = logging.getLogger(__name__)


class Background:
    """Runs coroutines as tasks, keeps them referenced until done, and logs their failures."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            # Only shutdown cancels work: a reply that had not gone out by then never will.
            logger.error(log_messages.WORK_CANCELLED, task.get_name())
        elif task.exception() is not None:
            logger.error(log_messages.WORK_FAILED, task.get_name(), exc_info=task.exception())

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for pending work (at shutdown), cancelling what is still running at ``timeout``."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        # Let the cancelled work end (and be logged as not delivered) before returning.
        await asyncio.gather(*pending, return_exceptions=True)
