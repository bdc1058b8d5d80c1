"""Render a MatchResult for a terminal (``sro-bot ask``) or as JSON (``--json``)."""

from __future__ import annotations

import textwrap
from typing import Any

from bot import messages
from bot.explain import Explanation
from bot.knowledge import Entry, KnowledgeBase, Source
from bot.matching import Decision, MatchResult, ScoredEntry

TOPICS_SHOWN = 5


def citation(source: Source) -> str:
    return (
        f'Source: {source.publisher}, "{source.title}", {source.url} '
        f"(retrieved {source.retrieved.isoformat()})"
    )


def wrap(markdown: str, width: int | None) -> str:
    """Markdown paragraphs and "- " list items wrapped to ``width`` (None: unwrapped)."""
    if not width:
        return markdown
    lines = []
    for line in markdown.splitlines():
        indent = "  " if line.lstrip().startswith(("- ", "* ")) else ""
        lines.append(
            textwrap.fill(
                line.strip(),
                width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            if line.strip()
            else ""
        )
    return "\n".join(lines)


def render_text(result: MatchResult, knowledge: KnowledgeBase, *, width: int | None = None) -> str:
    """The result for a person at a terminal, wrapped to ``width`` columns if given."""
    if result.decision is Decision.CRISIS:
        return wrap(messages.crisis_message(result.crisis_kind), width)
    if result.safety_notice:
        notice = wrap(messages.safety_notice(result.safety.kind), width)
        return f"{notice}\n\n{_render_matched(result, knowledge, width)}"
    return _render_matched(result, knowledge, width)


def _render_matched(result: MatchResult, knowledge: KnowledgeBase, width: int | None) -> str:
    if result.decision is Decision.ANSWER:
        parts = [
            part
            for scored in result.matches
            for part in (
                f"Q: {scored.entry.question}",
                scored.entry.answer,
                citation(scored.entry.source),
            )
        ]
        return "\n\n".join(wrap(part, width) for part in parts)
    if result.decision is Decision.SUGGEST:
        lines = [messages.SUGGEST, *(f"  - {s.entry.question}" for s in result.suggestions)]
        return "\n".join(lines)
    if result.decision is Decision.LOCAL:
        return wrap(messages.LOCAL_OFFICER, width)
    topics = [f"  - {entry.question}" for entry in knowledge.entries[:TOPICS_SHOWN]]
    return "\n".join([messages.NO_MATCH, messages.TOPICS_HINT, *topics])


def explain_text(explanation: Explanation, *, width: int | None = None) -> str:
    """The "Why this answer" block printed under a result (``sro-bot ask --explain``)."""
    lines = [f"{messages.EXPLAIN_TITLE}:"]
    for label, value in explanation.facts():
        line = f"  {label}: {value}"
        if width:
            line = textwrap.fill(
                line,
                width,
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        lines.append(line)
    return "\n".join(lines)


def topics_text(knowledge: KnowledgeBase) -> str:
    """Every question the knowledge answers, one per line."""
    lines = [messages.TOPICS_TITLE + ":", *(f"  - {entry.question}" for entry in knowledge)]
    return "\n".join(lines)


def source_json(source: Source) -> dict[str, str]:
    return {
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "retrieved": source.retrieved.isoformat(),
    }


def entry_json(scored: ScoredEntry) -> dict[str, Any]:
    entry: Entry = scored.entry
    return {
        "id": entry.id,
        "question": entry.question,
        "answer": entry.answer,
        "score": scored.score,
        "source": source_json(entry.source),
    }


def render_json(result: MatchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "crisis": result.decision is Decision.CRISIS,
        "safety_notice": result.safety_notice,
        "safety": {"level": str(result.safety.level), "kind": result.safety.kind},
        "matched_by": "model" if result.by_model else "lexical",
        "decision": str(result.decision),
        "matches": [entry_json(s) for s in result.matches],
        "suggestions": [entry_json(s) for s in result.suggestions]
        if result.decision is Decision.SUGGEST
        else [],
    }
