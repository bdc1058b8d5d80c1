"""``POST /api/messages``: the Teams endpoint on the same aiohttp server as Slack's.

The token is checked first (401, and no reply, for anything not signed for this bot), then
the activity is read (400 if it is not one), then the Agents SDK's ``CloudAdapter`` runs the
turn: :class:`~bot.teams.handler.TeamsAnswers` answers, and the SDK posts the reply to the
activity's ``serviceUrl`` with the bot's own token (MSAL, from the app id and secret).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable

from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import Connections, TurnContext
from pydantic import ValidationError

from bot.answering import Answerer
from bot.store.recorder import Recorder
from bot.teams.auth import auth_configuration, authenticate, service_url_allowed
from bot.teams.handler import TeamsAnswers

MESSAGES_PATH = "/api/messages"

logger = logging.getLogger("bot.teams")


def _refusal(status: int, reason: str) -> web.Response:
    logger.warning("Teams request refused: %s (%d)", reason, status)
    return web.json_response({"error": reason}, status=status)


class TeamsEndpoint:
    """The adapter, its configuration and the handler; ``connections`` (the SDK's source of
    the bot's outgoing tokens) defaults to MSAL with the app id and secret; ``recorder``
    stores questions and feedback (None: nothing is stored)."""

    def __init__(
        self,
        *,
        app_id: str,
        secret: str,
        tenant_id: str | None,
        answerer: Callable[[], Answerer],
        connections: Connections | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.config = auth_configuration(app_id, secret, tenant_id)
        if connections is None:
            connections = MsalConnectionManager(
                connections_configurations={"SERVICE_CONNECTION": self.config}
            )
        self.adapter = CloudAdapter(connection_manager=connections)
        self.adapter.on_turn_error = _turn_failed
        self.agent = TeamsAnswers(answerer, recorder)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        identity = await authenticate(request.headers.get("Authorization"), self.config)
        if identity is None:
            return _refusal(401, "unauthorized")
        try:
            body = await request.json()
            activity = Activity.model_validate(body)
        except (ValueError, ValidationError):  # not JSON, or not an activity
            return _refusal(400, "not an activity")
        if not activity.type or not activity.conversation or not activity.conversation.id:
            return _refusal(400, "an activity needs a type and a conversation")
        if not service_url_allowed(identity, activity):
            return _refusal(401, "serviceUrl is not the token's")
        with warnings.catch_warnings():  # the SDK's adapter reads the caller by this str key
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            request["claims_identity"] = identity
        try:
            response = await self.adapter.process(request, self.agent)
        except Exception as error:  # the bot's token or the connector unreachable
            logger.error("Teams reply failed: %s", type(error).__name__, exc_info=error)
            return web.json_response({"error": "reply failed"}, status=502)
        return response or web.Response(status=202)


async def _turn_failed(context: TurnContext, error: Exception) -> None:
    """The SDK's default tells the person the exception's text; this only logs its kind."""
    logger.error("Teams turn failed: %s", type(error).__name__, exc_info=error)


def add_teams_route(
    app: web.Application,
    *,
    app_id: str,
    secret: str,
    tenant_id: str | None,
    answerer: Callable[[], Answerer],
    connections: Connections | None = None,
    recorder: Recorder | None = None,
) -> TeamsEndpoint:
    endpoint = TeamsEndpoint(
        app_id=app_id,
        secret=secret,
        tenant_id=tenant_id,
        answerer=answerer,
        connections=connections,
        recorder=recorder,
    )
    app.router.add_post(MESSAGES_PATH, endpoint.handle)
    return endpoint
