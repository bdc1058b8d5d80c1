"""The aiohttp server: ``POST /slack/events`` into Bolt, ``/healthz``, ``/readyz``; or Socket Mode.

``create_app`` builds the whole application (no global state); ``serve`` reads the
settings, loads the knowledge once (a broken file stops it before anything listens) and
runs it until ``SIGTERM`` or ``SIGINT``: then it answers on for ``SRO_DRAIN_SECONDS``
(not ready, closing each connection after its response), stops accepting connections,
finishes the requests and replies in flight, closes its client sessions and exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import log_messages, messages
from bot.answering import Answerer
from bot.config import ConfigError, Settings
from bot.knowledge import knowledge_layers
from bot.logs import configure_logging, fields
from bot.readiness import Readiness, confirm_identity
from bot.reload import KnowledgeReloader, fingerprint
from bot.slack import Services, build_app
from bot.slack.digest import post_digests
from bot.slack.distribution import INSTALL_PATH, REDIRECT_PATH, oauth_settings
from bot.slack.gate import MAX_BODY_BYTES, Gate, Refusal
from bot.slack.identity import Identity
from bot.slack.redis_events import RedisEventStore
from bot.slack.webapi import configure_client, describe_error
from bot.slack.workspaces import team_replies
from bot.store.database import Database, describe_url
from bot.store.recorder import Recorder
from bot.store.recorder import describe_error as describe_db_error

if TYPE_CHECKING:
    from microsoft_agents.hosting.core import Connections
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
SOCKET_RETRY_SECONDS = 5.0  # between attempts to open the WebSocket while it fails
SHUTDOWN_GRACE_SECONDS = 3.0  # for requests in flight at SIGTERM; replies get as long again

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
BOLT = web.AppKey("bolt", AsyncApp)
IDENTITY = web.AppKey("identity", Identity)
GATE = web.AppKey("gate", Gate)
READINESS = web.AppKey("readiness", Readiness)

logger = logging.getLogger("bot.server")
request_logger = logging.getLogger("bot.requests")


def create_app(
    settings: Settings,
    answerer: Answerer | None = None,
    *,
    max_body: int = MAX_BODY_BYTES,
    teams_connections: Connections | None = None,
) -> web.Application:
    """The aiohttp application: Bolt behind ``/slack/events`` (HTTP mode), health, readiness;
    and Microsoft Teams at ``/api/messages`` when its app id and secret are set
    (``teams_connections``: where its outgoing tokens come from, by default MSAL).

    In Socket Mode there is no ``/slack/events``: Slack's requests arrive over the
    WebSocket that the app opens when it starts, and ``/healthz`` stays for the platform.
    """
    answerer = answerer or Answerer.load(settings.knowledge_dir, bundled=settings.bundled_knowledge)
    events = RedisEventStore(settings.redis_url) if settings.redis_url else None
    services = Services.build(answerer, events=events)
    oauth = None
    if settings.store is not None:
        database = Database(settings.store.url)
        services.recorder = Recorder(database, retention_days=settings.store.retention_days)
        services.admins = settings.store.admin_user_ids
        if settings.distributed:
            oauth = oauth_settings(
                client_id=settings.slack_client_id or "",
                client_secret=settings.slack_client_secret or "",
                redirect_uri=settings.slack_redirect_uri,
                database=database,
            )
    if settings.team_knowledge_dir is not None:
        services.teams = team_replies(
            settings.team_knowledge_dir,
            answerer,
            knowledge_dir=settings.knowledge_dir,
            bundled=settings.bundled_knowledge,
        )
    app = web.Application(client_max_size=max_body)
    app[SETTINGS] = settings
    app[SERVICES] = services
    app[IDENTITY] = Identity(settings.slack_bot_token)
    app[BOLT] = build_app(settings, services, app[IDENTITY], oauth)
    app[READINESS] = Readiness(
        knowledge_loaded=len(answerer.knowledge) > 0,
        # Socket Mode is connected (its token accepted) before the server takes traffic.
        identity_confirmed=settings.socket_mode or not settings.slack_bot_token,
        installations_ready=oauth is None,
    )
    app.router.add_get(HEALTH_PATH, healthz)
    app.router.add_get(READY_PATH, readyz)
    if settings.slack and not settings.socket_mode:
        app[GATE] = Gate(signing_secret=settings.slack_signing_secret or "", max_body=max_body)
        app.router.add_post(EVENTS_PATH, slack_events)
    if oauth is not None:
        app.router.add_get(INSTALL_PATH, slack_install)
        app.router.add_get(REDIRECT_PATH, slack_oauth_redirect)
    if settings.teams:
        # Imported here: a Slack-only server starts without loading the Agents SDK.
        from bot.teams.app import add_teams_route

        add_teams_route(
            app,
            app_id=settings.teams_app_id or "",
            secret=settings.teams_app_secret or "",
            tenant_id=settings.teams_tenant_id,
            answerer=lambda: services.answerer,
            connections=teams_connections,
            recorder=services.recorder,
        )
    app.cleanup_ctx.append(_web_api_session)
    if services.recorder is not None:
        app.cleanup_ctx.append(_storage)  # after the session: the digest posts through it
    if settings.socket_mode:
        app.cleanup_ctx.append(_socket_mode)
    return app


async def slack_install(request: web.Request) -> web.Response:
    """The start of Slack's OAuth flow: Bolt's install page (a state kept in the database,
    and its cookie)."""
    return await _oauth_step(request, request.app[BOLT].oauth_flow.handle_installation)


async def slack_oauth_redirect(request: web.Request) -> web.Response:
    """Slack sends the installer back here: Bolt checks the state, exchanges the code for
    the workspace's bot token (``oauth.v2.access``) and keeps the installation."""
    return await _oauth_step(request, request.app[BOLT].oauth_flow.handle_callback)


