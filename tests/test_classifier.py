"""The entry model: the bundled one ships fitted; other knowledge is fitted once and kept."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from bot.answering import Answerer
from bot.classifier import (
    CACHE_DIR_ENV,
    NONE,
    EntryClassifier,
    roles_elsewhere,
    training_examples,
)
from bot.knowledge import load_knowledge
from bot.matching import Decision

SCHOOL = """\
id: lincoln
title: Lincoln High safety FAQ
language: en
source:
  publisher: Lincoln High School
  title: Safety questions
  url: https://example.org/lincoln
  retrieved: 2026-09-01
entries:
  - id: drills
    question: How often does Lincoln High hold lockdown drills?
    answer: Twice each semester, announced to staff the day before.
    alternates:
      - when are the lockdown drills
      - how many lockdown drills a year
      - do students practice lockdowns
  - id: visitors
    question: How do visitors sign in at Lincoln High?
    answer: At the front office, with a photo ID.
    alternates:
      - where do parents check in
      - visitor badge
      - do I need ID to visit the school
"""


@pytest.fixture
def school(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "lincoln.yml").write_text(SCHOOL, encoding="utf-8")
    return directory


def test_the_bundled_model_ships_fitted(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "empty"))
    classifier = EntryClassifier.for_knowledge(load_knowledge(), fit=False)
    assert classifier is not None
    probabilities = classifier.probabilities("does the school cop carry a sidearm")
    assert max(probabilities, key=probabilities.get) == "armed"
    assert not (tmp_path / "empty").exists()  # nothing was fitted or kept


def test_other_knowledge_is_fitted_once_and_kept(school, tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    knowledge = load_knowledge(school, bundled=False)
    assert EntryClassifier.for_knowledge(knowledge, fit=False) is None
    fitted = EntryClassifier.for_knowledge(knowledge)
    assert fitted is not None
    (kept,) = cache.iterdir()
    # The next start loads it instead of fitting.
    again = EntryClassifier.for_knowledge(knowledge, fit=False)
    assert again is not None
    assert again.model.rows == fitted.model.rows
    assert kept.name.startswith("entry-model-")
    assert set(fitted.model.classes) == {"drills", "visitors", NONE}


def test_a_changed_knowledge_is_fitted_again(school, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    EntryClassifier.for_knowledge(load_knowledge(school, bundled=False))
    path = school / "lincoln.yml"
    path.write_text(path.read_text().replace("visitor badge", "guest pass"), encoding="utf-8")
    assert EntryClassifier.for_knowledge(load_knowledge(school, bundled=False), fit=False) is None


def test_without_scikit_learn_the_matcher_works_alone(school, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setitem(sys.modules, "bot.training", None)  # import fails, as if not installed
    answerer = Answerer.load(school, bundled=False)
    assert answerer.matcher.classifier is None
    result = answerer.answer("how many lockdown drills a year")
    assert result.decision is Decision.ANSWER
    assert result.matches[0].entry.id == "drills"


def test_lexical_only_mode_loads_no_model() -> None:
    answerer = Answerer.load(lexical_only=True)
    assert answerer.matcher.classifier is None
    result = answerer.answer("are school resource officers armed?")
    assert result.matches[0].entry.id == "armed"
    assert not result.by_model


def test_other_roles_teach_none_only_where_the_knowledge_does_not_ask_about_them() -> None:
    knowledge = load_knowledge()
    roles = roles_elsewhere(knowledge)
    assert roles
    # The knowledge asks whether teachers (and principals, coaches) should be armed.
    assert not {singular for singular, _ in roles} & {"teacher", "principal", "coach"}
    texts, labels = training_examples(knowledge)
    made = [t for t, label in zip(texts, labels, strict=True) if label == NONE]
    plurals = "|".join(plural for _, plural in roles)
    assert any(
        re.fullmatch(rf"how many ({plurals}) should a school have\??", t.lower()) for t in made
    )


def test_the_model_reads_what_the_lexical_matcher_misses() -> None:
    answerer = Answerer.load()
    result = answerer.answer("how many officers")
    assert result.decision is Decision.ANSWER
    assert result.matches[0].entry.id == "how-many-sros"
