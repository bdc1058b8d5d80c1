"""``sro-bot serve`` reloads its knowledge directory while it runs: on a change, on SIGHUP."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import aiohttp

from bot.classifier import CACHE_DIR_ENV

from .conftest import wait_until_ready
from .slack_requests import FORM, SIGNING_SECRET, signed_headers, slash_command
from .test_operations import serve_env
from .test_serve_command import BOT_TOKEN, free_port, serve, wait_until_up

QUESTION = "can I bring my dog to school?"
FIRST, SECOND = "Only service dogs are allowed on campus.", "Dogs stay at home, service dogs aside."

KNOWLEDGE = """\
id: district
title: District FAQ
source: {{publisher: Demo, title: Pets, url: "https://example.org/p", retrieved: 2026-01-02}}
entries:
  - id: dogs
    question: Can I bring my dog to school?
    answer: {answer}
    alternates: [are dogs allowed at school]
  - id: hamsters
    question: Can our class keep a hamster?
    answer: Classroom pets need the principal's approval.
"""
# "dogs" without its answer: the entry starts on line 5.
BROKEN = KNOWLEDGE.format(answer=FIRST).replace(f"    answer: {FIRST}\n", "")


def write(directory: Path, text: str) -> None:
    (directory / "district.yml").write_text(text, encoding="utf-8")


async def ask(http: aiohttp.ClientSession, url: str, response_url: str) -> str:
    body = slash_command(QUESTION, response_url=response_url)
    async with http.post(f"{url}/slack/events", data=body, headers=signed_headers(body, FORM)) as r:
        assert r.status == 200
        return await r.text()


async def answered(
    http: aiohttp.ClientSession, url: str, response_url: str, words: str, timeout: float = 20.0
) -> float:
    """Ask until the answer holds ``words``; how long that took."""
    started = time.monotonic()
    while words not in await ask(http, url, response_url):
        assert time.monotonic() - started < timeout, f"never answered {words!r}"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def log_line(process: asyncio.subprocess.Process, words: str, timeout: float = 20.0) -> str:
    """The next line of the server's log (stderr) that holds ``words``."""

    async def find() -> str:
        assert process.stderr is not None
        while line := (await process.stderr.readline()).decode():
            if words in line:
                return line
        raise AssertionError(f"the server stopped before logging {words!r}")

    return await asyncio.wait_for(find(), timeout)


def knowledge_env(fake_slack, port: int, directory: Path, **extra: str) -> dict[str, str]:
    return serve_env(
        fake_slack,
        port,
        SRO_KNOWLEDGE_DIR=str(directory),
        SRO_BUNDLED_KNOWLEDGE="0",
        SRO_CACHE_DIR=os.environ[CACHE_DIR_ENV],
        LOG_LEVEL="WARNING",  # the few lines the test reads; none per request
        **extra,
    )


async def stop(process: asyncio.subprocess.Process) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0
    return stderr.decode()


async def test_an_edit_is_served_and_a_broken_edit_keeps_the_last_good_knowledge(
    fake_slack, tmp_path: Path
):
    write(tmp_path, KNOWLEDGE.format(answer=FIRST))
    port = free_port()
    process = await serve(knowledge_env(fake_slack, port, tmp_path, SRO_RELOAD_INTERVAL="0.1"))
    url, response_url = f"http://127.0.0.1:{port}", fake_slack.response_url()
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            await wait_until_ready(http, url)
            assert FIRST in await ask(http, url, response_url)

            write(tmp_path, KNOWLEDGE.format(answer=SECOND))
            await answered(http, url, response_url, SECOND)

            write(tmp_path, BROKEN)
            error = await log_line(process, "knowledge not reloaded")
            assert SECOND in await ask(http, url, response_url)
            async with http.get(f"{url}/readyz") as ready:
                assert ready.status == 200
    finally:
        log = await stop(process)
    assert f"{tmp_path / 'district.yml'}:5, entry 'dogs', field 'answer'" in error
    assert "ERROR" in error and "still answering from the 2 entries before" in error
    assert BOT_TOKEN not in error + log and SIGNING_SECRET not in error + log


async def test_sighup_reloads_when_polling_is_off(fake_slack, tmp_path: Path):
    write(tmp_path, KNOWLEDGE.format(answer=FIRST))
    port = free_port()
    process = await serve(knowledge_env(fake_slack, port, tmp_path, SRO_RELOAD_INTERVAL="0"))
    url, response_url = f"http://127.0.0.1:{port}", fake_slack.response_url()
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_up(http, url)
            write(tmp_path, KNOWLEDGE.format(answer=SECOND))
            await asyncio.sleep(0.5)
            assert FIRST in await ask(http, url, response_url)  # no polling
            process.send_signal(signal.SIGHUP)
            await answered(http, url, response_url, SECOND)
    finally:
        await stop(process)
