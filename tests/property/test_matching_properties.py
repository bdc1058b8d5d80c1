"""The answering core on any text: sane scores, consistent decisions, the same answer twice."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answering import MAX_ANSWERS, Answerer
from bot.knowledge import Entry
from bot.matching import THRESHOLDS, Decision, MatchResult

from .strategies import HUGE, INVISIBLES, MESSAGES

MATCH_SETTINGS = settings(max_examples=150, deadline=None)

# Chatter the analyzer drops entirely: greetings, filler, mentions, emoji, invisibles.
GREETINGS = ["hi", "hello", "hey", "hiya", "howdy", "hey bot", "quick q", "um", "honestly"]
GREETINGS += ["<@U0123ABCD>", "<@UBOT0001|sro-bot>", "<!here>", "<#C0123|general>", "@srobot"]
GREETINGS += ["please", "ok", "lol", "\u200b", "\U0001f44b"]
THANKS = ["thanks", "thanks!", "thx", "ty", "please", "cheers", "\U0001f64f", ":)"]
SEPARATORS = [" ", ", ", "! ", " \u2014 ", "\n", "... "]


@pytest.fixture(scope="module")
def fresh() -> Answerer:
    """A second core, built separately, to show results do not depend on caches."""
    return Answerer.load()


def check_consistent(result: MatchResult, query: str) -> None:
    """What every renderer relies on: a decision and the entries it names agree."""
    assert result.query == query
    scored = (*result.matches, *result.suggestions)
    assert all(0.0 <= s.score <= 100.0 for s in scored)
    if result.decision is Decision.ANSWER:
        # One answer, or one to each of several questions, never the same entry twice.
        ids = [s.entry.id for s in result.matches]
        assert 1 <= len(ids) <= MAX_ANSWERS and len(set(ids)) == len(ids)
        # The entry model answers with less lexical support than the matcher alone needs.
        floor = THRESHOLDS.lexical_support if result.by_model else THRESHOLDS.answer
        assert result.matches[0].score >= floor
    elif result.decision is Decision.SUGGEST:
        assert not result.matches
        assert 1 <= len(result.suggestions) <= THRESHOLDS.max_suggestions
        assert all(s.score >= THRESHOLDS.suggest for s in result.suggestions)
    elif result.decision is Decision.NO_MATCH:
        assert not result.matches and len(result.suggestions) <= 1
    else:
        assert result.decision is Decision.CRISIS
        assert not result.matches and not result.suggestions
        assert result.crisis_kind in ("violence", "self_harm")
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert result.crisis_kind is None or result.decision is Decision.CRISIS


@MATCH_SETTINGS
@given(MESSAGES)
def test_any_message_gets_a_consistent_result(answerer, text):
    check_consistent(answerer.answer(text), text)


@settings(max_examples=15, deadline=None)
@given(HUGE)
def test_a_huge_message_gets_a_consistent_result(answerer, text):
    check_consistent(answerer.answer(text), text)


@MATCH_SETTINGS
@given(MESSAGES)
def test_the_same_message_gets_the_same_result(answerer, fresh, text):
    first = answerer.answer(text)
    assert answerer.answer(text) == first
    assert fresh.answer(text) == first


@st.composite
def wrapped_questions(draw: st.DrawFn, entries: list[Entry]) -> tuple[Entry, str]:
    """A knowledge question with greetings, mentions and thanks around it."""
    entry = draw(st.sampled_from(entries))
    before = draw(st.lists(st.sampled_from(GREETINGS), max_size=3))
    after = draw(st.lists(st.sampled_from(THANKS), max_size=2))
    parts = [*before, entry.question, *after]
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + part
    return entry, text


@pytest.mark.parametrize(
    "text",
    [
        "What is a school resource officer? thank you",
        "i was wondering, hey there: What is a school resource officer?",
    ],
)
def test_a_question_with_chatty_function_words_is_still_answered(answerer, text):
    result = answerer.answer(text)
    assert result.decision is Decision.ANSWER
    assert result.matches[0].entry.id == "what-is-sro"


@MATCH_SETTINGS
@given(st.data())
def test_a_knowledge_question_wrapped_in_chatter_is_still_answered(answerer, data):
    entry, text = data.draw(wrapped_questions(list(answerer.knowledge)))
    result = answerer.answer(text)
    assert result.decision is Decision.ANSWER, (text, result.best)
    assert result.matches[0].entry.id == entry.id


def invisibles(text: str) -> st.SearchStrategy[list[str]]:
    """One invisible character (or none) to follow each character of ``text``."""
    return st.lists(st.sampled_from(["", *INVISIBLES]), min_size=len(text), max_size=len(text))


@MATCH_SETTINGS
@given(st.data())
def test_invisible_characters_in_a_question_change_nothing(answerer, data):
    entry = data.draw(st.sampled_from(list(answerer.knowledge)))
    hidden = "".join(
        ch + data.draw(st.sampled_from(["", "", *INVISIBLES])) for ch in entry.question
    )
    result = answerer.answer(hidden)
    assert result.decision is Decision.ANSWER and result.matches[0].entry.id == entry.id
