"""Reloading the knowledge while ``serve`` runs: when its files change, and on SIGHUP.

The new knowledge is loaded, validated and indexed (its entry model fitted if need be) in
a worker thread while requests go on being answered from the old; then one reference,
``Services.replies``, is replaced. A request computes on the ``Replies`` it started with.
Knowledge that does not load (a file caught mid-write too) leaves the old in place, is
logged with its file, line and field, and is tried again when the files change again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from bot import log_messages
from bot.answering import Answerer
from bot.knowledge import KnowledgeError, knowledge_files, knowledge_layers, load_knowledge
from bot.logs import fields
from bot.safety import SafetyCheck
from bot.slack.services import Replies, Services

PROBLEMS_LOGGED = 10  # in the one line of a failed reload; `sro-bot check` lists them all

logger = logging.getLogger("bot.reload")

# (path, inode, size, modification time in ns) of each knowledge file.
Fingerprint = tuple[tuple[str, int, int, int], ...]


def fingerprint(layers: Sequence[Path]) -> Fingerprint:
    """What changes when a knowledge file of ``layers`` is edited, replaced (as editors and
    Kubernetes' ConfigMap volumes do), added or removed."""
    seen = []
    for layer in layers:
        for file in knowledge_files(layer):
            try:
                stat = file.stat()
            except OSError:  # removed since it was listed, or a dangling link
                seen.append((str(file), -1, -1, -1))
                continue
            seen.append((str(file), stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(seen)


class KnowledgeReloader:
    """Reloads the knowledge of ``services`` from the layers it was first loaded from."""

    def __init__(
        self,
        services: Services,
        knowledge_dir: Path | None,
        *,
        bundled: bool,
        loaded: Fingerprint | None = None,
    ) -> None:
        """``loaded``: the files' fingerprint taken before the knowledge being served was
        loaded (default: now), so an edit made while it loaded is reloaded."""
        self.services = services
        self.knowledge_dir = knowledge_dir
        self.bundled = bundled
        self.layers = knowledge_layers(knowledge_dir, bundled=bundled)
        self._seen = fingerprint(self.layers) if loaded is None else loaded
        self._requested = asyncio.Event()

    def request(self) -> None:
        """Reload soon, whether the files changed or not (on SIGHUP)."""
        self._requested.set()

    async def watch(self, interval: float) -> None:
        """Reload when asked, and when the files change, looked at every ``interval``
        seconds (0: only when asked) and once at the start. Runs until cancelled."""
        asked = False
        while True:
            current = fingerprint(self.layers)
            if asked or current != self._seen:
                # Taken before loading: a change made while loading is seen next time.
                self._seen = current
                await self.reload("SIGHUP" if asked else "files changed")
            asked = await self._next(interval)

    async def _next(self, interval: float) -> bool:
        """Wait ``interval`` seconds or for a request; whether there was a request."""
        if interval > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._requested.wait(), interval)
        else:
            await self._requested.wait()
        asked = self._requested.is_set()
        self._requested.clear()
        return asked

    async def reload(self, reason: str = "asked") -> bool:
        """Build the knowledge's replies anew in a worker thread, then swap them in.

        False (and logged) when it does not load: the old knowledge goes on answering.
        """
        old = self.services.replies
        before = len(old.answerer.knowledge)
        started = time.perf_counter()
        try:
            replies = await asyncio.to_thread(self._build, old.answerer.safety)
        except KnowledgeError as error:
            problems = [str(p) for p in error.problems]
            if len(problems) > PROBLEMS_LOGGED:
                more = len(problems) - PROBLEMS_LOGGED
                problems[PROBLEMS_LOGGED:] = [f"and {more} more: run sro-bot check"]
            logger.error(
                log_messages.RELOAD_FAILED,
                reason,
                before,
                " | ".join(problems),
                extra=fields(problems=len(error.problems)),
            )
            return False
        except Exception:  # whatever else breaks a reload must not stop the server
            logger.exception(log_messages.RELOAD_CRASHED, reason, before)
            return False
        self.services.replies = replies
        seconds = time.perf_counter() - started
        logger.info(
            log_messages.RELOADED,
            reason,
            len(replies.answerer.knowledge),
            seconds,
            extra=fields(entries=len(replies.answerer.knowledge), seconds=round(seconds, 3)),
        )
        return True

    def _build(self, safety: SafetyCheck) -> Replies:
        # The safety check (its model and SRO_CRISIS_FILE) is not knowledge: kept as loaded.
        knowledge = load_knowledge(self.knowledge_dir, bundled=self.bundled)
        return Replies(Answerer(knowledge, safety=safety))
