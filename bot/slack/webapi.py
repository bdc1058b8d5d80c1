"""Calls to Slack's Web API and to ``response_url``: bounded retries, and failures logged.

Retries are slack_sdk's own handlers: 429 waits for ``Retry-After``; 500/503 and dropped
connections back off exponentially (with jitter). One ``RetryState`` is shared by the
handlers of a call, so ``api_retries`` bounds the retries of a call whatever went wrong.
A call that still fails is logged once, with the event it answers, and nothing else breaks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import logging
import random
from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient, WebhookResponse

from bot import log_messages
from bot.config import DEFAULT_API_BACKOFF, DEFAULT_API_RETRIES, DEFAULT_API_TIMEOUT, Settings
from bot.logs import fields

logger = logging.getLogger("bot.slack.webapi")


class ProportionalJitter(Jitter):
    """Each wait is 50% to 150% of the backoff (slack_sdk's default adds up to a whole second)."""

    def recalculate(self, duration: float) -> float:
        return duration * (0.5 + random.random())


MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is waited this long at most


class RateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, reading ``Retry-After`` as HTTP allows: whole or fractional
    seconds, or a date (slack_sdk's own ``int()`` raises on "1.5" and drops the reply)."""

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        values = {k.lower(): v for k, v in response.headers.items()}.get("retry-after") or [""]
        await asyncio.sleep(retry_after_seconds(values[0]))
        state.increment_current_attempt()


def retry_after_seconds(value: str) -> float:
    """A ``Retry-After`` value in seconds (0 to MAX_RETRY_AFTER); 1 when unreadable."""
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return 1.0
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - dt.datetime.now(dt.UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def retry_handlers(
    *, retries: int = DEFAULT_API_RETRIES, backoff: float = DEFAULT_API_BACKOFF
) -> list[AsyncRetryHandler]:
    """Retry 429 (after ``Retry-After``), 500/503 and dropped connections, ``retries`` times.

    ``backoff`` is the wait before the first retry of a 5xx or dropped connection; it doubles
    with every retry.
    """
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff, jitter=ProportionalJitter())
    return [
        RateLimitRetryHandler(max_retry_count=retries),
        AsyncServerErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
        AsyncConnectionErrorRetryHandler(max_retry_count=retries, interval_calculator=backoff),
    ]


def configure_client(client: AsyncWebClient, settings: Settings) -> None:
    """Point a Web API client at ``SLACK_API_URL``, with the timeout and the retries."""
    client.base_url = settings.slack_api_url
    client.timeout = max(1, round(settings.api_timeout))
    client.retry_handlers = retry_handlers(
        retries=settings.api_retries, backoff=settings.api_backoff
    )


class ResponseUrl:
    """Posts to a ``response_url`` with the same retries and timeout as the Web API client.

    Bolt's ``respond`` builds a client with no retries for 429 or 5xx; this one shares the
    app's connection pool (``session``, set while the server runs).
    """

    def __init__(
        self,
        *,
        retries: int = DEFAULT_API_RETRIES,
        backoff: float = DEFAULT_API_BACKOFF,
        timeout: float = DEFAULT_API_TIMEOUT,
    ) -> None:
        self._handlers = retry_handlers(retries=retries, backoff=backoff)
        self._timeout = max(1, round(timeout))
        self.session: aiohttp.ClientSession | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ResponseUrl:
        return cls(
            retries=settings.api_retries, backoff=settings.api_backoff, timeout=settings.api_timeout
        )

    async def send(self, url: str, **message: Any) -> WebhookResponse:
        """POST ``message`` to ``url``; raises :class:`ResponseUrlError` on a final 4xx/5xx."""
        webhook = AsyncWebhookClient(
            url=url,
            timeout=self._timeout,
            session=self.session,
            retry_handlers=self._handlers,
            logger=logger,
        )
        response = await webhook.send_dict(message)
        if response.status_code >= 400:
            raise ResponseUrlError(response.status_code, response.body)
        return response


class ResponseUrlError(Exception):
    def __init__(self, status: int, body: str) -> None:
        self.status = status
        super().__init__(f"response_url answered HTTP {status}: {body[:100]}")


# json.JSONDecodeError: a 200 whose body is not JSON (a proxy's page), which slack_sdk
# cannot read.
DELIVERY_ERRORS = (
    SlackApiError,
    ResponseUrlError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    json.JSONDecodeError,
)


def describe_error(error: BaseException) -> str:
    """A short description of why a call failed: Slack's error code, the status, or the type."""
    if isinstance(error, SlackApiError):
        # A SlackResponse, or (when slack_sdk could not read the body) aiohttp's response.
        response = error.response
        data = getattr(response, "data", None)
        code = data.get("error") if isinstance(data, dict) else None
        status = getattr(response, "status_code", None) or getattr(response, "status", None)
        if code is None and not isinstance(data, dict):
            return f"unreadable answer (HTTP {status}): {str(error)[:120]}"
        return f"{code or 'error'} (HTTP {status})"
    if isinstance(error, ResponseUrlError):
        return f"HTTP {error.status}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


async def deliver(call: Awaitable[Any], *, method: str, **about: str | None) -> bool:
    """Await one Web API call; on a final failure log it with ``about`` (the event id...).

    Returns whether it was delivered. Errors that are not delivery failures propagate.
    """
    try:
        await call
    except DELIVERY_ERRORS as error:
        logger.error(
            log_messages.REPLY_FAILED,
            extra=fields(method=method, error=describe_error(error), **about),
        )
        return False
    return True
