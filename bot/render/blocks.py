"""Block Kit for the core's results: answers, suggestions, no match, crisis, help, topics, Home.

Everything that depends only on the knowledge (each entry's answer, the topics, help, the
Home tab, crisis messages) is built once when the renderer is made, validated against
Slack's limits by ``slack_sdk.models`` and kept as plain dicts; a request only picks one,
and an answer gains its "Why this answer?" button, which carries the question asked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import messages
from bot.explain import Explanation
from bot.knowledge import Entry, KnowledgeBase, Source
from bot.matching import Decision, MatchResult, ScoredEntry
from bot.render.mrkdwn import escape, sections, to_mrkdwn, truncate

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_BLOCKS = 50  # per message
MAX_VIEW_BLOCKS = 100  # per Home tab view
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25  # elements per actions block
MAX_FALLBACK_TEXT = 4000
MAX_ECHO = 500  # how much of a person's question is echoed back

# action_id of every button; question buttons append ":<entry id>" (unique in a block).
ANSWER_ACTION = "sro.answer"
SHARE_ACTION = "sro.share"
HELPFUL_ACTION = "sro.feedback.helpful"
NOT_HELPFUL_ACTION = "sro.feedback.not_helpful"
TOPICS_ACTION = "sro.topics"
EXPLAIN_ACTION = "sro.explain"  # its value: explain_value()
MAX_EXPLAINED_FACT = 300  # characters of each line of an explanation

JsonBlock = dict[str, Any]
_DIVIDER: JsonBlock = DividerBlock().to_dict()


class Surface(StrEnum):
    """Where a message is shown, which decides its buttons."""

    EPHEMERAL = "ephemeral"  # only the asker sees it (a slash command): offers "Share"
    MESSAGE = "message"  # everyone in the conversation sees it (a thread reply, a DM)


@dataclass(frozen=True, slots=True)
class Message:
    """A message ready to send: Block Kit blocks and the plain ``text`` fallback."""

    text: str
    blocks: tuple[JsonBlock, ...]

    def as_kwargs(self) -> dict[str, Any]:
        """``text`` and ``blocks`` as ``ack``, ``respond`` and ``chat_postMessage`` take them."""
        return {"text": self.text, "blocks": list(self.blocks)}


def retrieved_on(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def citation(source: Source) -> str:
    """The mrkdwn citation under an answer: publisher, linked title, date retrieved."""
    return messages.SOURCE_CITATION.format(
        publisher=escape(source.publisher),
        title=f"<{escape(source.url)}|{escape(source.title).replace('|', '/')}>",
        retrieved=retrieved_on(source.retrieved),
    )


def question_button(entry: Entry) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=truncate(entry.question, MAX_BUTTON_TEXT), emoji=False),
        action_id=f"{ANSWER_ACTION}:{entry.id}",
        value=entry.id,
    )


_INERT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def explain_value(entry_id: str, question: str) -> str:
    """A "Why this answer?" button's value: the entry answered and the question asked (the
    explanation depends on its words), the question cut to fit Slack's limit."""

    def encoded(question: str) -> str:
        # No "<", ">" or "&", so no one's words in it read as markup ("<!channel>") anywhere.
        value = json.dumps({"entry": entry_id, "q": question}, ensure_ascii=False)
        return value.translate(_INERT)

    def fits(value: str) -> bool:
        # Counted in UTF-16 units (an emoji is two), the most Slack could count.
        return len(value.encode("utf-16-le", "surrogatepass")) // 2 <= MAX_BUTTON_VALUE

    question = question[:MAX_BUTTON_VALUE]
    value = encoded(question)
    if fits(value):
        return value
    short, too_long = 0, len(question)  # the longest start of the question that fits
    while too_long - short > 1:
        middle = (short + too_long) // 2
        if fits(encoded(question[:middle])):
            short = middle
        else:
            too_long = middle
    return encoded(question[:short])


