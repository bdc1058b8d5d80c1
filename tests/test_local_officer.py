"""Questions about the asker's own school's officer: no knowledge can answer them."""

import pytest

from bot.answering import Answerer
from bot.local_officer import asks_about_local_officer
from bot.matching import Decision
from bot.safety import SafetyLevel


@pytest.mark.parametrize(
    "question",
    [
        "who is our SRO",
        "Who's the SRO at Lincoln High?",
        "what's the name of the officer at my son's school",
        "how do I contact our school resource officer",
        "how can I get in touch with the police officer assigned to my kid's school",
        "whos the cop at Washington Middle School",
        "who is the officer here",
    ],
)
def test_asks_about_the_officer_at_their_own_school(question):
    assert asks_about_local_officer(question)


@pytest.mark.parametrize(
    "question",
    [
        "who is the school resource officer",  # the definition
        "what is an SRO",
        "who's responsible if our SRO hurts a kid",
        "who are SROs accountable to in my district",
        "What do you call a cop who is based at a school",
        "how do I become a school resource officer",
        "who pays for the officer at our school",
        "",
    ],
)
def test_other_questions_are_not_about_the_local_officer(question):
    assert not asks_about_local_officer(question)


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer.load()


def test_the_answer_says_the_bot_cannot_know_and_points_to_the_school(answerer):
    result = answerer.answer("who is our SRO")
    assert result.decision is Decision.LOCAL
    assert result.matches == () and result.best is None


def test_an_emergency_naming_the_officer_is_still_a_crisis(answerer):
    result = answerer.answer("how do I contact our SRO, a man with a gun is in the hallway now")
    assert result.decision is Decision.CRISIS
    assert result.safety.level is SafetyLevel.CRISIS


def test_adversarial_length_is_bounded():
    assert not asks_about_local_officer("who is " * 20_000)
    assert asks_about_local_officer("who is " * 3 + "our sro")


def test_a_districts_own_entry_about_its_officer_answers_instead(tmp_path):
    (tmp_path / "district.yml").write_text(
        """
id: district-faq
title: District FAQ
source:
  publisher: Example District
  title: Safety office
  url: https://example.org/safety
  retrieved: 2026-11-01
entries:
  - id: sro-contact
    question: How do I contact our school's SRO?
    answer: Call the front office and ask for Officer Diaz.
    alternates:
      - who is our school cop
""",
        encoding="utf-8",
    )
    answerer = Answerer.load(tmp_path)
    assert answerer.local_entries == {"sro-contact"}
    result = answerer.answer("who is our SRO")
    assert result.decision is Decision.ANSWER
    assert result.best.entry.id == "sro-contact"
