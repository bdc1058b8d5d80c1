"""Hostile and odd requests over real HTTP: too large, malformed, odd question text.

Nothing here gets a 5xx, and nothing refused reaches a handler (no Web API call is made).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

from bot.render.blocks import MAX_BLOCKS, MAX_SECTION_TEXT
from bot.slack.gate import MAX_BODY_BYTES

from .fake_slack import BOT_USER_ID
from .slack_requests import (
    FORM,
    JSON,
    app_mention,
    block_actions,
    event_callback,
    message_container,
    signed_headers,
    slash_command,
)


async def test_a_body_over_the_limit_gets_413_before_it_is_read(bot, fake_slack):
    body = slash_command("x" * (MAX_BODY_BYTES + 1), response_url=fake_slack.response_url())
    reply = await bot.form(body)
    assert reply.status == 413
    await fake_slack.settle()
    assert fake_slack.calls == []


async def test_a_chunked_body_over_the_limit_gets_413(bot, fake_slack):
    body = slash_command("x" * (MAX_BODY_BYTES + 1), response_url=fake_slack.response_url())

    async def chunks():  # no Content-Length: the limit applies while reading
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536].encode()

    headers = signed_headers(body, FORM)
    async with bot.http.post(f"{bot.url}/slack/events", data=chunks(), headers=headers) as r:
        assert r.status == 413
    await fake_slack.settle()
    assert fake_slack.calls == []


def payload(value: object) -> str:
    return urlencode({"payload": json.dumps(value)})


def event(value: object) -> str:
    return json.dumps({"type": "event_callback", "event_id": "EvOdd", "event": value})


# (body, content type, expected status): 400 for what Slack would never send, a quiet 200
# for well-formed requests nothing answers (so Slack does not redeliver them).
MALFORMED = {
    "invalid form encoding": ("command=%2Fsro&text=%FF%FE", FORM, 400),
    "form without '='": ("command", FORM, 400),
    "invalid JSON": ('{"type": "event_callback", ', JSON, 400),
    "JSON array": ("[1, 2, 3]", JSON, 400),
    "JSON string": ('"event_callback"', JSON, 400),
    "JSON number": ("42", JSON, 400),
    "JSON null": ("null", JSON, 400),
    "deeply nested JSON": ("[" * 100_000 + "]" * 100_000, JSON, 400),
    "event is a string": (event("app_mention"), JSON, 400),
    "event is a list": (event([{"type": "app_mention"}]), JSON, 400),
    "event type is a list": (event({"type": ["app_mention"]}), JSON, 400),
    "mention text is a number": (event({"type": "app_mention", "text": 5}), JSON, 400),
    "dm channel is null": (event({"type": "message", "channel": None, "text": "x"}), JSON, 400),
    "envelope type is a number": (json.dumps({"type": 7}), JSON, 400),
    "payload is not JSON": ("payload=%7Bnot+json", FORM, 400),
    "payload is a list": (payload([1]), FORM, 400),
    "actions is a string": (payload({"type": "block_actions", "actions": "x"}), FORM, 400),
    "an action is a string": (payload({"type": "block_actions", "actions": ["x"]}), FORM, 400),
    "user is a number": (payload({"type": "block_actions", "user": 5, "actions": []}), FORM, 400),
    "empty JSON object": ("{}", JSON, 400),
    "empty body": ("", JSON, 400),
    "a form that is not a command": ("text=hello&user_id=U1", FORM, 400),
    "another slash command": (slash_command("x", response_url="", command="/other"), FORM, 200),
    "unknown event type": (event({"type": "reaction_added", "user": "U1"}), JSON, 200),
    "event without a type": (event({"user": "U1"}), JSON, 400),
    "a shortcut": (
        payload({"type": "shortcut", "callback_id": "x", "user": {"id": "U1"}}),
        FORM,
        200,
    ),
    "a closed view": (payload({"type": "view_closed", "view": {"id": "V1"}}), FORM, 200),
    "mention missing its fields": (event({"type": "app_mention"}), JSON, 200),
    "dm missing its fields": (event({"type": "message", "channel_type": "im"}), JSON, 200),
    "unknown action id": (
        block_actions("sro.nothing", "x", container=message_container()),
        FORM,
        200,
    ),
    "action without its fields": (
        payload({"type": "block_actions", "actions": [{"action_id": "sro.answer:armed"}]}),
        FORM,
        200,
    ),
    "url_verification without a challenge": ('{"type": "url_verification"}', JSON, 200),
}


@pytest.mark.parametrize(("body", "content_type", "status"), MALFORMED.values(), ids=MALFORMED)
async def test_a_malformed_signed_body_gets_4xx_or_a_quiet_200(
    bot, fake_slack, body, content_type, status
):
    reply = await bot.post(body, content_type)

    assert reply.status == status
    await fake_slack.settle(0.1)
    assert not [c for c in fake_slack.calls if c.method != "response_url"]


@pytest.mark.parametrize(("body", "content_type", "status"), MALFORMED.values(), ids=MALFORMED)
async def test_a_malformed_unsigned_body_gets_401(bot, fake_slack, body, content_type, status):
    reply = await bot.post(body, content_type, headers={"Content-Type": content_type})
    assert reply.status == 401


async def test_a_body_that_is_not_utf8_gets_401(bot, fake_slack):
    async with bot.http.post(
        f"{bot.url}/slack/events", data=b"\xff\xfe{", headers={"Content-Type": JSON}
    ) as reply:
        assert reply.status == 401


async def test_a_non_numeric_timestamp_gets_401(bot):
    body = slash_command("what is an SRO?", response_url="")
    headers = signed_headers(body, FORM) | {"X-Slack-Request-Timestamp": "soon"}
    assert (await bot.form(body, headers=headers)).status == 401


ODD_QUESTIONS = {
    "empty": "",
    "whitespace": " \t\n  ",
    "10,000 characters": "what is an sro " * 667,
    "control characters": "what\x00 is\x07 an\x1b[31m SRO\x7f?",
    "zero-width and RTL marks": "what\u200b is\u200d an\u2066 \u202eSRO\u200f?",
    "emoji": "\U0001f46e\u200d\u2640\ufe0f what is an SRO? \U0001f914",
    "other scripts": "ما هو ضابط المدرسة؟ 什么是学校警官 Что такое SRO?",
    "Slack markup": "<!channel> <!here> <!everyone> <@U123> <#C123|general> <https://x.example|y>",
    "markup, no question": "<!subteam^S123|@admins> <!date^1392734382^{date}|x> zzz",
    "Markdown": "**what** is an [SRO](https://evil.example) # heading",
    "code fence": "```\n<!channel> rm -rf /\n``` xyzzy",
    "escaped markup": "&lt;!channel&gt; &amp;lt;@U1&amp;gt; plugh",
    "a bare link": "https://evil.example/phish xyzzy",
}
PING_OR_LINK = re.compile(r"<[!@#]|<https?:|<mailto:", re.IGNORECASE)


def echoed_text(response: dict) -> str:
    """Every piece of text a person would see in the response, as Slack reads it."""
    return json.dumps(response)


@pytest.mark.parametrize("text", ODD_QUESTIONS.values(), ids=ODD_QUESTIONS)
async def test_odd_question_text_is_answered_or_declined_and_never_pings(bot, fake_slack, text):
    body = slash_command(text, response_url=fake_slack.response_url())
    reply = await bot.form(body)

    assert reply.status == 200
    response = reply.json()
    assert response["response_type"] == "ephemeral"
    assert response["text"].strip()
    assert 0 < len(response["blocks"]) <= MAX_BLOCKS
    for block in response["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
            if "You asked:" in block["text"]["text"]:
                assert block["text"]["verbatim"] is True  # Slack links nothing in it
    # No ping or link that was not in the bot's own knowledge (answers cite https sources).
    for found in PING_OR_LINK.findall(echoed_text(response)):
        assert found.lower().startswith("<http"), found
    assert "evil.example|" not in echoed_text(response)
    assert "<!channel>" not in echoed_text(response) and "<@U123>" not in echoed_text(response)


@pytest.mark.parametrize("text", ODD_QUESTIONS.values(), ids=ODD_QUESTIONS)
async def test_odd_mention_text_gets_one_reply_that_never_pings(bot, fake_slack, text):
    await bot.event(event_callback(app_mention(f"<@{BOT_USER_ID}> {text}"), event_id="EvOddQ"))

    [post] = await fake_slack.wait_for("chat.postMessage")
    shown = json.dumps({"text": post.body["text"], "blocks": post.body["blocks"]})
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@U123>" not in shown
    assert "evil.example|" not in shown
