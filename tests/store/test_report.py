"""Grouping unanswered questions, and the report's formats."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest
import yaml

from bot.answering import Answerer
from bot.render.report import alternates_yaml, report_csv, report_json, report_text
from bot.store.commands import days
from bot.store.report import Group, Report, group_questions


@pytest.fixture(scope="module")
def matcher():
    return Answerer.load(lexical_only=True).matcher


def test_near_duplicates_group_together_most_asked_first(matcher):
    texts = [
        "what is the salary of an sro",
        "What is the salary of an SRO?",
        "what's the salary of a school resource officer",
        "can sros use tasers on students",
        "what is the salary of an sro",
        "can an sro use a taser on a student",
        "zebra migration patterns",
    ]
    groups = group_questions(texts, matcher)
    assert [g.count for g in groups] == [4, 2, 1]
    assert groups[0].texts[0] == "what is the salary of an sro"
    assert groups[1].closest_entry == "armed"
    assert groups[2].texts == ["zebra migration patterns"]


def sample() -> Report:
    return Report(
        since="2026-11-25T00:00:00",
        until="2026-12-02T00:00:00",
        questions=10,
        decisions={"answer": 7, "no_match": 2, "suggest": 1},
        safety={"none": 9, "crisis": 1},
        top_entries=[("armed", 4)],
        not_helpful={"armed": 1},
        comments=[("armed", 'rules, "tasers"')],
        unanswered=[
            Group(2, ["can sros use tasers", "tasers sro?"], "armed", 49.0),
            Group(1, ["zebra"], "roles", 12.0),
        ],
    )


def test_text_json_and_csv_carry_the_same_figures():
    report = sample()
    text = report_text(report)
    assert "questions asked: 10" in text and "70.0%" in text and "tasers sro?" in text
    assert json.loads(report_json(report))["decisions"]["answer"] == 7
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert {"section": "decision", "item": "answer", "count": "7", "detail": ""} in rows
    assert {r["detail"] for r in rows if r["section"] == "comment"} == {'rules, "tasers"'}


def test_alternates_only_for_a_plausible_entry():
    snippet = alternates_yaml(sample(), {"armed": "knowledge/nasro-faq.yml"}, plausible=45)
    assert snippet.startswith("# entry 'armed' in knowledge/nasro-faq.yml")
    assert yaml.safe_load(snippet) == ["can sros use tasers", "tasers sro?"]
    assert "zebra" not in snippet


@pytest.mark.parametrize(("text", "expected"), [("7d", 7.0), ("12h", 0.5), ("2w", 14.0)])
def test_durations(text, expected):
    assert days(text) == expected


@pytest.mark.parametrize("text", ["7", "d", "-1d", "7 days", ""])
def test_bad_durations_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        days(text)
