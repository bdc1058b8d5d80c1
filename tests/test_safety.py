"""The emergency intercept: emergencies never get an FAQ answer; questions about them do."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pytest

from bot import messages
from bot.answering import Answerer
from bot.knowledge import load_knowledge
from bot.matching import Decision
from bot.safety import (
    ANALYSED_WORDS,
    CRISIS_FILE_ENV,
    CrisisPatternError,
    SafetyCheck,
    SafetyLevel,
)


@pytest.fixture(scope="module")
def safety() -> SafetyCheck:
    return SafetyCheck.load()


@pytest.fixture(scope="module")
def answerer(safety) -> Answerer:
    return Answerer(load_knowledge(), safety)


VIOLENCE = [
    # a weapon or an intruder, here and now
    "a student just pulled a gun in the cafeteria",
    "there is a guy with a rifle walking toward the gym",
    "theres a man with a machete in the hallway",
    "a parent is waving a pistol in the parking lot",
    "a student has a gun in his backpack",
    "i found a gun in a student's locker",
    "kid brought a gun to school today",
    "he has a knife to another student's throat",
    "we have an intruder in building B",
    "someone is trying to break into my classroom right now",
    "lockdown right now, someone is banging on the door",
    "pls help theres a guy by the library with a weapon",
    "a boy is bleeding really bad on the playground",
    "she says her classmate is bringing a knife to school tomorrow",
    "a stranger with a shotgun is crossing the football field",
    "loud popping outside the library, kids are screaming",
    "the coach collapsed on the track and is not responding",
    "a kid posted they'll shoot up the school tomorrow",
    # shots
    "shots fired near the front office",
    "I think I just heard gunshots outside the library",
    "someone just got shot in the hallway",
    # someone hurt
    "my coworker was stabbed and is bleeding a lot",
    "a kid collapsed in PE and he's not breathing",
    "the boy on the floor is unresponsive",
    "student overdosed in the bathroom",
    "a fight broke out and a kid is seriously hurt",
    "someone is hurt badly in the stairwell",
    "help my teacher is being attacked",
    # threats to attack
    "a student told me he's going to shoot up the school tomorrow",
    "he threatened to kill his teacher",
    "someone posted that they will bomb the school on friday",
    "there's a bomb threat called in to the office",
    # Slack dressing does not hide an emergency
    "<@U0SROBOT> THERE IS A MAN WITH A GUN IN THE GYM",
    "<!here> shots fired!!! <#C1|general>",
]

SELF_HARM = [
    "I want to kill myself",
    "i'm going to end my life tonight",
    "my student says she wants to die",
    "I've been cutting myself again",
    "my friend is thinking about suicide",
    "i don't want to be alive anymore",
    "everyone would be better off without me",
    "a student is standing on the roof saying he will jump",
    "he swallowed a whole bottle of sleeping pills",
    "my daughter took a handful of her meds, what do I do if she falls asleep",
    "we found a suicide note in his backpack",
]

# Questions about the subject: not emergencies.
NOT_CRISIS = [
    "what should a teacher do about a student with a knife",
    "our SRO keeps his gun in a holster, is that normal",
    "can students bring pocket knives to school",
    "what happens if a student brings a knife to school",
    "is it legal to bring a hunting rifle to school for a club",
    "do SROs get stop the bleed training",
    "how should SROs respond to an active shooter?",
    "should teachers carry guns?",
    "what if there is an intruder",
    "what if there is an intruder in the building",
    "what happens if an intruder gets into the school",
    "what should an SRO do if a student brings a gun to school",
    "what should a teacher do if a student has a knife in class",
    "how do lockdown drills work",
    "do SROs run active shooter drills with students",
    "what is the school's policy on weapons on campus",
    "how do SROs prevent school shootings",
    "can an SRO stop a shooter faster than police",
    "is suicide prevention part of SRO training",
    "should SROs carry rifles in the school",
    "how do SROs handle bomb threats",
    "do school resource officers have guns on campus",
    "how many shootings have SROs stopped",
    "what do SROs do when someone is hurt in a fight",
    "should an SRO call 911 or handle it themselves",
    "will SROs shoot an armed student",
    "when should an officer draw a gun at school",
    "can an SRO arrest a student who brought a knife to school",
    "would a teacher with a gun be mistaken for a shooter",
    "should teachers have a gun in the classroom",
    "can a teacher keep a gun in her desk",
    "is the SRO carrying a gun in class",
    "why does the officer have a gun in the building",
    "what if a student is injured during a lockdown drill",
    "do officers train for intruders on campus",
    "what is a school resource officer",
    "what should staff do if a student took too many pills",
    "the nurse hands out students' medication at lunch",
    "",
    "🚓",
]


# One or two of each kind of emergency, in words of our own (not the corpus's): every
# one must be caught, as a crisis or at least with the 911/988 notice first.
BY_CATEGORY = {
    "weapon": ["a kid in 4th period just showed me a real handgun in his hoodie pocket"],
    "shots": ["POP POP POP outside the band room is that gunfire??"],
    "active_shooter": ["active shooter at Westbrook Middle right now, we are hiding"],
    "intruder": ["a man in a ski mask just walked in the side entrance and won't stop"],
    "lockdown": ["we're in a real lockdown right now, someone is pulling on our door handle"],
    "fight_injury": ["kid got knocked out in the fight by the lockers and he isnt moving"],
    "medical": [
        "student's throat is closing up from peanuts and we can't find an epipen",
        "a teacher is having a seizure on the floor of room 12",
    ],
    "bomb": [
        "someone wrote 'bomb in the gym at 2pm' on the bathroom mirror",
        "there's an unattended backpack ticking under the bleachers",
    ],
    "threat": [
        "a kid posted a pic of a rifle saying don't come to school tomorrow",
        "he has a list of names of people he says he'll get",
    ],
    "self_harm": [
        "i can't do this anymore, everyone would be fine without me",
        "my friend is holding a bottle of pills and says she's going to take them all",
    ],
    "vehicle": [
        "a car just drove onto the playground and hit kids",
        "some guy in a van is swerving at the parents in the pickup line",
    ],
    "transport": ["bus 14 flipped on the county road, kids are hurt and crying"],
    "fire": [
        "smoke is pouring out of the chemistry lab and the alarm isn't going off",
        "the copier in the workroom is throwing sparks and there's smoke",
        "portable 3 is on fire, kids are still coming out",
    ],
    "hazmat": ["strong gas smell in the science wing and two girls just fainted"],
    "assault": [
        "a parent is punching the front desk secretary, she's on the floor",
        "HOSTAGE SITUATION AT THE BAND ROOM",
    ],
    "lockdown_report": [
        "Lockdown in progress at Maple Ridge. Does anyone know if police are here?"
    ],
    "formal_report": [
        "Please be advised that a visitor has displayed a firearm in the main office. "
        "Kindly send assistance immediately.",
        "Unit 12 on scene at the east lot, shots fired, requesting backup and EMS",
        "10-33 by the gym doors, officer needs assistance",
        "10-99 officer down behind the field house",
    ],
    "lockdown_started": ["IN LOCKDOWN, room 9 door won't lock and we can hear yelling"],
    "vehicle_hit": ["a delivery truck backed out fast and hit a kid by the crosswalk"],
    "help_now": ["we need an ambulance right now, gym floor"],
    "bleeding": ["a kid sliced his arm on the window and blood is gushing out"],
}
LOOK_ALIKES = [
    "what does an SRO do when a student is suicidal",
    "how should the SRO handle a bomb threat",
    "what happens to a student caught with a knife at school",
    "what does the law say about guns on school grounds",
    "how often do students bring weapons to school",
    "what should teachers do during a lockdown drill",
    "is the fire drill on monday or tuesday",
    "this chemistry test is killing me lol",
    "she killed it at the talent show",
    "what should we do if a lockdown is in progress during lunch",
    "the lockdown drill is in progress until 10:15, please stay off the halls",
    "does NASRO offer hostage negotiation training for SROs",
    "Please be advised that the fire inspection is scheduled for Thursday at 9 a.m.",
    "Unit 12 back in service, the fender bender in the east lot was just paperwork",
    "if the bus is late again tomorrow i'm going to die",
    "do we need police at the football game on friday",
    "officer down drill for the EMTs went fine, debrief at 3",
    "in lockdown drill until 10, please hold calls",
    "what happens if a car hits a kid in the pickup line",
    "the fire drill smoke machine will be filling the hallway at 10, this is a drill",
    "the smoke detector in room 4 keeps chirping, can someone change the battery",
]


@pytest.mark.parametrize(
    ("category", "message"), [(c, m) for c, ms in BY_CATEGORY.items() for m in ms]
)
def test_every_kind_of_emergency_is_caught(safety, category, message) -> None:
    verdict = safety.check(message)
    assert verdict.level in (SafetyLevel.CRISIS, SafetyLevel.NOTICE), category
    assert verdict.kind == ("self_harm" if category == "self_harm" else "violence")


@pytest.mark.parametrize("message", LOOK_ALIKES)
def test_look_alikes_keep_their_answer(safety, message) -> None:
    assert safety.check(message).level is not SafetyLevel.CRISIS


@pytest.mark.parametrize("message", VIOLENCE)
def test_emergencies_are_violence(safety, message) -> None:
    verdict = safety.check(message)
    assert verdict.level is SafetyLevel.CRISIS
    assert verdict.kind == "violence"


@pytest.mark.parametrize("message", SELF_HARM)
def test_self_harm(safety, message) -> None:
    verdict = safety.check(message)
    assert verdict.level in (SafetyLevel.CRISIS, SafetyLevel.NOTICE)
    assert verdict.kind == "self_harm"


@pytest.mark.parametrize("message", NOT_CRISIS)
def test_questions_about_the_subject_are_not_emergencies(safety, message) -> None:
    assert safety.check(message).level is not SafetyLevel.CRISIS


def test_few_questions_about_the_subject_get_even_a_notice(safety) -> None:
    noticed = [m for m in NOT_CRISIS if safety.check(m).level is SafetyLevel.NOTICE]
    assert len(noticed) <= len(NOT_CRISIS) // 10, noticed


def test_a_pattern_alone_gives_a_notice_and_the_answer(tmp_path) -> None:
    extended = SafetyCheck.load(write(tmp_path, "violence:\n  - \\bwhat is an sro\\b\n"))
    result = Answerer(load_knowledge(), extended).answer("what is an SRO")
    assert result.safety.level is SafetyLevel.NOTICE
    assert result.safety_notice
    assert result.decision is Decision.ANSWER
    assert result.matches[0].entry.id == "what-is-sro"


def test_an_emergency_late_in_a_long_message_is_read(safety) -> None:
    chatter = "we were talking about the schedule for next week and the bus routes. " * 20
    message = chatter + "oh my god a kid just pulled a gun in the cafeteria"
    assert len(message.split()) < ANALYSED_WORDS
    assert safety.check(message).level is not SafetyLevel.NONE


@pytest.mark.parametrize(
    ("message", "entry_id"),
    [
        ("how should SROs respond to an active shooter?", "active-shooter"),
        ("should teachers carry guns?", "arming-teachers"),
        ("should teachers have a gun in the classroom", "arming-teachers"),
        ("do school resource officers have guns on campus", "armed"),
    ],
)
def test_questions_about_the_subject_get_their_faq_answer(answerer, message, entry_id) -> None:
    result = answerer.answer(message)
    assert result.decision is Decision.ANSWER
    assert result.matches[0].entry.id == entry_id


@pytest.mark.parametrize("message", [*VIOLENCE[:3], *SELF_HARM[:2]])
def test_a_crisis_never_gets_an_faq_answer(answerer, message) -> None:
    result = answerer.answer(message)
    assert result.decision is Decision.CRISIS
    assert result.matches == ()
    assert result.suggestions == ()
    assert result.crisis_kind in ("violence", "self_harm")


def test_crisis_messages_say_call_911_and_988_for_self_harm() -> None:
    violence = messages.crisis_message("violence")
    self_harm = messages.crisis_message("self_harm")
    assert "911" in violence and "911" in self_harm
    assert "988" in self_harm
    assert "cannot alert" in violence and "cannot alert" in self_harm


# --- a school's own patterns --------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "crisis.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


EXTRA = """\
violence:
  - \\bcode (red|black)\\b
  - \\bdr green to the\\b
