"""Events API: ``app_mention`` (reply in thread), ``message.im`` (reply in the DM), App Home.

Each listener returns at once, so Slack's acknowledgement never waits on the Web API; the
reply is sent in the background, once per ``event_id`` however often Slack redelivers it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.render.blocks import Surface
from bot.slack.services import Services
from bot.slack.text import without_mention

logger = logging.getLogger(__name__)


def _is_from_a_bot(event: dict[str, Any], context: AsyncBoltContext) -> bool:
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or (context.bot_user_id and event.get("user") == context.bot_user_id)
    )


def register(app: AsyncApp, services: Services) -> None:
    async def first_delivery(body: dict[str, Any]) -> bool:
        event_id = body.get("event_id")
        return not event_id or await services.events.first_time(event_id)

    async def reply_to_mention(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        channel = event.get("channel", "")
        if channel.startswith("D") or _is_from_a_bot(event, context):
            return  # a DM is answered by the message listener; bots are never answered
        if not await first_delivery(body):
            return
        text = without_mention(event.get("text", ""), context.bot_user_id)
        message = services.reply(text, Surface.MESSAGE)
        thread_ts = event.get("thread_ts") or event.get("ts")
        services.background.spawn(
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message.as_kwargs()),
            name=f"reply to mention {body.get('event_id')}",
        )

    async def reply_to_direct_message(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if event.get("channel_type") != "im" or event.get("subtype"):
            return  # edits, deletions, joins and the like are not questions
        if _is_from_a_bot(event, context) or not await first_delivery(body):
            return
        text = without_mention(event.get("text", ""), context.bot_user_id)
        message = services.reply(text, Surface.MESSAGE)
        services.background.spawn(
            client.chat_postMessage(
                channel=event["channel"], thread_ts=event.get("thread_ts"), **message.as_kwargs()
            ),
            name=f"reply to DM {body.get('event_id')}",
        )

    async def publish_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        services.background.spawn(
            client.views_publish(user_id=event["user"], view=services.renderer.home_view),
            name=f"publish Home for {event['user']}",
        )

    app.event("app_mention")(reply_to_mention)
    app.event("message")(reply_to_direct_message)
    app.event("app_home_opened")(publish_home)
