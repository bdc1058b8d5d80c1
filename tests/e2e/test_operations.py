"""Operations: /readyz, the request log, SIGTERM with work in flight, a broken knowledge file."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from pathlib import Path

import aiohttp
import pytest

from bot.server import create_app

from .conftest import bot_settings, start_bot, wait_until_ready
from .fake_slack import BOT_USER_ID, Fault
from .slack_requests import (
    FORM,
    SIGNING_SECRET,
    app_mention,
    event_callback,
    signed_headers,
    slash_command,
)
from .test_serve_command import BOT_TOKEN, clean_env, free_port, serve, wait_until_up

QUESTION = "are school resource officers armed?"


async def status(http: aiohttp.ClientSession, url: str) -> int:
    async with http.get(url) as reply:
        return reply.status


async def test_readyz_is_503_until_auth_test_succeeds(fake_slack, answerer):
    release = fake_slack.hold("auth.test")
    runner, url = await start_bot(create_app(bot_settings(fake_slack), answerer))
    try:
        async with aiohttp.ClientSession() as http:
            await fake_slack.wait_for("auth.test")
            assert await status(http, f"{url}/readyz") == 503
            assert await status(http, f"{url}/healthz") == 200  # alive all the same
            release.set()
            await wait_until_ready(http, url)
            async with http.get(f"{url}/readyz") as reply:
                assert await reply.json() == {
                    "ready": True,
                    "knowledge_loaded": True,
                    "slack_auth": True,
                    "installations": True,  # one workspace: none to wait for
                    "stopping": False,
                }
    finally:
        release.set()
        await runner.cleanup()


async def test_readyz_waits_out_a_rate_limited_auth_test(fake_slack, answerer):
    fake_slack.script("auth.test", Fault.rate_limited(retry_after=0), Fault.server_error(503))
    runner, url = await start_bot(create_app(bot_settings(fake_slack), answerer))
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_ready(http, url)
        assert len(fake_slack.of("auth.test")) == 3
    finally:
        await runner.cleanup()


async def test_bolt_reuses_the_start_up_auth_test(bot, fake_slack):
    await bot.event(event_callback(app_mention(f"<@{BOT_USER_ID}> {QUESTION}"), event_id="EvA1"))
    await fake_slack.wait_for("chat.postMessage")
    assert not fake_slack.of("auth.test")  # the request did not wait on one of its own


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [r.fields for r in caplog.records if r.name == "bot.requests" and r.msg == "request"]


async def test_one_log_line_per_request_with_its_decision(bot, fake_slack, caplog):
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        body = slash_command(QUESTION, response_url=fake_slack.response_url())
        await bot.form(body)
        await bot.event(event_callback(app_mention(f"<@{BOT_USER_ID}> hi"), event_id="EvL1"))

    command, mention = request_lines(caplog)
    assert command["kind"] == "command"
    assert command["decision"] == "answer"
    assert command["entry"] == "armed"
    assert 0 < command["score"] <= 100
    assert command["latency_ms"] >= 0
    assert command["mode"] == "http"
    assert "question" not in command  # questions may name students: off by default
    assert mention["kind"] == "mention"
    assert mention["decision"] == "help"
    assert mention["event_id"] == "EvL1"


async def test_questions_are_logged_only_when_asked_for(fake_slack, answerer, caplog):
    settings = bot_settings(fake_slack, SRO_LOG_QUESTIONS="1")
    runner, url = await start_bot(create_app(settings, answerer))
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_ready(http, url)
            body = slash_command(QUESTION, response_url=fake_slack.response_url())
            with caplog.at_level(logging.INFO, logger="bot.requests"):
                async with http.post(
                    f"{url}/slack/events", data=body, headers=signed_headers(body, FORM)
                ) as reply:
                    assert reply.status == 200
    finally:
        await runner.cleanup()
    [line] = request_lines(caplog)
    assert line["question"] == QUESTION


async def test_a_refused_request_is_logged_without_its_body(bot, caplog):
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        await bot.form("command=%2Fsro&text=secret+student+name", headers={"Content-Type": FORM})
    [refused] = [r for r in caplog.records if r.msg == "refused"]
    assert refused.fields["status"] == 401
    assert "student" not in caplog.text


# --- sro-bot serve in its own process ---------------------------------------------------------


def serve_env(fake_slack, port: int, **extra: str) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
        SRO_API_BACKOFF="0.01",
        PORT=str(port),
        **extra,
    )


async def test_requests_never_wait_on_auth_test(fake_slack):
    """auth.test hangs at start-up: /readyz says not ready, and a slash command is still
    answered at once from memory, with no auth.test of its own. Then SIGTERM: exit 0."""
    port = free_port()
    release_auth = fake_slack.hold("auth.test")
    process = await serve(serve_env(fake_slack, port))
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            await fake_slack.wait_for("auth.test")  # start-up's, held
            async with http.get(f"{url}/readyz") as ready:
                assert ready.status == 503
                assert (await ready.json())["slack_auth"] is False
            body = slash_command(QUESTION, response_url=fake_slack.response_url())
            post = http.post(f"{url}/slack/events", data=body, headers=signed_headers(body, FORM))
            async with await asyncio.wait_for(post, 5) as reply:
                assert reply.status == 200
                answer = await reply.json()
            assert "armed" in json.dumps(answer).lower()
            assert len([c for c in fake_slack.calls if c.method == "auth.test"]) == 1
            process.send_signal(signal.SIGTERM)
            release_auth.set()
            _, stderr = await asyncio.wait_for(process.communicate(), 15)
    finally:
        release_auth.set()
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    log = stderr.decode()
    assert "stopping" in log and "stopped" in log


async def test_sigterm_lets_a_pending_reply_go_out(fake_slack):
    port = free_port()
    process = await serve(serve_env(fake_slack, port))
    url = f"http://127.0.0.1:{port}"
    release = fake_slack.hold("chat.postMessage")
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            await wait_until_ready(http, url)
            mention = event_callback(app_mention(f"<@{BOT_USER_ID}> {QUESTION}"), event_id="EvT")
            headers = signed_headers(mention, "application/json")
            async with http.post(f"{url}/slack/events", data=mention, headers=headers) as r:
                assert r.status == 200
            await fake_slack.wait_for("chat.postMessage")
        process.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.3)
        assert process.returncode is None  # still waiting for the reply to go out
        release.set()
        await asyncio.wait_for(process.wait(), 15)
    finally:
        release.set()
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    assert fake_slack.answered["chat.postMessage"] == 1


async def test_json_logs_carry_the_request_fields_and_never_a_secret(fake_slack):
    port = free_port()
    env = serve_env(fake_slack, port, LOG_FORMAT="json", LOG_LEVEL="DEBUG", SRO_LOG_QUESTIONS="1")
    process = await serve(env)
    url = f"http://127.0.0.1:{port}"
    fake_slack.script("chat.postMessage", Fault.server_error(500))
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            await wait_until_ready(http, url)
            body = slash_command(QUESTION, response_url=fake_slack.response_url())
            async with http.post(
                f"{url}/slack/events", data=body, headers=signed_headers(body, FORM)
            ) as reply:
                assert reply.status == 200
            mention = event_callback(app_mention(f"<@{BOT_USER_ID}> {QUESTION}"), event_id="EvJ")
            async with http.post(
                f"{url}/slack/events",
                data=mention,
                headers=signed_headers(mention, "application/json"),
            ) as reply:
                assert reply.status == 200
            await fake_slack.wait_answered("chat.postMessage")
            forged = signed_headers(body, FORM, secret="not-the-secret")
            async with http.post(f"{url}/slack/events", data=body, headers=forged) as reply:
                assert reply.status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    log = stderr.decode()
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log
    assert "xoxb-" not in log
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    requests = {line["kind"]: line for line in lines if line.get("message") == "request"}
    assert {"command", "mention"} <= requests.keys()
    for kind in ("command", "mention"):
        assert requests[kind]["decision"] == "answer"
        assert requests[kind]["entry"] == "armed"
        assert isinstance(requests[kind]["latency_ms"], float | int)
        assert requests[kind]["question"] == QUESTION
    assert any(line.get("message") == "refused" and line["status"] == 401 for line in lines)
    assert process.returncode == 0


async def test_a_broken_knowledge_file_stops_start_up(tmp_path: Path):
    (tmp_path / "broken.yml").write_text(
        "id: broken\ntitle: Broken\nsource: {publisher: X, title: Y, url: 'https://x.example', "
        "retrieved: 2026-01-01}\nentries:\n  - id: first-entry\n    question: What is it?\n",
        encoding="utf-8",
    )
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL="http://127.0.0.1:9/api/",
        SRO_KNOWLEDGE_DIR=str(tmp_path),
        PORT=str(port),
    )
    process = await serve(env)
    _, stderr = await asyncio.wait_for(process.communicate(), 20)

    assert process.returncode == 1
    error = stderr.decode()
    assert "broken.yml" in error and "first-entry" in error and "'answer'" in error
    assert BOT_TOKEN not in error
    with pytest.raises(OSError):  # it never listened
        await asyncio.open_connection("127.0.0.1", port)


async def test_a_rejected_token_says_which_setting_to_check(fake_slack, answerer, caplog):
    fake_slack.script("auth.test", Fault.slack_error("invalid_auth"))
    settings = bot_settings(fake_slack, SLACK_BOT_TOKEN="xoxb-wrong-token")
    with caplog.at_level(logging.ERROR, logger="bot.readiness"):
        runner, url = await start_bot(create_app(settings, answerer))
        try:
            await fake_slack.wait_for("auth.test")
            await fake_slack.settle()
            async with aiohttp.ClientSession() as http, http.get(f"{url}/readyz") as ready:
                assert ready.status == 503
        finally:
            await runner.cleanup()
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.readiness"]
    assert "invalid_auth" in line and "check SLACK_BOT_TOKEN" in line
    assert "xoxb-wrong-token" not in caplog.text


async def test_debug_logs_keep_questions_and_response_urls_out(fake_slack):
    secret_question = "are SROs armed zebra-quartz-4711"
    port = free_port()
    process = await serve(serve_env(fake_slack, port, LOG_LEVEL="DEBUG"))
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            await wait_until_ready(http, url)
            response_url = fake_slack.response_url("private-path-9876")
            body = slash_command(secret_question, response_url=response_url)
            headers = signed_headers(body, FORM)
            async with http.post(f"{url}/slack/events", data=body, headers=headers) as reply:
                assert reply.status == 200
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert "DEBUG" in log  # debug lines are written...
    assert "zebra-quartz-4711" not in log  # ...but not the question
    assert "private-path-9876" not in log


async def test_requests_arriving_just_after_sigterm_are_answered(fake_slack):
    """Clients on kept-alive and on fresh connections go on sending for 0.3 s after
    SIGTERM: each request sent is answered (none cut off), and /readyz turns 503 at once.
    Afterwards, connections are refused (never accepted and dropped)."""
    port = free_port()
    env = serve_env(fake_slack, port, LOG_LEVEL="WARNING")  # a log line per request fills the pipe
    process = await serve(env)
    url = f"http://127.0.0.1:{port}"
    signalled: list[float] = []
    answered, cut_off = 0, []

    async def client(keep_alive: bool, n: int) -> None:
        nonlocal answered
        connector = aiohttp.TCPConnector(force_close=not keep_alive)
        async with aiohttp.ClientSession(connector=connector) as http:
            while not signalled or asyncio.get_running_loop().time() < signalled[0] + 0.3:
                body = slash_command(f"what is an sro {n}", response_url=fake_slack.response_url())
                headers = signed_headers(body, "application/x-www-form-urlencoded")
                try:
                    async with http.post(f"{url}/slack/events", data=body, headers=headers) as r:
                        await r.read()
                        assert r.status == 200
                        answered += 1
                except aiohttp.ClientConnectorError:
                    await asyncio.sleep(0.01)  # refused: not accepted, a router retries it
                except aiohttp.ClientError as error:
                    cut_off.append(repr(error))

    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            clients = [asyncio.create_task(client(k, n)) for n in range(6) for k in (True, False)]
            await asyncio.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            signalled.append(asyncio.get_running_loop().time())
            await asyncio.sleep(0.05)
            async with http.get(f"{url}/readyz") as reply:
                assert reply.status == 503
            await asyncio.gather(*clients)
        await asyncio.wait_for(process.wait(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert cut_off == []
    assert answered > 100
    assert process.returncode == 0
