"""The door to ``/slack/events``: size, signature and shape, before Bolt sees a request.

Bolt parses a body before it verifies the signature, and a body that is not a JSON object
(or not UTF-8) makes it raise. So every request is checked here first, in this order:

1. larger than ``max_body`` bytes: 413 (from ``Content-Length`` before reading, else while
   reading, through aiohttp's ``client_max_size``);
2. no valid signature, or a timestamp more than 5 minutes off: 401 (slack_sdk's verifier;
   a body that is not UTF-8 cannot be verified either);
3. not form encoding or a JSON object, or Slack's envelope fields of the wrong type: 400.

Only then is the body handed to Bolt, which routes it (its own signature check is off:
this one is the only way in).

One quirk of Bolt's is mended on the way: its ``parse_body`` (a request helper) reads
any form whose text contains the word "payload" as an interaction (a ``payload=`` field)
and, finding no such field, routes the request as empty: ``/sro what is the payload of
a drone`` would go unanswered. Such a form reaches Bolt with that word's "a" written as
``%61``, which every form reader decodes back to the same fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus, unquote_to_bytes

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import log_messages

MAX_BODY_BYTES = 1024 * 1024  # Slack's largest payloads (a 40,000-character message) fit
# A Unix time in seconds has 10 digits until 2286; longer is not Slack's (and Python's int()
# refuses strings of over 4,300 digits).
MAX_TIMESTAMP_DIGITS = 12


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request was turned away, and the status it gets."""

    status: int
    reason: str

    def response(self) -> web.Response:
        return web.json_response({"error": self.reason}, status=self.status)


class Gate:
    """Checks one request at a time; builds the :class:`AsyncBoltRequest` for what passes."""

    def __init__(self, *, signing_secret: str, max_body: int = MAX_BODY_BYTES) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self.max_body = max_body

    async def admit(self, request: web.Request) -> AsyncBoltRequest | Refusal:
        too_large = Refusal(413, log_messages.TOO_LARGE % self.max_body)
        if (request.content_length or 0) > self.max_body:
            return too_large
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return too_large
        if len(raw) > self.max_body:
            return too_large
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(401, log_messages.NOT_UTF8)
        if not self._signed(request, body):
            return Refusal(401, log_messages.NOT_SIGNED)
        problem = _parse(body, request.content_type)
        if problem:
            return Refusal(400, problem)
        try:
            return AsyncBoltRequest(
                body=_for_bolt(body, request.content_type),
                query=request.query_string,
                # What Bolt reads: the content type and Slack's own headers.
                headers={
                    k: v
                    for k, v in request.headers.items()
                    if k[:8].lower() == "x-slack-" or k.lower() == "content-type"
                },
            )
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return Refusal(400, log_messages.BAD_SHAPE % "fields Bolt cannot read")

    def _signed(self, request: web.Request, body: str) -> bool:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature")
        if not timestamp.isascii() or not timestamp.isdigit():
            return False
        if len(timestamp) > MAX_TIMESTAMP_DIGITS:
            return False
        return self._verifier.is_valid(body=body, timestamp=timestamp, signature=signature)


def _for_bolt(body: str, content_type: str) -> str:
    """The body as Bolt should read it: a form with "payload" in a value, not as a field,
    gets the word escaped (see the module's docstring)."""
    is_form = not (content_type == "application/json" or body.startswith("{"))
    has_field = body.startswith("payload=") or "&payload=" in body
    if is_form and "payload" in body and not has_field:
        return body.replace("payload", "p%61yload")
    return body


def _parse(body: str, content_type: str) -> str | None:
    """What is wrong with a signed body, or None when Bolt may route it."""
    if not body:
        return log_messages.BAD_SHAPE % "an empty body"
    if content_type == "application/json" or body.startswith("{"):
        return _bad_object(body)
    try:
        fields = _fields(body)
    except (ValueError, UnicodeDecodeError):
        return log_messages.BAD_FORM
    if "payload" in fields:  # interactivity: a JSON object in a form field
        return _bad_object(_unescape(fields["payload"]))
    # The other forms Slack sends: a slash command, and the SSL check it makes of a slash
    # command's URL (answered 200 by Bolt's ssl_check middleware).
    if "command" not in fields and "ssl_check" not in fields:
        return log_messages.BAD_SHAPE % "a form that is neither a command nor an interaction"
    return None


