"""The Bolt app: built by a factory, configured for a bot that answers from memory."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot import log_messages
from bot.config import Settings
from bot.logs import fields
from bot.slack import actions, commands, events
from bot.slack.services import Services
from bot.slack.webapi import ResponseUrl, configure_client

logger = logging.getLogger("bot.slack")

__all__ = ["SingleWorkspaceApp", "build_app", "configure_client", "register_listeners"]


class SingleWorkspaceApp(AsyncApp):
    """Bolt's AsyncApp for one workspace with one fixed bot token.

    Since 1.15 Bolt builds a new ``AsyncWebClient`` (and its User-Agent string) for every
    request, so that a listener changing ``client.token`` cannot affect other requests.
    This app never changes a token (no OAuth, no multi-team authorize, no function
    tokens), so every request shares the app's client, and its logger. This is the only
    Bolt behaviour changed; dispatch, verification and routing are Bolt's own.
    """

    def _init_context(self, req: AsyncBoltRequest) -> None:
        req.context["logger"] = self.logger
        req.context["token"] = self.client.token
        req.context["client"] = self.client
        req.context["listener_runner"] = self.listener_runner

    def remember_identity(self, auth_test: AsyncSlackResponse) -> None:
        """Give Bolt the ``auth.test`` result from start-up, so no request waits on its own."""
        for middleware in self._async_middleware_list:
            if isinstance(middleware, AsyncSingleTeamAuthorization):
                middleware.auth_test_result = auth_test


async def quiet_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """A listener that raised: logged, and Slack gets an empty 200 rather than Bolt's 500.

    A listener's work is deterministic (the Web API is called in the background), so Slack
    redelivering the same request would only fail the same way again.
    """
    logger.error(
        log_messages.LISTENER_FAILED,
        exc_info=error,
        extra=fields(event_id=body.get("event_id"), type=body.get("type")),
    )
    return BoltResponse(status=200, body="")


def build_app(settings: Settings, services: Services) -> SingleWorkspaceApp:
    """A Bolt ``AsyncApp`` with every listener registered.

    ``process_before_response=True``: each listener finishes before the HTTP response, so a
    slash command's answer goes back inside ``ack()`` with no polling delay; listeners that
    call the Web API hand that work to ``services.background`` and return at once.
    """
    app = SingleWorkspaceApp(
        name="sro-bot",
        logger=logger,
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        # Every HTTP request is verified once, by bot.slack.gate, before Bolt sees it;
        # Socket Mode requests arrive over Slack's own authenticated WebSocket.
        request_verification_enabled=False,
        # The listeners ignore every bot's messages, this one's included (events.py).
        ignoring_self_events_enabled=False,
        url_verification_enabled=True,
        ssl_check_enabled=True,
        attaching_function_token_enabled=False,
        attaching_conversation_kwargs_enabled=False,
    )
    configure_client(app.client, settings)
    services.response_url = ResponseUrl.from_settings(settings)
    app.error(quiet_error)
    register_listeners(app, services)
    return app


def register_listeners(app: AsyncApp, services: Services) -> None:
    """Commands first: they are the most frequent requests and the ones a person waits on."""
    commands.register(app, services)
    actions.register(app, services)
    events.register(app, services)
