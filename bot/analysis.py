"""Turn text into matching terms: words, spelling mended, stemmed, synonyms folded, filler dropped.

The same :class:`Analyzer` reads the knowledge (once, at start-up) and every question, so a
word counts the same wherever it appears.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import Stemmer
import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.knowledge import YAML_LOADER
from bot.text import words

CONCEPT_PREFIX = "#"  # terms that stand for a synonym group start with this
SHORT_WORD = 3  # letters; no misspelling is mended into a shorter word of this length
MIN_CORRECTABLE_LENGTH = 3  # shorter unknown words are left alone: too many near neighbours
SPELLING_SCORE = 85  # rapidfuzz ratio (0-100) a known word needs to replace a misspelling
LONG_WORD = 9  # letters from which a misspelling may hold two slips rather than one

_stemmer = Stemmer.Stemmer("english")  # PyStemmer: the Snowball stemmers, in C


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball's English stem; also folds plural acronyms it leaves alone ("sros" -> "sro")."""
    stemmed = _stemmer.stemWord(word)
    if stemmed == word and len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return _stemmer.stemWord(word[:-1])
    return stemmed


def light(word: str) -> str:
    """A gentle singular ("duties" -> "duty", "sros" -> "sro") for exact phrase lookup."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Synonym groups, stopwords and filler, from ``bot/data/vocabulary.yml``."""

    synonyms: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]
    filler: frozenset[str] = frozenset()
    question_words: frozenset[str] = frozenset()
    domain: frozenset[str] = frozenset()  # concepts (with CONCEPT_PREFIX) of the subject
    implies: dict[str, frozenset[str]] = field(default_factory=dict)  # concept -> all of

    @classmethod
    def bundled(cls) -> Vocabulary:
        text = resources.files("bot").joinpath("data/vocabulary.yml").read_text("utf-8")
        data = yaml.load(text, Loader=YAML_LOADER)
        return cls(
            synonyms={k: tuple(v) for k, v in data["synonyms"].items()},
            stopwords=frozenset(data["stopwords"].split()),
            filler=frozenset(data.get("filler", "").split()),
            question_words=frozenset(data.get("question_words", "").split()),
            domain=frozenset(CONCEPT_PREFIX + c for c in data.get("domain", ())),
            implies={
                CONCEPT_PREFIX + concept: frozenset(CONCEPT_PREFIX + c for c in parts)
                for concept, parts in data.get("implies", {}).items()
            },
        )


_TERM, _STOPWORD, _FILLER = "term", "stopword", "filler"
TOKENS_REMEMBERED = 65536
MAX_TOKEN_CHARS = 40
# (singular, stem, kind, whether a synonym phrase may start with it) of one token.
TokenInfo = tuple[str, str, str, bool]


