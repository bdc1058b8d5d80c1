"""The HTTP endpoint, over real HTTP: no input makes it answer 5xx; no forgery gets past it.

Bodies are signed exactly as Slack signs them (HMAC-SHA256 of ``v0:<timestamp>:<raw body>``)
or forged; the server is the real aiohttp app with the fake Slack Web API behind it. Any
``response_url`` in a payload points at the fake, so no traffic leaves 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from e2e.fake_slack import BOT_USER_ID, FakeSlack
from e2e.slack_requests import (
    FORM,
    JSON,
    SIGNING_SECRET,
    app_mention,
    block_actions,
    direct_message,
    ephemeral_container,
    event_callback,
    home_container,
    message_container,
    slash_command,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.slack.gate import form

HTTP_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONTENT_TYPES = st.sampled_from(
    [FORM, JSON, "text/plain", "application/octet-stream", "multipart/form-data", ""]
)
ACTION_IDS = [
    "sro.answer:what-is-sro",
    "sro.answer:no-such-entry",
    "sro.topics",
    "sro.share",
    "sro.feedback.helpful",
    "sro.feedback.not_helpful",
]


# --- signing --------------------------------------------------------------------------------


def sign(
    body: bytes,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> dict[str, str]:
    """Slack's signature over the raw bytes (slack_sdk's generator takes UTF-8 text only)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def forge(body: bytes, content_type: str, how: str, made_up: str) -> dict[str, str]:
    """Headers a forger could send: a wrong secret, a stale or made-up signature, none."""
    if how == "wrong-secret":
        return sign(body, content_type, secret="not-" + SIGNING_SECRET)
    if how == "stale":
        return sign(body, content_type, timestamp=int(time.time()) - 6 * 60)
    if how == "made-up":
        return sign(body, content_type) | {"X-Slack-Signature": made_up}
    return {"Content-Type": content_type}


FORGERIES = st.sampled_from(["wrong-secret", "stale", "made-up", "unsigned"])
MADE_UP_SIGNATURES = st.one_of(
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).map("v0=".__add__),
    st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=80),
)


async def post(bot: Any, body: bytes, headers: dict[str, str]) -> int:
    async with bot.http.post(f"{bot.url}/slack/events", data=body, headers=headers) as reply:
        await reply.read()
        return reply.status


# --- strategies -----------------------------------------------------------------------------

# Text a person (or a forger) might type: anything, with Slack markup and odd characters.
ODD_PIECES = st.sampled_from(
    [
        "<!channel>",
        "<!here>",
        "<@U123>",
        "<#C123|general>",
        "<https://x.example|y>",
        "\u200b",
        "\u202e",
        "\x00",
        "```code```",
        "&lt;",
        "what is an SRO?",
        "help",
        "topics",
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(ODD_PIECES, st.text(max_size=20)), max_size=12).map(" ".join),
)
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
# Strings where Slack sends strings: what any Slack user (or workspace) can put there.
ID = st.one_of(st.sampled_from(["U0000USER", "C0000CHAN", "D0000DM01", ""]), st.text(max_size=30))
EVENT_TYPES = st.sampled_from(
    ["app_mention", "message", "app_home_opened", "reaction_added", "team_join", ""]
)
EVENT_FIELDS = ["type", "text", "user", "channel", "channel_type", "subtype", "bot_id", "ts"]
EVENT_FIELDS += ["thread_ts", "tab", "event_ts"]
ENVELOPE_FIELDS = ["type", "event", "event_id", "team_id", "api_app_id", "authorizations"]
ENVELOPE_FIELDS += ["challenge", "token", "event_time"]
PAYLOAD_TYPES = st.sampled_from(
    ["block_actions", "view_submission", "shortcut", "message_action", "interactive_message"]
)
ACTION_FIELDS = ["actions", "user", "container", "channel", "message", "team", "view"]
_event_ids = itertools.count()


