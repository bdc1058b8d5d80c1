"""Find the knowledge entry that answers a question, or decide that none does.

Scoring, in one sentence: the share of the question's meaning (its terms weighted by how
rare they are in the knowledge) that an entry covers, counting a term fully when the
entry's question, alternates or tags use it and partly when only its answer does.
Words the knowledge never uses weigh like the rarest words: a question about "SRO
overtime pay" is mostly about something this knowledge does not cover, so it gets no
answer even though "SRO" matches everywhere.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from bot.analysis import Analyzer, Vocabulary
from bot.knowledge import Entry, KnowledgeBase
from bot.text import words


class Decision(StrEnum):
    ANSWER = "answer"  # confident: reply with the best entry
    SUGGEST = "suggest"  # not sure: offer the closest questions
    NO_MATCH = "no_match"  # the knowledge has no good answer
    CRISIS = "crisis"  # an emergency: no FAQ answer at all (set by the safety check)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where scores (0-100: the share of the question an entry covers) turn into decisions.

    answer: the best entry covers at least this much of the question to be given outright.
    margin: ...and leads the runner-up by at least this much; otherwise the two are offered.
    suggest: entries covering at least this much are offered as "did you mean"; below it
        for the best entry, the answer is "no match".
    max_suggestions: how many closest questions to offer.
    """

    answer: float = 60.0
    margin: float = 8.0
    suggest: float = 45.0
    max_suggestions: int = 3


THRESHOLDS = Thresholds()

# How much an entry's field counts as evidence for a term the question uses.
PHRASING_WEIGHT = 1.0  # the question, an alternate or a tag: written to be matched
ANSWER_WEIGHT = 0.6  # the answer: long prose mentions much that it is not about


@dataclass(frozen=True, slots=True)
class ScoredEntry:
    entry: Entry
    score: float  # 0-100


@dataclass(frozen=True, slots=True)
class MatchResult:
    """What the core decided for one question. Knows nothing of Slack."""

    query: str
    decision: Decision
    matches: tuple[ScoredEntry, ...] = ()  # the entry it answers with (empty unless ANSWER)
    suggestions: tuple[ScoredEntry, ...] = ()  # closest entries (SUGGEST, or for context)
    crisis_kind: str | None = None  # "violence" or "self_harm" when decision is CRISIS
    terms: tuple[str, ...] = field(default=(), repr=False)

    @property
    def best(self) -> ScoredEntry | None:
        return (self.matches or self.suggestions or (None,))[0]


class Matcher:
    """Scores questions against a knowledge base. Build once, call :meth:`match` per question."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        vocabulary: Vocabulary | None = None,
        thresholds: Thresholds = THRESHOLDS,
    ) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds
        known = {w for entry in knowledge for text in _texts(entry) for w in words(text)}
        self.analyzer = Analyzer(vocabulary or Vocabulary.bundled(), known)
        self._entries = knowledge.entries
        weights: list[dict[str, float]] = []
        for entry in self._entries:
            weight = dict.fromkeys(self.analyzer.terms(entry.answer), ANSWER_WEIGHT)
            for phrasing in (entry.question, *entry.alternates, *entry.tags):
                weight.update(dict.fromkeys(self.analyzer.terms(phrasing), PHRASING_WEIGHT))
            weights.append(weight)
        count = len(weights)
        document_frequency: dict[str, int] = defaultdict(int)
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, weight in enumerate(weights):
            for term, w in weight.items():
                document_frequency[term] += 1
                self._postings[term].append((index, w))
        self._idf = {t: _idf(count, df) for t, df in document_frequency.items()}
        self._unknown_idf = _idf(count, 0)

    def match(self, query: str) -> MatchResult:
        terms = tuple(dict.fromkeys(self.analyzer.terms(query, correct=True)))
        if not terms:
            return MatchResult(query=query, decision=Decision.NO_MATCH, terms=terms)
        total = 0.0
        covered: dict[int, float] = defaultdict(float)
        for term in terms:
            idf = self._idf.get(term, self._unknown_idf)
            total += idf
            for index, w in self._postings.get(term, ()):
                covered[index] += idf * w
        ranked = sorted(
            (ScoredEntry(self._entries[i], round(100 * c / total, 1)) for i, c in covered.items()),
            key=lambda s: -s.score,
        )
        return self._decide(query, terms, ranked)

    def _decide(
        self, query: str, terms: tuple[str, ...], ranked: list[ScoredEntry]
    ) -> MatchResult:
        t = self.thresholds
        if not ranked or ranked[0].score < t.suggest:
            return MatchResult(
                query, Decision.NO_MATCH, suggestions=tuple(ranked[:1]), terms=terms
            )
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if best.score >= t.answer and best.score - runner_up >= t.margin:
            return MatchResult(query, Decision.ANSWER, matches=(best,), terms=terms)
        close = tuple(s for s in ranked[: t.max_suggestions] if s.score >= t.suggest)
        return MatchResult(query, Decision.SUGGEST, suggestions=close, terms=terms)


def _texts(entry: Entry) -> tuple[str, ...]:
    return (entry.question, entry.answer, *entry.alternates, *entry.tags)


def _idf(count: int, df: int) -> float:
    """BM25's inverse document frequency: rare terms weigh more; never negative."""
    return math.log(1 + (count - df + 0.5) / (df + 0.5))

