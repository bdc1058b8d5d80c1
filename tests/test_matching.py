"""The matcher on phrasings people use (written for these tests, not taken from the eval sets).

Assertions are on behaviour (which entry, which decision), never on exact scores.
"""

from __future__ import annotations

import pytest

from bot.answering import Answerer
from bot.classifier import EntryClassifier
from bot.knowledge import load_knowledge
from bot.matching import THRESHOLDS, Decision, Matcher, MatchResult


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.fixture(scope="module")
def matcher(knowledge) -> Matcher:
    """The matcher as the bot runs it: the lexical reading checked by the entry model."""
    return Matcher(knowledge, classifier=EntryClassifier.for_knowledge(knowledge))


@pytest.fixture(scope="module")
def lexical(knowledge) -> Matcher:
    return Matcher(knowledge)


def known_gap(reason: str):
    """A phrasing the matcher gets wrong today: kept, and reported, rather than deleted."""
    return pytest.mark.xfail(strict=False, reason=reason)


def assert_answers(result: MatchResult, *entry_ids: str) -> None:
    assert result.decision is Decision.ANSWER, (result.decision, result.suggestions)
    assert len(result.matches) == 1
    assert result.matches[0].entry.id in entry_ids
    assert result.best is result.matches[0]


def test_every_question_as_the_source_words_it_is_answered(knowledge, matcher) -> None:
    for entry in knowledge:
        assert_answers(matcher.match(entry.question), entry.id)


# Alternates of the bundled knowledge that the matcher does not yet lead back to their entry.
ALTERNATE_GAPS: dict[str, str] = {}


def _alternates():
    for entry in load_knowledge():
        for alternate in entry.alternates:
            gap = ALTERNATE_GAPS.get(alternate)
            marks = [known_gap(gap)] if gap else []
            yield pytest.param(entry.id, alternate, id=f"{entry.id}:{alternate}", marks=marks)


@pytest.mark.parametrize(("entry_id", "alternate"), list(_alternates()))
def test_every_alternate_finds_its_entry(matcher, entry_id, alternate) -> None:
    # Alternates are written to be matched: each one's best entry is its own.
    result = matcher.match(alternate)
    assert result.best is not None
    assert result.best.entry.id == entry_id
    assert result.decision in (Decision.ANSWER, Decision.SUGGEST)


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # typos
        ("what exactly is a school resource oficer", "what-is-sro"),
        ("does nasro give out certifcations for sros", "certification"),
        ("do sros cary firearms", "armed"),
        ("do school cops push kids into the school to prison pipleine", "pipeline"),
        ("how do i become a school resource officr", "become-sro"),
        # casual phrasing
        ("what's an SRO?", "what-is-sro"),
        ("what is an sro", "what-is-sro"),
        ("SRO meaning", "what-is-sro"),
        ("whats the job of an sro at a school", "roles"),
        ("is the SRO a counselor or a cop", "roles"),
        ("triad model", "roles"),
        ("is there a national SRO license", "certification"),
        ("practitioner designation", "certification"),
        ("does the officer at school carry a gun", "armed"),
        ("how many sros are there in the US total", "how-many-sros"),
        ("total number of school resource officers nationwide", "how-many-sros"),
        ("roughly how many SROs work in america", "how-many-sros"),
        ("how many schools have an sro", "how-many-sros"),
        ("are sro programs actually worth the money", "evidence"),
        ("any research that SROs make schools safer?", "evidence"),
        ("carleton university peel study", "evidence"),
        ("do SROs reduce violence at schools", "evidence"),
        ("do SROs arrest kids for stuff teachers should handle", "pipeline"),
        ("are SROs responsible for more juvenile arrests", "pipeline"),
        ("what do SROs do during an active shooter situation", "active-shooter"),
        ("should the SRO wait for backup if there's a shooter", "active-shooter"),
        ("what is NASRO's guidance on responding to a school shooter", "active-shooter"),
        ("how many officers does one school need", "sros-per-school"),
        ("is one sro enough for a big high school", "sros-per-school"),
        ("how many SROs for a campus with several buildings", "sros-per-school"),
        ("should we let teachers carry guns in class", "arming-teachers"),
        ("is it a good idea to arm school staff", "arming-teachers"),
        ("can the principal carry a firearm", "arming-teachers"),
        ("why can't teachers carry guns", "arming-teachers"),
        ("what makes a good candidate for an SRO assignment", "selection"),
        ("how do police departments pick their SROs", "selection"),
        ("who should be chosen as an SRO", "selection"),
        ("i want to be a school resource officer, where do i start", "become-sro"),
        ("steps to becoming an sro", "become-sro"),
        ("career path to school resource officer", "become-sro"),
        ("yo how do u become an sro lol", "become-sro"),
        # Slack mention prefixes and filler
        ("<@U0SROBOT> what is a school resource officer", "what-is-sro"),
        ("<@U0SROBOT|srobot> are SROs armed?", "armed"),
        ("@srobot how do school resource officers handle an active shooter", "active-shooter"),
        ("hey bot, quick q: is there an SRO certification from NASRO?", "certification"),
        ("<!here> <@U0SROBOT> how   MANY sros should a school have??", "sros-per-school"),
        ("are SROs armed? <https://example.org/news/story-1234>", "armed"),
        # known gaps, reported to the lead
        ("so what does the school cop actually do all day", "roles"),
        ("are campus police allowed to have weapons at school", "armed"),
        ("should janitors or coaches be armed", "arming-teachers"),
    ],
)
def test_representative_phrasings(matcher, question, entry_id) -> None:
    assert_answers(matcher.match(question), entry_id)


