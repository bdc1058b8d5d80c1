"""Socket Mode: the same app over a WebSocket (the fake Slack plays Slack's side)."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import parse_qsl

import aiohttp

from bot.server import create_app

from .conftest import bot_settings, start_bot
from .fake_slack import BOT_USER_ID, Fault
from .slack_requests import CHANNEL_ID, app_mention, event_callback, slash_command


async def next_ack(fake_slack, envelope_id: str) -> dict:
    while True:
        message = await asyncio.wait_for(fake_slack.socket_messages.get(), 5)
        if message.get("envelope_id") == envelope_id:
            return message


async def test_socket_mode_answers_commands_and_mentions(fake_slack, answerer, caplog):
    caplog.set_level(logging.INFO, logger="bot.requests")
    settings = bot_settings(fake_slack, SLACK_APP_TOKEN="xapp-1-test", SLACK_SIGNING_SECRET="")
    assert settings.socket_mode
    runner, url = await start_bot(create_app(settings, answerer))
    try:
        socket = await fake_slack.socket_connected()
        [opened] = fake_slack.of("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"

        command = dict(
            parse_qsl(slash_command("are SROs armed?", response_url=fake_slack.response_url()))
        )
        await socket.send_str(
            json.dumps(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": command,
                }
            )
        )
        ack = await next_ack(fake_slack, "env-1")
        entry = answerer.knowledge.get("armed")
        assert ack["payload"]["response_type"] == "ephemeral"
        assert ack["payload"]["blocks"][0]["text"]["text"] == entry.question

        mention = json.loads(
            event_callback(app_mention(f"<@{BOT_USER_ID}> are SROs armed?"), event_id="EvS1")
        )
        await socket.send_str(
            json.dumps(
                {
                    "envelope_id": "env-2",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "payload": mention,
                }
            )
        )
        await next_ack(fake_slack, "env-2")
        [post] = await fake_slack.wait_for("chat.postMessage")
        assert post.body["channel"] == CHANNEL_ID
        assert post.body["thread_ts"] == mention["event"]["ts"]

        # The same request log line as over HTTP (tests/e2e/test_operations.py).
        lines = [
            r.fields for r in caplog.records if r.name == "bot.requests" and r.msg == "request"
        ]
        assert [(f["mode"], f["kind"], f["decision"]) for f in lines] == [
            ("socket_mode", "command", "answer"),
            ("socket_mode", "mention", "answer"),
        ]
        assert lines[1]["event_id"] == "EvS1"

        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/healthz") as reply:
                assert (await reply.json())["mode"] == "socket"
            async with http.post(f"{url}/slack/events", data="{}") as reply:
                assert reply.status in (404, 405)  # no Request URL in Socket Mode
    finally:
        await runner.cleanup()


async def _probe(url: str, path: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}{path}") as reply:
        return reply.status, await reply.json()


async def test_health_and_readiness_follow_the_websocket(fake_slack, answerer):
    settings = bot_settings(fake_slack, SLACK_APP_TOKEN="xapp-1-test", SLACK_SIGNING_SECRET="")
    runner, url = await start_bot(create_app(settings, answerer))
    try:
        socket = await fake_slack.socket_connected()
        assert (await _probe(url, "/healthz"))[1]["socket"] == "connected"
        status, ready = await _probe(url, "/readyz")
        assert (status, ready["ready"], ready["socket_connected"]) == (200, True, True)

        # Slack drops the WebSocket and, for now, refuses a new one.
        fake_slack.script("apps.connections.open", *[Fault.server_error(500)] * 200)
        await socket.close()
        for _ in range(50):
            status, health = await _probe(url, "/healthz")
            if health["socket"] == "disconnected":
                break
            await asyncio.sleep(0.1)
        assert (status, health["socket"]) == (200, "disconnected")  # alive, not connected
        status, ready = await _probe(url, "/readyz")
        assert (status, ready["ready"], ready["socket_connected"]) == (503, False, False)
    finally:
        await runner.cleanup()


async def test_the_server_listens_while_the_websocket_cannot_open(fake_slack, answerer, caplog):
    fake_slack.script("apps.connections.open", *[Fault.server_error(500)] * 200)
    settings = bot_settings(fake_slack, SLACK_APP_TOKEN="xapp-1-test", SLACK_SIGNING_SECRET="")
    started = asyncio.get_running_loop().time()
    runner, url = await asyncio.wait_for(start_bot(create_app(settings, answerer)), 5)
    try:
        assert asyncio.get_running_loop().time() - started < 5
        status, health = await _probe(url, "/healthz")
        assert (status, health["socket"]) == (200, "disconnected")
        status, ready = await _probe(url, "/readyz")
        assert (status, ready["ready"]) == (503, False)
        await fake_slack.wait_for("apps.connections.open")
    finally:
        await runner.cleanup()
    assert "Traceback" not in caplog.text