self_harm:
  - \\bunalive (myself|me)\\b
"""


def test_an_extra_pattern_file_adds_patterns(tmp_path, safety) -> None:
    extended = SafetyCheck.load(write(tmp_path, EXTRA))
    # A school's own code phrase, which reads as nothing to anyone else.
    assert not safety.check("Dr Green to the front desk please")
    assert extended.check("Dr Green to the front desk please").kind == "violence"
    assert extended.check("i want to unalive myself").kind == "self_harm"
    # The bundled patterns and model still apply.
    assert extended.check("shots fired in the gym").level is SafetyLevel.CRISIS
    assert not extended.check("what is an sro")


def test_patterns_match_whatever_case_they_and_the_message_are_written_in(tmp_path) -> None:
    patterns = "violence:\n  - \\bCODE RED\\b\n  - \\bcode blue\\b\n"
    extended = SafetyCheck.load(str(write(tmp_path, patterns)))
    assert extended.check("we have a Code Red in B wing").kind == "violence"
    assert extended.check("CODE BLUE in the gym").kind == "violence"


def test_an_extra_file_may_name_one_kind(tmp_path) -> None:
    extended = SafetyCheck.load(str(write(tmp_path, "violence:\n  - \\bdoor is jammed\\b\n")))
    assert extended.check("the door is jammed and we are stuck").kind == "violence"


def test_the_crisis_file_environment_variable(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(CRISIS_FILE_ENV, str(write(tmp_path, EXTRA)))
    assert SafetyCheck.load().check("CODE BLACK!").kind == "violence"
    monkeypatch.setenv(CRISIS_FILE_ENV, "")
    assert not SafetyCheck.load().check("CODE BLACK!")


def test_an_explicit_file_wins_over_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(CRISIS_FILE_ENV, str(tmp_path / "missing.yml"))
    extended = SafetyCheck.load(write(tmp_path, EXTRA))
    assert extended.check("code red").kind == "violence"


def test_a_bad_regular_expression_names_file_and_pattern(tmp_path) -> None:
    path = write(tmp_path, "violence:\n  - \\bfine\\b\n  - (unclosed group\n")
    with pytest.raises(CrisisPatternError) as raised:
        SafetyCheck.load(path)
    message = str(raised.value)
    assert str(path) in message
    assert "violence[1]" in message
    assert "(unclosed group" in message
    assert "not a valid regular expression" in message


def test_an_unknown_kind_names_file_and_kind(tmp_path) -> None:
    path = write(tmp_path, "fire:\n  - \\bsmoke\\b\n")
    with pytest.raises(CrisisPatternError) as raised:
        SafetyCheck.load(path)
    message = str(raised.value)
    assert str(path) in message
    assert "'fire'" in message
    assert "violence" in message and "self_harm" in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("- just a list\n", "must be a mapping"),
        ("", "must be a mapping"),
        ("violence: \\bsmoke\\b\n", "must be a list"),
        ("violence: [unclosed\n", "YAML syntax error"),
    ],
)
def test_a_malformed_pattern_file_names_the_file(tmp_path, text, says) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CrisisPatternError) as raised:
        SafetyCheck.load(path)
    assert str(path) in str(raised.value)
    assert says in str(raised.value)


def test_a_missing_pattern_file_names_the_file(tmp_path) -> None:
    path = tmp_path / "nowhere.yml"
    with pytest.raises(CrisisPatternError, match="cannot read") as raised:
        SafetyCheck.load(path)
    assert str(path) in str(raised.value)


def test_the_bundled_model_was_fitted_on_the_bundled_corpus(safety) -> None:
    # Change the corpus, then run `sro-bot fit-safety` and commit the model with it.
    corpus = resources.files("bot").joinpath("data/safety_corpus.tsv").read_bytes()
    assert safety.model.meta["corpus_sha256"] == hashlib.sha256(corpus).hexdigest()
    thresholds = safety.model.meta["thresholds"]
    assert 0 < thresholds["notice"] < thresholds["crisis"] < 1
