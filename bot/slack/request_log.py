"""One log line per request a listener handles, HTTP and Socket Mode alike, and with a
database one stored row per question asked (``bot.store.recorder``).

Bolt's middleware runs before the listeners, not around them, so a global middleware
(registered here) starts each request's :class:`RequestLog` in the Bolt context, and the
listener writes the line when it records what it decided (``bot.slack.outcome.record``).
The question is logged only when ``SRO_LOG_QUESTIONS`` is on; the recorder decides what
of it is stored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot import log_messages
from bot.logs import fields
from bot.slack.outcome import REQUEST_LOG_KEY, Kind, Outcome
from bot.store.recorder import Recorder

request_logger = logging.getLogger("bot.requests")


# Where a question was asked, as stored; other kinds (buttons, App Home) are not questions.
SURFACES = {Kind.COMMAND: "slash", Kind.MENTION: "mention", Kind.DM: "dm"}
STORED_DECISIONS = frozenset(("answer", "suggest", "no_match", "crisis", "local"))


@dataclass(frozen=True, slots=True)
class RequestLog:
    mode: str  # "http" or "socket_mode"
    retry_num: str | None
    log_questions: bool
    recorder: Recorder | None = None
    team_id: str | None = None
    user_id: str | None = None
    started: float = field(default_factory=time.perf_counter)

    def write(self, outcome: Outcome) -> None:
        self._store(outcome)
        if not request_logger.isEnabledFor(logging.INFO):
            return
        decided = outcome.decided
        request_logger.info(
            log_messages.REQUEST,
            extra=fields(
                mode=self.mode,
                kind=str(outcome.kind),
                decision=decided.decision,
                entry=decided.entry_id,
                score=decided.score,
                latency_ms=round((time.perf_counter() - self.started) * 1000, 3),
                event_id=outcome.event_id,
                retry_num=self.retry_num,
                action_id=outcome.action_id,
                question=outcome.question if self.log_questions else None,
            ),
        )

    def _store(self, outcome: Outcome) -> None:
        decided = outcome.decided
        surface = SURFACES.get(outcome.kind)
        if self.recorder is None or surface is None or decided.decision not in STORED_DECISIONS:
            return
        self.recorder.question(
            team_id=self.team_id,
            user_id=self.user_id,
            surface=surface,
            decision=decided.decision,
            safety=decided.safety,
            entry_id=decided.entry_id,
            score=decided.score,
            text=outcome.question or "",
        )


class StartRequestLog(AsyncMiddleware):
    """A global middleware: puts a :class:`RequestLog` in each request's context.

    A subclass rather than a decorated function: Bolt inspects a function's parameters
    on every request to pass it its arguments, and this runs for every request.
    """

    def __init__(self, *, log_questions: bool, recorder: Recorder | None = None) -> None:
        self.log_questions = log_questions
        self.recorder = recorder

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        retry_num = (req.headers.get("x-slack-retry-num") or [None])[0]
        req.context[REQUEST_LOG_KEY] = RequestLog(
            req.mode,
            retry_num,
            self.log_questions,
            self.recorder,
            req.context.team_id,
            req.context.user_id,
        )
        return await next()


def register(app: AsyncApp, *, log_questions: bool, recorder: Recorder | None = None) -> None:
    app.use(StartRequestLog(log_questions=log_questions, recorder=recorder))
