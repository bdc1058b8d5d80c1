"""``/sro``: answered inside ``ack()``, visible only to the asker."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot import messages
from bot.slack.outcome import Kind, Outcome, record
from bot.slack.services import Services


def register(app: AsyncApp, services: Services) -> None:
    async def answer_command(
        ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        text = command.get("text") or ""
        # The response is serialised once per distinct question; ack() sends a body that
        # is a JSON document as application/json, exactly as ack(response_type=..., blocks=...)
        # would after serialising it again on every request.
        response, decided = services.command_response(text, context.team_id)
        await ack(response)
        record(context, Outcome(Kind.COMMAND, decided, question=text.strip()))

    app.command(messages.COMMAND)(answer_command)