def _fields(body: str) -> dict[str, str]:
    """A form's field names, each with its value still escaped (Bolt reads the values).

    Raises as ``parse_qsl(strict_parsing=True, errors="strict")`` would: a field without
    "=", or an escape that is not UTF-8 (checked for the whole body at once: "&" and "="
    are ASCII, so a character cannot straddle two fields).
    """
    if "%" in body or "+" in body:
        unquote_to_bytes(body.replace("+", " ")).decode("utf-8")
    fields = {}
    for pair in body.split("&"):
        name, equals, value = pair.partition("=")
        if not equals:
            raise ValueError(f"bad form field {pair!r}")
        fields[_unescape(name)] = value
    return fields


def form(body: str) -> dict[str, str]:
    """A form's fields, read exactly as ``parse_qsl(strict_parsing=True, errors="strict")``."""
    return {name: _unescape(value) for name, value in _fields(body).items()}


def _unescape(text: str) -> str:
    if "%" in text or "+" in text:
        return unquote_plus(text, errors="strict")
    return text


def _bad_object(text: str) -> str | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return log_messages.BAD_JSON
    if not isinstance(value, dict):
        return log_messages.NOT_AN_OBJECT
    return _bad_envelope(value)


# Fields Bolt and the listeners read from Slack's envelopes, with the JSON type Slack sends.
_ENVELOPE: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "event": dict,
    "event_id": str,
    "team_id": str,
    "api_app_id": str,
    "user": (dict, str),
    "team": (dict, type(None)),
    "channel": (dict, str),
    "container": dict,
    "actions": list,
    "view": dict,
    "message": dict,
    "enterprise": (dict, type(None)),
    "authorizations": list,
    "response_url": str,
    "trigger_id": str,
    "challenge": str,
}
HANDLED_EVENTS = frozenset({"app_mention", "message", "app_home_opened"})
_EVENT: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "user": str,
    "text": str,
    "channel": str,
    "channel_type": str,
    "subtype": str,
    "bot_id": str,
    "ts": str,
    "thread_ts": str,
    "event_ts": str,
    "tab": str,
}


def _bad_envelope(body: dict[str, Any]) -> str | None:
    problem = _wrong_types(body, _ENVELOPE, "")
    if problem:
        return problem
    if "type" not in body:  # every event envelope and interaction names its type
        return log_messages.BAD_SHAPE % "no type"
    event = body.get("event")
    if isinstance(event, dict) and "type" not in event:
        return log_messages.BAD_SHAPE % "an event with no type"
    if isinstance(event, dict) and not isinstance(event.get("type", ""), str):
        return log_messages.BAD_SHAPE % "event.type of the wrong type"
    if isinstance(event, dict) and event.get("type") in HANDLED_EVENTS:
        problem = _wrong_types(event, _EVENT, "event.")
        if problem:
            return problem
    if body.get("type") in ("block_actions", "interactive_message") and not body.get("actions"):
        return log_messages.BAD_SHAPE % f"a click ({body['type']}) with no actions"
    for i, action in enumerate(body.get("actions") or ()):
        if not isinstance(action, dict):
            return log_messages.BAD_SHAPE % f"actions[{i}] that is not an object"
    for i, item in enumerate(body.get("authorizations") or ()):
        if not isinstance(item, dict):
            return log_messages.BAD_SHAPE % f"authorizations[{i}] that is not an object"
    for name in ("user", "team", "channel", "container", "enterprise"):
        value = body.get(name)
        if isinstance(value, dict) and not isinstance(value.get("id", ""), str):
            return log_messages.BAD_SHAPE % f"{name}.id that is not a string"
    return None


def _wrong_types(
    values: dict[str, Any], expected: dict[str, type | tuple[type, ...]], prefix: str
) -> str | None:
    for name, kinds in expected.items():
        if name in values and not isinstance(values[name], kinds):
            return log_messages.BAD_SHAPE % f"{prefix}{name} of the wrong type"
    return None
