"""Requests Slack did not sign (or signed too long ago) get 401 and cause nothing."""

from __future__ import annotations

import time

import pytest

from .fake_slack import BOT_USER_ID
from .slack_requests import FORM, JSON, app_mention, event_callback, signed_headers, slash_command


def mention() -> str:
    return event_callback(app_mention(f"<@{BOT_USER_ID}> what is an SRO?"), event_id="EvSig1")


@pytest.mark.parametrize(
    "make_headers",
    [
        lambda body, kind: signed_headers(body, kind, secret="not-the-signing-secret"),
        lambda body, kind: signed_headers(body, kind, timestamp=int(time.time()) - 10 * 60),
        lambda body, kind: signed_headers(body, kind, timestamp=int(time.time()) + 10 * 60),
        lambda body, kind: {"Content-Type": kind},
        lambda body, kind: {**signed_headers(body, kind), "X-Slack-Signature": "v0=00"},
    ],
    ids=["wrong-secret", "stale", "from-the-future", "unsigned", "forged"],
)
@pytest.mark.parametrize("kind", ["command", "event"])
async def test_bad_signature_is_refused(bot, fake_slack, make_headers, kind):
    if kind == "command":
        body, content_type = (
            slash_command("what is an SRO?", response_url=fake_slack.response_url()),
            FORM,
        )
    else:
        body, content_type = mention(), JSON

    reply = await bot.post(body, content_type, headers=make_headers(body, content_type))

    assert reply.status == 401
    assert "school resource officer" not in reply.text.lower()
    await fake_slack.settle()
    assert fake_slack.calls == []


async def test_a_body_changed_after_signing_is_refused(bot, fake_slack):
    body = mention()
    headers = signed_headers(body, JSON)
    reply = await bot.post(body.replace("what is an SRO", "who are you"), JSON, headers=headers)
    assert reply.status == 401
    await fake_slack.settle()
    assert fake_slack.calls == []


@pytest.mark.parametrize("digits", [13, 4_301, 8_000])  # aiohttp refuses longer headers
async def test_an_absurdly_long_timestamp_is_refused_not_crashed(bot, fake_slack, digits):
    body = mention()
    headers = {**signed_headers(body, JSON), "X-Slack-Request-Timestamp": "9" * digits}
    reply = await bot.post(body, JSON, headers=headers)
    assert reply.status == 401
    assert "Traceback" not in reply.text
    await fake_slack.settle()
    assert fake_slack.calls == []


async def test_slacks_ssl_check_of_the_command_url_gets_200(bot, fake_slack):
    """Slack checks a slash command's URL with a signed ``ssl_check=1`` form and expects 200."""
    body = "ssl_check=1&token=legacy-verification-token"
    reply = await bot.form(body)
    assert reply.status == 200
    await fake_slack.settle(quiet=0.1)
    assert fake_slack.calls == []
