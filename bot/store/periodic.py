"""Posts made once per period however many processes run: the first to claim posts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from bot.store.database import Database
from bot.store.recorder import utc_now
from bot.store.schema import periodic_posts


def iso_week(at: dt.datetime | None = None) -> str:
    year, week, _ = (at or utc_now()).isocalendar()
    return f"{year}-W{week:02d}"


async def claim(database: Database, name: str, period: str) -> bool:
    """True for exactly one caller per (name, period), across processes."""
    try:
        async with database.engine.begin() as connection:
            await connection.execute(
                insert(periodic_posts).values(name=name, period=period, claimed_at=utc_now())
            )
    except IntegrityError:
        return False
    return True


async def release(database: Database, name: str, period: str) -> None:
    """Give a claim back (the post failed), so a later attempt may post."""
    async with database.engine.begin() as connection:
        await connection.execute(
            delete(periodic_posts).where(
                periodic_posts.c.name == name, periodic_posts.c.period == period
            )
        )
