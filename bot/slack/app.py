"""The Bolt app: built by a factory, configured for a bot that answers from memory."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.slack import actions, commands, events
from bot.slack.services import Services

logger = logging.getLogger("bot.slack")


def configure_client(client: AsyncWebClient, settings: Settings) -> None:
    """Point Bolt's Web API client at ``SLACK_API_URL``; retry dropped connections and 429s."""
    client.base_url = settings.slack_api_url
    client.retry_handlers = [
        AsyncConnectionErrorRetryHandler(max_retry_count=1),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
    ]


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


def build_app(settings: Settings, services: Services) -> AsyncApp:
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
        request_verification_enabled=not settings.socket_mode,
        ignoring_self_events_enabled=True,
        url_verification_enabled=True,
        ssl_check_enabled=True,
        attaching_function_token_enabled=False,
        attaching_conversation_kwargs_enabled=False,
    )
    configure_client(app.client, settings)
    register_listeners(app, services)
    return app


def register_listeners(app: AsyncApp, services: Services) -> None:
    """Commands first: they are the most frequent requests and the ones a person waits on."""
    commands.register(app, services)
    actions.register(app, services)
    events.register(app, services)
