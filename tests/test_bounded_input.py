"""Any input costs bounded work: only the start of a message is read, by every part.

The time each adversarial message takes is measured by ``bench/match.py`` (tests never
assert timings); here, that the work is bounded: what lies past the analysed start of a
message changes nothing, and the patterns hold no look-ahead that rescans the message.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.answering import ANALYSED_CHARS, Answerer
from bot.safety import SafetyCheck

SLACK_LIMIT = 40_000  # characters in one message

ADVERSARIAL = {
    "repeated if": "if " * (SLACK_LIMIT // 3),
    "repeated clauses": "what if a student has a gun, " * (SLACK_LIMIT // 29),
    "one long token": "a" * SLACK_LIMIT,
    "commas and words": "sro, gun, school, " * (SLACK_LIMIT // 18),
    "punctuation": "?!.,;:-" * (SLACK_LIMIT // 7),
    "pills": "when he took all of the pills " * (SLACK_LIMIT // 30),
    "many questions": "are school resource officers armed? " * (SLACK_LIMIT // 36),
}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer.load()


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_past_the_analysed_start_nothing_counts(answerer, name) -> None:
    text = ADVERSARIAL[name]
    assert len(text) > ANALYSED_CHARS
    whole = answerer.answer(text)
    start = answerer.answer(text[:ANALYSED_CHARS])
    assert whole.query == text
    assert replace(whole, query="") == replace(start, query="")


def test_an_emergency_past_the_analysed_start_is_not_read(answerer) -> None:
    text = "what is an sro " * (ANALYSED_CHARS // 15 + 1) + "shots fired in the gym"
    assert not answerer.answer(text).safety


def test_no_bundled_pattern_rescans_the_message_in_a_look_ahead() -> None:
    # "^(?!.*a.*b)" tries ".*b" after every "a": quadratic in the message's length.
    quadratic = re.compile(r"\(\?!\.\*[^)]*\.\*")
    for kind, patterns in SafetyCheck.load().patterns.items():
        for pattern in patterns:
            assert not quadratic.search(pattern.pattern), (kind, pattern.pattern)