def read_explain_value(value: str) -> tuple[str, str] | None:
    """(entry id, question) from a "Why this answer?" button's value; None if malformed."""
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    entry_id, question = data.get("entry"), data.get("q")
    if not isinstance(entry_id, str) or not entry_id or not isinstance(question, str):
        return None
    return entry_id, question


def _dicts(blocks: Iterable[Block]) -> tuple[JsonBlock, ...]:
    return tuple(block.to_dict() for block in blocks)  # to_dict() checks Slack's limits


def _section(text: str, *, verbatim: bool = False) -> SectionBlock:
    """``verbatim``: Slack does not link URLs or names in it (for words a person typed)."""
    return SectionBlock(text=MarkdownTextObject(text=text, verbatim=verbatim or None))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _one_section_by_kind(say: Callable[[str], str]) -> dict[str, Message]:
    """A message of one section per kind of emergency (violence, self-harm)."""
    return {
        kind: Message(say(kind), _dicts([_section(escape(say(kind)))]))
        for kind in ("violence", "self_harm")
    }


def _button_rows(buttons: Sequence[ButtonElement], block_id: str) -> list[ActionsBlock]:
    return [
        ActionsBlock(block_id=f"{block_id}.{i}", elements=list(buttons[i : i + MAX_ACTIONS]))
        for i in range(0, len(buttons), MAX_ACTIONS)
    ]


