"""Reloading the knowledge while serving (bot/reload.py): the swap, broken files, in flight."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import threading
import weakref
from pathlib import Path

import pytest

from bot.answering import Answerer
from bot.config import ConfigError, Settings
from bot.knowledge import load_knowledge
from bot.reload import KnowledgeReloader, fingerprint
from bot.render.blocks import Surface
from bot.slack.services import Services

QUESTION = "can I bring my dog to school?"
OLD_ANSWER = "Only service dogs are allowed on campus."
NEW_ANSWER = "Service dogs and therapy dogs are allowed on campus."

DEMO = """\
id: demo
title: Demo FAQ
source:
  publisher: Demo District
  title: Pet policy
  url: https://example.org/pets
  retrieved: 2026-01-02
entries:
  - id: dogs
    question: Can I bring my dog to school?
    answer: {answer}
    alternates: [are dogs allowed at school]
  - id: hamsters
    question: Can our class keep a hamster?
    answer: Classroom pets need the principal's approval.
    alternates: [can we have a class pet]
"""
# The same file with the answer of "hamsters" left out: its entry starts on line 13.
BROKEN = DEMO.replace("    answer: Classroom pets need the principal's approval.\n", "")
BROKEN_LINE = 13

LIZARDS = """\
id: lizards
title: Lizards
source:
  publisher: Demo District
  title: Reptiles
  url: https://example.org/r
  retrieved: 2026-01-02
entries:
  - id: lizards
    question: May a student bring a pet lizard to school?
    answer: Reptiles stay at home.
    alternates: [is my iguana allowed in class]
"""


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    write(tmp_path / "demo.yml", DEMO.format(answer=OLD_ANSWER))
    return tmp_path


@pytest.fixture
def services(knowledge_dir: Path) -> Services:
    return Services.build(Answerer(load_knowledge(knowledge_dir, bundled=False)))


@pytest.fixture
def reloader(services: Services, knowledge_dir: Path) -> KnowledgeReloader:
    return KnowledgeReloader(services, knowledge_dir, bundled=False)


def said(services: Services, question: str = QUESTION) -> str:
    message, _ = services.reply(question, Surface.EPHEMERAL)
    return message.text


async def test_an_edited_answer_is_served_after_a_reload(services, reloader, knowledge_dir, caplog):
    assert OLD_ANSWER in said(services)
    assert OLD_ANSWER in services.command_response(QUESTION)[0]
    write(knowledge_dir / "demo.yml", DEMO.format(answer=NEW_ANSWER))

    with caplog.at_level(logging.INFO, logger="bot.reload"):
        assert await reloader.reload("test") is True

    assert NEW_ANSWER in said(services) and OLD_ANSWER not in said(services)
    assert NEW_ANSWER in services.command_response(QUESTION)[0]  # no stale cached reply
    assert NEW_ANSWER in services.renderer.answer("dogs", Surface.MESSAGE).text  # buttons too
    (line,) = [r for r in caplog.records if r.name == "bot.reload"]
    assert line.levelno == logging.INFO
    assert line.getMessage().startswith("knowledge reloaded (test): 2 entries")


async def test_a_broken_edit_keeps_the_old_knowledge_and_names_file_line_and_field(
    services, reloader, knowledge_dir, caplog
):
    before = services.replies
    write(knowledge_dir / "demo.yml", BROKEN)

    with caplog.at_level(logging.INFO, logger="bot.reload"):
        assert await reloader.reload("test") is False

    assert services.replies is before
    assert OLD_ANSWER in said(services)
    (line,) = [r for r in caplog.records if r.name == "bot.reload"]
    assert line.levelno == logging.ERROR
    message = line.getMessage()
    assert "\n" not in message
    assert f"{knowledge_dir / 'demo.yml'}:{BROKEN_LINE}" in message
    assert "entry 'hamsters'" in message and "field 'answer'" in message
    assert "still answering from the 2 entries before" in message


async def test_a_question_in_flight_finishes_on_the_knowledge_it_started_with(
    services, reloader, knowledge_dir
):
    """A reply started before the swap is computed and rendered wholly from the old
    knowledge, and is not kept where the new knowledge's replies are looked up."""
    old = services.answerer
    started, release = threading.Event(), threading.Event()
    answer = old.answer

    def slow_answer(text: str):
        started.set()
        release.wait(10)
        return answer(text)

    old.answer = slow_answer  # type: ignore[method-assign]
    in_flight = asyncio.create_task(asyncio.to_thread(services.reply, QUESTION, Surface.EPHEMERAL))
    await asyncio.to_thread(started.wait, 10)
    write(knowledge_dir / "demo.yml", DEMO.format(answer=NEW_ANSWER))
    assert await reloader.reload("test") is True
    release.set()
    message, decided = await in_flight

    assert OLD_ANSWER in message.text and NEW_ANSWER not in message.text
    assert decided.entry_id == "dogs"
    assert NEW_ANSWER in said(services)


