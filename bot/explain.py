"""Why the core decided what it did for one question ("Why this answer?"). Knows nothing of Slack.

Reads what the matcher kept with its result (the reading that decided: its best entries and
its wording), so it explains the very scores that decided and changes none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz

from bot import messages
from bot.analysis import Analysis
from bot.knowledge import Entry
from bot.matching import (
    PHRASING_SHARE,
    WORDING_SHARE,
    Decision,
    Matcher,
    MatchResult,
    ScoredEntry,
)
from bot.safety import SafetyLevel, SafetyVerdict


class Reason(StrEnum):
    """Why the decision came out as it did."""

    ANSWERED = "answered"  # scored enough and led the runner-up enough
    MODEL = "model"  # the entry model chose it
    LOW_SCORE = "low_score"  # the best scored too little to answer (or to suggest)
    CLOSE = "close"  # the best did not lead the runner-up enough
    WITHDRAWN = "withdrawn"  # the words pointed to an entry; the model read it as off-topic
    OFF_SUBJECT = "off_subject"  # no entry uses its words, or none of them names the subject
    NO_WORDS = "no_words"  # nothing to match: greetings, filler, function words
    LOCAL = "local"  # asks who serves a particular school
    CRISIS = "crisis"  # an emergency: no FAQ answer


@dataclass(frozen=True, slots=True)
class Explanation:
    """What decided one result. ``entry`` is the answer, or the closest entry when none was
    given; ``phrasing`` is its question or the alternate that the words matched best."""

    decision: Decision
    reason: Reason
    why: str  # the reason, in words
    safety: SafetyVerdict
    entry: Entry | None = None
    score: float | None = None  # 0-100, as the result shows it
    phrasing: str | None = None
    runner_up: ScoredEntry | None = None  # the best other entry of the same reading
    by_model: bool = False
    model_probability: float | None = None
    also_answered: tuple[Entry, ...] = ()  # a message asking several questions

    @property
    def alternate(self) -> bool:
        """The words matched one of the entry's alternates, not its question."""
        return self.entry is not None and self.phrasing not in (None, self.entry.question)

    def facts(self) -> list[tuple[str, str]]:
        """(label, plain text) pairs, in the order a person reads them; a crisis says only
        the safety level."""
        if self.decision is Decision.CRISIS:
            return [(messages.EXPLAIN_SAFETY, _safety(self.safety))]
        facts = []
        if self.entry is not None:
            label = (
                messages.EXPLAIN_MATCHED
                if self.decision is Decision.ANSWER
                else messages.EXPLAIN_CLOSEST
            )
            facts.append((label, self._phrasing()))
            if self.score is not None:
                facts.append((messages.EXPLAIN_SCORE, messages.EXPLAIN_OF_100.format(self.score)))
        if self.runner_up is not None:
            runner_up = messages.EXPLAIN_ENTRY_SCORE.format(
                question=self.runner_up.entry.question, score=self.runner_up.score
            )
            facts.append((messages.EXPLAIN_RUNNER_UP, runner_up))
        if self.decision is Decision.ANSWER:
            facts.append((messages.EXPLAIN_CHOSEN_BY, self._chosen_by()))
        if self.also_answered:
            questions = "; ".join(f'"{e.question}"' for e in self.also_answered)
            facts.append((messages.EXPLAIN_ALSO, questions))
        facts.append((messages.EXPLAIN_WHY, self.why))
        facts.append((messages.EXPLAIN_SAFETY, _safety(self.safety)))
        return facts

    def as_json(self) -> dict[str, Any]:
        safety = {"level": str(self.safety.level), "kind": self.safety.kind}
        if self.decision is Decision.CRISIS:
            return {"decision": str(self.decision), "safety": safety}
        entry = self.entry
        runner_up = self.runner_up
        return {
            "decision": str(self.decision),
            "reason": str(self.reason),
            "why": self.why,
            "entry": {"id": entry.id, "question": entry.question} if entry else None,
            "phrasing": self.phrasing,
            "alternate": self.alternate,
            "score": self.score,
            "runner_up": {
                "id": runner_up.entry.id,
                "question": runner_up.entry.question,
                "score": runner_up.score,
            }
            if runner_up
            else None,
            "matched_by": ("model" if self.by_model else "lexical")
            if self.decision is Decision.ANSWER
            else None,
            "model_probability": self.model_probability,
            "also_answered": [e.id for e in self.also_answered],
            "safety": safety,
        }

    def _phrasing(self) -> str:
        assert self.entry is not None
        if self.alternate:
            return messages.EXPLAIN_ALTERNATE.format(
                phrasing=self.phrasing, question=self.entry.question
            )
        return messages.EXPLAIN_QUESTION.format(question=self.entry.question)

    def _chosen_by(self) -> str:
        if not self.by_model:
            return messages.EXPLAIN_BY_WORDS
        if self.model_probability is None:
            return messages.EXPLAIN_BY_MODEL
        return messages.EXPLAIN_BY_MODEL_PROBABILITY.format(self.model_probability)


