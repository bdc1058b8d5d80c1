"""Slack's Web API misbehaving: 429 with Retry-After, 5xx, dropped connections, slow answers.

Every reply still goes out exactly once, through slack_sdk's retry handlers; a call that
fails after its retries is logged with the event id and the error, and the next request
is answered as usual. Retry-After is 0 here, and the backoff 0.01 s (``bot_settings``).
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

from bot.server import create_app

from .conftest import bot_settings, start_bot, wait_until_ready
from .fake_slack import BOT_USER_ID, Fault
from .slack_requests import (
    JSON,
    USER_ID,
    app_mention,
    block_actions,
    direct_message,
    ephemeral_container,
    event_callback,
    home_container,
    signed_headers,
)

QUESTION = "are school resource officers armed?"
FAULTS = {
    "429": Fault.rate_limited(retry_after=0),
    "500": Fault.server_error(500),
    "503": Fault.server_error(503),
    "dropped": Fault.dropped(),
    "slow": Fault.slow(0.3),
}


def mention(event_id: str, text: str = QUESTION) -> str:
    return event_callback(app_mention(f"<@{BOT_USER_ID}> {text}"), event_id=event_id)


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_a_mention_is_answered_once_through_a_fault(bot, fake_slack, fault):
    fake_slack.script("chat.postMessage", fault)

    assert (await bot.event(mention("EvFault1"))).status == 200

    await fake_slack.wait_answered("chat.postMessage")
    await fake_slack.settle()
    assert fake_slack.answered["chat.postMessage"] == 1  # one reply reached the channel
    assert len(fake_slack.of("chat.postMessage")) == (1 if fault.delay else 2)


async def test_a_dm_survives_several_faults_in_a_row(bot, fake_slack):
    fake_slack.script("chat.postMessage", FAULTS["500"], FAULTS["dropped"], FAULTS["503"])

    await bot.event(event_callback(direct_message(QUESTION), event_id="EvFault2"))

    await fake_slack.wait_for("chat.postMessage", count=4)
    await fake_slack.settle()
    assert fake_slack.answered["chat.postMessage"] == 1


async def test_app_home_is_published_through_a_rate_limit(bot, fake_slack):
    fake_slack.script("views.publish", FAULTS["429"])
    event = {"type": "app_home_opened", "user": USER_ID, "channel": "D0000DM01", "tab": "home"}

    await bot.event(event_callback(event, event_id="EvFault3"))

    await fake_slack.wait_for("views.publish", count=2)
    await fake_slack.settle()
    assert fake_slack.answered["views.publish"] == 1


async def test_a_home_button_survives_faults_in_conversations_open(bot, fake_slack):
    fake_slack.script("conversations.open", FAULTS["dropped"], FAULTS["500"])
    body = block_actions("sro.answer:armed", "armed", container=home_container())

    assert (await bot.form(body)).status == 200

    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.body["channel"] == "D0000OPEN"
    assert len(fake_slack.of("conversations.open")) == 3


@pytest.mark.parametrize("fault", ["429", "500", "dropped"])
async def test_a_response_url_reply_survives_a_fault(bot, fake_slack, fault):
    fake_slack.script("response_url", FAULTS[fault])
    body = block_actions(
        "sro.answer:armed",
        "armed",
        container=ephemeral_container(),
        response_url=fake_slack.response_url(),
    )

    assert (await bot.form(body)).status == 200

    await fake_slack.wait_for("response_url", count=2)
    await fake_slack.settle()
    assert fake_slack.answered["response_url"] == 1


async def test_a_reply_that_still_fails_is_logged_with_the_event_id(bot, fake_slack, caplog):
    fake_slack.script("chat.postMessage", *[Fault.server_error(500)] * 4)  # 1 try + 3 retries

    with caplog.at_level(logging.INFO):
        await bot.event(mention("EvLost1"))
        await fake_slack.wait_for("chat.postMessage", count=4)
        await fake_slack.settle()
        # Nothing else broke: the next event is answered as usual.
        await bot.event(mention("EvNext1"))
        await fake_slack.wait_for("chat.postMessage", count=5)
        await asyncio.sleep(0.1)

    [failure] = [r for r in caplog.records if r.getMessage() == "reply not delivered"]
    assert failure.levelno == logging.ERROR
    assert failure.fields["event_id"] == "EvLost1"
    assert failure.fields["method"] == "chat.postMessage"
    assert "500" in failure.fields["error"]
    assert fake_slack.answered["chat.postMessage"] == 1  # EvNext1's reply


async def test_a_rate_limit_that_does_not_lift_is_logged_as_ratelimited(bot, fake_slack, caplog):
    fake_slack.script("response_url", *[Fault.rate_limited(retry_after=0)] * 4)
    body = block_actions(
        "sro.topics",
        "topics",
        container=ephemeral_container(),
        response_url=fake_slack.response_url(),
    )

    with caplog.at_level(logging.ERROR):
        await bot.form(body)
        await fake_slack.wait_for("response_url", count=4, timeout=10)
        await fake_slack.settle()

    [failure] = [r for r in caplog.records if r.getMessage() == "reply not delivered"]
    assert failure.fields["method"] == "response_url"
    assert failure.fields["action_id"] == "sro.topics"
    assert failure.fields["error"] == "HTTP 429"


async def test_two_deliveries_of_one_event_at_once_get_one_reply(bot, fake_slack):
    body = mention("EvTwice")
    retry = signed_headers(body, "application/json") | {
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }

    first, second = await asyncio.gather(bot.event(body), bot.event(body, headers=retry))

    assert first.status == second.status == 200
    await fake_slack.wait_for("chat.postMessage")
    await fake_slack.settle()
    assert len(fake_slack.of("chat.postMessage")) == 1


async def test_a_redelivery_after_a_failed_reply_is_not_answered_again(bot, fake_slack):
    """Slack redelivers only when the acknowledgement failed; the reply is ours to retry."""
    fake_slack.script("chat.postMessage", FAULTS["500"])
    body = mention("EvTwice2")
    await bot.event(body)
    await fake_slack.wait_for("chat.postMessage", count=2)
    retry = signed_headers(body, "application/json") | {"X-Slack-Retry-Num": "1"}

    assert (await bot.event(body, headers=retry)).status == 200

    await fake_slack.settle()
    assert fake_slack.answered["chat.postMessage"] == 1


async def test_a_hung_reply_gives_up_after_the_api_timeout(fake_slack, answerer, caplog):
    settings = bot_settings(fake_slack, SRO_API_TIMEOUT="1", SRO_API_RETRIES="0")
    release = fake_slack.hold("chat.postMessage")
    runner, url = await start_bot(create_app(settings, answerer))
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_ready(http, url)
            body = mention("EvHung1")
            with caplog.at_level(logging.INFO):
                async with http.post(
                    f"{url}/slack/events", data=body, headers=signed_headers(body, JSON)
                ) as reply:
                    assert reply.status == 200
                started = asyncio.get_running_loop().time()
                while not [r for r in caplog.records if r.getMessage() == "reply not delivered"]:
                    assert asyncio.get_running_loop().time() - started < 10, "still waiting"
                    await asyncio.sleep(0.05)
        [failure] = [r for r in caplog.records if r.getMessage() == "reply not delivered"]
        assert failure.fields["event_id"] == "EvHung1"
        assert failure.fields["method"] == "chat.postMessage"
    finally:
        release.set()
        await runner.cleanup()


@pytest.mark.parametrize(
    "retry_after",
    ["0.2", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"],
    ids=["fraction", "date", "junk"],
)
async def test_any_retry_after_is_waited_and_the_reply_goes_out(bot, fake_slack, retry_after):
    fake_slack.script("chat.postMessage", Fault.rate_limited(retry_after=retry_after))
    await bot.event(mention(f"EvRetryAfter-{retry_after[:4]}"))
    calls = await fake_slack.wait_for("chat.postMessage", count=2)
    assert len(calls) == 2
    assert fake_slack.answered["chat.postMessage"] == 1


async def test_a_200_that_is_not_json_is_logged_as_not_delivered(bot, fake_slack, caplog):
    fake_slack.script("chat.postMessage", Fault.not_json())
    with caplog.at_level(logging.INFO):
        await bot.event(mention("EvNotJson1"))
        await fake_slack.wait_for("chat.postMessage")
        await fake_slack.settle()
        await asyncio.sleep(0.1)
    [failure] = [r for r in caplog.records if r.getMessage() == "reply not delivered"]
    assert failure.fields["event_id"] == "EvNotJson1"
    assert "unreadable answer (HTTP 200)" in failure.fields["error"]
