"""Rows written behind the replies: queued, batched, and never in a reply's way.

:meth:`Recorder.add` only appends to a bounded queue. One task opens the database
(migrating it), then writes what is queued in batches. While the database is down or slow
the queue keeps the newest rows (the oldest are dropped and counted once it is full), the
outage is logged once, and writing resumes when the database is back. Text older than the
retention period is cleared once an hour.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections import deque
from typing import Any

from sqlalchemy import Table, delete, update
from sqlalchemy.exc import DBAPIError

from bot import log_messages
from bot.store.database import Database
from bot.store.schema import feedback, questions

logger = logging.getLogger(__name__)

MAX_QUEUED = 20_000  # rows; about 10 MB at the longest question text kept
BATCH = 2000
WRITE_INTERVAL = 1.0  # seconds between writes while rows keep coming
RETRY_INTERVAL = 5.0  # seconds between attempts while the database is down
PURGE_INTERVAL = 3600.0
KEEP_TEXT_OF = frozenset(("no_match", "suggest"))  # decisions whose question text is kept
MAX_TEXT_CHARS = 1000


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class _Seconds:
    """The time of a row, to the second: one datetime made per second, not per row (a
    measurable share of a request at thousands of questions a second)."""

    def __init__(self) -> None:
        self._second = -1
        self._at = utc_now()

    def __call__(self) -> dt.datetime:
        second = int(time.time())
        if second != self._second:
            self._second = second
            self._at = dt.datetime.fromtimestamp(second, dt.UTC).replace(tzinfo=None)
        return self._at


class Recorder:
    def __init__(
        self,
        database: Database,
        *,
        retention_days: int,
        max_queued: int = MAX_QUEUED,
        retry_interval: float = RETRY_INTERVAL,
    ) -> None:
        self.database = database
        self.retention_days = retention_days
        self.retry_interval = retry_interval
        self._queue: deque[tuple[Table, dict[str, Any]]] = deque(maxlen=max_queued)
        self._wake = asyncio.Event()
        self.dropped = 0
        self.written = 0
        self._down = False
        self._purged_at = float("-inf")
        self._now = _Seconds()
        self.opened = asyncio.Event()  # set once the database is migrated and open

    def __len__(self) -> int:
        return len(self._queue)

    def question(
        self,
        *,
        team_id: str | None,
        user_id: str | None,
        surface: str,
        decision: str,
        safety: str,
        entry_id: str | None,
        score: float | None,
        text: str,
    ) -> None:
        """One question answered in Slack. Its text is kept only where the maintainers
        need it, and never for a message read as a possible emergency."""
        kept = decision in KEEP_TEXT_OF and safety == "none"
        row = {
            "asked_at": self._now(),
            "team_id": team_id,
            **self._user(team_id, user_id),
            "surface": surface,
            "decision": decision,
            "safety": safety,
            "entry_id": entry_id,
            "score": score,
            "text": text[:MAX_TEXT_CHARS] if kept else None,
        }
        self.add(questions, row)

    def feedback(
        self,
        *,
        team_id: str | None,
        user_id: str | None,
        entry_id: str,
        kind: str,
        text: str | None = None,
    ) -> None:
        """A Helpful / Not helpful click, or what a person said they were looking for."""
        row = {
            "given_at": self._now(),
            "team_id": team_id,
            **self._user(team_id, user_id),
            "entry_id": entry_id[:200],
            "kind": kind,
            "text": text[:MAX_TEXT_CHARS] if text else None,
        }
        self.add(feedback, row)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        if len(self._queue) == self._queue.maxlen:
            self.dropped += 1
        self._queue.append((table, row))
        if len(self._queue) >= BATCH:
            self._wake.set()

    async def run(self) -> None:
        """Open the database, then write and purge until cancelled."""
        while not await self._attempt(self.database.open):
            await asyncio.sleep(self.retry_interval)
        self.opened.set()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), WRITE_INTERVAL)
            self._wake.clear()
            if not await self.flush():
                await asyncio.sleep(self.retry_interval)
                continue
            now = asyncio.get_running_loop().time()
            if now - self._purged_at > PURGE_INTERVAL and await self._attempt(self.purge):
                self._purged_at = now

    async def flush(self) -> bool:
        """Write every queued row; False if the database failed (the rows stay queued)."""
        while self._queue and self.database.is_open:
            batch = [self._queue.popleft() for _ in range(min(BATCH, len(self._queue)))]
            if not await self._attempt(self._write, batch):
                # Back to the front, newest kept if the queue filled meanwhile.
                room = self._queue.maxlen - len(self._queue)
                self.dropped += max(0, len(batch) - room)
                self._queue.extendleft(reversed(batch[len(batch) - room :] if room else []))
                return False
        return True

    async def _write(self, batch: list[tuple[Table, dict[str, Any]]]) -> None:
        async with self.database.engine.begin() as connection:
            for table in (questions, feedback):
                rows = [self._stored(row) for t, row in batch if t is table]
                if rows:
                    await connection.execute(table.insert(), rows)
        self.written += len(batch)

    def _user(self, team_id: str | None, user_id: str | None) -> dict[str, str | None]:
        """The user as stored: hashed, or (before the database has given its salt) kept
        as it is until the row is written."""
        if self.database.is_open:
            return {"user_hash": self.database.hash_user(team_id, user_id)}
        return {"user_hash": None, "user_id": user_id}

    def _stored(self, row: dict[str, Any]) -> dict[str, Any]:
        if "user_id" not in row:
            return row
        stored = {k: v for k, v in row.items() if k != "user_id"}
        stored["user_hash"] = self.database.hash_user(row["team_id"], row["user_id"])
        return stored

    async def forget_team(self, team_id: str, *, after: float = 0) -> None:
        """Delete everything stored about a workspace (it uninstalled the app), queued
        rows included (after ``after`` seconds, if given)."""
        await asyncio.sleep(after)
        self._queue = deque(
            ((t, row) for t, row in self._queue if row.get("team_id") != team_id),
            maxlen=self._queue.maxlen,
        )
        async with self.database.engine.begin() as connection:
            for table in (questions, feedback):
                await connection.execute(delete(table).where(table.c.team_id == team_id))

    async def purge(self) -> None:
        """Clear the text kept longer than the retention period."""
        before = utc_now() - dt.timedelta(days=self.retention_days)
        async with self.database.engine.begin() as connection:
            for table, at in ((questions, questions.c.asked_at), (feedback, feedback.c.given_at)):
                await connection.execute(
                    update(table).where(at < before, table.c.text.is_not(None)).values(text=None)
                )

    async def _attempt(self, work: Any, *args: Any) -> bool:
        try:
            await work(*args)
        except Exception as error:  # a database down, slow or refusing: answering goes on
            if not self._down:
                logger.error(log_messages.DATABASE_DOWN, describe_error(error), len(self._queue))
            self._down = True
            return False
        if self._down:
            logger.info(log_messages.DATABASE_BACK, self.dropped)
        self._down = False
        return True

    async def close(self, timeout: float) -> None:
        """Write what is queued, for at most ``timeout`` seconds (at shutdown)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.flush(), timeout)
        if self._queue or self.dropped:
            logger.error(log_messages.ROWS_NOT_WRITTEN, len(self._queue) + self.dropped)


def describe_error(error: BaseException) -> str:
    """Why a database call failed, without SQLAlchemy's [SQL: ...] and [parameters: ...]
    (parameters hold what people typed)."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    return f"{type(error).__name__}: {str(error)[:200]}" if str(error) else type(error).__name__
