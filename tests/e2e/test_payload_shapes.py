"""Signed requests of every kind Slack sends, whole and with fields missing: never a 5xx.

The shapes are written here from Slack's documented payload kinds (not copied from any
test suite): each kind, bare and with the fields Bolt or the listeners read taken away
or emptied one at a time.
"""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlencode

import pytest

from .slack_requests import FORM, JSON

USER = {"id": "U0001", "username": "pat", "team_id": "T0001"}
TEAM = {"id": "T0001", "domain": "example"}
VIEW = {"id": "V0001", "type": "modal", "callback_id": "cb", "state": {"values": {}}}

INTERACTIONS: dict[str, dict[str, Any]] = {
    "block_actions": {
        "user": USER,
        "team": TEAM,
        "actions": [{"action_id": "sro.answer:armed", "block_id": "b", "value": "armed"}],
        "container": {"type": "message", "channel_id": "C0001", "message_ts": "1.1"},
        "channel": {"id": "C0001"},
        "response_url": "http://127.0.0.1:9/response",
        "trigger_id": "1.2.3",
    },
    "interactive_message": {
        "user": USER,
        "team": TEAM,
        "callback_id": "cb",
        "actions": [{"name": "x", "type": "button", "value": "v"}],
        "channel": {"id": "C0001"},
    },
    "view_submission": {"user": USER, "team": TEAM, "view": VIEW, "trigger_id": "1.2.3"},
    "view_closed": {"user": USER, "team": TEAM, "view": VIEW},
    "shortcut": {"user": USER, "team": TEAM, "callback_id": "cb", "trigger_id": "1.2.3"},
    "message_action": {
        "user": USER,
        "team": TEAM,
        "callback_id": "cb",
        "channel": {"id": "C0001"},
        "message": {"ts": "1.1", "text": "hi"},
    },
    "dialog_submission": {"user": USER, "team": TEAM, "callback_id": "cb", "submission": {}},
    "dialog_cancellation": {"user": USER, "team": TEAM, "callback_id": "cb"},
    "block_suggestion": {"user": USER, "team": TEAM, "action_id": "a", "value": "x"},
    "dialog_suggestion": {"user": USER, "team": TEAM, "callback_id": "cb", "value": "x"},
    "workflow_step_edit": {"user": USER, "team": TEAM, "callback_id": "cb"},
}

EVENTS: dict[str, dict[str, Any]] = {
    "app_mention": {"user": "U0001", "text": "<@UBOT0001> hi", "channel": "C0001", "ts": "1.1"},
    "message": {
        "user": "U0001",
        "text": "what is an sro",
        "channel": "D0001",
        "channel_type": "im",
        "ts": "1.1",
    },
    "app_home_opened": {"user": "U0001", "channel": "D0001", "tab": "home"},
    "member_joined_channel": {"user": "U0001", "channel": "C0001"},
    "app_uninstalled": {},
    "tokens_revoked": {"tokens": {"bot": ["UBOT0001"]}},
    "reaction_added": {"user": "U0001", "reaction": "+1", "item": {"type": "message"}},
}

COMMAND = {
    "command": "/sro",
    "text": "are SROs armed",
    "user_id": "U0001",
    "team_id": "T0001",
    "channel_id": "C0001",
    "response_url": "http://127.0.0.1:9/response",
    "trigger_id": "1.2.3",
}


def _variants(whole: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The whole payload, then each field missing, then each field emptied."""
    found = [("whole", whole)]
    for name in whole:
        found.append((f"no {name}", {k: v for k, v in whole.items() if k != name}))
        if isinstance(whole[name], dict | list | str):
            found.append((f"empty {name}", {**whole, name: type(whole[name])()}))
    return found


def _shapes() -> list[tuple[str, str, str]]:
    shapes = []
    for kind, fields in INTERACTIONS.items():
        for how, payload in _variants({"type": kind, **fields}):
            shapes.append((f"{kind}: {how}", urlencode({"payload": json.dumps(payload)}), FORM))
    for kind, fields in EVENTS.items():
        for how, event in _variants({"type": kind, **fields}):
            envelope = {
                "type": "event_callback",
                "team_id": "T0001",
                "api_app_id": "A0001",
                "event_id": f"Ev{len(shapes)}",
                "event": event,
            }
            shapes.append((f"event {kind}: {how}", json.dumps(envelope), JSON))
    for how, form in _variants(COMMAND):
        shapes.append((f"command: {how}", urlencode(form), FORM))
    for missing in itertools.combinations(("user", "team", "actions"), 2):
        payload = {"type": "block_actions", **INTERACTIONS["block_actions"]}
        for name in missing:
            payload.pop(name)
        shapes.append(
            (
                f"block_actions: no {' or '.join(missing)}",
                urlencode({"payload": json.dumps(payload)}),
                FORM,
            )
        )
    return shapes


SHAPES = _shapes()


def test_the_corpus_is_large() -> None:
    assert len(SHAPES) >= 126


@pytest.mark.parametrize(
    ("body", "content_type"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES]
)
async def test_no_payload_shape_gets_a_server_error(bot, body, content_type) -> None:
    reply = await bot.post(body, content_type)
    assert reply.status < 500, reply.text
    assert "Traceback" not in reply.text
