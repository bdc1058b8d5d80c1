"""Whether the server should get traffic: knowledge loaded, and Slack accepted the token.

``/healthz`` says the process is alive; ``/readyz`` says it can answer. In HTTP mode with a
bot token, ``auth.test`` is called in the background at start-up (against ``SLACK_API_URL``)
and repeated until it succeeds; ``/readyz`` is 503 until then, and again once stopping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot import log_messages
from bot.slack.webapi import describe_error

logger = logging.getLogger("bot.readiness")

AUTH_TEST_INTERVAL = 5.0  # seconds between auth.test attempts while it fails
# Slack's errors for a token it will not accept as it is: a person must change it.
TOKEN_REJECTED = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


@dataclass(slots=True)
class Readiness:
    knowledge_loaded: bool = False
    identity_confirmed: bool = False
    # Many workspaces: the database that holds the installations has been opened.
    installations_ready: bool = True
    stopping: bool = False
    # Socket Mode: whether the WebSocket to Slack is open and answering pings right now.
    socket_connected: Callable[[], Awaitable[bool]] | None = None

    @property
    def ready(self) -> bool:
        return (
            self.knowledge_loaded
            and self.identity_confirmed
            and self.installations_ready
            and not self.stopping
        )

    def describe(self) -> dict[str, bool]:
        return {
            "knowledge_loaded": self.knowledge_loaded,
            "slack_auth": self.identity_confirmed,
            "installations": self.installations_ready,
            "stopping": self.stopping,
        }


async def confirm_identity(
    *,
    client: AsyncWebClient,
    readiness: Readiness,
    on_success: Callable[[AsyncSlackResponse], None],
    interval: float = AUTH_TEST_INTERVAL,
) -> None:
    """Call ``auth.test`` (with the client's retries) until Slack accepts the token."""
    while True:
        try:
            result = await client.auth_test()
        except Exception as error:  # a probe: whatever failed, log it and try again
            rejected = isinstance(error, SlackApiError) and error.response.get("error") in (
                TOKEN_REJECTED
            )
            message = log_messages.TOKEN_REJECTED if rejected else log_messages.AUTH_TEST_FAILED
            logger.error(message, describe_error(error), interval)
            await asyncio.sleep(interval)
            continue
        on_success(result)
        readiness.identity_confirmed = True
        logger.info(log_messages.READY, result.get("team_id"), result.get("user_id"))
        return
