"""Many workspaces, several processes: three ``sro-bot serve`` processes on one PostgreSQL
and one Redis; two workspaces installed through the OAuth flow against the fake Slack;
each event sent to one process and Slack's retries to the others."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.slack.distribution import FORGET_AGAIN_SECONDS
from tests.support.proxy import CuttableProxy
from tests.support.services import fresh_postgres, redis_url

from .conftest import wait_until_ready
from .fake_slack import BOT_USER_ID
from .slack_requests import SIGNING_SECRET, app_mention, event_callback, signed_headers
from .test_serve_command import clean_env, free_port, serve, wait_until_up

TEAMS = ("T0000AAAA", "T0000BBBB")
LOCAL_QUESTION = "what is the phone number of the district safety office"
LOCAL_FILE = """
id: district-a
title: District A safety office
source:
  publisher: District A
  title: Safety office
  url: https://district-a.example/safety
  retrieved: 2026-11-01
entries:
  - id: district-a-phone
    question: What is the phone number of the district safety office?
    answer: Call 555-0100 on school days.
"""


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async for url in fresh_postgres():
        yield url.replace("+asyncpg", "")  # as a PaaS writes DATABASE_URL


async def install(http: aiohttp.ClientSession, start: str, finish: str, team: str) -> None:
    """The OAuth flow as a browser goes through it: the install page (a state and its
    cookie) on one process, Slack's redirect back with the code on another."""
    async with http.get(f"{start}/slack/install") as page:
        assert page.status == 200
        state = re.search(r"state=([\w-]+)", await page.text()).group(1)
        cookie = page.cookies["slack-app-oauth-state"].value
    redirect = f"{finish}/slack/oauth_redirect?code=code-{team}&state={state}"
    async with http.get(redirect, headers={"Cookie": f"slack-app-oauth-state={cookie}"}) as done:
        assert done.status == 200, await done.text()


async def test_three_processes_answer_each_event_once_in_its_workspace(
    fake_slack, database, tmp_path
):
    redis = await redis_url()
    (tmp_path / "teams" / TEAMS[0]).mkdir(parents=True)
    (tmp_path / "teams" / TEAMS[0] / "district.yml").write_text(LOCAL_FILE, "utf-8")
    ports = [free_port() for _ in range(3)]
    env = {
        "SLACK_CLIENT_ID": "1111.2222",
        "SLACK_CLIENT_SECRET": "client-secret-value",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "SRO_TEAM_KNOWLEDGE_DIR": str(tmp_path / "teams"),
        "LOG_LEVEL": "WARNING",
        "SRO_CACHE_DIR": os.environ.get("SRO_CACHE_DIR", str(tmp_path / "cache")),
    }
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    run = secrets.token_hex(4)
    processes = []
    try:
        async with aiohttp.ClientSession() as http:
            # The first fits workspace A's entry model and caches it; the others read it.
            for port, url in zip(ports, urls, strict=True):
                processes.append(await serve(clean_env(**env, PORT=str(port))))
                await wait_until_up(http, url, seconds=60)
                await wait_until_ready(http, url, timeout=30)
            await install(http, urls[0], urls[1], TEAMS[0])
            await install(http, urls[2], urls[0], TEAMS[1])

            sent = []
            for n, (team, question) in enumerate(
                [(t, q) for t in TEAMS for q in ("are SROs armed?", LOCAL_QUESTION)]
            ):
                event_id = f"Ev{run}{n}"
                body = event_callback(
                    app_mention(f"<@{BOT_USER_ID}> {question}"), event_id=event_id, team_id=team
                )
                first, *others = urls[n % 3 :] + urls[: n % 3]
                async with http.post(
                    f"{first}/slack/events",
                    data=body,
                    headers=signed_headers(body, "application/json"),
                ) as reply:
                    assert reply.status == 200
                for retry, url in enumerate(others, start=1):
                    headers = signed_headers(body, "application/json") | {
                        "X-Slack-Retry-Num": str(retry),
                        "X-Slack-Retry-Reason": "http_timeout",
                    }
                    async with http.post(f"{url}/slack/events", data=body, headers=headers) as r:
                        assert r.status == 200
                sent.append((team, question))
            await fake_slack.wait_for("chat.postMessage", count=len(sent), timeout=15)
            await fake_slack.settle(quiet=1.0)

            # Workspace B uninstalls: its installation and its stored questions go.
            await asyncio.sleep(1.5)  # the processes write their questions once a second
            gone = event_callback(
                {"type": "app_uninstalled"}, event_id=f"Ev{run}u", team_id=TEAMS[1]
            )
            headers = signed_headers(gone, "application/json")
            async with http.post(f"{urls[2]}/slack/events", data=gone, headers=headers) as r:
                assert r.status == 200
            await asyncio.sleep(FORGET_AGAIN_SECONDS + 1.5)
            kept = await stored(database)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.communicate(), 20)

    posts = fake_slack.of("chat.postMessage")
    assert len(posts) == len(sent)  # one reply per event, however many processes got it
    exchanges = fake_slack.of("oauth.v2.access")
    assert sorted(c.body["code"] for c in exchanges) == sorted(f"code-{t}" for t in TEAMS)
    by_token: dict[str, list[str]] = {}
    for post in posts:
        token = post.headers["Authorization"].removeprefix("Bearer ")
        by_token.setdefault(token, []).append(post.body["blocks"][0]["text"]["text"])
    # Each workspace's replies went out with its own token...
    assert sorted(by_token) == [f"xoxb-{t}" for t in TEAMS]
    # ...and only workspace A's knowledge answers its local question.
    assert "What is the phone number of the district safety office?" in by_token[f"xoxb-{TEAMS[0]}"]
    assert "What is the phone number of the district safety office?" not in str(
        by_token[f"xoxb-{TEAMS[1]}"]
    )
    assert all(code == 0 for code in (p.returncode for p in processes))
    assert kept == {
        "installations": [TEAMS[0]],
        "questions": {TEAMS[0]: 2},
    }