class BlockRenderer:
    """Renders results as Block Kit. Build once per knowledge base; share across requests."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._buttons = {entry.id: question_button(entry) for entry in knowledge}
        self._answers: dict[tuple[str, Surface], Message] = {}
        self._bodies: dict[str, tuple[JsonBlock, ...]] = {}
        self._texts: dict[str, str] = {}
        self._actions_at: dict[str, int] = {}  # where an answer's actions block is
        for entry in knowledge:
            body, text = self._answer_body(entry)
            self._bodies[entry.id], self._texts[entry.id] = _dicts(body), text
            self._actions_at[entry.id] = len(body)
            for surface in Surface:
                blocks = [*body, *self._answer_actions(entry, surface)]
                if len(blocks) + 1 > MAX_BLOCKS:  # room for a safety notice above it
                    raise ValueError(
                        f"entry '{entry.id}': its answer needs {len(blocks)} Slack blocks, "
                        f"more than the {MAX_BLOCKS} a message may have; shorten it"
                    )
                self._answers[entry.id, surface] = Message(text, _dicts(blocks))
        self._crisis = _one_section_by_kind(messages.crisis_message)
        self._notices = _one_section_by_kind(messages.safety_notice)
        self.help = self._help()
        self.thanks = Message(messages.THANKS_REPLY, _dicts([_section(messages.THANKS_REPLY)]))
        self._local_officer = Message(
            messages.LOCAL_OFFICER, _dicts([_section(escape(messages.LOCAL_OFFICER))])
        )
        self.topics = self._topics()
        self.home_view: dict[str, Any] = self._home_view()
        self.suggestions = lru_cache(maxsize=1024)(self._suggestions)
        self._explain_button = ButtonElement(
            text=messages.EXPLAIN_BUTTON, action_id=EXPLAIN_ACTION, value="-"
        ).to_dict()

    # --- per request ----------------------------------------------------------------------

    def render(self, result: MatchResult, surface: Surface) -> Message:
        """The message for a result; the same result renders the same on every surface."""
        if result.decision is Decision.CRISIS:
            return self.crisis(result.crisis_kind)
        if result.safety_notice:
            notice = self._notices[result.safety.kind or "violence"]
            below = self._render_matched(result, surface)
            text = truncate(f"{notice.text}\n\n{below.text}", MAX_FALLBACK_TEXT)
            return Message(text, (*notice.blocks, *below.blocks))
        return self._render_matched(result, surface)

    def _render_matched(self, result: MatchResult, surface: Surface) -> Message:
        if result.decision is Decision.ANSWER:
            entry_id = result.matches[0].entry.id
            first = self._with_explain(self._answers[entry_id, surface], entry_id, result.query)
            return self._with_more_answers(first, result.matches[1:])
        if result.decision is Decision.SUGGEST and result.suggestions:
            return self.suggestions(tuple(s.entry.id for s in result.suggestions))
        if result.decision is Decision.LOCAL:
            return self._local_officer
        return self.no_match(result.query, surface)

    def _with_explain(self, answer: Message, entry_id: str, query: str) -> Message:
        """An answer built at start-up, with a "Why this answer?" button for this question;
        "Not helpful" carries the question too, for the maintainers' report."""
        at = self._actions_at[entry_id]
        actions = answer.blocks[at]
        value = explain_value(entry_id, query)
        button = {**self._explain_button, "value": value}
        elements = [
            {**e, "value": value} if e.get("action_id") == NOT_HELPFUL_ACTION else e
            for e in actions["elements"]
        ]
        row = {**actions, "elements": [*elements, button]}
        return Message(answer.text, (*answer.blocks[:at], row, *answer.blocks[at + 1 :]))

    def _with_more_answers(self, first: Message, more: Sequence[ScoredEntry]) -> Message:
        """A message asking several questions: the first answer with its buttons, then
        each other answer (question, answer, citation) as long as Slack's limit allows."""
        if not more:
            return first  # built once at start-up, like every single answer
        blocks, texts = list(first.blocks), [first.text]
        for scored in more:
            body = (_DIVIDER, *self._bodies[scored.entry.id])
            if len(blocks) + len(body) > MAX_BLOCKS:
                break
            blocks += body
            texts.append(self._texts[scored.entry.id])
        return Message(truncate("\n\n".join(texts), MAX_FALLBACK_TEXT), tuple(blocks))

    def answer(self, entry_id: str, surface: Surface) -> Message | None:
        """An entry's answer by id (a button's value), or None if there is no such entry."""
        return self._answers.get((entry_id, surface))

    def crisis(self, kind: str | None) -> Message:
        return self._crisis["self_harm" if kind == "self_harm" else "violence"]

    def shared(self, entry_id: str, user_id: str) -> Message | None:
        """An answer shared in a channel: no buttons, and who shared it."""
        body = self._bodies.get(entry_id)
        if body is None:
            return None
        by = _context(messages.SHARED_BY.format(user=escape(user_id))).to_dict()
        return Message(self._texts[entry_id], (*body, by))

    def no_match(self, query: str, surface: Surface) -> Message:
        hint = (
            messages.NO_MATCH_HINT_COMMAND
            if surface is Surface.EPHEMERAL
            else messages.NO_MATCH_HINT_MESSAGE
        )
        echo = escape(" ".join(truncate(query, MAX_ECHO).split()))
        lines = [messages.NO_MATCH]
        if echo:
            lines.append(f"{messages.NO_MATCH_ECHO} {echo}")
        blocks = [
            _section("\n".join(lines), verbatim=True),  # it echoes what the person typed
            _context(hint),
            ActionsBlock(
                block_id="sro.no_match",
                elements=[
                    ButtonElement(
                        text=messages.SHOW_TOPICS, action_id=TOPICS_ACTION, value="topics"
                    )
                ],
            ),
        ]
        return Message(messages.NO_MATCH, _dicts(blocks))

    def explanation(self, explanation: Explanation, *, changed: bool = False) -> Message:
        """Why an answer is what it is; ``changed``: the knowledge no longer gives that
        answer to the question, and this explains what it gives now."""
        facts = [
            (label, truncate(value, MAX_EXPLAINED_FACT)) for label, value in explanation.facts()
        ]
        head = [messages.EXPLAIN_CHANGED] if changed else []
        lines = [f"*{messages.EXPLAIN_TITLE}*", *(f"*{k}:* {escape(v)}" for k, v in facts)]
        blocks: list[Block] = [_context(m) for m in head] + [_section("\n".join(lines))]
        text = "\n".join([*head, messages.EXPLAIN_TITLE, *(f"{k}: {v}" for k, v in facts)])
        return Message(truncate(text, MAX_FALLBACK_TEXT), _dicts(blocks))

    def feedback_thanks(self, helpful: bool) -> Message:
        text = messages.FEEDBACK_THANKS_HELPFUL if helpful else messages.FEEDBACK_THANKS_NOT_HELPFUL
        return Message(text, ())

    # --- built once -----------------------------------------------------------------------

    def _answer_body(self, entry: Entry) -> tuple[list[Block], str]:
        answer = to_mrkdwn(entry.answer)
        body: list[Block] = [
            HeaderBlock(text=PlainTextObject(text=truncate(entry.question, MAX_HEADER_TEXT))),
            *(_section(part) for part in sections(answer, MAX_SECTION_TEXT)),
            _context(citation(entry.source)),
        ]
        text = truncate(f"{entry.question}\n\n{answer}", MAX_FALLBACK_TEXT)
        return body, text

    def _answer_actions(self, entry: Entry, surface: Surface) -> list[Block]:
        buttons = []
        if surface is Surface.EPHEMERAL:
            buttons.append(
                ButtonElement(
                    text=messages.SHARE, action_id=SHARE_ACTION, value=entry.id, style="primary"
                )
            )
        buttons += [
            ButtonElement(text=messages.HELPFUL, action_id=HELPFUL_ACTION, value=entry.id),
            ButtonElement(text=messages.NOT_HELPFUL, action_id=NOT_HELPFUL_ACTION, value=entry.id),
        ]
        blocks: list[Block] = [ActionsBlock(block_id="sro.answer_actions", elements=buttons)]
        follow_ups = [self._buttons[i] for i in entry.follow_ups if i in self._buttons]
        if follow_ups:
            blocks.append(_context(messages.FOLLOW_UPS))
            blocks += _button_rows(follow_ups, "sro.follow_ups")
        return blocks

    def _suggestions(self, entry_ids: tuple[str, ...]) -> Message:
        buttons = [self._buttons[i] for i in entry_ids if i in self._buttons]
        blocks = [_section(messages.SUGGEST), *_button_rows(buttons, "sro.suggestions")]
        questions = "; ".join(self.knowledge.get(i).question for i in entry_ids)  # type: ignore[union-attr]
        return Message(f"{messages.SUGGEST} {questions}", _dicts(blocks))

    def _topic_rows(self, room: int) -> list[Block]:
        buttons = list(self._buttons.values())[: room * MAX_ACTIONS]
        return list(_button_rows(buttons, "sro.topics"))

    def _help(self) -> Message:
        blocks = [
            HeaderBlock(text=messages.HELP_TITLE),
            _section(messages.HELP_BODY),
            _context(messages.HELP_CRISIS),
        ]
        return Message(f"{messages.HELP_TITLE}\n\n{messages.HELP_BODY}", _dicts(blocks))

    def _topics(self) -> Message:
        head = [HeaderBlock(text=messages.TOPICS_TITLE), _section(messages.TOPICS_INTRO)]
        blocks = [*head, *self._topic_rows(MAX_BLOCKS - len(head))]
        text = "\n".join([messages.TOPICS_TITLE, *(f"\u2022 {e.question}" for e in self.knowledge)])
        return Message(truncate(text, MAX_FALLBACK_TEXT), _dicts(blocks))

    def _home_view(self) -> dict[str, Any]:
        sources = "\n".join(f"\u2022 {citation(source)}" for source in self.knowledge.sources)
        head: list[Block] = [
            HeaderBlock(text=messages.HELP_TITLE),
            _section(messages.HOME_INTRO),
            _section(messages.HELP_BODY),
            _context(messages.HELP_CRISIS),
            DividerBlock(),
            _section(messages.HOME_TOPICS),
        ]
        tail: list[Block] = [
            DividerBlock(),
            _section(f"{messages.HOME_SOURCES}\n{truncate(sources, MAX_SECTION_TEXT - 40)}"),
        ]
        rows = self._topic_rows(MAX_VIEW_BLOCKS - len(head) - len(tail))
        return View(type="home", blocks=[*head, *rows, *tail]).to_dict()