def test_a_question_both_entries_answer_may_get_either(matcher) -> None:
    # "three years of experience" is in both the selection and the become-an-SRO answers.
    result = matcher.match("how many years of experience should an SRO have")
    assert result.best is not None
    assert result.best.entry.id in ("selection", "become-sro")
    assert result.decision in (Decision.ANSWER, Decision.SUGGEST)


@pytest.mark.parametrize(
    "question",
    [
        # nothing to do with SROs
        "what is the weather tomorrow",
        "can you reset my email password",
        "what time does the cafeteria open",
        "who won the football game friday",
        "how do I request a substitute teacher",
        "where is the lost and found",
        "can I bring my dog to school",
        "what's the capital of France",
        "how do I join the PTA",
        "asdfghjkl",
        "lol",
        # near the domain, but this FAQ does not answer it
        "how much do school resource officers get paid",
        "what's the SRO overtime pay policy",
        "can an SRO search a student's locker",
        "do SROs wear body cameras",
        "is NASRO a union",
        "how long is the school day in texas",
        "how do I file a complaint against an SRO",
    ],
)
def test_out_of_scope_questions_get_no_answer(matcher, question) -> None:
    result = matcher.match(question)
    assert result.decision in (Decision.NO_MATCH, Decision.SUGGEST)
    assert result.matches == ()


@pytest.mark.parametrize(
    "text",
    ["", " ", "   \n\t ", "🚓", "👮‍♀️👮🏽‍♂️🚨", "?!?", "\u200b\u200b", "<@U0SROBOT>", "<!here>"],
)
def test_nothing_to_match_is_no_match(matcher, text) -> None:
    result = matcher.match(text)
    assert result.decision is Decision.NO_MATCH
    assert result.matches == ()
    assert result.query == text


@pytest.mark.parametrize(
    "question",
    [
        "what is a school resource officer",
        "how many",
        "officer",
        "sro sro sro sro sro",
        "school resource officer " * 50,
        "the the the the",
        "do NASRO-trained SROs carry guns and how many are there and who picks them",
        "Полицейский в школе",
        "学校の警察官",
    ],
)
def test_scores_are_between_0_and_100_best_first(matcher, question) -> None:
    result = matcher.match(question)
    scored = [*result.matches, *result.suggestions]
    for s in scored:
        assert 0 <= s.score <= 100
    assert [s.score for s in result.suggestions] == sorted(
        (s.score for s in result.suggestions), reverse=True
    )


def test_suggestions_are_limited_and_distinct(lexical) -> None:
    questions = ("guns", "school resource officers", "officers in schools")
    results = [lexical.match(question) for question in questions]
    assert results[0].decision is Decision.SUGGEST
    for result in results:
        if result.decision is Decision.SUGGEST:
            ids = [s.entry.id for s in result.suggestions]
            assert 1 <= len(ids) <= THRESHOLDS.max_suggestions
            assert len(set(ids)) == len(ids)
            assert result.matches == ()


