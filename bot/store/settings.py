"""The storage settings, read by ``serve``, ``report`` and ``db upgrade`` alike."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import ArgumentError

from bot.store.database import database_url, default_database_path

DEFAULT_RETENTION_DAYS = 90


@dataclass(frozen=True, slots=True)
class StoreSettings:
    url: str = field(repr=False)  # may hold a password
    retention_days: int = DEFAULT_RETENTION_DAYS
    admin_user_ids: frozenset[str] = frozenset()
    digest_channel: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> tuple[StoreSettings, list[str]]:
        """The settings, and what is wrong with the environment (empty when nothing)."""
        env = os.environ if env is None else env
        problems: list[str] = []

        def text(name: str) -> str | None:
            return env.get(name, "").strip() or None

        path = text("SRO_DATABASE_PATH") or default_database_path(dict(env))
        try:
            url = database_url(text("DATABASE_URL"), Path(path))
        except (ArgumentError, ValueError) as error:
            problems.append(f"DATABASE_URL is not a database URL sro-bot reads: {error}")
            url = database_url(None, Path(path))
        retention = text("SRO_RETENTION_DAYS") or str(DEFAULT_RETENTION_DAYS)
        if not retention.isdigit() or int(retention) < 1:
            problems.append(
                f"SRO_RETENTION_DAYS must be a whole number of days, 1 or more, not {retention!r}."
            )
            retention = str(DEFAULT_RETENTION_DAYS)
        admins = frozenset((text("SRO_ADMIN_USER_IDS") or "").replace(",", " ").split())
        settings = cls(
            url=url,
            retention_days=int(retention),
            admin_user_ids=admins,
            digest_channel=text("SRO_DIGEST_CHANNEL"),
        )
        return settings, problems
