"""Events API: ``app_mention`` (reply in thread), ``message.im`` (reply in the DM), App Home.

Each listener returns at once, so Slack's acknowledgement never waits on the Web API; the
reply is sent in the background, once per ``event_id`` however often Slack redelivers it
(two deliveries arriving together included: the store answers "first time" once).
Events nothing answers (another type, a bot's message, an edit) are acknowledged quietly.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import log_messages, messages
from bot.render.blocks import Surface
from bot.render.report import summary_blocks, with_maintainers_section
from bot.slack.outcome import Decided, Kind, Outcome, record
from bot.slack.services import Services
from bot.slack.text import without_mention
from bot.slack.webapi import deliver
from bot.store.recorder import describe_error as describe_db_error
from bot.store.report import build_report

logger = logging.getLogger(__name__)
HOME_REPORT_SECONDS = 2.0  # App Home waits no longer for the maintainers' figures

DUPLICATE = Decided("duplicate")  # a redelivery of an event already answered
IGNORED = Decided("ignored")  # not a question for the bot


def _is_from_a_bot(event: dict[str, Any], context: AsyncBoltContext) -> bool:
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or (context.bot_user_id and event.get("user") == context.bot_user_id)
    )


def register(app: AsyncApp, services: Services) -> None:
    async def first_delivery(body: dict[str, Any], event: dict[str, Any]) -> bool:
        """Slack redelivers with the same ``event_id``, and sometimes delivers the same
        message again under a new one: either seen before is a repeat."""
        keys = [str(body["event_id"])] if body.get("event_id") else []
        if event.get("channel") and event.get("ts"):
            keys.append(f"{body.get('team_id')}:{event['channel']}:{event['ts']}")
        firsts = [await services.events.first_time(key) for key in keys]
        return all(firsts)

    async def answer(
        *,
        kind: Kind,
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        thread_ts: str | None,
    ) -> None:
        event_id = body.get("event_id")
        if not await first_delivery(body, event):
            record(context, Outcome(kind, DUPLICATE, event_id=event_id))
            return
        text = without_mention(event.get("text") or "", context.bot_user_id)
        message, decided = services.reply(text, Surface.MESSAGE, context.team_id)
        record(context, Outcome(kind, decided, question=text.strip(), event_id=event_id))
        post = client.chat_postMessage(
            channel=event.get("channel") or "", thread_ts=thread_ts, **message.as_kwargs()
        )
        services.background.spawn(
            deliver(post, method="chat.postMessage", event_id=event_id, kind=kind),
            name=f"reply to {kind} {event_id}",
        )

    async def reply_to_mention(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        channel = event.get("channel") or ""
        if not channel or channel.startswith("D") or _is_from_a_bot(event, context):
            # a DM is answered by the message listener; bots are never answered
            record(context, Outcome(Kind.MENTION, IGNORED, event_id=body.get("event_id")))
            return
        thread_ts = event.get("thread_ts") or event.get("ts")
        await answer(
            kind=Kind.MENTION,
            event=event,
            body=body,
            client=client,
            context=context,
            thread_ts=thread_ts,
        )

    async def reply_to_direct_message(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        ignored = (
            event.get("channel_type") != "im"
            or event.get("subtype")  # edits, deletions, joins and the like are not questions
            or not event.get("channel")
            or _is_from_a_bot(event, context)
        )
        if ignored:
            record(context, Outcome(Kind.EVENT, IGNORED, event_id=body.get("event_id")))
            return
        await answer(
            kind=Kind.DM,
            event=event,
            body=body,
            client=client,
            context=context,
            thread_ts=event.get("thread_ts"),
        )

    async def publish_home(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        event_id = body.get("event_id")
        user = event.get("user")
        if event.get("tab", "home") != "home" or not user:
            record(context, Outcome(Kind.HOME, IGNORED, event_id=event_id))
            return
        record(context, Outcome(Kind.HOME, Decided("home"), event_id=event_id))
        publish = publish_to(client, user, context.team_id)
        services.background.spawn(
            deliver(publish, method="views.publish", event_id=event_id, kind=Kind.HOME),
            name=f"publish Home for {user}",
        )

    async def publish_to(client: AsyncWebClient, user: str, team_id: str | None) -> None:
        await client.views_publish(user_id=user, view=await home_view_for(user, team_id))

    async def home_view_for(user: str, team_id: str | None) -> dict[str, Any]:
        """The App Home; a maintainer's has the last week's figures first."""
        home = services.for_team(team_id).renderer.home_view
        recorder = services.recorder
        if user not in services.admins or recorder is None or not recorder.database.is_open:
            return home
        try:
            report = await asyncio.wait_for(
                build_report(recorder.database, services.answerer.matcher, days=7),
                HOME_REPORT_SECONDS,
            )
        except Exception as error:  # the database is down or slow: the usual Home
            logger.error(log_messages.HOME_REPORT_FAILED, describe_db_error(error))
            return home
        return with_maintainers_section(home, summary_blocks(report, messages.HOME_MAINTAINERS))

    async def ignore(body: dict[str, Any], context: AsyncBoltContext) -> None:
        record(context, Outcome(Kind.EVENT, IGNORED, event_id=body.get("event_id")))

    app.event("app_mention")(reply_to_mention)
    app.event("message")(reply_to_direct_message)
    app.event("app_home_opened")(publish_home)
    app.event(re.compile(r".*"))(ignore)  # registered last: only what nothing else takes