async def test_a_removed_entry_is_gone_and_the_topics_follow(services, reloader, knowledge_dir):
    write(knowledge_dir / "lizards.yml", LIZARDS)
    assert await reloader.reload("test") is True
    assert "Reptiles stay at home." in said(services, "may a student bring a pet lizard?")
    assert "May a student bring a pet lizard to school?" in services.renderer.topics.text
    assert any(
        "pet lizard" in str(block) for block in services.renderer.home_view["blocks"]
    )  # the App Home view is built from the renderer

    (knowledge_dir / "lizards.yml").unlink()
    assert await reloader.reload("test") is True
    assert "Reptiles" not in said(services, "may a student bring a pet lizard?")
    assert "lizard" not in services.renderer.topics.text


async def test_the_replaced_knowledge_is_freed(services, reloader):
    old = weakref.ref(services.answerer.matcher.analyzer)
    said(services, "can I brng my dgo to scool?")  # spelling mended: caches filled
    assert await reloader.reload("test") is True
    gc.collect()
    assert old() is None


async def test_watching_reloads_on_a_change_and_retries_a_broken_file_when_it_changes(
    services, knowledge_dir, caplog
):
    reloader = KnowledgeReloader(services, knowledge_dir, bundled=False)
    watching = asyncio.create_task(reloader.watch(0.02))
    try:
        with caplog.at_level(logging.INFO, logger="bot.reload"):
            write(knowledge_dir / "demo.yml", BROKEN)  # as if caught mid-write
            await until(lambda: failures(caplog) == 1)
            await asyncio.sleep(0.1)  # polls that see no change do not try again
            assert failures(caplog) == 1
            assert OLD_ANSWER in said(services)

            write(knowledge_dir / "demo.yml", DEMO.format(answer=NEW_ANSWER))  # the write ends
            await until(lambda: NEW_ANSWER in said(services))
    finally:
        watching.cancel()


async def test_a_request_reloads_unchanged_files_and_no_interval_means_no_polling(
    services, knowledge_dir, caplog
):
    reloader = KnowledgeReloader(services, knowledge_dir, bundled=False)
    watching = asyncio.create_task(reloader.watch(0))
    try:
        with caplog.at_level(logging.INFO, logger="bot.reload"):
            await asyncio.sleep(0.05)  # the watch has made its first look
            write(knowledge_dir / "demo.yml", DEMO.format(answer=NEW_ANSWER))
            await asyncio.sleep(0.2)
            assert OLD_ANSWER in said(services)  # not polled
            reloader.request()  # as SIGHUP does
            await until(lambda: NEW_ANSWER in said(services))
            before = services.replies
            reloader.request()  # nothing changed: reloaded all the same
            await until(lambda: services.replies is not before)
        assert sum("(SIGHUP)" in r.getMessage() for r in caplog.records) == 2
    finally:
        watching.cancel()


async def test_an_edit_made_while_the_served_knowledge_loaded_is_reloaded_at_once(
    services, knowledge_dir
):
    loaded = fingerprint([knowledge_dir])  # as serve takes it, before loading
    write(knowledge_dir / "demo.yml", DEMO.format(answer=NEW_ANSWER))
    reloader = KnowledgeReloader(services, knowledge_dir, bundled=False, loaded=loaded)
    watching = asyncio.create_task(reloader.watch(0))  # no polling, no SIGHUP
    try:
        await until(lambda: NEW_ANSWER in said(services))
    finally:
        watching.cancel()


def test_the_fingerprint_changes_on_edit_addition_replacement_and_removal(knowledge_dir):
    layers = [knowledge_dir]
    first = fingerprint(layers)
    assert fingerprint(layers) == first
    write(knowledge_dir / "demo.yml", DEMO.format(answer=NEW_ANSWER))
    edited = fingerprint(layers)
    assert edited != first
    write(knowledge_dir / "lizards.yaml", LIZARDS)
    added = fingerprint(layers)
    assert added != edited
    replacement = knowledge_dir / "new.tmp"  # not a knowledge file until renamed
    write(replacement, LIZARDS)
    assert fingerprint(layers) == added
    os.replace(replacement, knowledge_dir / "lizards.yaml")  # same size, another inode
    replaced = fingerprint(layers)
    assert replaced != added
    (knowledge_dir / "lizards.yaml").unlink()
    assert fingerprint(layers) not in (replaced, added)
    write(knowledge_dir / "notes.txt", "not knowledge")
    assert fingerprint(layers) == fingerprint(layers)
    assert len(fingerprint(layers)) == 1


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 2.0), ("0", 0.0), ("0.5", 0.5), (" 10 ", 10.0)]
)
def test_the_reload_interval_setting(raw, expected):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    if raw is not None:
        env["SRO_RELOAD_INTERVAL"] = raw
    settings = Settings.from_env(env)
    assert settings.reload_interval == expected
    assert f"reload_interval={expected:g}s" in settings.describe()


@pytest.mark.parametrize("raw", ["soon", "-1", "nan", "inf"])
def test_a_reload_interval_that_is_not_seconds_is_refused(raw):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SRO_RELOAD_INTERVAL": raw}
    with pytest.raises(ConfigError, match="SRO_RELOAD_INTERVAL"):
        Settings.from_env(env)


def failures(caplog: pytest.LogCaptureFixture) -> int:
    return sum(r.name == "bot.reload" and r.levelno == logging.ERROR for r in caplog.records)


async def until(condition, timeout: float = 15.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)
