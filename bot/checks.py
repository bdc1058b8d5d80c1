"""Checks of knowledge that need the answering core: does each phrasing reach its entry?

An alternate that another entry answers, or that reads as an emergency, is written in
vain: people asking that way get something else. ``sro-bot check`` warns about each.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answering import Answerer
from bot.knowledge import Problem
from bot.matching import Decision


def unreached_phrasings(answerer: Answerer, where: dict[str, Problem]) -> list[Problem]:
    """A warning for each question or alternate that is not answered by its own entry."""
    problems = []
    for entry in answerer.knowledge:
        phrasings = [("question", entry.question)]
        phrasings += [(f"alternates[{i}]", text) for i, text in enumerate(entry.alternates)]
        for field, text in phrasings:
            result = answerer.answer(text)
            if result.decision is Decision.ANSWER and result.matches[0].entry.id == entry.id:
                continue
            if result.decision is Decision.CRISIS:
                outcome = "reads as an emergency, so it is never answered"
            elif result.decision is Decision.ANSWER:
                outcome = f"is answered by entry '{result.matches[0].entry.id}'"
            elif result.decision is Decision.SUGGEST:
                offered = ", ".join(f"'{s.entry.id}'" for s in result.suggestions)
                outcome = f"only gets suggestions ({offered})"
            else:
                outcome = "gets no answer"
            message = f"'{text}' {outcome}: reword it, or move it to the entry that answers it"
            problems.append(replace(where[entry.id], field=field, message=message))
    return problems
