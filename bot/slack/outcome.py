"""What a listener decided for a request: kept in Bolt's context, and logged.

A Bolt middleware (``bot.slack.request_log``) starts each request's log in the context;
recording the outcome writes its line, so the listeners only say what they did.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

OUTCOME_KEY = "sro_outcome"
REQUEST_LOG_KEY = "sro_request_log"


class Kind(StrEnum):
    COMMAND = "command"
    MENTION = "mention"
    DM = "dm"
    ACTION = "action"
    HOME = "home"
    EVENT = "event"  # an event nothing answers (a bot's message, an edit, an unknown type)


@dataclass(frozen=True, slots=True)
class Decided:
    """The answer chosen for some words: help, topics, or the core's decision."""

    decision: str  # answer, suggest, no_match, crisis, local, help, topics
    entry_id: str | None = None
    score: float | None = None
    safety: str = "none"  # the safety check's level: none, notice, crisis


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Kind
    decided: Decided
    question: str | None = None  # logged only with SRO_LOG_QUESTIONS=1
    event_id: str | None = None
    action_id: str | None = None


def record(context: Any, outcome: Outcome) -> None:
    """Keep ``outcome`` in a Bolt context (a dict) and write the request's log line."""
    context[OUTCOME_KEY] = outcome
    request_log = context.get(REQUEST_LOG_KEY)
    if request_log is not None:
        request_log.write(outcome)
