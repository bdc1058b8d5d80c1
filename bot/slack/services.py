"""What the Slack listeners share: the core, the renderer, the event store, background work."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.answering import Answerer
from bot.intent import Intent, question_of
from bot.render.blocks import BlockRenderer, Message, Surface
from bot.slack.background import Background
from bot.slack.dedupe import EventStore, InMemoryEventStore
from bot.slack.outcome import Decided
from bot.slack.webapi import ResponseUrl
from bot.store.recorder import Recorder

feedback_logger = logging.getLogger("bot.feedback")
REPLY_CACHE_SIZE = 2048  # distinct questions whose replies are kept; an FAQ repeats a lot
# Only questions this short are kept (a long one is rarely asked twice), which bounds the
# cache in bytes as well as in count: a Slack message may hold 40,000 characters.
CACHED_TEXT_CHARS = 1000


class Replies:
    """What one version of the knowledge says: the core, its renderer, and caches of the
    replies they gave. Never changed once built: a reload builds another, so a request
    computes wholly on the one it started with and no cache mixes two versions."""

    __slots__ = ("_cached_command_response", "_cached_reply", "answerer", "renderer")

    def __init__(self, answerer: Answerer, renderer: BlockRenderer | None = None) -> None:
        self.answerer = answerer
        self.renderer = renderer or BlockRenderer(answerer.knowledge)
        # The same words always get the same reply from this knowledge: keep the most
        # recent ones instead of recomputing.
        self._cached_reply: Callable[[str, Surface], tuple[Message, Decided]] = lru_cache(
            maxsize=REPLY_CACHE_SIZE
        )(self._reply)
        self._cached_command_response: Callable[[str], tuple[str, Decided]] = lru_cache(
            maxsize=REPLY_CACHE_SIZE
        )(self._command_response)

    def reply(self, text: str, surface: Surface) -> tuple[Message, Decided]:
        """The message answering what a person typed (help, topics, or the core's result)."""
        if len(text) > CACHED_TEXT_CHARS:
            return self._reply(text, surface)
        return self._cached_reply(text, surface)

    def command_response(self, text: str) -> tuple[str, Decided]:
        """The whole slash command response, ephemeral, as the JSON document Slack reads."""
        if len(text) > CACHED_TEXT_CHARS:
            return self._command_response(text)
        return self._cached_command_response(text)

    def _command_response(self, text: str) -> tuple[str, Decided]:
        message, decided = self.reply(text, Surface.EPHEMERAL)
        return json.dumps({"response_type": "ephemeral", **message.as_kwargs()}), decided

    def _reply(self, text: str, surface: Surface) -> tuple[Message, Decided]:
        intent, question = question_of(text)
        if intent is Intent.HELP:
            return self.renderer.help, Decided("help")
        if intent is Intent.TOPICS:
            return self.renderer.topics, Decided("topics")
        if intent is Intent.THANKS:
            return self.renderer.thanks, Decided("thanks")
        result = self.answerer.answer(question)
        best = result.best
        decided = Decided(
            str(result.decision),
            best.entry.id if best else None,
            round(best.score, 1) if best else None,
            str(result.safety.level),
        )
        return self.renderer.render(result, surface), decided


@dataclass(slots=True)
class Services:
    """Built once at start-up and handed to every listener. ``replies`` is replaced as a
    whole when the knowledge is reloaded (``bot.reload``)."""

    replies: Replies
    events: EventStore = field(default_factory=InMemoryEventStore)
    background: Background = field(default_factory=Background)
    response_url: ResponseUrl = field(default_factory=ResponseUrl)  # build_app configures it
    recorder: Recorder | None = None  # None: nothing is stored (no database configured)
    admins: frozenset[str] = frozenset()  # user ids shown the maintainers' part of App Home
    teams: dict[str, Replies] = field(default_factory=dict)  # workspaces' own knowledge

    @classmethod
    def build(cls, answerer: Answerer, *, events: EventStore | None = None) -> Services:
        return cls(Replies(answerer), events or InMemoryEventStore())

    @property
    def answerer(self) -> Answerer:
        return self.replies.answerer

    @property
    def renderer(self) -> BlockRenderer:
        return self.replies.renderer

    def for_team(self, team_id: str | None) -> Replies:
        """The replies of a workspace's own knowledge if it has some, else the shared."""
        return self.teams.get(team_id or "", self.replies)

    def reply(
        self, text: str, surface: Surface, team_id: str | None = None
    ) -> tuple[Message, Decided]:
        return self.for_team(team_id).reply(text, surface)

    def command_response(self, text: str, team_id: str | None = None) -> tuple[str, Decided]:
        return self.for_team(team_id).command_response(text)


def log_feedback(*, helpful: bool, entry_id: str, body: dict[str, Any]) -> None:
    """One structured (JSON) log line per Helpful / Not helpful click; storage comes later."""
    container = body.get("container") or {}
    record = {
        "event": "feedback",
        "helpful": helpful,
        "entry": entry_id,
        "team": (body.get("team") or {}).get("id"),
        "user": (body.get("user") or {}).get("id"),
        "channel": container.get("channel_id"),
        "surface": "ephemeral" if container.get("is_ephemeral") else container.get("type"),
    }
    feedback_logger.info(json.dumps(record, sort_keys=True))
