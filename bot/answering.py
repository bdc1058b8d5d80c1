"""The answering core: safety check first, then the matcher. Knows nothing of Slack."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.classifier import EntryClassifier
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import Decision, Matcher, MatchResult
from bot.safety import SafetyCheck, SafetyLevel

# Only the start of a message is read, so any input is answered in bounded time. Slack
# allows 40,000 characters; a question, with all its context, is a few hundred.
ANALYSED_CHARS = 6000


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
        return replace(self.matcher.match(read), query=text, safety=verdict)
