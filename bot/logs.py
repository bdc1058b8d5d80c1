"""Logging set-up: plain text or one JSON object per line, with secrets never written.

Structured lines carry their fields in ``extra={"fields": {...}}``; the text format appends
them as ``key=value``, the JSON format merges them into the object.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FIELDS = "fields"
_PLAIN = re.compile(r"[\w.:/@+-]+", re.ASCII)
REDACTED = "[redacted]"
# Slack tokens of every kind (bot, user, app-level, config, refresh) look like this.
_TOKEN = re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+")


def fields(**values: Any) -> dict[str, Any]:
    """``extra=`` for a structured log line; ``None`` values are left out."""
    return {FIELDS: {k: v for k, v in values.items() if v is not None}}


class RedactSecrets(logging.Filter):
    """Replaces the configured secrets, and anything shaped like a Slack token, in every line."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self._clean(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if clean != message:
            record.msg, record.args = clean, None
        extra = getattr(record, FIELDS, None)
        if isinstance(extra, Mapping):
            setattr(
                record,
                FIELDS,
                {k: self._clean(v) if isinstance(v, str) else v for k, v in extra.items()},
            )
        return True

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN.sub(REDACTED, text)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = getattr(record, FIELDS, None)
        if not extra:
            return line
        pairs = " ".join(f"{k}={_text_value(v)}" for k, v in extra.items())
        head, newline, rest = line.partition("\n")
        return f"{head} {pairs}{newline}{rest}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the fields, any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        document.update(getattr(record, FIELDS, None) or {})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            document["traceback"] = record.exc_text
        return json.dumps(document, ensure_ascii=False, default=str)


def _text_value(value: Any) -> str:
    """A value as one token: plain when it is simple, else quoted (no newline can forge a line)."""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    return text if _PLAIN.fullmatch(text) else json.dumps(text)


# Bolt's and slack_sdk's debug lines quote request and response bodies (people's questions)
# and full response_url addresses: at DEBUG they stay at INFO unless questions may be logged.
LIBRARY_LOGGERS = ("slack_bolt", "slack_sdk", "bot.slack.bolt")


def configure_logging(
    *,
    level: str,
    log_format: str = "text",
    secrets: Iterable[str | None] = (),
    stream: TextIO | None = None,
    log_questions: bool = False,
) -> None:
    """Send every log line to ``stream`` (stderr) in ``log_format``, secrets redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in LIBRARY_LOGGERS:
        quiet = level == "DEBUG" and not log_questions
        logging.getLogger(name).setLevel(logging.INFO if quiet else logging.NOTSET)
