"""``sro-bot report`` and ``sro-bot db upgrade``: the maintainers' commands."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the database's modules load only for the commands that use them
    from bot.store.settings import StoreSettings

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([dhw])$")
_DAYS_PER_UNIT = {"h": 1 / 24, "d": 1.0, "w": 7.0}


def days(text: str) -> float:
    """``7d``, ``12h``, ``2w`` as days (an argparse type)."""
    found = _DURATION.match(text.strip().lower())
    if not found:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 7d, 12h or 2w")
    return float(found.group(1)) * _DAYS_PER_UNIT[found.group(2)]


def _settings() -> StoreSettings | None:
    from bot.store.settings import StoreSettings

    settings, problems = StoreSettings.from_env()
    for problem in problems:
        print(f"sro-bot: {problem}", file=sys.stderr)
    return None if problems else settings


def upgrade_command(args: argparse.Namespace) -> int:
    from bot.store.database import describe_url, upgrade

    settings = _settings()
    if settings is None:
        return 1
    upgrade(settings.url)
    print(f"{describe_url(settings.url)}: schema up to date")
    return 0


def report_command(args: argparse.Namespace) -> int:
    settings = _settings()
    if settings is None:
        return 1
    return asyncio.run(_report(args, settings))


async def _report(args: argparse.Namespace, settings: StoreSettings) -> int:
    from bot.answering import Answerer
    from bot.knowledge import entry_locations
    from bot.render.report import alternates_yaml, report_csv, report_json, report_text
    from bot.store.database import Database
    from bot.store.report import build_report

    answerer = Answerer.load(args.knowledge, bundled=args.bundled, lexical_only=True)
    database = Database(settings.url)
    try:
        await database.open()
        report = await build_report(database, answerer.matcher, days=args.since)
    finally:
        await database.close()
    if args.suggest_alternates:
        homes = {
            entry: str(where.file)
            for entry, where in entry_locations(args.knowledge, bundled=args.bundled).items()
        }
        print(alternates_yaml(report, homes, answerer.matcher.thresholds.suggest), end="")
        return 0
    render = {"text": report_text, "json": report_json, "csv": report_csv}[args.format]
    print(render(report))
    return 0
