"""What a listener decided for a request, recorded in Bolt's context for the request log.

The server writes one log line per handled request from it (see ``bot.server``), so the
listeners only say what they did, and the timing is measured around the whole request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

OUTCOME_KEY = "sro_outcome"


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

    decision: str  # answer, suggest, no_match, crisis, help, topics
    entry_id: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Kind
    decided: Decided
    question: str | None = None  # logged only with SRO_LOG_QUESTIONS=1
    event_id: str | None = None
    action_id: str | None = None


def record(context: Any, outcome: Outcome) -> None:
    """Keep ``outcome`` in a Bolt context (a dict) for the server's request log."""
    context[OUTCOME_KEY] = outcome


def recorded(context: Any) -> Outcome | None:
    outcome = context.get(OUTCOME_KEY)
    return outcome if isinstance(outcome, Outcome) else None
