"""Buttons (``block_actions``): questions, "Show topics", "Share in channel", feedback.

Each listener acknowledges first and sends its reply in the background. Where the reply
goes follows where the button was: an ephemeral message is answered through its
``response_url`` (still only for the clicker), a visible message in its conversation and
thread, the App Home tab in the person's DM with the bot.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.render.blocks import (
    ANSWER_ACTION,
    HELPFUL_ACTION,
    NOT_HELPFUL_ACTION,
    SHARE_ACTION,
    TOPICS_ACTION,
    Message,
    Surface,
)
from bot.slack.services import Services, log_feedback


def _clicked(body: dict[str, Any]) -> str:
    return str((body.get("actions") or [{}])[0].get("value", ""))


def _is_ephemeral(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


async def _conversation(body: dict[str, Any], client: AsyncWebClient) -> tuple[str, str | None]:
    """The channel and thread of the message the button was on (the DM, for App Home)."""
    container = body.get("container") or {}
    if container.get("type") == "view":
        opened = await client.conversations_open(users=body["user"]["id"])
        return opened["channel"]["id"], None
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    thread_ts = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    return channel, thread_ts


async def _thank_in_conversation(body: dict[str, Any], client: AsyncWebClient, text: str) -> None:
    channel, thread_ts = await _conversation(body, client)
    await client.chat_postEphemeral(
        channel=channel, user=body["user"]["id"], thread_ts=thread_ts, text=text
    )


def register(app: AsyncApp, services: Services) -> None:
    async def send(
        body: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        ephemeral: Message,
        visible: Message,
    ) -> None:
        if _is_ephemeral(body):
            await respond(
                response_type="ephemeral", replace_original=False, **ephemeral.as_kwargs()
            )
            return
        channel, thread_ts = await _conversation(body, client)
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **visible.as_kwargs())

    async def answer_question(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        entry_id = _clicked(body)
        ephemeral = services.renderer.answer(entry_id, Surface.EPHEMERAL)
        visible = services.renderer.answer(entry_id, Surface.MESSAGE)
        if ephemeral is None or visible is None:
            ephemeral = visible = Message(messages.ENTRY_GONE, ())
        services.background.spawn(
            send(body, client, respond, ephemeral, visible), name=f"answer button {entry_id}"
        )

    async def show_topics(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        topics = services.renderer.topics
        services.background.spawn(send(body, client, respond, topics, topics), name="topics")

    async def share(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        message = services.renderer.shared(_clicked(body), body["user"]["id"])
        if message is None:
            message = Message(messages.ENTRY_GONE, ())
            work = respond(response_type="ephemeral", replace_original=False, text=message.text)
        else:
            work = respond(
                response_type="in_channel", replace_original=False, **message.as_kwargs()
            )
        services.background.spawn(work, name="share")

    async def feedback(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        await ack()
        helpful = action.get("action_id") == HELPFUL_ACTION
        log_feedback(helpful=helpful, entry_id=_clicked(body), body=body)
        thanks = services.renderer.feedback_thanks(helpful)
        if _is_ephemeral(body):
            work = respond(response_type="ephemeral", replace_original=False, text=thanks.text)
        else:
            work = _thank_in_conversation(body, client, thanks.text)
        services.background.spawn(work, name="feedback thanks")

    app.action(re.compile(rf"^{re.escape(ANSWER_ACTION)}:"))(answer_question)
    app.action(TOPICS_ACTION)(show_topics)
    app.action(SHARE_ACTION)(share)
    app.action(re.compile(f"^({re.escape(HELPFUL_ACTION)}|{re.escape(NOT_HELPFUL_ACTION)})$"))(
        feedback
    )