async def _oauth_step(
    request: web.Request, step: Callable[[AsyncBoltRequest], Awaitable[BoltResponse]]
) -> web.Response:
    """One step of Bolt's OAuth flow, converted both ways by Bolt's aiohttp adapter
    (cookies included); a database that is down is said plainly, as a 503."""
    try:
        response = await step(await to_bolt_request(request))
    except Exception as error:  # the database holding the states is down
        logger.error(log_messages.INSTALL_FAILED, describe_db_error(error))
        return web.Response(status=503, text=messages.INSTALL_UNAVAILABLE)
    return await to_aiohttp_response(response)


async def slack_events(request: web.Request) -> web.StreamResponse:
    """Commands, events and interactivity, all at one Request URL: gate, then Bolt.

    Bolt's own middleware (``bot.slack.request_log``) writes the request's log line.
    """
    admitted = await request.app[GATE].admit(request)
    if isinstance(admitted, Refusal):
        request_logger.warning(
            log_messages.REFUSED,
            extra=fields(
                status=admitted.status,
                reason=admitted.reason,
                retry_num=request.headers.get("X-Slack-Retry-Num"),
            ),
        )
        return _closing_when_stopping(request, admitted.response())
    try:
        response = await request.app[BOLT].async_dispatch(admitted)
    except Exception as error:
        # Listeners' own errors are answered by quiet_error; what escapes is Bolt failing to
        # read a signed payload of a shape Slack never sends (a KeyError in its parsing).
        refusal = Refusal(400, log_messages.BAD_SHAPE % "fields Bolt cannot read")
        request_logger.warning(
            log_messages.REFUSED,
            extra=fields(status=400, reason=refusal.reason, error=type(error).__name__),
        )
        return _closing_when_stopping(request, refusal.response())
    return _closing_when_stopping(request, _to_aiohttp(response))


def _to_aiohttp(response: BoltResponse) -> web.Response:
    """Bolt's response as aiohttp's, its body as bytes: written out with the headers at once.

    Bolt's adapter (``to_aiohttp_response``) also turns ``Set-Cookie`` headers into cookies;
    this app (no OAuth) sets none, and hands aiohttp a string body, which takes its slower
    streaming path.
    """
    return web.Response(
        status=response.status, body=response.body.encode(), headers=response.first_headers()
    )


