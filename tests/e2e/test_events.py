"""Events API over real HTTP: mentions reply in thread, DMs in the DM, Home is published."""

from __future__ import annotations

import asyncio

import pytest

from bot import messages

from .fake_slack import BOT_ID, BOT_USER_ID
from .slack_requests import (
    CHANNEL_ID,
    DM_CHANNEL_ID,
    USER_ID,
    app_mention,
    direct_message,
    event_callback,
    signed_headers,
)

QUESTION = "are school resource officers armed?"


def entry_for(answerer, question: str):
    return answerer.answer(question).matches[0].entry


async def test_url_verification_echoes_the_challenge(bot):
    reply = await bot.event(
        '{"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}'
    )
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


async def test_healthz(bot, answerer):
    async with bot.http.get(f"{bot.url}/healthz") as reply:
        assert reply.status == 200
        assert await reply.json() == {
            "status": "ok",
            "entries": len(answerer.knowledge),
            "mode": "http",
        }


async def test_mention_replies_in_a_thread_under_the_message(bot, fake_slack, answerer):
    event = app_mention(f"<@{BOT_USER_ID}> {QUESTION}", ts="1700000100.000100")
    reply = await bot.event(event_callback(event, event_id="Ev0001"))
    assert reply.status == 200

    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == CHANNEL_ID
    assert post.body["thread_ts"] == "1700000100.000100"
    assert post.body["blocks"][0]["text"]["text"] == entry_for(answerer, QUESTION).question
    assert post.headers["Authorization"] == "Bearer xoxb-test-token"


async def test_the_acknowledgement_does_not_wait_for_the_reply(bot, fake_slack):
    release = fake_slack.hold("chat.postMessage")
    try:
        event = app_mention(f"<@{BOT_USER_ID}> {QUESTION}")
        # Were the acknowledgement to wait for chat.postMessage, it would never come.
        reply = await asyncio.wait_for(bot.event(event_callback(event, event_id="Ev0010")), 10)

        assert reply.status == 200  # acknowledged while Slack has not answered the reply
        assert fake_slack.answered["chat.postMessage"] == 0
        await fake_slack.wait_for("chat.postMessage")
    finally:
        release.set()


async def test_mention_inside_a_thread_replies_in_that_thread(bot, fake_slack):
    event = app_mention(
        f"{QUESTION} <@{BOT_USER_ID}>", ts="1700000150.000150", thread_ts="1700000100.000100"
    )
    await bot.event(event_callback(event, event_id="Ev0002"))

    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1700000100.000100"


async def test_mention_alone_gets_help(bot, fake_slack):
    await bot.event(event_callback(app_mention(f"<@{BOT_USER_ID}>"), event_id="Ev0003"))
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["blocks"][0]["text"]["text"] == messages.HELP_TITLE


async def test_a_retried_event_is_answered_once(bot, fake_slack):
    body = event_callback(app_mention(f"<@{BOT_USER_ID}> {QUESTION}"), event_id="Ev0004")
    await bot.event(body)
    for retry in ("1", "2"):
        headers = signed_headers(body, "application/json")
        headers |= {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        assert (await bot.event(body, headers=headers)).status == 200

    await fake_slack.wait_for("chat.postMessage")
    await fake_slack.settle()
    assert len(fake_slack.of("chat.postMessage")) == 1


async def test_the_same_message_under_a_new_event_id_is_answered_once(bot, fake_slack):
    """Slack sometimes delivers one message again with a new ``event_id``: the message's
    workspace, channel and ts say it is the same."""
    message = app_mention(f"<@{BOT_USER_ID}> {QUESTION}")
    await bot.event(event_callback(message, event_id="Ev0004a"))
    await bot.event(event_callback(message, event_id="Ev0004b"))
    other = app_mention(f"<@{BOT_USER_ID}> {QUESTION}")  # a new message: a new ts
    await bot.event(event_callback(other, event_id="Ev0004c"))

    await fake_slack.wait_for("chat.postMessage", count=2)
    await fake_slack.settle()
    assert len(fake_slack.of("chat.postMessage")) == 2


async def test_direct_message_is_answered_in_the_dm(bot, fake_slack, answerer):
    await bot.event(event_callback(direct_message(QUESTION), event_id="Ev0005"))

    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == DM_CHANNEL_ID
    assert "thread_ts" not in post.body
    assert post.body["blocks"][0]["text"]["text"] == entry_for(answerer, QUESTION).question
    assert not [b for b in post.body["blocks"] if "Share" in str(b)]  # already visible


@pytest.mark.parametrize(
    "event",
    [
        direct_message(QUESTION, user=BOT_USER_ID, bot_id=BOT_ID),  # its own message
        direct_message(QUESTION, user="U0000OTHERBOT", bot_id="B0000OTHER"),  # another bot
        direct_message(QUESTION, subtype="bot_message", bot_id="B0000OTHER"),
        direct_message(QUESTION, subtype="message_changed"),  # an edit
        {**direct_message(QUESTION), "channel_type": "channel", "channel": CHANNEL_ID},
    ],
    ids=["own", "other-bot", "bot-message", "edit", "channel-message"],
)
async def test_the_bot_does_not_answer_bots_edits_or_channel_chatter(bot, fake_slack, event):
    # A first request makes Bolt learn its own identity (auth.test), as in production.
    await bot.event(event_callback(direct_message("help"), event_id="EvWarm"))
    await fake_slack.wait_for("chat.postMessage")

    reply = await bot.event(event_callback(event, event_id="Ev0006"))

    assert reply.status == 200
    await fake_slack.settle()
    assert len(fake_slack.of("chat.postMessage")) == 1  # only the warm-up's reply


async def test_app_home_is_published(bot, fake_slack, answerer):
    event = {"type": "app_home_opened", "user": USER_ID, "channel": DM_CHANNEL_ID, "tab": "home"}
    await bot.event(event_callback(event, event_id="Ev0007"))

    [publish] = await fake_slack.wait_for("views.publish")
    assert publish.body["user_id"] == USER_ID
    view = publish.body["view"]
    assert view["type"] == "home"
    shown = str(view)
    assert all(entry.question[:60] in shown for entry in answerer.knowledge)
    assert all(source.url in shown for source in answerer.knowledge.sources)
    assert "/sro" in shown


async def test_messages_tab_opened_publishes_nothing(bot, fake_slack):
    event = {
        "type": "app_home_opened",
        "user": USER_ID,
        "channel": DM_CHANNEL_ID,
        "tab": "messages",
    }
    await bot.event(event_callback(event, event_id="Ev0008"))
    await fake_slack.settle()
    assert not fake_slack.of("views.publish")
