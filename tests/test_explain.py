"""The "Why this answer?" explanation of a result, its button, and ``sro-bot ask --explain``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from slack_sdk.models.blocks import Block

from bot import messages
from bot.answering import Answerer
from bot.classifier import CACHE_DIR_ENV
from bot.explain import Reason, explain
from bot.matching import Decision, MatchResult, ScoredEntry
from bot.render.blocks import (
    EXPLAIN_ACTION,
    MAX_BUTTON_VALUE,
    BlockRenderer,
    Surface,
    explain_value,
    read_explain_value,
)
from bot.safety import SafetyLevel, SafetyVerdict

ALTERNATE = "do SROs pay for themselves?"  # an alternate of entry "evidence"
CRISIS = "shots fired in the main hallway"
ANSWERED = [
    "are school resource officers armed?",
    "how many SROs should a school have?",
    "what is an sro",
    "how are SROs selected",
    ALTERNATE,
]


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer.load()


@pytest.fixture(scope="module")
def lexical() -> Answerer:
    return Answerer.load(lexical_only=True)


@pytest.fixture(scope="module")
def renderer(answerer: Answerer) -> BlockRenderer:
    return BlockRenderer(answerer.knowledge)


# --- the explanation ---------------------------------------------------------------------------


def test_a_question_worded_as_an_alternate_names_that_alternate(answerer):
    assert ALTERNATE in answerer.knowledge.get("evidence").alternates
    result = answerer.answer(ALTERNATE)
    why = explain(result, answerer.matcher)
    assert why.decision is Decision.ANSWER
    assert why.entry.id == "evidence"
    assert why.phrasing == ALTERNATE
    assert why.alternate
    assert why.score == result.matches[0].score
    matched = f'"{ALTERNATE}", another wording of "{why.entry.question}"'
    assert (messages.EXPLAIN_MATCHED, matched) in why.facts()


def test_a_question_worded_as_the_entrys_question_names_the_question(answerer):
    entry = answerer.knowledge.get("armed")
    why = explain(answerer.answer(entry.question), answerer.matcher)
    assert why.entry == entry
    assert why.phrasing == entry.question
    assert not why.alternate


@pytest.mark.parametrize("question", ANSWERED)
def test_the_runner_up_is_another_entry_scoring_no_more(lexical, question):
    result = lexical.answer(question)
    assert result.decision is Decision.ANSWER
    why = explain(result, lexical.matcher)
    assert why.reason is Reason.ANSWERED
    assert not why.by_model
    assert why.runner_up is not None
    assert why.runner_up.entry.id != why.entry.id
    assert why.runner_up.score <= why.score
    assert why.score - why.runner_up.score >= lexical.matcher.thresholds.margin
    data = why.as_json()
    assert data["runner_up"] == {
        "id": why.runner_up.entry.id,
        "question": why.runner_up.entry.question,
        "score": why.runner_up.score,
    }
    assert data["matched_by"] == "lexical"


def test_a_crisis_says_only_the_safety_level(answerer):
    result = answerer.answer(CRISIS)
    assert result.decision is Decision.CRISIS
    why = explain(result, answerer.matcher)
    assert why.facts() == [
        (messages.EXPLAIN_SAFETY, messages.EXPLAIN_SAFETY_CRISIS.format(kind="violence"))
    ]
    assert why.as_json() == {
        "decision": "crisis",
        "safety": {"level": "crisis", "kind": "violence"},
    }


def test_a_safety_notice_is_named_over_the_answer(answerer):
    entry = answerer.knowledge.get("armed")
    notice = SafetyVerdict(SafetyLevel.NOTICE, "self_harm")
    result = replace(answerer.answer(entry.question), safety=notice)
    why = explain(result, answerer.matcher)
    assert why.facts()[-1] == (
        messages.EXPLAIN_SAFETY,
        messages.EXPLAIN_SAFETY_NOTICE.format(kind="self-harm"),
    )
    assert why.as_json()["safety"] == {"level": "notice", "kind": "self_harm"}


def test_not_sure_says_the_lead_was_too_small(lexical):
    result = lexical.answer("guns")
    assert result.decision is Decision.SUGGEST
    why = explain(result, lexical.matcher)
    assert why.reason is Reason.CLOSE
    assert why.entry == result.suggestions[0].entry
    assert why.runner_up.entry == result.suggestions[1].entry
    assert why.score - why.runner_up.score < lexical.matcher.thresholds.margin
    assert dict(why.facts())[messages.EXPLAIN_CLOSEST].startswith('"')


def test_no_match_names_the_closest_entry_and_why_nothing_was_given(answerer):
    result = answerer.answer("sro overtime pay")
    assert result.decision is Decision.NO_MATCH
    why = explain(result, answerer.matcher)
    assert why.reason is Reason.LOW_SCORE
    assert why.entry is not None
    assert why.score < answerer.matcher.thresholds.suggest
    assert why.why == messages.EXPLAIN_NO_MATCH_LOW.format(score=why.score, suggest=45.0)
    labels = [label for label, _ in why.facts()]
    assert labels[:2] == [messages.EXPLAIN_CLOSEST, messages.EXPLAIN_SCORE]
    assert messages.EXPLAIN_CHOSEN_BY not in labels


def test_no_match_off_the_subject_has_no_closest_entry(answerer):
    why = explain(answerer.answer("what is the weather tomorrow"), answerer.matcher)
    assert why.entry is None and why.score is None
    assert why.reason is Reason.OFF_SUBJECT
    assert why.as_json()["entry"] is None


def test_an_answer_the_model_withdrew_says_so(answerer):
    entry = answerer.knowledge.get("armed")
    result = MatchResult("q", Decision.NO_MATCH, suggestions=(ScoredEntry(entry, 80.0),))
    assert explain(result, answerer.matcher).reason is Reason.WITHDRAWN


def test_the_models_choice_gives_its_probability(answerer):
    entry = answerer.knowledge.get("armed")
    result = MatchResult(
        "are they carrying",
        Decision.ANSWER,
        matches=(ScoredEntry(entry, 83.0),),
        by_model=True,
        model_probability=0.83,
    )
    why = explain(result, answerer.matcher)
    assert why.reason is Reason.MODEL
    assert (messages.EXPLAIN_CHOSEN_BY, "the entry model, probability 0.83") in why.facts()
    assert why.as_json()["matched_by"] == "model"
    assert why.as_json()["model_probability"] == 0.83


def test_the_matcher_keeps_the_models_probability_for_its_choice(answerer):
    # "what is an SRO? and how many are there?": the first part is the model's to answer.
    result = answerer.answer("What is an SRO? And how many are there?")
    assert result.by_model
    assert 0 < result.model_probability <= 1
    why = explain(result, answerer.matcher)
    assert [e.id for e in why.also_answered] == [m.entry.id for m in result.matches[1:]]


# --- the button and the message ----------------------------------------------------------------


def explain_buttons(blocks) -> list[dict]:
    return [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == EXPLAIN_ACTION
    ]


@pytest.mark.parametrize("surface", list(Surface))
def test_each_answer_has_a_button_carrying_its_question(answerer, renderer, surface):
    question = "are school resource officers armed?"
    message = renderer.render(answerer.answer(question), surface)
    [button] = explain_buttons(message.blocks)
    assert button["text"]["text"] == messages.EXPLAIN_BUTTON
    assert read_explain_value(button["value"]) == ("armed", question)
    # Answers reached by a question button (nothing typed) have nothing to explain.
    assert not explain_buttons(renderer.answer("armed", surface).blocks)


def test_a_crisis_has_no_explain_button(answerer, renderer):
    for surface in Surface:
        assert not explain_buttons(renderer.render(answerer.answer(CRISIS), surface).blocks)


@pytest.mark.parametrize("question", ["x" * 5000, "<!channel> é😀 " * 400, '"\\' * 3000])
def test_a_long_question_is_cut_to_fit_a_button(question):
    value = explain_value("armed", question)
    assert len(value.encode("utf-16-le")) // 2 <= MAX_BUTTON_VALUE
    assert "<" not in value and "&" not in value
    entry_id, kept = read_explain_value(value)
    assert entry_id == "armed"
    assert question.startswith(kept) and len(kept) > 300


@pytest.mark.parametrize(
    "value",
    ["", "armed", "{", "[]", '{"entry": 3, "q": "x"}', '{"entry": "", "q": "x"}', "[" * 100000],
)
def test_a_malformed_value_is_refused(value):
    assert read_explain_value(value) is None


def test_the_explanation_message_fits_slack(answerer, renderer):
    why = explain(answerer.answer(ALTERNATE), answerer.matcher)
    message = renderer.explanation(why)
    assert message.text.startswith(messages.EXPLAIN_TITLE)
    for block in Block.parse_all(list(message.blocks)):
        block.to_dict()  # validates Slack's limits
    assert ALTERNATE in message.blocks[0]["text"]["text"]
    changed = renderer.explanation(why, changed=True)
    assert changed.text.startswith(messages.EXPLAIN_CHANGED)


# --- sro-bot ask --explain ---------------------------------------------------------------------


def ask(*args: str, stdin: str = "") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRO_") or k == CACHE_DIR_ENV}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ask_explain_prints_the_answer_then_why():
    plain = ask(ALTERNATE)
    explained = ask("--explain", ALTERNATE)
    assert explained.startswith(plain.rstrip("\n") + "\n\n" + messages.EXPLAIN_TITLE + ":\n")
    why = explained[len(plain) :]
    assert f'  {messages.EXPLAIN_MATCHED}: "{ALTERNATE}"' in why
    assert f"  {messages.EXPLAIN_SCORE}: " in why
    assert f"  {messages.EXPLAIN_RUNNER_UP}: " in why
    assert f"  {messages.EXPLAIN_SAFETY}: none" in why


def test_ask_json_explain_adds_one_key_and_changes_nothing_else():
    plain = ask("--json", ALTERNATE)
    explained = json.loads(ask("--json", "--explain", ALTERNATE))
    why = explained.pop("explain")
    # Without --explain: the same bytes as before there was an --explain.
    assert plain == json.dumps(explained, ensure_ascii=False) + "\n"
    assert why["entry"]["id"] == "evidence"
    assert why["phrasing"] == ALTERNATE and why["alternate"] is True
    assert why["score"] == explained["matches"][0]["score"]
    assert why["runner_up"]["id"] != "evidence"
    assert why["safety"] == {"level": "none", "kind": None}


def test_ask_json_explain_reads_stdin_line_by_line():
    lines = [ALTERNATE, CRISIS, "topics", ""]
    out = ask("--json", "--explain", "-", stdin="\n".join(lines) + "\n").splitlines()
    assert len(out) == len(lines)
    answer, crisis, topics, blank = map(json.loads, out)
    assert answer["explain"]["phrasing"] == ALTERNATE
    assert crisis["explain"] == {"decision": "crisis", "safety": crisis["safety"]}
    assert topics["explain"] is None and blank["explain"] is None
    plain = ask("--json", "-", stdin="\n".join(lines) + "\n").splitlines()
    assert [json.loads(line) for line in plain] == [
        {k: v for k, v in json.loads(line).items() if k != "explain"} for line in out
    ]
