"""The bot's own mention, taken out of a Slack message's text."""

from __future__ import annotations

import re

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")


def without_mention(text: str, user_id: str | None) -> str:
    """The text with the bot's own ``<@U...>`` mentions removed (other mentions are kept)."""
    if not user_id:
        return text
    return _MENTION.sub(lambda m: " " if m.group(1) == user_id else m.group(0), text)
