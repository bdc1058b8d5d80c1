"""Every message the bot can render fits Block Kit, and nothing a person typed can ping or link.

Limits are checked on the JSON that is sent, and again by parsing it back into
``slack_sdk.models.blocks`` objects, whose ``to_dict()`` validates Slack's own limits.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.answering import Answerer
from bot.intent import Intent, question_of
from bot.knowledge import MAX_ANSWER_PARAGRAPHS, MAX_QUESTION_CHARS, Entry, KnowledgeBase, Source
from bot.matching import THRESHOLDS, Decision, MatchResult, ScoredEntry
from bot.render.blocks import (
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    BlockRenderer,
    Message,
    Surface,
)
from bot.render.mrkdwn import sections, to_mrkdwn
from bot.safety import SAFE, SafetyLevel, SafetyVerdict

from .strategies import HUGE, MARKUP, MESSAGES

RENDER_SETTINGS = settings(max_examples=100, deadline=None)
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
# <...> is how Slack writes a mention, a channel, a special mention or a link.
SLACK_TOKEN = re.compile(r"<[^<>]*>")
PINGS = ("<!channel", "<!here", "<!everyone", "<!subteam", "<@U123", "<#C123")
ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")


@pytest.fixture(scope="module")
def renderer(answerer: Answerer) -> BlockRenderer:
    return BlockRenderer(answerer.knowledge)


def reply(answerer: Answerer, renderer: BlockRenderer, text: str, surface: Surface) -> Message:
    """What the Slack listeners send for ``text``: help, topics, or the core's result."""
    intent, question = question_of(text)
    if intent is Intent.HELP:
        return renderer.help
    if intent is Intent.TOPICS:
        return renderer.topics
    if intent is Intent.THANKS:
        return renderer.thanks
    return renderer.render(answerer.answer(question), surface)


@pytest.fixture(scope="module")
def known_tokens(renderer: BlockRenderer) -> frozenset[str]:
    """Every ``<...>`` the bot renders of its own: the knowledge's links and citations."""
    messages = [renderer.help, renderer.topics, renderer.crisis("violence")]
    messages += [renderer.crisis("self_harm")]
    for entry in renderer.knowledge:
        messages += [renderer.answer(entry.id, surface) for surface in Surface]  # type: ignore[misc]
    found = {t for m in messages for t in SLACK_TOKEN.findall(json.dumps(m.as_kwargs()))}
    found.update(SLACK_TOKEN.findall(json.dumps(renderer.home_view)))
    return frozenset(found)


def test_the_bots_own_words_hold_no_markup_but_links(known_tokens):
    """Help, topics, Home, crisis and answers: any ``<...>`` in them is a link."""
    assert [t for t in known_tokens if not t.startswith(("<http", "<mailto:"))] == []


# --- checks -----------------------------------------------------------------------------------


def check_message(message: Message) -> None:
    """Slack's limits on the JSON sent, then slack_sdk's validation of the same JSON."""
    assert message.text.strip() and len(message.text) <= MAX_FALLBACK_TEXT
    blocks = list(message.blocks)
    assert len(blocks) <= MAX_BLOCKS
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    assert all(len(i) <= MAX_BLOCK_ID for i in block_ids)
    for block in blocks:
        check_block(block)
    for parsed, block in zip(Block.parse_all(blocks), blocks, strict=True):
        assert parsed is not None, block
        assert parsed.to_dict()["type"] == block["type"]  # to_dict() validates the limits


def check_block(block: dict[str, Any]) -> None:
    kind = block["type"]
    if kind == "header":
        assert block["text"]["type"] == "plain_text"
        assert 0 < len(block["text"]["text"]) <= MAX_HEADER_TEXT
    elif kind == "section":
        assert 0 < len(block["text"]["text"]) <= MAX_SECTION_TEXT
    elif kind == "actions":
        ids = [e["action_id"] for e in block["elements"]]
        assert len(ids) == len(set(ids))
        for button in block["elements"]:
            assert len(button["action_id"]) <= MAX_ACTION_ID
            assert 0 < len(button["text"]["text"]) <= MAX_BUTTON_TEXT
            assert len(button.get("value", "")) <= MAX_BUTTON_VALUE


def mrkdwn_texts(value: Any) -> Iterator[str]:
    """Every mrkdwn string in a message's blocks (the ones Slack parses for markup)."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            yield value["text"]
        for item in value.values():
            yield from mrkdwn_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from mrkdwn_texts(item)


def check_nothing_echoed_is_markup(message: Message, known: frozenset[str]) -> None:
    """Only the knowledge's own links appear as ``<...>``; every ``&`` starts an entity."""
    sent = json.dumps(message.as_kwargs())
    tokens = set(SLACK_TOKEN.findall(sent))
    assert tokens <= known, tokens - known
    assert not [p for p in PINGS if p in sent]
    for text in mrkdwn_texts(list(message.blocks)):
        assert not ENTITY.search(text), text
        assert text.count("<") == text.count(">"), text


# --- what a person can make the bot say -------------------------------------------------------


@RENDER_SETTINGS
@given(text=st.one_of(MESSAGES, st.lists(st.sampled_from(MARKUP)).map(" ".join)))
def test_any_reply_fits_and_echoes_no_markup(answerer, renderer, known_tokens, text):
    for surface in Surface:
        message = reply(answerer, renderer, text, surface)
        check_message(message)
        check_nothing_echoed_is_markup(message, known_tokens)


@settings(max_examples=10, deadline=None)
@given(text=HUGE)
def test_a_huge_question_gets_a_reply_that_fits(answerer, renderer, known_tokens, text):
    message = reply(answerer, renderer, text, Surface.EPHEMERAL)
    check_message(message)
    check_nothing_echoed_is_markup(message, known_tokens)