@st.composite
def events(draw: st.DrawFn, *, malformed: bool = False) -> dict[str, Any]:
    """An event_callback: well-formed with any strings in it, or with fields of any type."""
    kind = draw(st.sampled_from(["mention", "dm", "home", "other"]))
    if kind == "mention":
        event: dict[str, Any] = app_mention(f"<@{BOT_USER_ID}> {draw(TEXT)}")
    elif kind == "dm":
        event = direct_message(draw(TEXT))
    else:
        event = {"type": "app_home_opened" if kind == "home" else draw(EVENT_TYPES)}
    values = JSON_VALUE if malformed else st.one_of(TEXT, ID)
    event.update(draw(st.dictionaries(st.sampled_from(EVENT_FIELDS), values, max_size=3)))
    body = json.loads(event_callback(event, event_id="Ev"))
    if malformed:
        body.update(draw(st.dictionaries(st.sampled_from(ENVELOPE_FIELDS), JSON_VALUE)))
    return body


@st.composite
def clicks(draw: st.DrawFn, *, malformed: bool = False) -> dict[str, Any]:
    """A button click (or another interactivity payload) with any ids and values."""
    container = draw(
        st.sampled_from([ephemeral_container(), message_container(), home_container()])
    )
    action_id = draw(st.one_of(st.sampled_from(ACTION_IDS), st.text(max_size=40)))
    body = block_actions(action_id, draw(TEXT), container=container, response_url=RESPONSE_URL)
    payload = json.loads(dict(parse_qsl(body))["payload"])
    payload["type"] = draw(st.one_of(st.just("block_actions"), PAYLOAD_TYPES))
    payload["user"]["id"] = draw(ID)
    if malformed:
        payload.update(draw(st.dictionaries(st.sampled_from(ACTION_FIELDS), JSON_VALUE)))
    return payload


RESPONSE_URL = "http://127.0.0.1:9/response/prop"  # replaced by the fake's own before posting


def event_body(payload: dict[str, Any]) -> bytes:
    """JSON as Slack sends it; a fresh event_id, so no delivery is a retry of another."""
    if payload.get("event_id") == "Ev":
        payload = payload | {"event_id": f"EvProp{next(_event_ids)}"}
    return json.dumps(payload).encode()


def click_body(payload: dict[str, Any], fake_slack: FakeSlack) -> bytes:
    if payload.get("response_url") == RESPONSE_URL:
        payload = payload | {"response_url": fake_slack.response_url("prop")}
    return urlencode({"payload": json.dumps(payload)}).encode()


@st.composite
def requests(draw: st.DrawFn, fake_slack: FakeSlack) -> tuple[bytes, str]:
    """Any well-formed request of any kind: (body, content type)."""
    kind = draw(st.sampled_from(["command", "event", "click"]))
    if kind == "command":
        text = draw(TEXT)
        return slash_command(text, response_url=fake_slack.response_url("prop")).encode(), FORM
    if kind == "event":
        return event_body(draw(events())), JSON
    return click_body(draw(clicks()), fake_slack), FORM


# --- well-formed requests: what anyone in a workspace can make Slack send -----------------


@HTTP_SETTINGS
@given(
    text=TEXT,
    command=st.sampled_from(["/sro", "/other"]),
    fields=st.dictionaries(st.sampled_from(["user_id", "channel_id", "team_id"]), ID),
)
async def test_a_signed_slash_command_with_any_text_is_answered(
    bot, fake_slack, text, command, fields
):
    form = dict(parse_qsl(slash_command(text, response_url=fake_slack.response_url("prop"))))
    body = urlencode(form | fields | {"command": command}).encode()
    status = await post(bot, body, sign(body, FORM))
    assert status < 500
    if command == "/sro":
        assert status == 200


@HTTP_SETTINGS
@given(payload=events())
async def test_a_signed_event_with_any_strings_gets_no_5xx(bot, payload):
    body = event_body(payload)
    assert await post(bot, body, sign(body, JSON)) < 500


@HTTP_SETTINGS
@given(payload=clicks())
async def test_a_signed_click_with_any_ids_gets_no_5xx(bot, fake_slack, payload):
    body = click_body(payload, fake_slack)
    assert await post(bot, body, sign(body, FORM)) < 500


@HTTP_SETTINGS
@given(challenge=st.text(max_size=100))
async def test_a_signed_url_verification_is_answered(bot, challenge):
    body = json.dumps({"token": "t", "challenge": challenge, "type": "url_verification"}).encode()
    assert await post(bot, body, sign(body, JSON)) == 200


