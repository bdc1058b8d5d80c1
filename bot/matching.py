"""Find the knowledge entry that answers a question, or decide that none does.

Each entry scores 0-100 for a question, from three measures (shares below):

- coverage: the share of the question's terms, weighted by how rare they are in the
  knowledge, that the entry uses: fully in its question, alternates or tags, partly in
  its answer. Words the knowledge never uses count against every entry: "SRO overtime
  pay" is mostly about something this knowledge does not cover, although "SRO" matches.
- phrasing: weighted overlap (Dice) of the question's terms with the entry's closest
  single question or alternate;
- wording: rapidfuzz similarity of the words in order, function words kept;

less a share for the entry's core terms (those most of its phrasings use) that the
question lacks. A message of several clauses is also read clause by clause (a long one
only so). A question with no term of the subject gets no answer at all.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.analysis import CONCEPT_PREFIX, Analysis, Analyzer, Vocabulary, stem
from bot.classifier import NONE, EntryClassifier
from bot.knowledge import Entry, KnowledgeBase
from bot.safety import SAFE, SafetyLevel, SafetyVerdict
from bot.text import words


class Decision(StrEnum):
    ANSWER = "answer"  # confident: reply with the best entry
    SUGGEST = "suggest"  # not sure: offer the closest questions
    NO_MATCH = "no_match"  # the knowledge has no good answer
    CRISIS = "crisis"  # an emergency: no FAQ answer at all (set by the safety check)
    LOCAL = "local"  # asks who their own school's officer is: no knowledge can know


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where scores (0-100, see the module's docstring) turn into decisions.

    answer: the best entry scores at least this much to be given outright...
    margin: ...and leads the runner-up by at least this much; otherwise both are offered.
    suggest: entries scoring at least this much are offered as "did you mean"; when the
        best scores less, the answer is "no match".
    max_suggestions: how many closest questions to offer.
    """

    answer: float = 50.0
    margin: float = 2.0
    suggest: float = 45.0
    max_suggestions: int = 3
    # With the entry model (bot/classifier.py), probabilities 0-1:
    # learned_answer: an entry the model gives at least this (and over_none times what
    #     it gives "none", which must stay under learned_none) is answered when the
    #     lexical matcher did not answer...
    # lexical_support: ...provided the lexical matcher also offered it, scoring at least
    #     this (the model alone answers "how many nurses should a school have");
    # learned_override: a lexical answer gives way to another entry the model gives at
    #     least this, when the model gives the lexical answer less than lexical_doubt...
    # learned_withdraw: ...and is withdrawn when the model gives "none" at least this;
    # learned_alone: when the lexical matcher found the subject but not the model's
    #     choice (it offers other entries, or names one it will not answer with), the
    #     model answers alone from this.
    learned_answer: float = 0.3
    learned_none: float = 0.5
    lexical_support: float = 20.0
    learned_override: float = 0.4
    learned_withdraw: float = 0.4
    learned_alone: float = 0.7
    over_none: float = 1.5
    lexical_doubt: float = 0.2


THRESHOLDS = Thresholds()

