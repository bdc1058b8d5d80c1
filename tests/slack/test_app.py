"""The Bolt app: options, and authorization from memory (no auth.test per request)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.answering import Answerer
from bot.config import Settings
from bot.slack import Services, build_app
from bot.slack.identity import Identity

ENV = {
    "SLACK_BOT_TOKEN": "xoxb-app-test",
    "SLACK_SIGNING_SECRET": "secret",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",
}


@pytest.fixture(scope="module")
def app() -> AsyncApp:
    settings = Settings.from_env(ENV)
    return build_app(settings, Services.build(Answerer.load()), Identity(settings.slack_bot_token))


def test_app_options(app):
    assert app.process_before_response is True  # commands answered inside ack()
    assert app.client.base_url == "http://127.0.0.1:9/api/"
    assert app.client.token is None  # each request's client gets the token authorize returns
    assert app.client.retry_handlers  # connection errors and 429s are retried


async def test_identity_authorizes_from_memory_before_and_after_auth_test():
    identity = Identity("xoxb-app-test")
    before = await identity()
    assert before.bot_token == "xoxb-app-test"
    assert before.team_id is None
    auth_test = AsyncSlackResponse(
        client=AsyncWebClient(),
        http_verb="POST",
        api_url="http://127.0.0.1:9/api/auth.test",
        req_args={},
        data={"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"},
        headers={},
        status_code=200,
    )
    identity.remember(auth_test)
    after = await identity()
    assert (after.bot_token, after.team_id, after.bot_user_id, after.bot_id) == (
        "xoxb-app-test",
        "T1",
        "UBOT",
        "BBOT",
    )


def test_the_bot_uses_only_bolts_public_api():
    private = re.compile(
        r"slack_bolt[.\w]*\.(async_)?internals|\._init_context|_async_middleware_list"
        r"|build_async_context|auth_test_result"
    )
    package = Path(__file__).resolve().parents[2] / "bot"
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert found == []