@HTTP_SETTINGS
@given(body=TEXT.map(str.encode), content_type=st.sampled_from([FORM, "text/plain", ""]))
async def test_a_signed_text_body_that_is_no_payload_gets_no_5xx(bot, body, content_type):
    assert await post(bot, body, sign(body, content_type)) < 500


@HTTP_SETTINGS
@given(data=st.data(), how=FORGERIES, made_up=MADE_UP_SIGNATURES)
async def test_a_forged_request_is_refused(bot, fake_slack, data, how, made_up):
    body, content_type = data.draw(requests(fake_slack))
    assert await post(bot, body, forge(body, content_type, how, made_up)) == 401
    assert fake_slack.calls == []  # nothing forged reached a handler (so far as has arrived)


# --- malformed bodies: issue 4's "a 4xx or a quiet 200, never a 500" -----------------------


@HTTP_SETTINGS
@given(body=st.binary(max_size=500), content_type=CONTENT_TYPES)
@example(body=b"\xff\xfe", content_type=FORM)
async def test_a_body_that_is_not_utf8_gets_no_5xx(bot, body, content_type):
    assert await post(bot, body, sign(body, content_type)) < 500
    assert await post(bot, body, {"Content-Type": content_type}) == 401


@HTTP_SETTINGS
@given(document=JSON_VALUE, content_type=st.sampled_from([JSON, FORM]))
@example(document=None, content_type=JSON)
@example(document=0, content_type=JSON)
async def test_any_signed_json_gets_no_5xx(bot, document, content_type):
    body = json.dumps(document).encode()
    if content_type == FORM:
        body = urlencode({"payload": body}).encode()
    assert await post(bot, body, sign(body, content_type)) < 500


@HTTP_SETTINGS
@given(
    fields=st.dictionaries(
        st.one_of(st.sampled_from(["command", "text", "payload", "ssl_check"]), st.text()),
        TEXT,
        max_size=6,
    )
)
@example(fields={"payload": ""})
async def test_any_signed_form_gets_no_5xx(bot, fields):
    body = urlencode(fields).encode()
    assert await post(bot, body, sign(body, FORM)) < 500


@HTTP_SETTINGS
@given(payload=events(malformed=True))
@example(payload={"type": "event_callback", "event": None, "authorizations": False})
async def test_a_signed_event_with_fields_of_any_type_gets_no_5xx(bot, payload):
    body = event_body(payload)
    assert await post(bot, body, sign(body, JSON)) < 500


@HTTP_SETTINGS
@given(payload=clicks(malformed=True))
@example(payload={"type": "block_actions", "actions": None, "user": {"id": "U1"}})
@example(payload={"type": "block_actions", "actions": [], "user": {"id": "U1"}})
async def test_a_signed_click_with_fields_of_any_type_gets_no_5xx(bot, fake_slack, payload):
    body = click_body(payload, fake_slack)
    assert await post(bot, body, sign(body, FORM)) < 500


@HTTP_SETTINGS
@given(
    payload=st.one_of(events(malformed=True), st.dictionaries(st.text(max_size=8), JSON_VALUE)),
    how=FORGERIES,
    made_up=MADE_UP_SIGNATURES,
)
@example(
    payload={"type": None, "event": None, "authorizations": False},
    how="unsigned",
    made_up="",
)
async def test_a_forged_malformed_request_is_refused(bot, fake_slack, payload, how, made_up):
    body = event_body(payload)
    assert await post(bot, body, forge(body, JSON, how, made_up)) == 401
    assert fake_slack.calls == []


FORM_CHARACTERS = "ab=&%+2Ef9x ;\u2713"


@settings(max_examples=2000, deadline=None)
@given(body=st.text(alphabet=FORM_CHARACTERS, min_size=1, max_size=24))
@example(body="a=1&&b=2")
@example(body="x=%E2%9C%93&y=%ff")
def test_the_gate_reads_a_form_exactly_as_parse_qsl_strict(body):
    def read(parse):
        try:
            return parse(body)
        except (ValueError, UnicodeDecodeError):
            return "refused"

    def stdlib(text):
        return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True, errors="strict"))

    assert read(form) == read(stdlib)
