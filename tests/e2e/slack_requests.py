"""Requests shaped and signed the way Slack sends them to a Request URL."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from .fake_slack import BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
USER_ID = "U0000USER"
CHANNEL_ID = "C0000CHAN"
DM_CHANNEL_ID = "D0000DM01"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def signed_headers(
    body: str, content_type: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Headers with ``X-Slack-Signature`` computed exactly as Slack computes it."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def slash_command(text: str, *, response_url: str, command: str = "/sro") -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "example",
            "channel_id": CHANNEL_ID,
            "channel_name": "general",
            "user_id": USER_ID,
            "user_name": "pat",
            "command": command,
            "text": text,
            "api_app_id": "A0001",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": "1337.42.abcd",
        }
    )


def event_callback(event: dict[str, Any], *, event_id: str, team_id: str = TEAM_ID) -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team_id, "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


# Each message a new ts, as in Slack: the bot takes a repeated (channel, ts) for a repeat,
# in a shared store (Redis) too, so each test run's are new as well.
_RUN_SECONDS = 1_700_000_000 + secrets.randbelow(10**8)
_MESSAGE_TS = itertools.count(100)


def new_ts() -> str:
    return f"{_RUN_SECONDS}.{next(_MESSAGE_TS):06d}"


def app_mention(text: str, *, ts: str | None = None, thread_ts: str | None = None) -> dict:
    ts = ts or new_ts()
    event = {
        "type": "app_mention",
        "user": USER_ID,
        "text": text,
        "ts": ts,
        "channel": CHANNEL_ID,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text: str, *, user: str = USER_ID, **extra: Any) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": DM_CHANNEL_ID,
        "user": user,
        "text": text,
        **{"ts": (ts := new_ts()), "event_ts": ts},
        **extra,
    }


def block_actions(
    action_id: str,
    value: str,
    *,
    container: dict[str, Any],
    response_url: str | None = None,
    message: dict[str, Any] | None = None,
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "pat", "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": "1337.42.abcd",
        "team": {"id": TEAM_ID, "domain": "example"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "text": {"type": "plain_text", "text": "x"},
                "action_ts": "1700000300.000300",
            }
        ],
    }
    if container.get("type") == "message":
        payload["channel"] = {"id": container["channel_id"], "name": "general"}
    if response_url:
        payload["response_url"] = response_url
    if message is not None:
        payload["message"] = message
    return urlencode({"payload": json.dumps(payload)})


def ephemeral_container() -> dict[str, Any]:
    return {
        "type": "message",
        "message_ts": "1700000400.000400",
        "channel_id": CHANNEL_ID,
        "is_ephemeral": True,
    }


def message_container(channel: str = CHANNEL_ID, thread_ts: str | None = None) -> dict[str, Any]:
    container = {
        "type": "message",
        "message_ts": "1700000500.000500",
        "channel_id": channel,
        "is_ephemeral": False,
    }
    if thread_ts:
        container["thread_ts"] = thread_ts
    return container


def home_container() -> dict[str, Any]:
    return {"type": "view", "view_id": "V0001"}


def view_submission(callback_id: str, values: dict[str, Any], *, private_metadata: str) -> str:
    """A modal's Submit, as Slack posts it (form encoded, the JSON in ``payload``)."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "example"},
        "user": {"id": USER_ID, "username": "pat", "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": "1337.43.abcd",
        "view": {
            "id": "V0002",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": "1700000600.abcd",
        },
    }
    return urlencode({"payload": json.dumps(payload)})
