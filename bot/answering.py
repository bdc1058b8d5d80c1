"""The answering core: safety check first, then the matcher. Knows nothing of Slack."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import Decision, Matcher, MatchResult
from bot.safety import SafetyCheck


class Answerer:
    """Turns a person's words into a :class:`MatchResult`. Build once, share everywhere."""

    def __init__(self, knowledge: KnowledgeBase, safety: SafetyCheck | None = None) -> None:
        self.knowledge = knowledge
        self.matcher = Matcher(knowledge)
        self.safety = safety or SafetyCheck.load()

    @classmethod
    def load(cls, knowledge_dir: Path | str | None = None) -> Answerer:
        """Load and validate the knowledge (default: ``$SRO_KNOWLEDGE_DIR`` or bundled)."""
        return cls(load_knowledge(knowledge_dir))

    def answer(self, text: str) -> MatchResult:
        kind = self.safety.check(text)
        if kind:
            return MatchResult(query=text, decision=Decision.CRISIS, crisis_kind=kind)
        return self.matcher.match(text)
