"""The Bolt app: built by a factory, configured for a bot that answers from memory."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import log_messages
from bot.config import Settings
from bot.logs import fields
from bot.slack import actions, commands, distribution, events, request_log
from bot.slack.identity import Identity
from bot.slack.services import Services
from bot.slack.webapi import ResponseUrl, configure_client

logger = logging.getLogger("bot.slack")
bolt_logger = logging.getLogger("bot.slack.bolt")  # Bolt's own lines (bot.logs quiets them)

__all__ = ["build_app", "configure_client", "register_listeners"]


class _Dropping(logging.Filter):
    """Drops log records of one exact message."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self.message


async def quiet_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """A listener that raised: logged, and Slack gets an empty 200 rather than Bolt's 500.

    A listener's work is deterministic (the Web API is called in the background), so Slack
    redelivering the same request would only fail the same way again. A well-formed
    request no listener handles (a shortcut, a closed view, another app's command) gets the
    same quiet 200 instead of Bolt's 404, logged only at debug level.
    """
    if isinstance(error, BoltUnhandledRequestError):
        logger.debug(log_messages.UNHANDLED, extra=fields(type=body.get("type")))
        return BoltResponse(status=200, body="")
    logger.error(
        log_messages.LISTENER_FAILED,
        exc_info=error,
        extra=fields(event_id=body.get("event_id"), type=body.get("type")),
    )
    return BoltResponse(status=200, body="")


def build_app(
    settings: Settings,
    services: Services,
    identity: Identity,
    oauth: AsyncOAuthSettings | None = None,
) -> AsyncApp:
    """A Bolt ``AsyncApp`` with every listener registered.

    ``process_before_response=True``: each listener finishes before the HTTP response, so a
    slash command's answer goes back inside ``ack()`` with no polling delay; listeners that
    call the Web API hand that work to ``services.background`` and return at once.
    ``authorize`` answers from ``identity`` (memory), so no request waits on ``auth.test``;
    with ``oauth`` (many workspaces) each request is authorized from its installation.
    """
    # No token here: Bolt gives each request's client the token ``authorize`` returns.
    client = AsyncWebClient()
    configure_client(client, settings)
    # Bolt reads SLACK_BOT_TOKEN from the environment itself, and warns that the client
    # given wins over it: here that is the intent, so the warning would only mislead.
    token_skipped = _Dropping(warning_client_prioritized_and_token_skipped())
    bolt_logger.addFilter(token_skipped)
    app = AsyncApp(
        name="sro-bot",
        logger=bolt_logger,
        client=client,
        **({"oauth_settings": oauth} if oauth else {"authorize": identity}),
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
        raise_error_for_unhandled_request=True,
    )
    bolt_logger.removeFilter(token_skipped)
    services.response_url = ResponseUrl.from_settings(settings)
    app.error(quiet_error)
    request_log.register(app, log_questions=settings.log_questions, recorder=services.recorder)
    register_listeners(app, services)
    return app


def register_listeners(app: AsyncApp, services: Services) -> None:
    """Commands first: they are the most frequent requests and the ones a person waits on."""
    commands.register(app, services)
    actions.register(app, services)
    distribution.register(app, services)  # before the events' catch-all
    events.register(app, services)
