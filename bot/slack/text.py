"""What a person asked, taken out of a Slack payload's text."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.text import plain_text

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")


class Intent(StrEnum):
    HELP = "help"
    TOPICS = "topics"
    QUESTION = "question"


_KEYWORDS = {word: Intent.HELP for word in ("", "help", "?", "hi", "hello", "hey", "usage")}
_KEYWORDS |= {"topics": Intent.TOPICS, "topic": Intent.TOPICS, "list": Intent.TOPICS}


def without_mention(text: str, user_id: str | None) -> str:
    """The text with the bot's own ``<@U...>`` mentions removed (other mentions are kept)."""
    if not user_id:
        return text
    return _MENTION.sub(lambda m: " " if m.group(1) == user_id else m.group(0), text)


def question_of(text: str) -> tuple[Intent, str]:
    """What the person wants, and their words as a reader sees them (markup reduced)."""
    question = plain_text(text or "")
    keyword = question.strip(" .!").casefold()
    return _KEYWORDS.get(keyword, Intent.QUESTION), question
