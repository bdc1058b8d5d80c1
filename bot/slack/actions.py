"""Buttons (``block_actions``): questions, "Show topics", "Share in channel", feedback,
"Why this answer?".

Each listener acknowledges first and sends its reply in the background. Where the reply
goes follows where the button was: an ephemeral message is answered through its
``response_url`` (still only for the clicker), a visible message in its conversation and
thread, the App Home tab in the person's DM with the bot. Replies retry like every Web API
call (``bot.slack.webapi``); one that still fails is logged with the action and the error.
A button nothing here knows is acknowledged quietly.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import messages
from bot.explain import explain
from bot.render.blocks import (
    ANSWER_ACTION,
    EXPLAIN_ACTION,
    HELPFUL_ACTION,
    NOT_HELPFUL_ACTION,
    SHARE_ACTION,
    TOPICS_ACTION,
    Message,
    Surface,
    read_explain_value,
)
from bot.render.feedback import COMMENT_CALLBACK, comment_modal, comment_of
from bot.safety import SafetyLevel
from bot.slack.outcome import Decided, Kind, Outcome, record
from bot.slack.services import Services, log_feedback
from bot.slack.webapi import deliver

IGNORED = Decided("ignored")  # a button nothing here knows, or with nowhere to reply


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return actions[0] if isinstance(actions[0], dict) else {}


def _clicked(body: dict[str, Any]) -> str:
    return str(_action(body).get("value", ""))


def _user_id(body: dict[str, Any]) -> str:
    user = body.get("user")
    return str(user.get("id", "")) if isinstance(user, dict) else ""


def _is_ephemeral(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


def _can_reply(body: dict[str, Any]) -> bool:
    """Whether the payload says where a reply would go (Slack's always does)."""
    container = body.get("container") or {}
    if _is_ephemeral(body):
        return bool(body.get("response_url"))
    if container.get("type") == "view":
        return bool(_user_id(body))
    return bool(container.get("channel_id") or (body.get("channel") or {}).get("id"))


async def _conversation(body: dict[str, Any], client: AsyncWebClient) -> tuple[str, str | None]:
    """The channel and thread of the message the button was on (the DM, for App Home)."""
    container = body.get("container") or {}
    if container.get("type") == "view":
        opened = await client.conversations_open(users=_user_id(body))
        return opened["channel"]["id"], None
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    thread_ts = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    return channel, thread_ts


def register(app: AsyncApp, services: Services) -> None:
    def spawn(body: dict[str, Any], method: str, work: Awaitable[Any], name: str) -> None:
        action = _action(body)
        services.background.spawn(
            deliver(
                work,
                method=method,
                action_id=str(action.get("action_id", "")),
                trigger_id=str(body.get("trigger_id", "")),
            ),
            name=name,
        )

    def respond(body: dict[str, Any], message: Message, **options: Any) -> Awaitable[Any]:
        content = {k: v for k, v in message.as_kwargs().items() if v}  # no empty blocks
        return services.response_url.send(str(body.get("response_url", "")), **options, **content)

    def done(context: AsyncBoltContext, body: dict[str, Any], decided: Decided) -> None:
        action_id = str(_action(body).get("action_id", ""))
        record(context, Outcome(Kind.ACTION, decided, action_id=action_id))

    async def send(
        body: dict[str, Any], client: AsyncWebClient, ephemeral: Message, visible: Message
    ) -> None:
        if _is_ephemeral(body):
            await respond(body, ephemeral, response_type="ephemeral", replace_original=False)
            return
        channel, thread_ts = await _conversation(body, client)
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **visible.as_kwargs())

    def method_of(body: dict[str, Any]) -> str:
        return "response_url" if _is_ephemeral(body) else "chat.postMessage"

    async def answer_question(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        await ack()
        if not _can_reply(body):
            done(context, body, IGNORED)
            return
        entry_id = _clicked(body)
        renderer = services.for_team(context.team_id).renderer
        ephemeral = renderer.answer(entry_id, Surface.EPHEMERAL)
        visible = renderer.answer(entry_id, Surface.MESSAGE)
        decided = Decided("answer", entry_id)
        if ephemeral is None or visible is None:
            ephemeral = visible = Message(messages.ENTRY_GONE, ())
            decided = Decided("entry_gone")
        done(context, body, decided)
        spawn(
            body,
            method_of(body),
            send(body, client, ephemeral, visible),
            name=f"answer button {entry_id}",
        )

    async def show_topics(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        await ack()
        if not _can_reply(body):
            done(context, body, IGNORED)
            return
        done(context, body, Decided("topics"))
        topics = services.for_team(context.team_id).renderer.topics
        spawn(body, method_of(body), send(body, client, topics, topics), name="topics")

    async def share(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        if not body.get("response_url"):
            done(context, body, IGNORED)
            return
        entry_id = _clicked(body)
        message = services.for_team(context.team_id).renderer.shared(entry_id, _user_id(body))
        if message is None:
            done(context, body, Decided("entry_gone"))
            gone = Message(messages.ENTRY_GONE, ())
            work = respond(body, gone, response_type="ephemeral", replace_original=False)
        else:
            done(context, body, Decided("share", entry_id))
            work = share_then_tidy(body, message)
        spawn(body, "response_url", work, name="share")

    async def share_then_tidy(body: dict[str, Any], message: Message) -> None:
        """Post the answer visibly; then the private copy it was shared from goes away."""
        await respond(body, message, response_type="in_channel", replace_original=False)
        if _is_ephemeral(body):
            url = str(body.get("response_url", ""))
            await services.response_url.send(url, delete_original=True)

    async def feedback(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        helpful = action.get("action_id") == HELPFUL_ACTION
        # "Not helpful" under an answer to a typed question carries that question.
        entry_id, question = read_explain_value(_clicked(body)) or (_clicked(body), None)
        log_feedback(helpful=helpful, entry_id=entry_id, body=body)
        if services.recorder is not None and entry_id:
            services.recorder.feedback(
                team_id=context.team_id,
                user_id=context.user_id,
                entry_id=entry_id,
                kind="helpful" if helpful else "not_helpful",
                text=question if question and is_safe_to_keep(question) else None,
            )
        if not helpful and entry_id and body.get("trigger_id"):
            # Ask what they were looking for; a trigger_id is good for 3 s, so at once.
            modal = client.views_open(trigger_id=body["trigger_id"], view=comment_modal(entry_id))
            spawn(body, "views.open", modal, name="feedback comment modal")
        if not _can_reply(body):
            done(context, body, IGNORED)
            return
        done(context, body, Decided("helpful" if helpful else "not_helpful", entry_id))
        thanks = services.for_team(context.team_id).renderer.feedback_thanks(helpful)
        if _is_ephemeral(body):
            work = respond(body, thanks, response_type="ephemeral", replace_original=False)
            method = "response_url"
        else:
            work = thank_in_conversation(body, client, thanks.text)
            method = "chat.postEphemeral"
        spawn(body, method, work, name="feedback thanks")

    async def thank_in_conversation(
        body: dict[str, Any], client: AsyncWebClient, text: str
    ) -> None:
        channel, thread_ts = await _conversation(body, client)
        await client.chat_postEphemeral(
            channel=channel, user=_user_id(body), thread_ts=thread_ts, text=text
        )

    async def save_comment(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        await ack()
        comment = comment_of(view)
        entry_id = str(view.get("private_metadata") or "")
        record(context, Outcome(Kind.ACTION, Decided("comment", entry_id or None)))
        if services.recorder is not None and comment and entry_id:
            services.recorder.feedback(
                team_id=context.team_id,
                user_id=context.user_id,
                entry_id=entry_id,
                kind="comment",
                text=comment,
            )

    async def explain_answer(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """The explanation of an answer, to the clicker only. The button carries the question,
        which is asked again: the same knowledge gives the same result for the same words."""
        await ack()
        if not _can_reply(body):
            done(context, body, IGNORED)
            return
        message, decided = explanation_for(_clicked(body), context.team_id)
        done(context, body, decided)
        if _is_ephemeral(body):
            work = respond(body, message, response_type="ephemeral", replace_original=False)
            method = "response_url"
        else:
            work = explain_in_conversation(body, client, message)
            method = "chat.postEphemeral"
        spawn(body, method, work, name="explanation")

    def explanation_for(value: str, team_id: str | None) -> tuple[Message, Decided]:
        replies = services.for_team(team_id)
        answerer, renderer = replies.answerer, replies.renderer
        clicked = read_explain_value(value)
        if clicked is None:
            return Message(messages.EXPLAIN_MALFORMED, ()), Decided("explain_malformed")
        entry_id, question = clicked
        if answerer.knowledge.get(entry_id) is None:
            return Message(messages.EXPLAIN_GONE, ()), Decided("entry_gone", entry_id)
        result = answerer.answer(question)
        changed = not result.matches or result.matches[0].entry.id != entry_id
        message = renderer.explanation(explain(result, answerer.matcher), changed=changed)
        return message, Decided("explain", entry_id)

    async def explain_in_conversation(
        body: dict[str, Any], client: AsyncWebClient, message: Message
    ) -> None:
        channel, thread_ts = await _conversation(body, client)
        content = {k: v for k, v in message.as_kwargs().items() if v}  # no empty blocks
        await client.chat_postEphemeral(
            channel=channel, user=_user_id(body), thread_ts=thread_ts, **content
        )

    def is_safe_to_keep(question: str) -> bool:
        """The text of a message read as a possible emergency is never stored."""
        return services.answerer.safety.check(question).level is SafetyLevel.NONE

    async def ignore(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        done(context, body, IGNORED)

    app.action(re.compile(rf"^{re.escape(ANSWER_ACTION)}:"))(answer_question)
    app.action(TOPICS_ACTION)(show_topics)
    app.action(SHARE_ACTION)(share)
    app.action(re.compile(f"^({re.escape(HELPFUL_ACTION)}|{re.escape(NOT_HELPFUL_ACTION)})$"))(
        feedback
    )
    app.view(COMMENT_CALLBACK)(save_comment)
    app.action(EXPLAIN_ACTION)(explain_answer)
    app.action(re.compile(r".*"))(ignore)  # registered last: buttons nothing else knows
