"""Buttons over real HTTP: questions, topics, share, feedback, from every kind of message."""

from __future__ import annotations

import asyncio
import json
import logging

from bot import messages
from bot.render.blocks import (
    ANSWER_ACTION,
    HELPFUL_ACTION,
    NOT_HELPFUL_ACTION,
    SHARE_ACTION,
    TOPICS_ACTION,
)

from .fake_slack import Fault
from .slack_requests import (
    CHANNEL_ID,
    DM_CHANNEL_ID,
    USER_ID,
    block_actions,
    ephemeral_container,
    home_container,
    message_container,
)


def header(call) -> str:
    return call.body["blocks"][0]["text"]["text"]


async def test_question_button_on_an_ephemeral_answer_answers_only_the_clicker(
    bot, fake_slack, answerer
):
    entry = answerer.knowledge.get("armed")
    body = block_actions(
        f"{ANSWER_ACTION}:armed",
        "armed",
        container=ephemeral_container(),
        response_url=fake_slack.response_url("eph"),
    )
    reply = await bot.form(body)
    assert reply.status == 200

    [call] = await fake_slack.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral"
    assert call.body["replace_original"] is False
    assert header(call) == entry.question
    assert any(b.get("action_id") == SHARE_ACTION for b in _elements(call.body["blocks"]))


async def test_question_button_in_a_thread_replies_in_that_thread(bot, fake_slack, answerer):
    body = block_actions(
        f"{ANSWER_ACTION}:roles",
        "roles",
        container=message_container(CHANNEL_ID, thread_ts="1700000100.000100"),
        response_url=fake_slack.response_url("thread"),
        message={"type": "message", "ts": "1700000500.000500", "thread_ts": "1700000100.000100"},
    )
    await bot.form(body)

    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == CHANNEL_ID
    assert post.body["thread_ts"] == "1700000100.000100"
    assert header(post) == answerer.knowledge.get("roles").question


async def test_question_button_on_app_home_answers_in_the_dm(bot, fake_slack, answerer):
    await bot.form(
        block_actions(f"{ANSWER_ACTION}:selection", "selection", container=home_container())
    )

    [opened] = await fake_slack.wait_for("conversations.open")
    assert opened.body["users"] == USER_ID
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "D0000OPEN"  # the bot's DM with this person
    assert header(post) == answerer.knowledge.get("selection").question


async def test_an_unknown_question_button_says_so(bot, fake_slack):
    body = block_actions(
        f"{ANSWER_ACTION}:gone",
        "gone",
        container=ephemeral_container(),
        response_url=fake_slack.response_url(),
    )
    await bot.form(body)
    [call] = await fake_slack.wait_for("response_url")
    assert call.body["text"] == messages.ENTRY_GONE


async def test_show_topics_button(bot, fake_slack, answerer):
    body = block_actions(
        TOPICS_ACTION,
        "topics",
        container=message_container(DM_CHANNEL_ID),
    )
    await bot.form(body)
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == DM_CHANNEL_ID
    values = [e["value"] for e in _elements(post.body["blocks"])]
    assert values == [entry.id for entry in answerer.knowledge]


async def test_share_posts_the_answer_visibly_through_the_response_url(bot, fake_slack, answerer):
    entry = answerer.knowledge.get("how-many-sros")
    body = block_actions(
        SHARE_ACTION,
        entry.id,
        container=ephemeral_container(),
        response_url=fake_slack.response_url("share"),
    )
    await bot.form(body)

    call, tidy = await fake_slack.wait_for("response_url", count=2)
    assert call.body["response_type"] == "in_channel"
    assert call.body["replace_original"] is False
    assert header(call) == entry.question
    assert not _elements(call.body["blocks"])  # no buttons in the channel
    assert call.body["blocks"][-1]["elements"][0]["text"] == f"Shared by <@{USER_ID}>"
    assert entry.source.url in json.dumps(call.body["blocks"])
    # The private answer it was shared from is removed once the shared one is posted.
    assert tidy.body == {"delete_original": True}


async def test_a_share_that_cannot_be_posted_leaves_the_private_answer(bot, fake_slack):
    fake_slack.script("response_url", Fault.server_error(404))
    body = block_actions(
        SHARE_ACTION,
        "how-many-sros",
        container=ephemeral_container(),
        response_url=fake_slack.response_url("share"),
    )
    await bot.form(body)

    [call] = await fake_slack.wait_for("response_url")
    assert call.body["response_type"] == "in_channel"
    await asyncio.sleep(0.2)  # time for a second call, which must not come
    assert len(fake_slack.of("response_url")) == 1


async def test_helpful_on_an_ephemeral_answer_is_acknowledged_and_logged(bot, fake_slack, caplog):
    caplog.set_level(logging.INFO, logger="bot.feedback")
    body = block_actions(
        HELPFUL_ACTION,
        "armed",
        container=ephemeral_container(),
        response_url=fake_slack.response_url("feedback"),
    )
    await bot.form(body)

    [call] = await fake_slack.wait_for("response_url")
    assert call.body == {
        "text": messages.FEEDBACK_THANKS_HELPFUL,
        "response_type": "ephemeral",
        "replace_original": False,
    }
    [record] = [r for r in caplog.records if r.name == "bot.feedback"]
    assert json.loads(record.getMessage()) == {
        "event": "feedback",
        "helpful": True,
        "entry": "armed",
        "team": "T0001",
        "user": USER_ID,
        "channel": CHANNEL_ID,
        "surface": "ephemeral",
    }


async def test_not_helpful_in_a_dm_is_acknowledged_to_the_clicker_only(bot, fake_slack, caplog):
    caplog.set_level(logging.INFO, logger="bot.feedback")
    body = block_actions(
        NOT_HELPFUL_ACTION,
        "roles",
        container=message_container(DM_CHANNEL_ID),
        response_url=fake_slack.response_url(),
    )
    await bot.form(body)

    [call] = await fake_slack.wait_for("chat.postEphemeral")
    assert call.body["channel"] == DM_CHANNEL_ID
    assert call.body["user"] == USER_ID
    assert call.body["text"] == messages.FEEDBACK_THANKS_NOT_HELPFUL
    [record] = [r for r in caplog.records if r.name == "bot.feedback"]
    assert json.loads(record.getMessage())["helpful"] is False


def _elements(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
