"""A small fake of the Slack Web API (and of ``response_url``) that records every call.

Runs on 127.0.0.1 at a random port; point ``SLACK_API_URL`` at :attr:`FakeSlack.api_url`.
Modelled on bolt-python's ``tests/mock_web_api_server``: real HTTP, nothing mocked.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0001"
NO_TOKEN_METHODS = ("apps.connections.open", "oauth.v2.access")  # app token / client secret


@dataclass(frozen=True)
class Fault:
    """How the fake answers one call instead of normally: a status, a dropped connection, a delay.

    ``status`` 429 comes with ``Retry-After`` (seconds); ``drop`` closes the connection
    without answering; ``delay`` waits before answering normally (or with ``status``).
    """

    status: int | None = None
    retry_after: int | float | str | None = None  # Retry-After as sent: "1.5", a date...
    drop: bool = False
    delay: float = 0.0
    error: str | None = None  # a 200 with {"ok": false, "error": error}

    @classmethod
    def rate_limited(cls, retry_after: int | float | str = 0) -> Fault:
        return cls(status=429, retry_after=retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        return cls(status=status)

    @classmethod
    def dropped(cls) -> Fault:
        return cls(drop=True)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        return cls(delay=seconds)

    @classmethod
    def slack_error(cls, code: str) -> Fault:
        return cls(error=code)

    @classmethod
    def not_json(cls) -> Fault:
        """A 200 that says it is JSON and is not (a broken proxy's, say)."""
        return cls(status=200)


@dataclass(frozen=True)
class Call:
    """One request the fake received: a Web API method, or ``response_url``."""

    method: str  # "chat.postMessage", ..., or "response_url"
    body: dict[str, Any]
    headers: dict[str, str] = field(repr=False)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.socket: web.WebSocketResponse | None = None
        self._socket_ready = asyncio.Event()
        self.socket_messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._held: dict[str, asyncio.Event] = {}
        self.answered: Counter[str] = Counter()  # responses sent back, per method
        self._faults: dict[str, list[Fault]] = {}

    def script(self, method: str, *faults: Fault) -> None:
        """Answer the next calls to ``method`` (or ``"response_url"``) with ``faults``, in order.

        Calls after the scripted ones are answered normally. Every attempt is recorded.
        """
        self._faults.setdefault(method, []).extend(faults)

    async def _fault(self, method: str, request: web.Request) -> web.StreamResponse | None:
        """The scripted answer to this call, if any (None: answer normally)."""
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue.pop(0)
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.drop:
            assert request.transport is not None
            request.transport.close()  # the client sees the connection drop, no answer
            return web.Response()
        if fault.error is not None:
            return web.json_response({"ok": False, "error": fault.error})
        if fault.status is None:
            return None
        headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        if fault.status == 429:
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers=headers)
        if fault.status == 200:
            return web.Response(text="{not json", content_type="application/json")
        return web.Response(status=fault.status, text="upstream trouble", headers=headers)

    def hold(self, method: str) -> asyncio.Event:
        """Record calls to ``method`` but answer none until the returned event is set."""
        self._held[method] = asyncio.Event()
        return self._held[method]

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "1") -> str:
        return f"{self.url}/response/{name}"

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests look at ---------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; the calls."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.of(method)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.of(method)

    async def wait_answered(self, method: str, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``count`` calls to ``method`` were answered normally (not faulted)."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: self.answered[method] >= count)

        await asyncio.wait_for(enough(), timeout)

    async def _answering(self, method: str) -> None:
        async with self._changed:
            self.answered[method] += 1
            self._changed.notify_all()

    async def settle(self, quiet: float = 0.2) -> None:
        """Wait until no call has arrived for ``quiet`` seconds (to show nothing else came)."""
        seen = -1
        while seen != len(self.calls):
            seen = len(self.calls)
            await asyncio.sleep(quiet)

    # --- handlers -------------------------------------------------------------------------

    async def _record(self, method: str, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.content_type == "application/json":
            body = json.loads(raw) if raw else {}
        else:
            body = {**request.query, **dict(parse_qsl(raw))}  # some methods send a query
            for key in ("blocks", "view"):
                if isinstance(body.get(key), str):
                    body[key] = json.loads(body[key])
        async with self._changed:
            self.calls.append(Call(method, body, dict(request.headers)))
            self._changed.notify_all()
        return body

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._record(method, request)
        if method in self._held:
            await self._held[method].wait()
        faulty = await self._fault(method, request)
        if faulty is not None:
            return faulty
        await self._answering(method)
        if request.headers.get("Authorization", "") == "" and method not in NO_TOKEN_METHODS:
            return web.json_response({"ok": False, "error": "not_authed"})
        ts = f"1700000000.{next(self._ts):06d}"
        answers: dict[str, dict[str, Any]] = {
            "auth.test": {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "sro-bot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            },
            "chat.postMessage": {"ok": True, "channel": body.get("channel"), "ts": ts},
            "chat.postEphemeral": {"ok": True, "message_ts": ts},
            "conversations.open": {"ok": True, "channel": {"id": "D0000OPEN"}},
            "views.publish": {"ok": True, "view": {"id": "V0001", **(body.get("view") or {})}},
            "views.open": {"ok": True, "view": {"id": "V0002", **(body.get("view") or {})}},
            # An installation's code "code-<team>" gives that workspace's bot token.
            "oauth.v2.access": {
                "ok": True,
                "app_id": "A0001",
                "authed_user": {"id": "U0000INST"},
                "scope": "app_mentions:read,chat:write,commands,im:history,im:write",
                "token_type": "bot",
                "access_token": f"xoxb-{str(body.get('code', '')).removeprefix('code-')}",
                "bot_user_id": BOT_USER_ID,
                "team": {"id": str(body.get("code", "")).removeprefix("code-"), "name": "A school"},
                "enterprise": None,
                "is_enterprise_install": False,
            },
            "apps.connections.open": {
                "ok": True,
                "url": self.url.replace("http", "ws") + "/socket",
            },
        }
        return web.json_response(answers.get(method, {"ok": False, "error": "unknown_method"}))

    async def _response_url(self, request: web.Request) -> web.StreamResponse:
        await self._record("response_url", request)
        faulty = await self._fault("response_url", request)
        if faulty is not None:
            return faulty
        await self._answering("response_url")
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._socket_ready.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self.socket_messages.put(json.loads(message.data))
        return socket

    async def socket_connected(self, timeout: float = 5.0) -> web.WebSocketResponse:
        await asyncio.wait_for(self._socket_ready.wait(), timeout)
        assert self.socket is not None
        return self.socket
