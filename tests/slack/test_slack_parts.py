"""Small parts of the Slack adapter: the event store, text from payloads, background work."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.intent import Intent, question_of
from bot.slack.background import Background
from bot.slack.dedupe import InMemoryEventStore
from bot.slack.text import without_mention


async def test_event_store_says_first_time_once():
    store = InMemoryEventStore()
    assert await store.first_time("Ev1") is True
    assert await store.first_time("Ev1") is False
    assert await store.first_time("Ev2") is True


async def test_event_store_forgets_after_ttl_and_stays_bounded():
    now = [0.0]
    store = InMemoryEventStore(ttl=10, max_size=3, clock=lambda: now[0])
    assert await store.first_time("a")
    now[0] = 11
    assert await store.first_time("a")  # forgotten: past the retry window
    for key in "bcde":
        assert await store.first_time(key)
    assert len(store) <= 3


async def test_event_store_remembers_within_ttl_even_when_full_of_newer_ids():
    now = [0.0]
    store = InMemoryEventStore(ttl=10, max_size=3, clock=lambda: now[0])
    for key in "abc":
        assert await store.first_time(key)
    now[0] = 5
    assert not await store.first_time("c")  # still within the window
    assert await store.first_time("d")  # full: the oldest ("a") is forgotten first
    assert len(store) == 3
    assert not await store.first_time("b")
    assert await store.first_time("a")


async def test_event_store_says_first_time_once_for_simultaneous_deliveries():
    store = InMemoryEventStore()
    answers = await asyncio.gather(*(store.first_time("EvSame") for _ in range(20)))
    assert answers.count(True) == 1


def test_event_store_refuses_a_useless_configuration():
    with pytest.raises(ValueError):
        InMemoryEventStore(ttl=0)
    with pytest.raises(ValueError):
        InMemoryEventStore(max_size=0)


def test_without_mention_removes_only_the_bot():
    text = "<@UBOT> what about <@UOTHER|pat>? <@UBOT|sro-bot>"
    assert without_mention(text, "UBOT").split() == ["what", "about", "<@UOTHER|pat>?"]
    assert without_mention(text, None) == text


def test_question_of_reads_keywords_and_reduces_markup():
    assert question_of("")[0] is Intent.HELP
    assert question_of("  Help! ")[0] is Intent.HELP
    assert question_of("Hi!")[0] is Intent.HELP  # a greeting in a DM gets how to ask
    assert question_of("help with SRO training")[0] is Intent.QUESTION
    assert question_of("topics")[0] is Intent.TOPICS
    assert question_of("LIST")[0] is Intent.TOPICS
    intent, question = question_of("what is an &lt;SRO&gt; <https://x.example|here>")
    assert intent is Intent.QUESTION
    assert question == "what is an <SRO> here"


async def test_background_logs_failures_and_drains(caplog):
    background = Background()

    async def fail() -> None:
        raise RuntimeError("boom")

    async def slow() -> None:
        await asyncio.sleep(30)

    with caplog.at_level(logging.ERROR, logger="bot.slack.background"):
        background.spawn(fail(), name="failing reply")
        slow_task = background.spawn(slow(), name="slow reply")
        await asyncio.sleep(0)
        await background.drain(timeout=0.05)
        await asyncio.sleep(0)
    assert "failing reply failed" in caplog.text
    assert slow_task.cancelled()
    assert "slow reply: not delivered, cut off at shutdown" in caplog.text
