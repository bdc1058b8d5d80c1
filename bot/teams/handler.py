"""Message activities from Teams (a personal chat, or a channel @mention) answered by the core."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AIEntity,
    Attachment,
    ClientCitation,
    ClientCitationAppearance,
    InvokeResponse,
)
from microsoft_agents.hosting.core import ActivityHandler, TurnContext

from bot import messages
from bot.answering import Answerer
from bot.intent import Intent, question_of
from bot.matching import Decision, MatchResult, ScoredEntry
from bot.store.recorder import Recorder
from bot.teams import cards

SURFACE = "teams"  # the questions table's surface for a Teams message

_MENTION_TAG = re.compile(r"</?at>", re.IGNORECASE)  # other people mentioned: their names stay


def question_text(activity: Activity) -> str:
    """The person's words: the bot's own mention removed (by the activity's mention entity,
    so "@SRO Bot" in a channel is not read as part of the question)."""
    text = activity.remove_recipient_mention() if activity.recipient else (activity.text or "")
    return _MENTION_TAG.sub("", text or "")


class TeamsAnswers(ActivityHandler):
    """Answers each message with one Adaptive Card. ``answerer`` is read at each message, so a
    reloaded knowledge base is used at once. With a ``recorder``, questions and Helpful / Not
    helpful clicks are stored as Slack's are, under the Microsoft tenant's id."""

    def __init__(self, answerer: Callable[[], Answerer], recorder: Recorder | None = None) -> None:
        self._answerer = answerer
        self._recorder = recorder

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        card = self.reply(turn_context.activity)
        await turn_context.send_activity(reply_activity(card))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """The cards send messages (``Action.Submit``), never invokes; one that comes anyway is
        acknowledged and ignored (the SDK's own answer to it fails to serialize)."""
        return InvokeResponse(status=200)

    def reply(self, activity: Activity) -> cards.Card:
        answerer = self._answerer()
        if isinstance(activity.value, dict) and cards.ACTION_KEY in activity.value:
            return self._button(activity, activity.value, answerer)
        intent, question = question_of(question_text(activity))
        if intent is Intent.HELP:
            return cards.help_card()
        if intent is Intent.TOPICS:
            return cards.topics_card(answerer.knowledge)
        if intent is Intent.THANKS:
            return cards.text_card(messages.THANKS_REPLY)
        result = answerer.answer(question)
        if self._recorder is not None:
            best = result.best
            self._recorder.question(
                **_who(activity),
                surface=SURFACE,
                decision=str(result.decision),
                safety=str(result.safety.level),
                entry_id=best.entry.id if best else None,
                score=round(best.score, 1) if best else None,
                text=question,
            )
        return cards.render(result, answerer.knowledge)

    def _button(self, activity: Activity, value: dict[str, Any], answerer: Answerer) -> cards.Card:
        """A card's button: a question picked (its answer), or Helpful / Not helpful."""
        kind, entry_id = value.get(cards.ACTION_KEY), value.get("entry")
        if kind == cards.FEEDBACK:
            helpful = value.get("helpful") is True
            if self._recorder is not None and isinstance(entry_id, str) and entry_id:
                given = "helpful" if helpful else "not_helpful"
                self._recorder.feedback(**_who(activity), entry_id=entry_id, kind=given)
            return cards.feedback_thanks(helpful)
        return _picked(kind, entry_id, answerer)


def _who(activity: Activity) -> dict[str, str | None]:
    """The tenant and the person, as the recorder keeps them (the person only hashed)."""
    tenant = activity.conversation.tenant_id if activity.conversation else None
    if not tenant and isinstance(activity.channel_data, dict):
        tenant = (activity.channel_data.get("tenant") or {}).get("id")
    person = activity.from_property
    user = (person.aad_object_id or person.id) if person else None
    return {"team_id": tenant or None, "user_id": user or None}


def _picked(kind: Any, entry_id: Any, answerer: Answerer) -> cards.Card:
    """A question picked from a card: its answer."""
    entry = answerer.knowledge.get(entry_id) if isinstance(entry_id, str) else None
    if kind != cards.ASK or entry is None:
        return cards.text_card(messages.TEAMS_ENTRY_GONE)
    picked = MatchResult(
        query=entry.question, decision=Decision.ANSWER, matches=(ScoredEntry(entry, 100.0),)
    )
    return cards.render(picked, answerer.knowledge)


def reply_activity(card: cards.Card) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        summary=card.summary[:250],
        attachments=[Attachment(content_type=cards.CONTENT_TYPE, content=card.content)],
        entities=[_citations(entity) for entity in card.entities] or None,
    )


def _citations(entity: dict[str, Any]) -> AIEntity:
    """The card's citation entity as the SDK's model, which serializes it as Teams reads it."""
    return AIEntity(
        citation=[
            ClientCitation(
                position=claim["position"],
                appearance=ClientCitationAppearance(
                    name=claim["appearance"]["name"],
                    url=claim["appearance"]["url"],
                    abstract=claim["appearance"]["abstract"],
                ),
            )
            for claim in entity["citation"]
        ]
    )