async def healthz(request: web.Request) -> web.Response:
    """Alive: cheap, no I/O. In Socket Mode, also whether the WebSocket is connected."""
    settings = request.app[SETTINGS]
    health: dict[str, object] = {
        "status": "ok",
        "entries": len(request.app[SERVICES].answerer.knowledge),
        "mode": "socket" if settings.socket_mode else "http",
    }
    connected = request.app[READINESS].socket_connected
    if connected is not None:
        health["socket"] = "connected" if await connected() else "disconnected"
    return _closing_when_stopping(request, web.json_response(health))


async def readyz(request: web.Request) -> web.Response:
    """Ready: 200 once the knowledge is loaded and Slack accepted the token (in Socket
    Mode: while the WebSocket is connected), else 503."""
    readiness = request.app[READINESS]
    state: dict[str, bool] = {"ready": readiness.ready, **readiness.describe()}
    connected = readiness.socket_connected
    if connected is not None:
        state["socket_connected"] = await connected()
        state["ready"] = state["ready"] and state["socket_connected"]
    response = web.json_response(state, status=200 if state["ready"] else 503)
    return _closing_when_stopping(request, response)


async def _storage(app: web.Application) -> AsyncIterator[None]:
    """Questions and feedback are written in the background; the database may be down."""
    services, settings = app[SERVICES], app[SETTINGS]
    recorder = services.recorder
    assert recorder is not None and settings.store is not None
    logger.info(log_messages.DATABASE_OPENED, describe_url(recorder.database.url))
    loop = asyncio.get_running_loop()
    tasks = [loop.create_task(recorder.run(), name="storage")]
    if settings.distributed:
        tasks.append(loop.create_task(_installations_ready(app), name="installations ready"))
    if settings.store.digest_channel and not settings.distributed:  # one workspace's channel
        client = AsyncWebClient(token=settings.slack_bot_token)
        configure_client(client, settings)
        client.session = app[BOLT].client.session  # shared pool, set by _web_api_session
        digests = post_digests(
            recorder, lambda: services.answerer.matcher, client, settings.store.digest_channel
        )
        tasks.append(loop.create_task(digests, name="weekly digest"))
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await recorder.close(timeout=SHUTDOWN_GRACE_SECONDS)
    await recorder.database.close()


async def _installations_ready(app: web.Application) -> None:
    """Many workspaces: ready once the database holding the installations is open."""
    recorder = app[SERVICES].recorder
    assert recorder is not None
    await recorder.opened.wait()
    app[READINESS].installations_ready = True