# How much an entry's field counts as evidence for a term the question uses.
PHRASING_WEIGHT = 1.0  # the question, an alternate or a tag: written to be matched
ANSWER_WEIGHT = 0.6  # the answer: long prose mentions much that it is not about
# score = shares of: coverage of the question's terms; overlap of terms with the entry's
# closest phrasing; and rapidfuzz similarity of the wording (function words kept) to it.
COVERAGE_SHARE = 0.45
PHRASING_SHARE = 0.4
WORDING_SHARE = 1 - COVERAGE_SHARE - PHRASING_SHARE
CORE_SHARE = 0.4  # a term used by this share of an entry's phrasings is part of its core
CORE_PENALTY = 0.1  # taken off the score (0-1) for each missing share of an entry's core
DISTINCTIVE_DF = 1  # see Matcher._anchors
IDF_FLOOR = 0.5  # even a term every entry uses says who the question is about
CANDIDATES = 10  # entries (best by coverage) that get the finer phrasing comparison...
WORDING_CANDIDATES = 4  # ...of which the best get the rapidfuzz wording comparison
CLAUSES_READ = 3  # clauses of a long message read alone, those saying most first
# A long message (more clauses and more terms than these) is read only clause by clause:
# read whole, its many terms spread thin, and that reading never decided one of the 46
# messages of three or more clauses we test with. A short list ("educator, counselor,
# law enforcer") is still read whole as well.
WHOLE_READ_UP_TO = 2
WHOLE_READ_TERMS = 8
CONFIDENT_SCORE = 90.0  # a whole-message answer this strong is not second-guessed by clauses
# A term that more than this share of entries (and at least this many) use is "common":
# it adds to the score of candidates found through rarer terms, but finds none itself.
COMMON_TERM_SHARE = 0.05
COMMON_TERM_MIN_DF = 50
# A word the knowledge uses at most SLIP_USES times is read as a slip of a word it uses
# SLIP_RATIO times as often that it would be mended to ("oficer": "officer").
SLIP_USES = 5
SLIP_RATIO = 10
UNKNOWN_WORD_WEIGHT = 1.0  # a word the knowledge never uses, relative to its rarest word
UNKNOWN_WORDS_COUNTED = 2  # a few words the knowledge never uses show the topic is
# elsewhere; in a long message more of them are mostly chatter, so they stop adding weight


class ScoredEntry(NamedTuple):
    entry: Entry
    score: float  # 0-100


@dataclass(frozen=True, slots=True)
class MatchResult:
    """What the core decided for one question. Knows nothing of Slack."""

    query: str
    decision: Decision
    matches: tuple[ScoredEntry, ...] = ()  # the entry it answers with (empty unless ANSWER)
    suggestions: tuple[ScoredEntry, ...] = ()  # closest entries (SUGGEST, or for context)
    safety: SafetyVerdict = SAFE  # CRISIS when decision is CRISIS; NOTICE over any other
    by_model: bool = False  # the entry model, not the lexical matcher, chose the answer
    terms: tuple[str, ...] = field(default=(), repr=False)
    # What explains the decision (bot/explain.py): the reading that decided, its entries
    # best first and its wording; and the entry model's probability for an answer it chose.
    ranked: tuple[ScoredEntry, ...] = field(default=(), repr=False, compare=False)
    surface: str = field(default="", repr=False, compare=False)
    model_probability: float | None = field(default=None, repr=False, compare=False)

    @property
    def best(self) -> ScoredEntry | None:
        return (self.matches or self.suggestions or (None,))[0]

    @property
    def crisis_kind(self) -> str | None:
        """ "violence" or "self_harm" when the message reads as an emergency, else None."""
        return self.safety.kind if self.decision is Decision.CRISIS else None

    @property
    def safety_notice(self) -> bool:
        """The 911/988 notice goes first: the message may be an emergency."""
        return self.safety.level is SafetyLevel.NOTICE


