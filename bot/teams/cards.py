"""Adaptive Cards for the core's results, with Teams' citation entity. Pure: no I/O, no SDK.

A card's buttons are ``Action.Submit``; Teams sends their ``data`` back as the ``value`` of a
message activity: ``{"sro": "ask", "entry": id}`` (a question picked: its answer) or
``{"sro": "feedback", "helpful": bool, "entry": id}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import messages
from bot.knowledge import Entry, KnowledgeBase, Source
from bot.matching import Decision, MatchResult
from bot.render.text import TOPICS_SHOWN

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"  # what Teams renders on desktop, web and mobile
ACTION_KEY = "sro"
ASK = "ask"
FEEDBACK = "feedback"
MAX_BUTTONS = 5  # Teams shows at most six actions in a row; one row per group here
MAX_ABSTRACT = 160  # Teams' limit on a citation's abstract
MAX_CITATION_NAME = 80

JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Card:
    """One reply: the Adaptive Card, its plain-text summary, and the entities to send with it
    (Teams' citation entity when it quotes a source)."""

    content: JsonDict
    summary: str
    entities: tuple[JsonDict, ...] = field(default=())

    def attachment(self) -> JsonDict:
        return {"contentType": CONTENT_TYPE, "content": self.content}


def retrieved_on(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _link_text(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


def _link_target(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def citation_line(source: Source, position: int) -> str:
    """Publisher, linked title, date retrieved, and the ``[n]`` Teams ties to its citation."""
    title = f"[{_link_text(source.title)}]({_link_target(source.url)})"
    line = messages.SOURCE_CITATION.format(
        publisher=source.publisher, title=title, retrieved=retrieved_on(source.retrieved)
    )
    return f"{line} [{position}]"


def _abstract(source: Source) -> str:
    return f"{source.publisher}, retrieved {retrieved_on(source.retrieved)}"[:MAX_ABSTRACT]


def citation_entity(sources: Sequence[Source]) -> JsonDict:
    """Teams' citation entity (schema.org Message of Claims), one per ``[n]`` in the card.
    Not marked AI-generated: the answers are quoted from the source word for word."""
    return {
        "type": "https://schema.org/Message",
        "@type": "Message",
        "@context": "https://schema.org",
        "citation": [
            {
                "@type": "Claim",
                "position": position,
                "appearance": {
                    "@type": "DigitalDocument",
                    "name": source.title[:MAX_CITATION_NAME],
                    "url": source.url,
                    "abstract": _abstract(source),
                },
            }
            for position, source in enumerate(sources, start=1)
        ],
    }


def _text(text: str, **style: Any) -> JsonDict:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _submit(title: str, data: JsonDict) -> JsonDict:
    return {"type": "Action.Submit", "title": title, "data": data}


def ask_button(entry: Entry) -> JsonDict:
    return _submit(entry.question, {ACTION_KEY: ASK, "entry": entry.id})


def _buttons(actions: Iterable[JsonDict]) -> JsonDict:
    return {"type": "ActionSet", "actions": list(actions)[:MAX_BUTTONS]}


def _card(body: Sequence[JsonDict], actions: Sequence[JsonDict] = ()) -> JsonDict:
    card: JsonDict = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        card["actions"] = list(actions)
    return card


def _warning(text: str) -> JsonDict:
    """An emergency message: first, bold, in Teams' attention colour."""
    return _text(text, weight="Bolder", color="Attention")


def render(result: MatchResult, knowledge: KnowledgeBase) -> Card:
    """The card for a result: an emergency gets only the 911/988 message; a possible one
    gets the notice first, then the answer."""
    if result.decision is Decision.CRISIS:
        text = messages.crisis_message(result.crisis_kind)
        return Card(_card([_warning(text)]), text)
    card = _render_matched(result, knowledge)
    if not result.safety_notice:
        return card
    notice = messages.safety_notice(result.safety.kind)
    content = {**card.content, "body": [_warning(notice), *card.content["body"]]}
    return Card(content, f"{notice}\n\n{card.summary}", card.entities)


def _render_matched(result: MatchResult, knowledge: KnowledgeBase) -> Card:
    if result.decision is Decision.ANSWER and result.matches:
        return answer(tuple(s.entry for s in result.matches), knowledge)
    if result.decision is Decision.SUGGEST and result.suggestions:
        entries = [s.entry for s in result.suggestions]
        body = [_text(messages.SUGGEST), _buttons(map(ask_button, entries))]
        summary = f"{messages.SUGGEST} {'; '.join(e.question for e in entries)}"
        return Card(_card(body), summary)
    if result.decision is Decision.LOCAL:
        return Card(_card([_text(messages.LOCAL_OFFICER)]), messages.LOCAL_OFFICER)
    body = [
        _text(messages.NO_MATCH),
        _text(messages.TEAMS_NO_MATCH_HINT, isSubtle=True),
        _buttons(map(ask_button, knowledge.entries[:TOPICS_SHOWN])),
    ]
    return Card(_card(body), messages.NO_MATCH)


def answer(entries: Sequence[Entry], knowledge: KnowledgeBase) -> Card:
    """Each entry's question, answer and citation; under them Helpful / Not helpful for the
    first, and its follow-up questions."""
    body: list[JsonDict] = []
    for position, entry in enumerate(entries, start=1):
        body += [
            _text(entry.question, weight="Bolder", size="Medium", separator=position > 1),
            _text(entry.answer),
            _text(citation_line(entry.source, position), isSubtle=True, size="Small"),
        ]
    first = entries[0]
    follow_ups = [e for e in map(knowledge.get, first.follow_ups) if e is not None]
    if follow_ups:
        body += [_text(messages.FOLLOW_UPS, weight="Bolder"), _buttons(map(ask_button, follow_ups))]
    actions = [
        _submit(messages.HELPFUL, {ACTION_KEY: FEEDBACK, "helpful": True, "entry": first.id}),
        _submit(messages.NOT_HELPFUL, {ACTION_KEY: FEEDBACK, "helpful": False, "entry": first.id}),
    ]
    summary = "\n\n".join(f"{e.question}\n\n{e.answer}" for e in entries)
    entity = citation_entity([e.source for e in entries])
    return Card(_card(body, actions), summary, (entity,))


def text_card(text: str) -> Card:
    return Card(_card([_text(text)]), text)


def help_card() -> Card:
    body = [
        _text(messages.HELP_TITLE, weight="Bolder", size="Medium"),
        _text(messages.TEAMS_HELP_BODY),
        _text(messages.HELP_CRISIS, isSubtle=True),
    ]
    return Card(_card(body), messages.TEAMS_HELP_BODY)


def topics_card(knowledge: KnowledgeBase) -> Card:
    questions = [entry.question for entry in knowledge]
    body = [
        _text(messages.TOPICS_TITLE, weight="Bolder", size="Medium"),
        _text("\n".join(f"- {q}" for q in questions)),
    ]
    return Card(_card(body), "\n".join([messages.TOPICS_TITLE, *questions]))


def feedback_thanks(helpful: bool) -> Card:
    if helpful:
        return text_card(messages.FEEDBACK_THANKS_HELPFUL)
    return text_card(messages.TEAMS_FEEDBACK_THANKS_NOT_HELPFUL)
