"""Adaptive Cards for the core's results (bot/teams/cards.py): a pure function of the result."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot import messages
from bot.answering import Answerer
from bot.matching import Decision, MatchResult, ScoredEntry
from bot.safety import SAFE, SafetyLevel, SafetyVerdict
from bot.teams import cards


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer.load()


def texts(card: cards.Card) -> list[str]:
    return [block["text"] for block in card.content["body"] if block["type"] == "TextBlock"]


def buttons(card: cards.Card) -> list[dict]:
    return [
        action
        for block in card.content["body"]
        if block["type"] == "ActionSet"
        for action in block["actions"]
    ]


def test_an_answer_carries_question_answer_and_citation(answerer):
    result = answerer.answer("are SROs usually armed?")
    assert result.decision is Decision.ANSWER
    entry = result.matches[0].entry
    card = cards.render(result, answerer.knowledge)
    assert card.content["type"] == "AdaptiveCard" and card.content["version"] == "1.5"
    lines = texts(card)
    assert lines[:2] == [entry.question, entry.answer]
    assert lines[2] == (
        f"Source: {entry.source.publisher}, [{entry.source.title}]({entry.source.url}), "
        f"retrieved {cards.retrieved_on(entry.source.retrieved)} [1]"
    )
    (entity,) = card.entities
    assert entity["type"] == "https://schema.org/Message" and entity["@type"] == "Message"
    (claim,) = entity["citation"]
    assert claim["position"] == 1
    assert claim["appearance"]["name"] == entry.source.title
    assert claim["appearance"]["url"] == entry.source.url
    assert entry.source.publisher in claim["appearance"]["abstract"]
    assert entry.source.retrieved.year == 2026 and "2026" in claim["appearance"]["abstract"]
    assert card.attachment()["contentType"] == "application/vnd.microsoft.card.adaptive"


def test_an_answer_has_feedback_and_follow_up_buttons(answerer):
    result = answerer.answer("are SROs usually armed?")
    entry = result.matches[0].entry
    card = cards.render(result, answerer.knowledge)
    feedback = [(a["title"], a["data"]) for a in card.content["actions"]]
    assert feedback == [
        (messages.HELPFUL, {"sro": "feedback", "helpful": True, "entry": entry.id}),
        (messages.NOT_HELPFUL, {"sro": "feedback", "helpful": False, "entry": entry.id}),
    ]
    assert entry.follow_ups, "the test needs an entry with follow-ups"
    assert messages.FOLLOW_UPS in texts(card)
    assert [b["data"]["entry"] for b in buttons(card)] == list(entry.follow_ups)[
        : cards.MAX_BUTTONS
    ]


def test_suggestions_are_buttons(answerer):
    result = next(
        r
        for q in ("sro training", "officers", "police in school", "sro school safety")
        if (r := answerer.answer(q)).decision is Decision.SUGGEST
    )
    card = cards.render(result, answerer.knowledge)
    assert texts(card)[0] == messages.SUGGEST
    assert [(b["type"], b["title"], b["data"]) for b in buttons(card)] == [
        ("Action.Submit", s.entry.question, {"sro": "ask", "entry": s.entry.id})
        for s in result.suggestions
    ]
    assert card.entities == ()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("there is a man with a gun in the hallway right now", "violence"),
        ("i want to kill myself tonight", "self_harm"),
    ],
)
def test_an_emergency_says_911_and_gives_no_answer(answerer, question, kind):
    result = answerer.answer(question)
    assert result.decision is Decision.CRISIS and result.crisis_kind == kind
    card = cards.render(result, answerer.knowledge)
    assert texts(card) == [messages.crisis_message(kind)]
    assert "911" in texts(card)[0]
    assert "actions" not in card.content and buttons(card) == [] and card.entities == ()
    assert "Source:" not in json.dumps(card.content)


@pytest.mark.parametrize("kind", ["violence", "self_harm"])
def test_a_possible_emergency_gets_the_notice_first_then_the_answer(answerer, kind):
    armed = answerer.knowledge.get("armed")
    result = MatchResult(
        "are SROs armed",
        Decision.ANSWER,
        matches=(ScoredEntry(armed, 90.0),),
        safety=SafetyVerdict(SafetyLevel.NOTICE, kind),
    )
    card = cards.render(result, answerer.knowledge)
    plain = cards.render(replace(result, safety=SAFE), answerer.knowledge)
    assert card.content["body"][0]["text"] == messages.safety_notice(kind)
    assert card.content["body"][1:] == plain.content["body"]
    assert card.entities == plain.entities and card.entities


def test_no_match_and_local_officer(answerer):
    no_match = cards.render(answerer.answer("what is the capital of peru?"), answerer.knowledge)
    assert texts(no_match)[0] == messages.NO_MATCH and buttons(no_match)
    local = cards.render(answerer.answer("who is the SRO at Lincoln High?"), answerer.knowledge)
    assert texts(local) == [messages.LOCAL_OFFICER]


def test_link_markup_in_a_title_cannot_break_the_link():
    import datetime as dt

    from bot.knowledge import Source

    source = Source("P", "A [b] title", "https://x.example/a (b)", dt.date(2026, 1, 2))
    assert cards.citation_line(source, 2) == (
        "Source: P, [A (b) title](https://x.example/a%20%28b%29), retrieved January 2, 2026 [2]"
    )
