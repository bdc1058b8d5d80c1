"""Text to hashed n-gram features, shared by every learned model (safety check, matcher).

A message becomes two blocks of features, each L2-normalised, over the same plain
lowercase words the rest of the bot reads (:func:`bot.text.words`):

- character n-grams (2-5) within each word padded by spaces, which survive misspellings
  and slang ("gunn", "shootin");
- words and word pairs, which carry the phrasing ("has a", "right now").

Features are hashed with CRC-32 into ``2**HASH_BITS`` buckets, so training (with
scikit-learn, ``bot.training``) and answering (pure Python, here) agree without a stored
vocabulary, and the same text always gives the same features in any process.
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections import Counter
from functools import lru_cache

from bot.text import words

HASH_BITS = 24
_MASK = (1 << HASH_BITS) - 1
CHAR_NGRAMS = (2, 5)  # smallest and largest character n-gram
# Analysis is capped so that any message costs bounded time; a window of this many words
# is far longer than any question or emergency report people type.
MAX_WORDS = 400
MAX_WORD_LENGTH = 40  # a longer "word" (a URL, a key mashed) is read by its start
# Words too common to be evidence alone: in a short message one would weigh as much as
# its subject ("pride and prejudice" is not about "and"). They count only in word pairs
# ("is bleeding").
FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with",
        "from", "by", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this",
        "that", "these", "those", "so", "if", "than", "then", "there",
    }
)  # fmt: skip
FEATURES_VERSION = 3  # change when the features change: stored models must be refitted

Features = dict[int, float]  # bucket -> value


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode()) & _MASK


@lru_cache(maxsize=32768)
def _word_grams(word: str) -> tuple[int, ...]:
    """The buckets of a word's character n-grams and of the word itself."""
    padded = f" {word} "
    low, high = CHAR_NGRAMS
    grams = [
        _bucket("c" + padded[start : start + n])
        for n in range(low, high + 1)
        for start in range(len(padded) - n + 1)
    ]
    grams.append(_bucket("w" + word))
    return tuple(grams)


def features_of_words(tokens: list[str]) -> Features:
    """Features of a list of lowercase words (at most :data:`MAX_WORDS` are read)."""
    tokens = tokens[:MAX_WORDS]
    chars: Counter[int] = Counter()
    phrase: Counter[int] = Counter()
    for token in tokens:
        if token not in FUNCTION_WORDS:
            grams = _word_grams(token[:MAX_WORD_LENGTH])
            chars.update(grams[:-1])
            phrase[grams[-1]] += 1
    for first, second in itertools.pairwise(tokens):
        phrase[_bucket(f"b{first} {second}")] += 1
    features: Features = {}
    for block in (chars, phrase):
        # Sublinear counts: a word said three times is not three times the evidence.
        scaled = {k: 1.0 + math.log(v) for k, v in block.items()}
        norm = math.sqrt(sum(v * v for v in scaled.values())) or 1.0
        for bucket, value in scaled.items():
            features[bucket] = features.get(bucket, 0.0) + value / norm
    return features


def features(text: str) -> Features:
    """Features of a message as a person typed it."""
    return features_of_words(words(text))
