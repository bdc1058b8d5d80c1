"""The Bolt app: options, and the one Bolt behaviour changed (a shared Web API client)."""

from __future__ import annotations

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.answering import Answerer
from bot.config import Settings
from bot.slack import Services, build_app

ENV = {
    "SLACK_BOT_TOKEN": "xoxb-app-test",
    "SLACK_SIGNING_SECRET": "secret",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",
}


@pytest.fixture(scope="module")
def app() -> AsyncApp:
    return build_app(Settings.from_env(ENV), Services.build(Answerer.load()))


def test_app_options(app):
    assert app.process_before_response is True  # commands answered inside ack()
    assert app.client.base_url == "http://127.0.0.1:9/api/"
    assert app.client.token == "xoxb-app-test"
    assert app.client.retry_handlers  # connection errors and 429s are retried


def test_requests_share_the_apps_client_and_set_what_bolt_sets(app):
    ours = AsyncBoltRequest(body="", headers={})
    app._init_context(ours)
    bolts = AsyncBoltRequest(body="", headers={})
    AsyncApp._init_context(app, bolts)

    assert set(ours.context) == set(bolts.context)  # a Bolt upgrade adding a key fails here
    assert ours.context.client is app.client
    assert ours.context.token == bolts.context.token == "xoxb-app-test"
    assert ours.context.client.base_url == bolts.context.client.base_url
