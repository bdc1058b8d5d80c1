"""The Block Kit renderer: Slack's limits hold for every message, text is escaped, cached."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import messages
from bot.answering import Answerer
from bot.knowledge import Entry, KnowledgeBase, Source
from bot.matching import Decision, MatchResult, ScoredEntry
from bot.render.blocks import (
    MAX_ACTIONS,
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_VALUE,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    BlockRenderer,
    Message,
    Surface,
)
from bot.render.mrkdwn import escape, sections, to_mrkdwn, truncate
from bot.safety import SAFE, SafetyLevel, SafetyVerdict

SOURCE = Source(
    "Example Publisher", "An | Odd <Title>", "https://example.org/faq?a=1&b=2", dt.date(2026, 1, 2)
)


def check_message(message: Message, max_blocks: int = MAX_BLOCKS) -> None:
    """Slack's Block Kit limits, checked on the JSON that is sent."""
    assert message.text.strip(), "a plain text fallback is always set"
    check_blocks(list(message.blocks), max_blocks)


def check_blocks(blocks: list[dict[str, Any]], max_blocks: int) -> None:
    assert len(blocks) <= max_blocks
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER_TEXT
            assert block["text"]["type"] == "plain_text"
        elif block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= MAX_SECTION_TEXT
        elif block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
        elif block["type"] == "actions":
            elements = block["elements"]
            assert 1 <= len(elements) <= MAX_ACTIONS
            assert len({e["action_id"] for e in elements}) == len(elements)
            for button in elements:
                assert len(button["text"]["text"]) <= MAX_BUTTON_TEXT
                assert len(button["value"]) <= MAX_BUTTON_VALUE


def entry(i: int, answer: str = "An answer.", **kwargs: Any) -> Entry:
    return Entry(
        id=f"e{i}",
        question=f"Question number {i} about officers?",
        answer=answer,
        source=SOURCE,
        **kwargs,
    )


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer.load()


@pytest.fixture(scope="module")
def renderer(answerer) -> BlockRenderer:
    return BlockRenderer(answerer.knowledge)


@pytest.mark.parametrize("surface", list(Surface))
def test_every_bundled_answer_fits_slack(renderer, answerer, surface):
    for item in answerer.knowledge:
        message = renderer.answer(item.id, surface)
        assert message is not None
        check_message(message)
        assert message.blocks[0]["text"]["text"] == item.question


@pytest.mark.parametrize("kind", ["violence", "self_harm"])
@pytest.mark.parametrize("surface", list(Surface))
def test_a_safety_notice_comes_before_the_answer(renderer, answerer, kind, surface):
    armed = answerer.knowledge.get("armed")
    result = MatchResult(
        "are SROs armed",
        Decision.ANSWER,
        matches=(ScoredEntry(armed, 90.0),),
        safety=SafetyVerdict(SafetyLevel.NOTICE, kind),
    )
    message = renderer.render(result, surface)
    check_message(message)
    notice = messages.safety_notice(kind)
    assert message.blocks[0]["text"]["text"] == escape(notice)
    assert message.text.startswith(notice)
    # Below it, the answer exactly as it is given without a notice.
    plain = renderer.render(replace(result, safety=SAFE), surface)
    assert message.blocks[1:] == plain.blocks
    assert ("988" in notice) == (kind == "self_harm")


@pytest.mark.parametrize("surface", list(Surface))
def test_several_answers_come_one_after_another_within_slacks_limits(renderer, answerer, surface):
    ids = ["what-is-sro", "how-many-sros", "arming-teachers"]
    matches = tuple(ScoredEntry(answerer.knowledge.get(i), 90.0) for i in ids)
    message = renderer.render(MatchResult("q", Decision.ANSWER, matches=matches), surface)
    check_message(message)
    headers = [b["text"]["text"] for b in message.blocks if b["type"] == "header"]
    assert headers == [answerer.knowledge.get(i).question for i in ids]
    # The first answer keeps its buttons; the others are quoted with their citations.
    first = renderer.render(MatchResult("q", Decision.ANSWER, matches=matches[:1]), surface)
    assert message.blocks[: len(first.blocks)] == first.blocks
    assert sum(b["type"] == "divider" for b in message.blocks) == 2


def test_a_crisis_has_no_answer_and_says_call_911(renderer, answerer):
    result = MatchResult(
        "shots fired", Decision.CRISIS, safety=SafetyVerdict(SafetyLevel.CRISIS, "violence")
    )
    message = renderer.render(result, Surface.MESSAGE)
    assert message == renderer.crisis("violence")
    assert "911" in message.text
    assert all(entry.answer[:40] not in message.text for entry in answerer.knowledge)


def test_help_topics_home_and_crisis_fit_slack(renderer):
    check_message(renderer.help)
    check_message(renderer.topics)
    check_message(renderer.crisis("violence"))
    check_message(renderer.crisis("self_harm"))
    check_blocks(renderer.home_view["blocks"], MAX_VIEW_BLOCKS)
    assert renderer.home_view["type"] == "home"


def test_answer_blocks_are_built_once(renderer, answerer):
    result = answerer.answer("are SROs armed?")
    assert result.decision is Decision.ANSWER
    built = renderer.answer(result.matches[0].entry.id, Surface.MESSAGE)
    rendered = renderer.render(result, Surface.MESSAGE)
    # Only the row of buttons is new: it holds this question's "Why this answer?".
    kept = [a is b for a, b in zip(rendered.blocks, built.blocks, strict=True)]
    assert kept.count(False) == 1
    suggest = MatchResult(
        "x",
        Decision.SUGGEST,
        suggestions=tuple(ScoredEntry(e, 50.0) for e in list(answerer.knowledge)[:2]),
    )
    assert renderer.render(suggest, Surface.MESSAGE) is renderer.render(suggest, Surface.MESSAGE)


