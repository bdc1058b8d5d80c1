"""``sro-bot serve`` as a PaaS runs it (the Procfile's command), in a separate process."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

import aiohttp

from .conftest import fresh_database_path
from .slack_requests import SIGNING_SECRET, signed_headers, slash_command

BOT_TOKEN = "xoxb-cli-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SRO_"))}
    return {**env, "HOST": "127.0.0.1", "SRO_DATABASE_PATH": fresh_database_path(), **extra}


async def serve(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def wait_until_up(http: aiohttp.ClientSession, url: str, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        try:
            async with http.get(f"{url}/healthz") as reply:
                if reply.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.05)
    raise AssertionError("sro-bot serve did not come up")


async def test_serve_answers_and_stops_cleanly_on_sigterm(fake_slack):
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
        PORT=str(port),
    )
    process = await serve(env)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            body = slash_command(
                "what is a school resource officer?", response_url=fake_slack.response_url()
            )
            headers = signed_headers(body, "application/x-www-form-urlencoded")
            async with http.post(f"{url}/slack/events", data=body, headers=headers) as reply:
                assert reply.status == 200
                answer = await reply.json()
        assert answer["blocks"][0]["text"]["text"] == "What is a school resource officer?"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0
    log = stderr.decode()
    assert "knowledge entries" in log
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log


async def test_serve_refuses_to_start_without_the_signing_secret():
    process = await serve(clean_env(SLACK_BOT_TOKEN=BOT_TOKEN, PORT=str(free_port())))
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 1
    assert "SLACK_SIGNING_SECRET" in stderr.decode()
    assert BOT_TOKEN not in stderr.decode()


async def test_a_port_in_use_is_said_plainly():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = clean_env(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET="a-signing-secret-for-tests",
            SLACK_API_URL="http://127.0.0.1:9/api/",
            HOST="127.0.0.1",
            PORT=str(port),
        )
        process = await serve(env)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in stderr.decode()
    assert "Traceback" not in stderr.decode()
