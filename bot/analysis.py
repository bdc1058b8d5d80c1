"""Turn text into matching terms: words, spelling mended, stemmed, synonyms folded, filler dropped.

The same :class:`Analyzer` reads the knowledge (once, at start-up) and every question, so a
word counts the same wherever it appears.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import snowballstemmer
import yaml
from rapidfuzz import fuzz, process

from bot.text import words

CONCEPT_PREFIX = "#"  # terms that stand for a synonym group start with this
MIN_CORRECTABLE_LENGTH = 4  # shorter unknown words are left alone: too many near neighbours
SPELLING_SCORE = 80  # rapidfuzz ratio (0-100) a known word needs to replace a misspelling

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Synonym groups (concept -> phrases) and stopwords, from ``bot/data/vocabulary.yml``."""

    synonyms: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]

    @classmethod
    def bundled(cls) -> Vocabulary:
        text = resources.files("bot").joinpath("data/vocabulary.yml").read_text("utf-8")
        data = yaml.safe_load(text)
        return cls(
            synonyms={k: tuple(v) for k, v in data["synonyms"].items()},
            stopwords=frozenset(data["stopwords"].split()),
        )


class Analyzer:
    """Text to terms. Built once; :meth:`terms` is called per question."""

    def __init__(self, vocabulary: Vocabulary, known_words: Iterable[str] = ()) -> None:
        self._stopwords = frozenset(stem(w) for w in vocabulary.stopwords)
        # Phrases keyed by their stemmed words; longest first when scanning.
        self._phrases: dict[tuple[str, ...], str] = {}
        for concept, phrases in vocabulary.synonyms.items():
            for phrase in phrases:
                key = tuple(stem(w) for w in words(phrase))
                self._phrases.setdefault(key, CONCEPT_PREFIX + concept)
        self._longest_phrase = max((len(k) for k in self._phrases), default=1)
        self._known = set(vocabulary.stopwords)
        for phrase in (p for group in vocabulary.synonyms.values() for p in group):
            self._known.update(words(phrase))
        self._known.update(known_words)
        self._known_list = sorted(self._known)

    def learn(self, text: str) -> None:
        """Add the words of ``text`` to the words that spelling correction may suggest."""
        new = set(words(text)) - self._known
        if new:
            self._known.update(new)
            self._known_list = sorted(self._known)

    def is_known(self, word: str) -> bool:
        return word in self._known

    def correct(self, word: str) -> str:
        """The known word a misspelt ``word`` most likely meant, or ``word`` itself."""
        if word in self._known or len(word) < MIN_CORRECTABLE_LENGTH or word.isdigit():
            return word
        return self._closest(word)

    @lru_cache(maxsize=16384)  # noqa: B019 - the analyzer lives as long as the process
    def _closest(self, word: str) -> str:
        # Typos rarely touch the first letter, and insisting on it avoids "snow" -> "now".
        candidates = [
            k for k in self._known_list if k[0] == word[0] and abs(len(k) - len(word)) <= 2
        ]
        best = process.extractOne(
            word, candidates, scorer=fuzz.ratio, score_cutoff=SPELLING_SCORE
        )
        return best[0] if best else word

    def terms(self, text: str, *, correct: bool = False) -> list[str]:
        """The terms of ``text``: concepts (``#sro``) and stems, stopwords removed."""
        tokens = words(text)
        if correct:
            tokens = [self.correct(t) for t in tokens]
        stems = [stem(t) for t in tokens]
        out: list[str] = []
        i = 0
        while i < len(stems):
            for size in range(min(self._longest_phrase, len(stems) - i), 0, -1):
                concept = self._phrases.get(tuple(stems[i : i + size]))
                if concept:
                    out.append(concept)
                    i += size
                    break
            else:
                if stems[i] not in self._stopwords and tokens[i] not in self._stopwords:
                    out.append(stems[i])
                i += 1
        return out