def _by_first_word(
    phrases: dict[tuple[str, ...], str],
) -> dict[str, list[tuple[int, tuple[str, ...], str]]]:
    index: dict[str, list[tuple[int, tuple[str, ...], str]]] = defaultdict(list)
    for key, concept in phrases.items():
        if key:
            index[key[0]].append((len(key), key, concept))
    for entries in index.values():
        entries.sort(key=lambda e: -e[0])
    return dict(index)


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text as the matcher sees it."""

    terms: tuple[str, ...]  # concepts and stems that carry topic, in order, filler-free
    surface: str  # the words in order, concepts folded, function words kept


class Analyzer:
    """Text to terms. Built once; :meth:`analyze` is called per question."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        known_words: Iterable[str] = (),
        asked_words: Iterable[str] = (),
    ) -> None:
        """``known_words`` are never corrected; misspellings are mended only towards the
        vocabulary's words and ``asked_words`` (those of questions people ask), never
        towards a word only answers use: "metal" must not become the answer's "mental".
        """
        self._stopwords = frozenset(vocabulary.stopwords)
        self._stopword_stems = frozenset(stem(w) for w in vocabulary.stopwords)
        self._function_words = self._stopwords | vocabulary.question_words
        self._implies = vocabulary.implies
        self._filler = frozenset(vocabulary.filler)
        # Phrases are looked up by their words made singular, then by their stems; a stem
        # two concepts share ("respons": response, responsibility) is left to the first way.
        exact: dict[tuple[str, ...], str] = {}
        by_stem: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for concept, phrases in vocabulary.synonyms.items():
            for phrase in phrases:
                tokens = words(phrase)
                exact.setdefault(tuple(light(w) for w in tokens), CONCEPT_PREFIX + concept)
                by_stem[tuple(stem(w) for w in tokens)].add(CONCEPT_PREFIX + concept)
        by_stem_unique = {k: next(iter(v)) for k, v in by_stem.items() if len(v) == 1}
        # Indexed by first word, longest first, so most words cost one dictionary miss.
        self._exact_by_first = _by_first_word(exact)
        self._stem_by_first = _by_first_word(by_stem_unique)
        targets = set(self._function_words | vocabulary.filler)
        for phrase in (p for group in vocabulary.synonyms.values() for p in group):
            targets.update(words(phrase))
        targets.update(asked_words)
        self._known = frozenset(targets.union(known_words))
        # Token -> TokenInfo, read as typed (False) or with its spelling mended (True).
        self._seen: dict[bool, dict[str, TokenInfo]] = {False: {}, True: {}}
        self._targets_by_letter: dict[str, list[str]] = defaultdict(list)
        for word in sorted(targets):
            self._targets_by_letter[word[0]].append(word)
        # One cache per analyzer: a reloaded knowledge's analyzer replaces this one, and a
        # cache on the class would keep every replaced analyzer alive.
        self._closest = lru_cache(maxsize=16384)(self._closest_word)

    def correct(self, word: str) -> str:
        """The known word a misspelt ``word`` most likely meant, or ``word`` itself."""
        if word in self._known or len(word) < MIN_CORRECTABLE_LENGTH or not word.isalpha():
            return word
        return self._closest(word)

    def _closest_word(self, word: str) -> str:
        # Typos rarely touch the first letter, and insisting on it avoids "snow" -> "now".
        # Nor is a word cut down to three letters: "copy" is not "cop", nor "army" "arm".
        candidates = [
            k
            for k in self._targets_by_letter.get(word[0], ())
            if abs(len(k) - len(word)) <= 2 and (len(k) >= len(word) or len(k) > SHORT_WORD)
        ]
        # Close by rapidfuzz's ratio, and no more than one slip (a letter missed, added,
        # swapped or mistyped) in a short word: "resorce" is "resource", "estate" is not
        # "estimate".
        slips = 1 if len(word) < LONG_WORD else 2
        found = [
            (w, score, i)
            for w, score, i in process.extract(
                word, candidates, scorer=fuzz.ratio, score_cutoff=SPELLING_SCORE, limit=8
            )
            if OSA.distance(word, w) <= slips
        ]
        if not found:
            return word
        # On a tie, a function word ("wat" -> "what", not "wait") is the likelier intent.
        top = found[0][1]
        tied = [w for w, score, _ in found if score == top]
        return next((w for w in tied if w in self._function_words), tied[0])

    def analyze(self, text: str, *, correct: bool = False) -> Analysis:
        # A longer "word" (a URL, a key mashed) is read by its start: every token is
        # remembered, so this bounds the memory the remembering takes, in bytes.
        tokens = [t[:MAX_TOKEN_CHARS] for t in words(text)]
        seen = self._seen[correct]
        info = [seen.get(t) or self._learn(t, correct) for t in tokens]
        terms: list[str] = []
        surface: list[str] = []
        i = 0
        count = len(tokens)
        while i < count:
            _, stemmed, kind, starts_phrase = info[i]
            if starts_phrase:
                concept, size = self._phrase_at(info, i, count)
                if concept:
                    terms.append(concept)
                    surface.append(concept)
                    i += size
                    continue
            # Filler is dropped only here, after phrases: "what good" is a phrase.
            if kind is not _FILLER:
                if kind is _TERM:
                    terms.append(stemmed)
                surface.append(stemmed)
            i += 1
        present = set(terms)
        terms.extend(
            c for c, parts in self._implies.items() if c not in present and parts <= present
        )
        return Analysis(terms=tuple(terms), surface=" ".join(surface))

    def _phrase_at(self, info: list[TokenInfo], i: int, count: int) -> tuple[str, int]:
        """The longest synonym phrase starting at token ``i``: (concept, words), or ("", 0)."""
        singular, stemmed = info[i][0], info[i][1]
        for first, phrases, part in (
            (singular, self._exact_by_first, 0),
            (stemmed, self._stem_by_first, 1),
        ):
            for size, key, concept in phrases.get(first, ()):
                if size <= count - i and all(info[i + k][part] == key[k] for k in range(1, size)):
                    return concept, size
        return "", 0

    def _learn(self, token: str, correct: bool) -> TokenInfo:
        """What analysis needs of a token, remembered (a bounded number of them)."""
        word = self.correct(token) if correct else token
        stemmed = stem(word)
        if word in self._filler:
            kind = _FILLER
        elif word in self._stopwords or stemmed in self._stopword_stems:
            kind = _STOPWORD
        else:
            kind = _TERM
        singular = light(word)
        starts_phrase = singular in self._exact_by_first or stemmed in self._stem_by_first
        info = (singular, stemmed, kind, starts_phrase)
        seen = self._seen[correct]
        if len(seen) >= TOKENS_REMEMBERED:
            seen.clear()  # rare: a flood of distinct words; they are cheap to learn again
        seen[token] = info
        return info

    def terms(self, text: str, *, correct: bool = False) -> tuple[str, ...]:
        """The topic terms of ``text``: concepts (``#sro``) and stems."""
        return self.analyze(text, correct=correct).terms
