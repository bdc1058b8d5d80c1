"""Terminal rendering: wrapped for a person, word for word the same as the knowledge."""

from __future__ import annotations

from bot.answering import Answerer
from bot.render.text import render_text, wrap


def test_wrapping_keeps_every_word_and_fits_the_width() -> None:
    answerer = Answerer.load()
    for entry in answerer.knowledge:
        result = answerer.answer(entry.question)
        wrapped = render_text(result, answerer.knowledge, width=60)
        assert all(len(line) <= 60 for line in wrapped.splitlines() if "https://" not in line)
        assert wrapped.split() == render_text(result, answerer.knowledge).split()


def test_list_items_wrap_under_their_text() -> None:
    text = "Intro.\n\n- " + "word " * 30
    lines = wrap(text, 40).splitlines()
    assert lines[2].startswith("- ")
    assert all(line.startswith("  ") for line in lines[3:])


def test_no_width_means_no_wrapping() -> None:
    text = "one long line " * 20
    assert wrap(text, None) == text