def test_matching_does_not_depend_on_case_or_markup(matcher) -> None:
    plain = matcher.match("are school resource officers armed")
    for variant in (
        "ARE SCHOOL RESOURCE OFFICERS ARMED",
        "<@U0SROBOT> are school resource officers armed?",
        "are school\u200b resource officers armed",
    ):
        result = matcher.match(variant)
        assert result.decision is plain.decision
        assert result.best is not None and plain.best is not None
        assert result.best.entry.id == plain.best.entry.id


def test_a_matcher_over_other_knowledge(tmp_path) -> None:
    (tmp_path / "pets.yml").write_text(
        """\
id: pets
title: Pets at school
source:
  publisher: Demo District
  title: Pet policy
  url: https://example.org/pets
  retrieved: 2026-01-02
entries:
  - id: dogs
    question: Can I bring my dog to school?
    answer: Only service dogs are allowed on campus.
    alternates: [are dogs allowed at school]
  - id: hamsters
    question: Can our class keep a hamster?
    answer: Classroom pets need the principal's approval.
    alternates: [classroom pet rules]
""",
        encoding="utf-8",
    )
    matcher = Matcher(load_knowledge(tmp_path, bundled=False))
    assert_answers(matcher.match("can i bring my dog to school"), "dogs")
    assert_answers(matcher.match("can our class have a hamster"), "hamsters")
    assert matcher.match("are school resource officers armed").decision is not Decision.ANSWER


def test_misspellings_are_mended_towards_words_people_ask_with(matcher, tmp_path) -> None:
    assert matcher.analyzer.correct("certifcation") == "certification"
    assert matcher.analyzer.correct("armd") == "armed"
    (tmp_path / "kb.yml").write_text(
        """\
id: kb
title: Counselling
source: {publisher: Demo, title: Demo, url: "https://example.org", retrieved: 2026-01-02}
entries:
  - id: counsellors
    question: Do we have counsellors?
    answer: Yes, for students' mental health.
    alternates: [school counsellor]
""",
        encoding="utf-8",
    )
    correct = Matcher(load_knowledge(tmp_path, bundled=False)).analyzer.correct
    assert correct("counseller") == "counsellor"
    # "mental" appears only in an answer's prose: a real word is never bent towards it.
    assert correct("metal") == "metal"
    # Two slips make another word, not a typo, in a short word.
    assert matcher.analyzer.correct("estate") == "estate"
    # One letter less makes another word of three letters, not a typo.
    assert matcher.analyzer.correct("copy") == "copy"
    assert matcher.analyzer.correct("army") == "army"


def test_a_copy_of_a_report_card_is_not_about_cops(matcher) -> None:
    result = matcher.match("I need a copy of my school records")
    assert result.decision is Decision.NO_MATCH


def test_the_clause_that_asks_is_matched_in_a_long_message(matcher) -> None:
    message = (
        "Our PTA meets tonight and the agenda is long. One parent asked me something I "
        "could not answer: does NASRO actually certify its officers?"
    )
    assert_answers(matcher.match(message), "certification")


def test_a_clause_keeps_the_subject_named_earlier(matcher) -> None:
    message = "We just got a new deputy at the middle school. Will he carry a gun around kids?"
    assert_answers(matcher.match(message), "armed")


@pytest.mark.parametrize(
    "question",
    ["how many librarians does a high school need", "should teachers grade on a curve"],
)
def test_a_question_outside_school_policing_gets_no_answer(matcher, question) -> None:
    assert matcher.match(question).decision is not Decision.ANSWER


def test_a_message_asking_several_questions_gets_an_answer_to_each() -> None:
    answerer = Answerer.load()
    result = answerer.answer("What is an SRO? And how many of them are there in the US?")
    assert result.decision is Decision.ANSWER
    assert [s.entry.id for s in result.matches] == ["what-is-sro", "how-many-sros"]
    # A single question, or one wrapped in context, still gets one answer.
    assert len(answerer.answer("our board meets thursday. are SROs armed?").matches) == 1
    # The same entry asked twice is answered once.
    twice = answerer.answer("are SROs armed? do school cops carry guns?")
    assert [s.entry.id for s in twice.matches] == ["armed"]