def explain(result: MatchResult, matcher: Matcher) -> Explanation:
    """Why ``result`` (from ``matcher``, through :class:`bot.answering.Answerer`) is what it is."""
    t = matcher.thresholds
    if result.decision is Decision.CRISIS:
        return Explanation(result.decision, Reason.CRISIS, messages.EXPLAIN_CRISIS, result.safety)
    if result.decision is Decision.LOCAL:
        return Explanation(result.decision, Reason.LOCAL, messages.EXPLAIN_LOCAL, result.safety)
    chosen = result.best
    if chosen is None:
        reason = Reason.OFF_SUBJECT if result.terms else Reason.NO_WORDS
        why = messages.EXPLAIN_OFF_SUBJECT if result.terms else messages.EXPLAIN_NO_WORDS
        return Explanation(result.decision, reason, why, result.safety)
    runner_up = next((s for s in result.ranked if s.entry.id != chosen.entry.id), None)
    lead = chosen.score - (runner_up.score if runner_up else 0.0)
    if result.decision is Decision.ANSWER and result.by_model:
        reason, why = Reason.MODEL, messages.EXPLAIN_MODEL
    elif result.decision is Decision.ANSWER:
        reason = Reason.ANSWERED
        why = messages.EXPLAIN_ANSWERED.format(answer=t.answer, margin=t.margin)
    elif result.decision is Decision.SUGGEST and chosen.score >= t.answer:
        reason = Reason.CLOSE
        why = messages.EXPLAIN_CLOSE.format(lead=lead, margin=t.margin)
    elif result.decision is Decision.SUGGEST:
        reason = Reason.LOW_SCORE
        why = messages.EXPLAIN_SUGGEST_LOW.format(
            score=chosen.score, answer=t.answer, suggest=t.suggest
        )
    elif chosen.score >= t.suggest:  # no match although the words scored enough
        reason, why = Reason.WITHDRAWN, messages.EXPLAIN_WITHDRAWN
    else:
        reason = Reason.LOW_SCORE
        why = messages.EXPLAIN_NO_MATCH_LOW.format(score=chosen.score, suggest=t.suggest)
    return Explanation(
        result.decision,
        reason,
        why,
        result.safety,
        entry=chosen.entry,
        score=chosen.score,
        phrasing=closest_phrasing(chosen.entry, _reading(result, matcher), matcher),
        runner_up=runner_up,
        by_model=result.by_model,
        model_probability=result.model_probability,
        also_answered=tuple(s.entry for s in result.matches[1:]),
    )


def closest_phrasing(entry: Entry, reading: Analysis, matcher: Matcher) -> str:
    """The entry's question or alternate that ``reading`` is closest to, measured as the
    matcher measures phrasing (weighted overlap of terms) and wording (rapidfuzz ratio)."""
    terms = set(reading.terms)
    mass = sum(matcher.weight(t) for t in terms)
    best, best_closeness = entry.question, -1.0
    for phrasing in (entry.question, *entry.alternates):
        analysis = matcher.analyzer.analyze(phrasing, correct=True)
        own = set(analysis.terms)
        together = mass + sum(matcher.weight(t) for t in own)
        shared = sum(matcher.weight(t) for t in terms & own)
        overlap = 2 * shared / together if together else 0.0
        wording = fuzz.ratio(reading.surface, analysis.surface) / 100
        closeness = PHRASING_SHARE * overlap + WORDING_SHARE * wording
        if closeness > best_closeness:  # on a tie, the question, then the first alternate
            best, best_closeness = phrasing, closeness
    return best


def _reading(result: MatchResult, matcher: Matcher) -> Analysis:
    if result.surface:
        return Analysis(terms=result.terms, surface=result.surface)
    return matcher.analyzer.analyze(result.query, correct=True)  # a result built elsewhere


def _safety(verdict: SafetyVerdict) -> str:
    if verdict.level is SafetyLevel.CRISIS:
        return messages.EXPLAIN_SAFETY_CRISIS.format(kind=_kind(verdict.kind))
    if verdict.level is SafetyLevel.NOTICE:
        return messages.EXPLAIN_SAFETY_NOTICE.format(kind=_kind(verdict.kind))
    return messages.EXPLAIN_SAFETY_NONE


def _kind(kind: str | None) -> str:
    return "self-harm" if kind == "self_harm" else "violence"