class Matcher:
    """Scores questions against a knowledge base. Build once, call :meth:`match` per question."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        vocabulary: Vocabulary | None = None,
        thresholds: Thresholds = THRESHOLDS,
        classifier: EntryClassifier | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.classifier = classifier  # None: lexical-only
        self.thresholds = thresholds
        uses = Counter(w for entry in knowledge for text in _texts(entry) for w in words(text))
        asked = {
            w
            for entry in knowledge
            for text in (entry.question, *entry.alternates, *entry.tags)
            for w in words(text)
        }
        vocabulary = vocabulary or Vocabulary.bundled()
        # Alternates are written as people type, slips and all; a slip ("oficer") must not
        # become a known word, or the same slip in a question would not be mended.
        slips = _slips(vocabulary, uses)
        self.analyzer = Analyzer(vocabulary, uses.keys() - slips, asked - slips)
        self._entries = knowledge.entries
        weights: list[dict[str, float]] = []
        phrasings_by_entry: list[list[frozenset[str]]] = []
        self._surfaces: list[list[str]] = []
        for entry in self._entries:
            weight = dict.fromkeys(self.analyzer.terms(entry.answer), ANSWER_WEIGHT)
            asked_as = [
                self.analyzer.analyze(p, correct=True) for p in (entry.question, *entry.alternates)
            ]
            tags = [self.analyzer.analyze(tag) for tag in entry.tags]
            phrasings = [frozenset(a.terms) for a in (*asked_as, *tags)]
            for terms in phrasings:
                weight.update(dict.fromkeys(terms, PHRASING_WEIGHT))
            weights.append(weight)
            phrasings_by_entry.append(phrasings)
            # Wording is compared with whole questions only: a tag is a topic, not a wording.
            self._surfaces.append([a.surface for a in asked_as])
        count = len(weights)
        document_frequency: dict[str, int] = defaultdict(int)
        # Term -> {entry index: how much that entry's use of the term counts}.
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        for index, weight in enumerate(weights):
            for term, w in weight.items():
                document_frequency[term] += 1
                self._postings[term][index] = w
        self._asked_entries = {
            t: frozenset(i for i, w in p.items() if w == PHRASING_WEIGHT)
            for t, p in self._postings.items()
        }
        self._idf = {t: max(IDF_FLOOR, _idf(count, df)) for t, df in document_frequency.items()}
        # Terms that place a question in the knowledge's subject: the domain concepts, and
        # words so particular to the knowledge that at most DISTINCTIVE_DF entries use them.
        self._subject_concepts = frozenset(vocabulary.domain)
        self._anchors = frozenset(vocabulary.domain) | {
            t
            for t, df in document_frequency.items()
            if df <= DISTINCTIVE_DF and not t.startswith(CONCEPT_PREFIX)
        }
        self._unknown_idf = UNKNOWN_WORD_WEIGHT * _idf(count, 1)
        self._common_df = max(COMMON_TERM_MIN_DF, int(COMMON_TERM_SHARE * count))
        # Per entry: its core, the terms most of its phrasings use ("what the entry is
        # about"), with their weights; a question missing them is asking something else.
        self._cores: list[tuple[tuple[tuple[str, float], ...], float]] = []  # (core, weight)
        for phrasings in phrasings_by_entry:
            uses = Counter(term for terms in phrasings for term in terms)
            core = [(t, self._idf[t]) for t, n in uses.items() if n >= CORE_SHARE * len(phrasings)]
            self._cores.append((tuple(core), sum(w for _, w in core)))
        # Per entry: its distinct phrasings' total weights, lightest first, and for each
        # term a bit mask of the phrasings that use it (bit i: the i-th lightest).
        self._phrasing_masses: list[tuple[float, ...]] = []
        self._phrasing_masks: list[dict[str, int]] = []
        for phrasings in phrasings_by_entry:
            distinct = [p for p in dict.fromkeys(phrasings) if p]
            weighed = sorted((sum(self._idf[t] for t in p), sorted(p)) for p in distinct)
            self._phrasing_masses.append(tuple(mass for mass, _ in weighed))
            masks: dict[str, int] = defaultdict(int)
            for bit, (_, terms) in enumerate(weighed):
                for term in terms:
                    masks[term] |= 1 << bit
            self._phrasing_masks.append(dict(masks))

    def match(self, query: str) -> MatchResult:
        """The lexical reading (:meth:`match_lexical`), checked by the entry model if any."""
        lexical = self.match_lexical(query)
        if self.classifier is None:
            return lexical
        return self._with_model(lexical, self.classifier.probabilities(query))

    def match_parts(self, parts: list[str], message: str) -> list[MatchResult]:
        """Each question of a message that asks several, read with the subject the whole
        message names ("what is an SRO? how many are there?"), then checked by the model."""
        whole = self.analyzer.analyze(message, correct=True)
        subject = [t for t in whole.terms if t in self._subject_concepts]
        results = []
        for part in parts:
            analysis = self.analyzer.analyze(part, correct=True)
            lexical = self._score(part, replace(analysis, terms=(*analysis.terms, *subject)))
            # The model reads the part alone, so it judges only a part that names its own
            # subject: "and how many are there?" is not about SROs without the message.
            names_subject = any(t in self._subject_concepts for t in analysis.terms)
            if self.classifier is not None and names_subject:
                lexical = self._with_model(lexical, self.classifier.probabilities(part))
            results.append(lexical)
        return results

    def _with_model(self, lexical: MatchResult, probabilities: dict[str, float]) -> MatchResult:
        t = self.thresholds
        top = max((e for e in probabilities if e != NONE), key=probabilities.__getitem__)
        chance = probabilities[top]
        entry = self.knowledge.get(top)
        if entry is None:
            return lexical

        def learned(scored: ScoredEntry) -> MatchResult:
            return replace(
                lexical,
                decision=Decision.ANSWER,
                matches=(scored,),
                suggestions=(),
                by_model=True,
                model_probability=chance,
            )

        if lexical.matches:
            answered = lexical.matches[0]
            if probabilities.get(answered.entry.id, 0.0) >= t.lexical_doubt:
                return lexical
            if top != answered.entry.id and chance >= t.learned_override:
                return learned(ScoredEntry(entry, round(100 * chance, 1)))
            if probabilities[NONE] >= t.learned_withdraw:
                return replace(
                    lexical, decision=Decision.NO_MATCH, matches=(), suggestions=(answered,)
                )
            return lexical
        if (
            chance < t.learned_answer
            or probabilities[NONE] >= t.learned_none
            or chance < t.over_none * probabilities[NONE]
        ):
            return lexical
        for candidate in lexical.suggestions:
            if candidate.entry.id == top and candidate.score >= t.lexical_support:
                return learned(candidate)
        if lexical.suggestions and chance >= t.learned_alone:
            return learned(ScoredEntry(entry, round(100 * chance, 1)))
        return lexical

    def match_lexical(self, query: str) -> MatchResult:
        """Score the message and each of its clauses; keep the best-supported reading.

        People wrap a question in context ("our board meets Thursday, ... what research
        exists on the value of SROs?"); the clause that asks is the one to match. A clause
        keeps the subject the message named elsewhere ("we're getting a deputy ... will
        they be armed?").
        """
        whole = self.analyzer.analyze(query, correct=True)
        clauses = [c for c in _CLAUSE_BREAK.split(query) if c and c.strip()]
        if len(clauses) <= WHOLE_READ_UP_TO or len(whole.terms) <= WHOLE_READ_TERMS:
            best = self._score(query, whole)
        else:
            best = MatchResult(query, Decision.NO_MATCH, terms=whole.terms)
        if len(clauses) > 1 and not _confident(best):
            subject = [t for t in whole.terms if t in self._subject_concepts]
            readings = [self.analyzer.analyze(clause, correct=True) for clause in clauses]
            # "hi!", "thanks": nothing asked there. Of the rest, the clauses that say the
            # most the knowledge knows about are read alone.
            readings = [r for r in readings if r.terms]
            readings.sort(key=self._known_weight, reverse=True)
            for analysis in readings[:CLAUSES_READ]:
                analysis = replace(analysis, terms=(*analysis.terms, *subject))
                result = self._score(query, analysis)
                if result.best and (not best.best or result.best.score > best.best.score):
                    best = result
        return best

    def _known_weight(self, analysis: Analysis) -> float:
        return sum(self._idf.get(t, 0.0) for t in set(analysis.terms))

    def _score(self, query: str, analysis: Analysis) -> MatchResult:
        terms = tuple(dict.fromkeys(analysis.terms))
        if not terms:
            return MatchResult(query=query, decision=Decision.NO_MATCH, terms=terms)
        known = [t for t in terms if t in self._idf]
        unknown = len(terms) - len(known)
        total = sum(self._idf[t] for t in known)
        total += self._unknown_idf * min(unknown, UNKNOWN_WORDS_COUNTED)
        if total <= 0 or not self._anchors.intersection(known):
            return MatchResult(query=query, decision=Decision.NO_MATCH, terms=terms)
        covered = self._coverage(known)
        if not covered:
            return MatchResult(query=query, decision=Decision.NO_MATCH, terms=terms)
        query_terms = frozenset(known)
        query_weights = [(t, self._idf[t]) for t in known]
        # The phrasing overlap is costly, so candidates are taken in order of an upper
        # bound on their score: an overlap cannot exceed the Dice of the whole covered
        # weight, and the core penalty only takes away. Once a candidate's bound is below
        # the WORDING_CANDIDATES-th best score found, it and all after it rank below
        # entries that get the wording comparison, and below the best few that are shown.
        bounds = []
        for index in _best(covered, CANDIDATES):
            weight = covered[index]
            bound = COVERAGE_SHARE * weight / total + PHRASING_SHARE * 2 * weight / (total + weight)
            bounds.append((bound, index))
        bounds.sort(reverse=True)
        first_pass: list[tuple[float, int]] = []
        leaders: list[float] = []  # the best WORDING_CANDIDATES partial scores so far
        for bound, index in bounds:
            if len(leaders) == WORDING_CANDIDATES and bound < leaders[0]:
                break
            coverage = covered[index] / total
            phrasing = self._best_phrasing(index, query_weights, total)
            missing = self._missing_core(index, query_terms)
            partial = COVERAGE_SHARE * coverage + PHRASING_SHARE * phrasing - CORE_PENALTY * missing
            partial = max(0.0, partial)
            first_pass.append((partial, index))
            if len(leaders) < WORDING_CANDIDATES:
                heapq.heappush(leaders, partial)
            elif partial > leaders[0]:
                heapq.heapreplace(leaders, partial)
        first_pass.sort(reverse=True)
        final: list[tuple[float, int, int]] = []  # (-score, rank by partial, entry index)
        for rank, (partial, index) in enumerate(first_pass):
            # Wording only reorders near neighbours, so only the leaders are compared.
            wording = 0.0
            if rank < WORDING_CANDIDATES:
                surfaces = self._surfaces[index]
                wording = process.extractOne(analysis.surface, surfaces, scorer=fuzz.ratio)[1]
            final.append((-round(100 * partial + WORDING_SHARE * wording, 1), rank, index))
        final.sort()
        shown = max(2, self.thresholds.max_suggestions)  # what _decide can use
        ranked = [ScoredEntry(self._entries[i], -score) for score, _, i in final[:shown]]
        return self._decide(query, terms, ranked, analysis.surface)

    def weight(self, term: str) -> float:
        """How much a term counts in scores (rarer weighs more; 0: no entry uses it)."""
        return self._idf.get(term, 0.0)

    def _coverage(self, known: list[str]) -> dict[int, float]:
        """Entry index -> weight of the question's terms that the entry uses.

        Candidates come from the postings of the question's rarer terms; the common terms
        (used by most entries) are then looked up for those candidates only. An entry
        with none of the rarer terms could match only on common words, and loses to one
        that has them.
        """
        rare = [t for t in known if len(self._postings[t]) <= self._common_df]
        if not rare:
            return self._common_coverage(known)
        covered: dict[int, float] = defaultdict(float)
        for term in rare:
            idf = self._idf[term]
            for index, w in self._postings[term].items():
                covered[index] += idf * w
        common = [(t, self._idf[t]) for t in known if t not in rare]
        if common:
            # Common terms can add at most their full weight, so only entries that could
            # still reach the CANDIDATES-th best are looked up (exact for the leaders).
            reach = sum(idf for _, idf in common)
            if len(covered) > CANDIDATES:
                floor = heapq.nlargest(CANDIDATES, covered.values())[-1]
                covered = {i: c for i, c in covered.items() if c + reach >= floor}
            self._add_weights(covered, common)
        return covered

    def _common_coverage(self, known: list[str]) -> dict[int, float]:
        """:meth:`_coverage` of a question with only common terms.

        Candidates are the entries whose questions (not merely answers) use as many of the
        terms as can be found together, rarest first: those terms weigh the same in all of
        them, and only the others (used by some candidates, or only in answers) can tell
        them apart.
        """
        asked = sorted(
            ((t, self._asked_entries[t]) for t in known if self._asked_entries[t]),
            key=lambda item: len(item[1]),
        )
        if not asked:
            together = frozenset(self._postings[known[0]])
            shared: list[str] = []
        else:
            together, shared = asked[0][1], [asked[0][0]]
            for term, entries in asked[1:]:
                both = together & entries
                if both:
                    together = both
                    shared.append(term)
        base = sum(self._idf[t] for t in shared)
        telling = [(t, self._idf[t]) for t in known if t not in shared]
        if not telling:
            # They all tie, and the first few (in the order any ranking of ties keeps)
            # are all that are ranked.
            return dict.fromkeys(itertools.islice(together, CANDIDATES), base)
        covered = dict.fromkeys(together, base)
        self._add_weights(covered, telling)
        return covered

    def _add_weights(self, covered: dict[int, float], terms: list[tuple[str, float]]) -> None:
        """Add to each candidate in ``covered`` the weight of each of ``terms`` it uses."""
        for term, idf in terms:
            weight_in = self._postings[term]
            for index in covered:
                w = weight_in.get(index)
                if w:
                    covered[index] += idf * w

    def _missing_core(self, index: int, query_terms: frozenset[str]) -> float:
        """Share (by weight) of the entry's core terms that the question does not use."""
        core, total = self._cores[index]
        if not total:
            return 0.0
        missing = 0.0
        for term, weight in core:
            if term not in query_terms:
                missing += weight
        return missing / total

    def _best_phrasing(
        self, index: int, query_weights: list[tuple[str, float]], query_mass: float
    ) -> float:
        """Weighted Dice overlap of the question with the entry's closest single phrasing.

        Walks the sets of question terms that some phrasing uses together. For each set,
        the lightest phrasing using all of it (the lowest bit of the masks' AND) scores
        best, so each set costs one AND and one division, however many phrasings there are.
        """
        masks = self._phrasing_masks[index]
        shared = [(masks[t], w) for t, w in query_weights if t in masks]
        masses = self._phrasing_masses[index]
        if len(shared) == 1:  # the usual case for all but the best-matching entries
            mask, w = shared[0]
            return 2 * w / (query_mass + masses[(mask & -mask).bit_length() - 1])
        best = 0.0
        stack = [(-1, 0.0, 0)]  # (phrasings using the set so far, its weight, next term)
        while stack:
            together, weight, start = stack.pop()
            for position in range(start, len(shared)):
                mask, w = shared[position]
                both = together & mask
                if both:
                    lightest = masses[(both & -both).bit_length() - 1]
                    overlap = (weight + w) / (query_mass + lightest)
                    if overlap > best:
                        best = overlap
                    stack.append((both, weight + w, position + 1))
        return 2 * best

    def _decide(
        self, query: str, terms: tuple[str, ...], ranked: list[ScoredEntry], surface: str
    ) -> MatchResult:
        t = self.thresholds
        read = {"terms": terms, "ranked": tuple(ranked), "surface": surface}
        if not ranked or ranked[0].score < t.suggest:
            return MatchResult(query, Decision.NO_MATCH, suggestions=tuple(ranked[:1]), **read)
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if best.score >= t.answer and best.score - runner_up >= t.margin:
            return MatchResult(query, Decision.ANSWER, matches=(best,), **read)
        close = tuple(s for s in ranked[: t.max_suggestions] if s.score >= t.suggest)
        return MatchResult(query, Decision.SUGGEST, suggestions=close, **read)


def _best(values: dict[int, float], count: int) -> list[int]:
    """The keys of the ``count`` largest values (sorting in C beats a heap for few keys)."""
    if len(values) <= 8 * count:
        return sorted(values, key=values.__getitem__, reverse=True)[:count]
    return heapq.nlargest(count, values, key=values.__getitem__)


def _confident(result: MatchResult) -> bool:
    """An answer no clause could beat: the best entry covers the question outright."""
    return bool(result.matches) and result.matches[0].score >= CONFIDENT_SCORE


_CLAUSE_BREAK = re.compile(r"[.?!;:\n]+\s*|\s[-\u2013\u2014]+\s|,\s+")


def _slips(vocabulary: Vocabulary, uses: Counter[str]) -> set[str]:
    """Rare words of the knowledge that are slips of a word it uses far more often."""
    common = [w for w, n in uses.items() if n > SLIP_USES]
    mender = Analyzer(vocabulary, common, common)
    slips = set()
    for word, n in uses.items():
        if n <= SLIP_USES:
            meant = mender.correct(word)
            if stem(meant) != stem(word) and uses[meant] >= SLIP_RATIO * n:
                slips.add(word)
    return slips


def _texts(entry: Entry) -> tuple[str, ...]:
    return (entry.question, entry.answer, *entry.alternates, *entry.tags)


def _idf(count: int, df: int) -> float:
    """BM25's inverse document frequency: rare terms weigh more; never negative."""
    return math.log(1 + (count - df + 0.5) / (df + 0.5))