def test_share_button_only_where_the_answer_is_private(renderer):
    def action_ids(surface: Surface) -> list[str]:
        message = renderer.answer("armed", surface)
        assert message is not None
        return [
            e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
        ]

    assert "sro.share" in action_ids(Surface.EPHEMERAL)
    assert "sro.share" not in action_ids(Surface.MESSAGE)


def test_a_long_answer_splits_on_paragraphs_within_limits():
    paragraphs = [f"Paragraph {i} " + "word " * 500 for i in range(6)]  # ~2.5k chars each
    giant = "One sentence. " * 400  # one 5,600-character paragraph
    long_entry = entry(1, "\n\n".join([*paragraphs, giant]))
    renderer = BlockRenderer(KnowledgeBase(entries=(long_entry,)))

    message = renderer.answer("e1", Surface.EPHEMERAL)
    assert message is not None
    check_message(message)
    shown = "".join(b["text"]["text"] for b in message.blocks if b["type"] == "section")
    assert "".join(shown.split()) == "".join(long_entry.answer.split())  # nothing lost
    first = next(b for b in message.blocks if b["type"] == "section")["text"]["text"]
    assert first == paragraphs[0].strip()  # a paragraph boundary, not a mid-sentence cut


def test_many_entries_keep_topics_and_home_within_limits():
    many = tuple(entry(i) for i in range(1500))
    renderer = BlockRenderer(KnowledgeBase(entries=many))
    check_message(renderer.topics)
    check_blocks(renderer.home_view["blocks"], MAX_VIEW_BLOCKS)


def test_long_questions_fit_buttons_and_headers():
    long_question = "Should " + "very " * 40 + "long questions still fit?"
    item = Entry(id="long", question=long_question[:150], answer="Yes.", source=SOURCE)
    other = entry(2, follow_ups=("long",))
    renderer = BlockRenderer(KnowledgeBase(entries=(item, other)))
    check_message(renderer.topics)
    message = renderer.answer("e2", Surface.MESSAGE)
    assert message is not None
    check_message(message)


def test_citation_escapes_and_links_the_source():
    renderer = BlockRenderer(KnowledgeBase(entries=(entry(1),)))
    message = renderer.answer("e1", Surface.MESSAGE)
    assert message is not None
    context = next(b for b in message.blocks if b["type"] == "context")["elements"][0]["text"]
    assert context == (
        "Source: Example Publisher, <https://example.org/faq?a=1&amp;b=2|An / Odd &lt;Title&gt;>, "
        "retrieved January 2, 2026"
    )


def test_markdown_becomes_mrkdwn():
    markdown = (
        "Some **bold** and *italic* words, a [link](https://nasro.org/x) & <b>tags</b>.\n\n"
        "- first\n- second\n\n# Heading"
    )
    assert to_mrkdwn(markdown) == (
        "Some *bold* and _italic_ words, a <https://nasro.org/x|link> "
        "&amp; &lt;b&gt;tags&lt;/b&gt;."
        "\n\n\u2022 first\n\u2022 second\n\n*Heading*"
    )


def test_no_match_echo_cannot_ping_or_link(renderer):
    query = "<!channel> <!here|here> <@U123> <#C1|general> <https://evil.example|click> & co"
    message = renderer.render(MatchResult(query, Decision.NO_MATCH), Surface.EPHEMERAL)
    echoed = message.blocks[0]["text"]["text"]
    assert "<" not in echoed and ">" not in echoed
    assert escape("<!channel>") in echoed and "&amp; co" in echoed
    assert messages.NO_MATCH_HINT_COMMAND in str(message.blocks)


@given(st.text(max_size=3000))
def test_any_question_echo_is_escaped_and_fits(query):
    renderer = _small_renderer()
    message = renderer.no_match(query, Surface.MESSAGE)
    check_message(message)
    echoed = message.blocks[0]["text"]["text"]
    assert "<" not in echoed and ">" not in echoed
    assert Counter(echoed)["&"] == echoed.count("&amp;") + echoed.count("&lt;") + echoed.count(
        "&gt;"
    )


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), st.integers(20, 120))
def test_sections_fit_and_keep_every_character(text, limit):
    pieces = sections(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_truncate():
    assert truncate("short", 10) == "short"
    cut = truncate(
        "Should schools arm teachers, or others who are not law enforcement officers?", 75
    )
    assert len(cut) <= 75 and cut.endswith("\u2026") and cut.startswith("Should schools arm")


_RENDERER: list[BlockRenderer] = []


def _small_renderer() -> BlockRenderer:
    if not _RENDERER:
        _RENDERER.append(BlockRenderer(KnowledgeBase(entries=(entry(1),))))
    return _RENDERER[0]


def test_a_local_officer_question_says_the_bot_cannot_know(renderer):
    result = MatchResult("who is our SRO", Decision.LOCAL)
    for surface in Surface:
        message = renderer.render(result, surface)
        check_message(message)
        assert message.text == messages.LOCAL_OFFICER
        assert [b["type"] for b in message.blocks] == ["section"]
