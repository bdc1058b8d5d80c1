"""The "Why this answer?" button over real HTTP: asked, clicked, shown to the clicker only."""

from __future__ import annotations

import json

import pytest

from bot import messages
from bot.explain import explain
from bot.render.blocks import EXPLAIN_ACTION, explain_value

from .fake_slack import BOT_USER_ID
from .slack_requests import (
    CHANNEL_ID,
    USER_ID,
    app_mention,
    block_actions,
    ephemeral_container,
    event_callback,
    message_container,
    slash_command,
)

ALTERNATE = "do SROs pay for themselves?"  # an alternate of entry "evidence"


def explain_button(blocks: list[dict]) -> dict:
    [button] = [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == EXPLAIN_ACTION
    ]
    return button


def shown(body: dict) -> str:
    return "\n".join(b["text"]["text"] for b in body["blocks"] if b["type"] == "section")


async def test_slash_command_answer_then_why_shows_the_explanation_to_the_clicker_only(
    bot, fake_slack, answerer
):
    reply = await bot.form(slash_command(ALTERNATE, response_url=fake_slack.response_url("cmd")))
    assert reply.status == 200
    button = explain_button(reply.json()["blocks"])
    assert button["text"]["text"] == messages.EXPLAIN_BUTTON

    click = block_actions(
        EXPLAIN_ACTION,
        button["value"],
        container=ephemeral_container(),
        response_url=fake_slack.response_url("why"),
    )
    clicked = await bot.form(click)
    assert clicked.status == 200

    [call] = await fake_slack.wait_for("response_url")
    assert call.body["response_type"] == "ephemeral"
    assert call.body["replace_original"] is False
    why = explain(answerer.answer(ALTERNATE), answerer.matcher)
    text = shown(call.body)
    assert messages.EXPLAIN_TITLE in text
    assert f'"{ALTERNATE}", another wording of "{why.entry.question}"' in text
    assert f"*{messages.EXPLAIN_SCORE}:* {why.score:.1f} of 100" in text
    assert f'"{why.runner_up.entry.question}", {why.runner_up.score:.1f}' in text
    assert f"*{messages.EXPLAIN_SAFETY}:* none" in text
    assert call.body["text"].startswith(messages.EXPLAIN_TITLE)  # the notification fallback
    await fake_slack.settle()
    assert [c.method for c in fake_slack.calls] == ["response_url"]  # nothing posted visibly


async def test_why_under_a_thread_reply_is_posted_ephemerally_in_that_thread(
    bot, fake_slack, answerer
):
    event = app_mention(f"<@{BOT_USER_ID}> {ALTERNATE}", ts="1700000100.000100")
    await bot.event(event_callback(event, event_id="EvWhy1"))
    [post] = await fake_slack.wait_for("chat.postMessage")
    button = explain_button(post.body["blocks"])

    click = block_actions(
        EXPLAIN_ACTION,
        button["value"],
        container=message_container(CHANNEL_ID, thread_ts="1700000100.000100"),
        response_url=fake_slack.response_url("thread"),
        message={
            "type": "message",
            "ts": post.body.get("ts", "1"),
            "thread_ts": "1700000100.000100",
        },
    )
    assert (await bot.form(click)).status == 200

    [ephemeral] = await fake_slack.wait_for("chat.postEphemeral")
    assert ephemeral.body["channel"] == CHANNEL_ID
    assert ephemeral.body["user"] == USER_ID
    assert ephemeral.body["thread_ts"] == "1700000100.000100"
    assert f'"{ALTERNATE}"' in shown(ephemeral.body)
    assert len(fake_slack.of("chat.postMessage")) == 1  # nothing else posted visibly


async def test_a_crisis_reply_has_no_why_button(bot, fake_slack):
    reply = await bot.form(
        slash_command("shots fired in the main hallway", response_url=fake_slack.response_url())
    )
    blocks = reply.json()["blocks"]
    assert EXPLAIN_ACTION not in json.dumps(blocks)


@pytest.mark.parametrize(
    "value, says",
    [
        ("not json at all", messages.EXPLAIN_MALFORMED),
        ('{"entry": 42}', messages.EXPLAIN_MALFORMED),
        ("[" * 50000, messages.EXPLAIN_MALFORMED),
        (explain_value("no-such-entry", "are SROs armed?"), messages.EXPLAIN_GONE),
    ],
)
async def test_a_malformed_or_stale_why_click_gets_a_clear_ephemeral_message(
    bot, fake_slack, value, says
):
    click = block_actions(
        EXPLAIN_ACTION,
        value,
        container=ephemeral_container(),
        response_url=fake_slack.response_url("bad"),
    )
    reply = await bot.form(click)
    assert reply.status == 200

    [call] = await fake_slack.wait_for("response_url")
    assert call.body["text"] == says
    assert call.body["response_type"] == "ephemeral"
    assert call.body["replace_original"] is False


async def test_a_why_click_whose_answer_changed_explains_the_answer_now(bot, fake_slack):
    # The button names "armed", but the question is now answered by another entry.
    click = block_actions(
        EXPLAIN_ACTION,
        explain_value("armed", ALTERNATE),
        container=ephemeral_container(),
        response_url=fake_slack.response_url("changed"),
    )
    await bot.form(click)
    [call] = await fake_slack.wait_for("response_url")
    assert call.body["text"].startswith(messages.EXPLAIN_CHANGED)
    assert f'"{ALTERNATE}"' in shown(call.body)