async def stored(database: str) -> dict:
    import asyncpg

    connection = await asyncpg.connect(database)
    try:
        bots = await connection.fetch("SELECT DISTINCT team_id FROM slack_bots ORDER BY 1")
        rows = await connection.fetch(
            "SELECT team_id, count(*) AS n FROM questions GROUP BY team_id ORDER BY 1"
        )
    finally:
        await connection.close()
    return {
        "installations": [r["team_id"] for r in bots],
        "questions": {r["team_id"]: r["n"] for r in rows},
    }


async def test_replies_go_on_while_postgres_and_redis_are_down(fake_slack, database, tmp_path):
    """PostgreSQL and Redis cut off while a process serves an installed workspace: its
    questions are still answered, once each (retries de-duplicated in the process), and
    the process writes again when they are back."""
    redis = urlsplit(await redis_url())
    postgres = urlsplit(database)
    pg_proxy = await CuttableProxy(postgres.port or 5432).start()
    redis_proxy = await CuttableProxy(redis.port or 6379).start()
    port = free_port()
    env = {
        "SLACK_CLIENT_ID": "1111.2222",
        "SLACK_CLIENT_SECRET": "client-secret-value",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": postgres._replace(netloc=f"postgres@127.0.0.1:{pg_proxy.port}").geturl(),
        "REDIS_URL": redis._replace(netloc=f"127.0.0.1:{redis_proxy.port}").geturl(),
        "LOG_LEVEL": "WARNING",
        "PORT": str(port),
    }
    process = await serve(clean_env(**env))
    url = f"http://127.0.0.1:{port}"
    run = secrets.token_hex(4)

    async def ask(http: aiohttp.ClientSession, n: int) -> None:
        body = event_callback(
            app_mention(f"<@{BOT_USER_ID}> are SROs armed?"),
            event_id=f"Ev{run}{n}",
            team_id=TEAMS[0],
        )
        for retry in ("", "1"):
            headers = signed_headers(body, "application/json")
            if retry:
                headers |= {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
            async with http.post(f"{url}/slack/events", data=body, headers=headers) as reply:
                assert reply.status == 200

    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url, seconds=60)
            await wait_until_ready(http, url, timeout=30)
            await install(http, url, url, TEAMS[0])
            await ask(http, 1)
            await fake_slack.wait_for("chat.postMessage", count=1)

            await pg_proxy.cut()
            await redis_proxy.cut()
            for n in (2, 3):
                await ask(http, n)
            await fake_slack.wait_for("chat.postMessage", count=3, timeout=10)
            await asyncio.sleep(2.5)  # the recorder tries to write, and fails, meanwhile

            await pg_proxy.start()
            await redis_proxy.start()
            await ask(http, 4)
            await fake_slack.wait_for("chat.postMessage", count=4, timeout=10)
            await fake_slack.settle(quiet=1.0)
            for _ in range(100):  # the rows queued during the outage are written now
                if (await stored(database))["questions"].get(TEAMS[0]) == 4:
                    break
                await asyncio.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
        await pg_proxy.cut()
        await redis_proxy.cut()
    posts = fake_slack.of("chat.postMessage")
    assert len(posts) == 4
    assert {p.headers["Authorization"] for p in posts} == {f"Bearer xoxb-{TEAMS[0]}"}
    log = stderr.decode()
    assert "database unavailable" in log and "Redis unavailable" in log
    assert (await stored(database))["questions"] == {TEAMS[0]: 4}
    assert process.returncode == 0
