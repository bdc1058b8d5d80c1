"""The answering core: safety check first, then the matcher. Knows nothing of Slack."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from bot.classifier import EntryClassifier
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.local_officer import asks_about_local_officer
from bot.matching import Decision, Matcher, MatchResult
from bot.safety import SafetyCheck, SafetyLevel

# Only the start of a message is read, so any input is answered in bounded time. Slack
# allows 40,000 characters; a question, with all its context, is a few hundred.
ANALYSED_CHARS = 6000
# A message asking several questions ("what is an SRO? how many are there?") gets an
# answer to each, up to this many; a part of fewer words is not read as a question alone.
MAX_ANSWERS = 3
QUESTION_WORDS_AT_LEAST = 3
QUESTIONS_READ = 5  # the first questions of a message; any input costs bounded time
_QUESTION_END = re.compile(r"\?+")


class Answerer:
    """Turns a person's words into a :class:`MatchResult`. Build once, share everywhere."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        safety: SafetyCheck | None = None,
        *,
        lexical_only: bool = False,
    ) -> None:
        self.knowledge = knowledge
        classifier = None if lexical_only else EntryClassifier.for_knowledge(knowledge)
        self.matcher = Matcher(knowledge, classifier=classifier)
        self.safety = safety or SafetyCheck.load()
        # Entries a maintainer wrote for "who is our SRO" (a district's own knowledge).
        self.local_entries = frozenset(
            entry.id
            for entry in knowledge
            if any(map(asks_about_local_officer, (entry.question, *entry.alternates)))
        )

    @classmethod
    def load(
        cls,
        knowledge_dir: Path | str | None = None,
        *,
        bundled: bool | None = None,
        lexical_only: bool = False,
    ) -> Answerer:
        """Load and validate the knowledge: the bundled knowledge and ``knowledge_dir``
        (default ``$SRO_KNOWLEDGE_DIR``) over it, see :func:`bot.knowledge.knowledge_layers`."""
        return cls(load_knowledge(knowledge_dir, bundled=bundled), lexical_only=lexical_only)

    def answer(self, text: str) -> MatchResult:
        read = text[:ANALYSED_CHARS]
        verdict = self.safety.check(read)
        if verdict.level is SafetyLevel.CRISIS:
            return MatchResult(query=text, decision=Decision.CRISIS, safety=verdict)
        if asks_about_local_officer(read) and not self._answers_locally(read):
            return MatchResult(query=text, decision=Decision.LOCAL, safety=verdict)
        answers = self._answers_to_each(read)
        if len(answers) > 1:
            matches = tuple(a.matches[0] for a in answers)
            result = replace(answers[0], matches=matches)
        else:
            result = self.matcher.match(read)
        return replace(result, query=text, safety=verdict)

    def _answers_locally(self, text: str) -> bool:
        """Whether the knowledge has its own answer about the local officer for this."""
        if not self.local_entries:
            return False
        result = self.matcher.match(text)
        return result.decision is Decision.ANSWER and result.best.entry.id in self.local_entries

    def _answers_to_each(self, text: str) -> list[MatchResult]:
        """The answers to each question of a message that asks several, in their order,
        each entry once."""
        parts = [p for p in _QUESTION_END.split(text) if len(p.split()) >= QUESTION_WORDS_AT_LEAST]
        if len(parts) < 2:
            return []
        answers: dict[str, MatchResult] = {}
        for result in self.matcher.match_parts(parts[:QUESTIONS_READ], text):
            if result.decision is Decision.ANSWER:
                answers.setdefault(result.matches[0].entry.id, result)
        return list(answers.values())[:MAX_ANSWERS]