async def _web_api_session(app: web.Application) -> AsyncIterator[None]:
    """One connection pool for every Web API call; pending replies finish before it closes."""
    bolt, services, readiness = app[BOLT], app[SERVICES], app[READINESS]
    # slack_sdk applies its own timeout only to sessions it makes: this one carries it.
    timeout = aiohttp.ClientTimeout(total=app[SETTINGS].api_timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        bolt.client.session = session
        services.response_url.session = session
        identity = None
        if not readiness.identity_confirmed:
            probe = AsyncWebClient(token=app[SETTINGS].slack_bot_token, session=session)
            configure_client(probe, app[SETTINGS])
            identity = asyncio.get_running_loop().create_task(
                confirm_identity(
                    client=probe, readiness=readiness, on_success=app[IDENTITY].remember
                ),
                name="auth.test",
            )
        yield
        if identity is not None:
            identity.cancel()
        await services.background.drain(timeout=SHUTDOWN_GRACE_SECONDS)
        bolt.client.session = None
        services.response_url.session = None


async def _socket_mode(app: web.Application) -> AsyncIterator[None]:
    """Connect the WebSocket in the background: the server listens (``/healthz`` alive,
    ``/readyz`` 503) while Slack is unreachable, and keeps trying."""
    # Imported here: HTTP mode (the usual one) starts faster without the WebSocket client.
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    settings = app[SETTINGS]
    handler = AsyncSocketModeHandler(app[BOLT], app_token=settings.slack_app_token)
    app[READINESS].socket_connected = handler.client.is_connected
    connecting = asyncio.get_running_loop().create_task(_connect(handler), name="socket mode")
    yield
    connecting.cancel()
    await handler.close_async()


async def _connect(handler: AsyncSocketModeHandler, interval: float = SOCKET_RETRY_SECONDS) -> None:
    while True:
        try:
            await handler.connect_async()
        except Exception as error:  # Slack unreachable or refusing: say so, try again
            logger.error(log_messages.SOCKET_CONNECT_FAILED, describe_error(error), interval)
            await asyncio.sleep(interval)
            continue
        logger.info(log_messages.SOCKET_CONNECTED)
        return


def _event_loop_factory() -> asyncio.AbstractEventLoop:
    """uvloop (a dependency on Linux and macOS) when it imports, else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def serve(
    *,
    knowledge_dir: Path | None = None,
    bundled: bool | None = None,
    port: int | None = None,
    socket_mode: bool = False,
) -> int:
    """Run the Slack app until stopped; 0 on a clean stop, 1 when it cannot start.

    A knowledge file that does not load raises :class:`bot.knowledge.KnowledgeError` before
    anything listens (the command line prints it and exits 1).
    """
    try:
        settings = Settings.from_env(
            port=port,
            knowledge_dir=knowledge_dir,
            socket_mode=socket_mode,
            bundled_knowledge=bundled,
        )
    except ConfigError as error:
        print(f"sro-bot: cannot start, fix the configuration:\n{error}", file=sys.stderr)
        return 1
    configure_logging(
        level=settings.log_level,
        log_format=settings.log_format,
        log_questions=settings.log_questions,
        secrets=(
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.slack_client_secret,
            settings.teams_app_secret,
        ),
    )
    # SIGHUP would end the process until _run handles it; an edit made meanwhile is seen
    # then, by its fingerprint, taken before loading.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    layers = knowledge_layers(settings.knowledge_dir, bundled=settings.bundled_knowledge)
    loaded = fingerprint(layers)
    answerer = Answerer.load(settings.knowledge_dir, bundled=settings.bundled_knowledge)
    logger.info(log_messages.STARTING, len(answerer.knowledge), settings.describe())
    app = create_app(settings, answerer)
    reloader = KnowledgeReloader(
        app[SERVICES], settings.knowledge_dir, bundled=settings.bundled_knowledge, loaded=loaded
    )
    if not settings.socket_mode:
        logger.info(log_messages.LISTENING, settings.host, settings.port, EVENTS_PATH)
    with asyncio.Runner(loop_factory=_event_loop_factory) as runner:
        try:
            runner.run(_run(app, settings, reloader))
        except OSError as error:  # the port is taken, or the host is not this machine's
            print(
                f"sro-bot: cannot listen on {settings.host}:{settings.port}: {error.strerror}; "
                "set PORT (or --port) to a free port",
                file=sys.stderr,
            )
            return 1
    logger.info(log_messages.STOPPED)
    return 0


async def _run(app: web.Application, settings: Settings, reloader: KnowledgeReloader) -> None:
    """Serve until SIGTERM or SIGINT, answer on for ``drain_seconds``, then stop gracefully.
    The knowledge is reloaded meanwhile when its files change, and on SIGHUP."""
    access_log = logger.getChild("access") if settings.log_level == "DEBUG" else None
    runner = web.AppRunner(
        app, handle_signals=False, access_log=access_log, shutdown_timeout=SHUTDOWN_GRACE_SECONDS
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        loop.add_signal_handler(signal.SIGHUP, reloader.request)
        reloading = loop.create_task(reloader.watch(settings.reload_interval), name="reload")
        await stop.wait()
        reloading.cancel()
        app[READINESS].stopping = True
        logger.info(log_messages.STOPPING, settings.drain_seconds, len(app[SERVICES].background))
        await asyncio.sleep(settings.drain_seconds)
    finally:
        await runner.cleanup()


def _closing_when_stopping(request: web.Request, response: web.Response) -> web.Response:
    """While stopping, each response closes its connection: a keep-alive client opens its
    next request on a server that is still listening, not on one that is closing. (In the
    handlers, not an aiohttp middleware: a middleware costs every request a few µs.)"""
    if request.app[READINESS].stopping:
        response.force_close()
    return response
