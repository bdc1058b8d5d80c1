"""The aiohttp server: ``POST /slack/events`` into Bolt, ``GET /healthz``; or Socket Mode.

``create_app`` builds the whole application (no global state); ``serve`` reads the
settings, loads the knowledge once and runs it until interrupted.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.answering import Answerer
from bot.config import ConfigError, Settings
from bot.slack import Services, build_app

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
BOLT = web.AppKey("bolt", AsyncApp)

logger = logging.getLogger("bot.server")


def create_app(settings: Settings, answerer: Answerer | None = None) -> web.Application:
    """The aiohttp application: Bolt behind ``/slack/events`` (HTTP mode), ``/healthz``.

    In Socket Mode there is no ``/slack/events``: Slack's requests arrive over the
    WebSocket that the app opens when it starts, and ``/healthz`` stays for the platform.
    """
    answerer = answerer or Answerer.load(settings.knowledge_dir)
    services = Services.build(answerer)
    app = web.Application()
    app[SETTINGS] = settings
    app[SERVICES] = services
    app[BOLT] = build_app(settings, services)
    app.router.add_get(HEALTH_PATH, healthz)
    if not settings.socket_mode:
        app.router.add_post(EVENTS_PATH, slack_events)
    app.cleanup_ctx.append(_web_api_session)
    if settings.socket_mode:
        app.cleanup_ctx.append(_socket_mode)
    return app


async def slack_events(request: web.Request) -> web.StreamResponse:
    """Commands, events and interactivity, all at one Request URL; Bolt verifies and routes."""
    bolt = request.app[BOLT]
    response = await bolt.async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(response)


async def healthz(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    return web.json_response(
        {
            "status": "ok",
            "entries": len(request.app[SERVICES].answerer.knowledge),
            "mode": "socket" if settings.socket_mode else "http",
        }
    )


async def _web_api_session(app: web.Application) -> AsyncIterator[None]:
    """One connection pool for every Web API call; pending replies finish before it closes."""
    client = app[BOLT].client
    async with aiohttp.ClientSession() as session:
        client.session = session
        yield
        await app[SERVICES].background.drain()
        client.session = None


async def _socket_mode(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    handler = AsyncSocketModeHandler(app[BOLT], app_token=settings.slack_app_token)
    await handler.connect_async()
    logger.info("connected to Slack in Socket Mode")
    yield
    await handler.close_async()


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _event_loop_factory() -> asyncio.AbstractEventLoop:
    """uvloop (a dependency on Linux and macOS) when it imports, else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def serve(
    *, knowledge_dir: Path | None = None, port: int | None = None, socket_mode: bool = False
) -> int:
    """Run the Slack app until interrupted; 0 on a clean stop, 1 when it cannot start."""
    try:
        settings = Settings.from_env(
            port=port, knowledge_dir=knowledge_dir, socket_mode=socket_mode
        )
    except ConfigError as error:
        print(f"sro-bot: cannot start, fix the configuration:\n{error}", file=sys.stderr)
        return 1
    configure_logging(settings.log_level)
    answerer = Answerer.load(settings.knowledge_dir)
    logger.info(
        "starting with %d knowledge entries: %s", len(answerer.knowledge), settings.describe()
    )
    app = create_app(settings, answerer)
    if not settings.socket_mode:
        logger.info("listening on http://%s:%d%s", settings.host, settings.port, EVENTS_PATH)
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        access_log=logger.getChild("access") if settings.log_level == "DEBUG" else None,
        print=None,
        loop=_event_loop_factory(),
    )
    return 0
