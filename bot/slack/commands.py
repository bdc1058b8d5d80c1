"""``/sro``: answered inside ``ack()``, visible only to the asker."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import messages
from bot.render.blocks import Surface
from bot.slack.services import Services


def register(app: AsyncApp, services: Services) -> None:
    async def answer_command(ack: AsyncAck, command: dict) -> None:
        message = services.reply(command.get("text", ""), Surface.EPHEMERAL)
        await ack(response_type="ephemeral", **message.as_kwargs())

    app.command(messages.COMMAND)(answer_command)
