"""What a message asks of the bot besides a question: help, the list of topics, or thanks."""

from __future__ import annotations

from enum import StrEnum

from bot.text import plain_text


class Intent(StrEnum):
    HELP = "help"
    TOPICS = "topics"
    THANKS = "thanks"
    QUESTION = "question"


_KEYWORDS = {word: Intent.HELP for word in ("", "help", "?", "hi", "hello", "hey", "usage")}
_KEYWORDS |= {"topics": Intent.TOPICS, "topic": Intent.TOPICS, "list": Intent.TOPICS}
_KEYWORDS |= dict.fromkeys(
    ("thanks", "thank you", "thx", "ty", "thanks a lot", "thank you so much", "cheers"),
    Intent.THANKS,
)


def question_of(text: str) -> tuple[Intent, str]:
    """What the person wants, and their words as a reader sees them (markup reduced)."""
    question = plain_text(text or "")
    keyword = question.strip(" .!").casefold()
    return _KEYWORDS.get(keyword, Intent.QUESTION), question
