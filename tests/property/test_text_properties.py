"""Normalisation (bot/text.py) holds up on any text a person can send through Slack."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import plain_text, strip_invisible, words

from .strategies import HUGE, INVISIBLES, MARKUP, MESSAGES

TEXT_SETTINGS = settings(max_examples=100, deadline=None)
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}
# Plain ASCII words and the invisible characters a copy-paste can hide inside them.
ASCII_WORDS = st.lists(st.from_regex(r"[A-Za-z0-9?,.!']{1,12}", fullmatch=True), max_size=12)


@TEXT_SETTINGS
@given(MESSAGES)
def test_plain_text_is_single_spaced_and_visible(text):
    plain = plain_text(text)
    assert plain == " ".join(plain.split())
    assert not [ch for ch in plain if unicodedata.category(ch) in INVISIBLE_CATEGORIES]


@TEXT_SETTINGS
@given(MESSAGES)
def test_words_are_lowercase_word_characters_only(text):
    for word in words(text):
        assert word and re.fullmatch(r"[^\W_]+", word), word
        assert word == word.casefold()
        assert not set(word) & set("<>&@#|*`_~!?.,:;'\"()[]{}\\/")


@TEXT_SETTINGS
@given(MESSAGES)
def test_words_of_words_are_the_same_words(text):
    """The matcher can analyse its own output again (knowledge and questions alike)."""
    once = words(text)
    assert words(" ".join(once)) == once


@TEXT_SETTINGS
@given(MESSAGES)
def test_strip_invisible_is_idempotent_and_keeps_line_breaks(text):
    stripped = strip_invisible(text)
    assert strip_invisible(stripped) == stripped
    assert stripped.count("\n") == text.count("\n")


@settings(max_examples=25, deadline=None)
@given(HUGE)
def test_huge_messages_are_normalised(text):
    assert plain_text(text) == " ".join(plain_text(text).split())
    assert isinstance(words(text), list)


@TEXT_SETTINGS
@given(ASCII_WORDS, st.data())
def test_invisible_characters_do_not_change_the_words(tokens, data):
    text = " ".join(tokens)
    marks = data.draw(st.lists(st.sampled_from(["", *INVISIBLES]), min_size=len(text)))
    hidden = "".join(map(str.__add__, text, marks))
    assert words(hidden) == words(text)


@TEXT_SETTINGS
@given(ASCII_WORDS, st.lists(st.sampled_from(MARKUP[:9]), min_size=1, max_size=4))
def test_slack_references_between_words_read_as_nothing(tokens, references):
    """Mentions, channel and special references add no words; a link reads as its label."""
    marked = " ".join([*references[:1], *tokens, *references[1:]])
    seen = " ".join([*map(_what_a_reader_sees, references[:1]), *tokens])
    seen = " ".join([seen, *map(_what_a_reader_sees, references[1:])])
    assert words(marked) == words(seen)


def _what_a_reader_sees(reference: str) -> str:
    if reference.startswith(("<http", "<mailto")):
        return reference.split("|", 1)[1].rstrip(">")
    return ""


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.characters(max_codepoint=127)),
    st.from_regex(r"[a-z\u00e0-\u00ff]{0,3}", fullmatch=True),
)
def test_ascii_text_splits_into_the_same_words_as_any_text(text, tail):
    """The ASCII fast path agrees with the Unicode path: one non-ASCII word changes nothing else."""
    unicode_tail = " \u00e9" + tail
    assert words(text) + words(unicode_tail) == words(text + unicode_tail)
