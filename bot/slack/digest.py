"""The weekly digest to ``SRO_DIGEST_CHANNEL``: posted once per ISO week (Monday, UTC)
however many processes run, by the first that claims the week in the database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot import log_messages, messages
from bot.matching import Matcher
from bot.render.report import summary_blocks
from bot.store.periodic import claim, iso_week, release
from bot.store.recorder import Recorder, describe_error, utc_now
from bot.store.report import build_report

logger = logging.getLogger(__name__)

DIGEST = "weekly_digest"
CHECK_INTERVAL = 3600.0  # seconds between looks at whether this week's digest is out


async def post_digests(
    recorder: Recorder, matcher: Callable[[], Matcher], client: AsyncWebClient, channel: str
) -> None:
    """Until cancelled: once the database is open, post each week's digest once, grouping
    with the knowledge served at that moment (``matcher()``: it may have been reloaded)."""
    while True:
        if recorder.database.is_open:
            await post_digest_once(recorder, matcher(), client, channel)
            await asyncio.sleep(CHECK_INTERVAL)
        else:
            await asyncio.sleep(1.0)


async def post_digest_once(
    recorder: Recorder, matcher: Matcher, client: AsyncWebClient, channel: str
) -> bool:
    """Post this week's digest unless another process (or this one) has; True if posted."""
    database, week = recorder.database, iso_week()
    try:
        if not await claim(database, DIGEST, week):
            return False
        report = await build_report(database, matcher, days=7)
        title = messages.DIGEST_TITLE.format(day=utc_now().date().isoformat())
        await client.chat_postMessage(
            channel=channel, text=title, blocks=summary_blocks(report, title)
        )
    except Exception as error:  # Slack or the database failing: the next look tries again
        logger.error(log_messages.DIGEST_FAILED, week, describe_error(error))
        try:
            await release(database, DIGEST, week)
        except Exception as release_error:
            logger.error(log_messages.DIGEST_FAILED, week, describe_error(release_error))
        return False
    logger.info(log_messages.DIGEST_POSTED, week, channel)
    return True
