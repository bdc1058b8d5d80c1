"""Fixtures: the fake Slack Web API, and the real sro-bot server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.answering import Answerer
from bot.config import Settings
from bot.server import create_app

from .fake_slack import FakeSlack
from .slack_requests import FORM, JSON, SIGNING_SECRET, signed_headers


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    return Answerer.load()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


@dataclass
class Reply:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class RunningBot:
    url: str
    http: aiohttp.ClientSession
    app: web.Application

    async def post(
        self, body: str, content_type: str, *, headers: dict[str, str] | None = None
    ) -> Reply:
        """POST to /slack/events, signed as Slack signs unless ``headers`` are given."""
        headers = headers if headers is not None else signed_headers(body, content_type)
        async with self.http.post(f"{self.url}/slack/events", data=body, headers=headers) as r:
            return Reply(r.status, await r.text())

    async def form(self, body: str, **kwargs: Any) -> Reply:
        return await self.post(body, FORM, **kwargs)

    async def event(self, body: str, **kwargs: Any) -> Reply:
        return await self.post(body, JSON, **kwargs)


def fresh_database_path() -> str:
    """A SQLite file of the test run's own, never the user's."""
    return str(Path(tempfile.mkdtemp(prefix="sro-bot-test-")) / "sro-bot.db")


def bot_settings(fake_slack: FakeSlack, **extra: str) -> Settings:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "HOST": "127.0.0.1",
        "PORT": "0",
        "SRO_API_BACKOFF": "0.01",  # retries of 5xx and dropped connections come at once
        "SRO_DATABASE_PATH": fresh_database_path(),
        **extra,
    }
    return Settings.from_env(env)


async def start_bot(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def wait_until_ready(http: aiohttp.ClientSession, url: str, timeout: float = 10.0) -> None:
    """Poll ``/readyz`` until 200 (start-up's auth.test has succeeded)."""

    async def ready() -> None:
        while True:
            async with http.get(f"{url}/readyz") as reply:
                if reply.status == 200:
                    return
            await asyncio.sleep(0.01)

    await asyncio.wait_for(ready(), timeout)


@pytest.fixture
async def bot(fake_slack: FakeSlack, answerer: Answerer) -> AsyncIterator[RunningBot]:
    """The real server, ready: start-up's auth.test is done and not among ``fake_slack.calls``."""
    app = create_app(bot_settings(fake_slack), answerer)
    runner, url = await start_bot(app)
    async with aiohttp.ClientSession() as http:
        await wait_until_ready(http, url)
        fake_slack.calls.clear()
        fake_slack.answered.clear()
        yield RunningBot(url, http, app)
    await runner.cleanup()
