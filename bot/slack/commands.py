"""``/sro``: answered inside ``ack()``, visible only to the asker."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import messages
from bot.slack.services import Services


def register(app: AsyncApp, services: Services) -> None:
    async def answer_command(ack: AsyncAck, command: dict) -> None:
        # The response is serialised once per distinct question; ack() sends a body that
        # is a JSON document as application/json, exactly as ack(response_type=..., blocks=...)
        # would after serialising it again on every request.
        await ack(services.command_response(command.get("text", "")))

    app.command(messages.COMMAND)(answer_command)
