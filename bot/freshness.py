"""Freshness of sources: ``sro-bot check`` warns about a source retrieved long ago.

A source's page may have changed since it was quoted; its ``retrieved`` date (cited under
every answer) says when it was last read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace

from bot.config import ConfigError
from bot.knowledge import Problem, Source

STALE_AFTER_ENV = "SRO_STALE_AFTER_DAYS"
DEFAULT_STALE_AFTER_DAYS = 365


def stale_after_days(env: Mapping[str, str] | None = None) -> int:
    """``$SRO_STALE_AFTER_DAYS``: a source retrieved more days ago than this is stale.

    Raises:
        ConfigError: when it is not a whole number of days, 0 or more.
    """
    env = os.environ if env is None else env
    raw = env.get(STALE_AFTER_ENV, "").strip()
    if not raw:
        return DEFAULT_STALE_AFTER_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = -1
    if days < 0:
        raise ConfigError(
            [
                f"{STALE_AFTER_ENV} must be a whole number of days, 0 or more, not {raw!r} "
                f"(default {DEFAULT_STALE_AFTER_DAYS})."
            ]
        )
    return days


def stale_sources(
    sources: Iterable[tuple[Source, Problem]], *, after_days: int, today: dt.date
) -> list[Problem]:
    """A warning for each source retrieved more than ``after_days`` days before ``today``."""
    warnings = []
    for source, where in sources:
        age = (today - source.retrieved).days
        if age > after_days:
            message = (
                f'source "{source.title}" ({source.publisher}, {source.url}) was retrieved '
                f"{source.retrieved.isoformat()}, {age} days ago (more than "
                f"{STALE_AFTER_ENV}={after_days}): read it again, update the answers it "
                "backs if it changed, and set 'retrieved' to the day you read it"
            )
            warnings.append(replace(where, message=message))
    return warnings