@st.composite
def results(draw: st.DrawFn, entries: list[Entry]) -> MatchResult:
    """Any result the core can return (the shapes test_matching_properties checks)."""
    query = draw(MESSAGES)
    decision = draw(st.sampled_from(list(Decision)))
    kind = draw(st.sampled_from(["violence", "self_harm"]))
    if decision is Decision.CRISIS:
        return MatchResult(query, decision, safety=SafetyVerdict(SafetyLevel.CRISIS, kind))
    # Any other result may come with the safety notice above it.
    notice = draw(st.sampled_from([SAFE, SafetyVerdict(SafetyLevel.NOTICE, kind)]))
    return replace(draw(matched(entries, query, decision)), safety=notice)


@st.composite
def matched(draw: st.DrawFn, entries: list[Entry], query: str, decision: Decision) -> MatchResult:
    scored = st.builds(ScoredEntry, st.sampled_from(entries), st.floats(THRESHOLDS.suggest, 100.0))
    if decision is Decision.ANSWER:
        return MatchResult(query, decision, matches=(draw(scored),))
    if decision is Decision.SUGGEST:
        found = draw(
            st.lists(
                scored,
                min_size=1,
                max_size=THRESHOLDS.max_suggestions,
                unique_by=lambda s: s.entry.id,
            )
        )
        found.sort(key=lambda s: -s.score)
        return MatchResult(query, decision, suggestions=tuple(found))
    return MatchResult(query, decision, suggestions=tuple(draw(st.lists(scored, max_size=1))))


@RENDER_SETTINGS
@given(data=st.data(), surface=st.sampled_from(list(Surface)))
def test_any_result_renders_within_limits(answerer, renderer, known_tokens, data, surface):
    result = data.draw(results(list(answerer.knowledge)))
    message = renderer.render(result, surface)
    check_message(message)
    check_nothing_echoed_is_markup(message, known_tokens)


@RENDER_SETTINGS
@given(data=st.data(), user=st.one_of(st.sampled_from(["U0000USER", "W123"]), MESSAGES))
def test_a_shared_answer_names_only_the_sharer(answerer, renderer, data, user):
    entry = data.draw(st.sampled_from(list(answerer.knowledge)))
    message = renderer.shared(entry.id, user)
    assert message is not None
    check_message(message)
    sharer = message.blocks[-1]["elements"][0]["text"]
    assert sharer.count("<") == 1 and sharer.count(">") == 1  # exactly one mention: <@user>


# --- any knowledge a school could write -------------------------------------------------------

SOURCE = Source(
    "Publisher & Co", "A <title> | here", "https://example.org/?a=1&b=2", dt.date.today()
)
WORDS = st.one_of(
    st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True),
    st.sampled_from(["&", "<", ">", "R&D", "a<b", "**bold**", "*it*", "- item", "# Head"]),
    st.builds(
        "[{}]({})".format, st.sampled_from(["a link", "see this page"]), st.just("https://e.org/x")
    ),
)


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """A paragraph of up to 3,000 characters (what the loader allows), often near the limit."""
    phrase = " ".join(draw(st.lists(WORDS, min_size=1, max_size=8)))
    ending = draw(st.sampled_from([" ", ". ", "\n"]))
    size = draw(st.sampled_from([20, 400, 2500, 2990, 3000]))
    text = (phrase + ending) * (size // (len(phrase) + 1) + 1)
    return text[:size].strip() or "x"


@st.composite
def entries(draw: st.DrawFn, number: int) -> Entry:
    question = draw(st.text(min_size=1, max_size=MAX_QUESTION_CHARS).filter(str.strip))
    paragraph = draw(paragraphs())
    count = draw(st.sampled_from([1, 2, MAX_ANSWER_PARAGRAPHS]))
    others = draw(st.lists(paragraphs(), max_size=2))
    answer = "\n\n".join([*others, *[paragraph] * (count - len(others))] or [paragraph])
    follow_ups = tuple(f"e{i}" for i in draw(st.lists(st.integers(0, 5), max_size=3, unique=True)))
    return Entry(f"e{number}", question, answer, SOURCE, follow_ups=follow_ups)


@RENDER_SETTINGS
@given(
    markdown=st.lists(WORDS, max_size=60).map(" ".join),
    limit=st.integers(40, 200),  # longer than any one link the words make
)
def test_an_answer_is_split_into_sections_between_links_and_entities(markdown, limit):
    text = to_mrkdwn(markdown)
    pieces = sections(text, limit)
    assert "".join("".join(pieces).split()) == "".join(text.split())  # nothing lost
    for piece in pieces:
        assert not ENTITY.search(piece), "an entity cut in two"
        assert piece.count("<") == piece.count(">"), "a link cut in two"
        assert 0 < len(piece) <= limit


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_any_knowledge_renders_within_limits_or_is_refused(data):
    count = data.draw(st.integers(1, 4))
    knowledge = KnowledgeBase(tuple(data.draw(entries(i)) for i in range(count)))
    try:
        renderer = BlockRenderer(knowledge)
    except ValueError as error:
        assert "entry 'e" in str(error) and "shorten it" in str(error)
        return
    for entry in knowledge:
        for surface in Surface:
            message = renderer.answer(entry.id, surface)
            assert message is not None
            check_message(message)
            for text in mrkdwn_texts(list(message.blocks)):
                assert not ENTITY.search(text), "an entity cut in two"
                assert text.count("<") == text.count(">"), "a link cut in two"
