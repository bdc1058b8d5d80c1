"""Sources show freshness: citations carry the retrieved date, ``check`` warns when it is old."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.answering import Answerer
from bot.cli import main
from bot.config import ConfigError
from bot.freshness import DEFAULT_STALE_AFTER_DAYS, stale_after_days, stale_sources
from bot.knowledge import Problem, Source, load_knowledge, source_locations
from bot.render.blocks import BlockRenderer, Surface
from bot.render.text import render_text

TODAY = dt.date.today()

KNOWLEDGE = """\
id: district
title: District FAQ
source:
  publisher: Demo District
  title: Pet policy
  url: https://example.org/pets
  retrieved: {file_date}
entries:
  - id: dogs
    question: Can I bring my dog to school?
    answer: Only service dogs are allowed on campus.
    alternates: [are dogs allowed at school]
  - id: hamsters
    question: Can our class keep a hamster?
    answer: Classroom pets need the principal's approval.
    alternates: [can we have a class pet]
    source:
      publisher: Demo District
      title: Classroom animals
      url: https://example.org/animals
      retrieved: {entry_date}
"""
FILE_DATE_LINE, ENTRY_DATE_LINE = 7, 21


def knowledge(tmp_path: Path, file_date: dt.date, entry_date: dt.date) -> Path:
    text = KNOWLEDGE.format(file_date=file_date.isoformat(), entry_date=entry_date.isoformat())
    (tmp_path / "district.yml").write_text(text, encoding="utf-8")
    return tmp_path


def check(directory: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["check", str(directory), "--no-bundled"])
    out, err = capsys.readouterr()
    return code, [line for line in out.splitlines() if "retrieved" in line], err


def test_check_warns_about_each_source_retrieved_too_long_ago(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SRO_STALE_AFTER_DAYS", raising=False)
    directory = knowledge(tmp_path, TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=366))
    code, stale, _ = check(directory, capsys)
    assert code == 0  # a warning, not an error
    file, entry = stale
    where = directory / "district.yml"
    assert file.startswith(f"warning: {where}:{FILE_DATE_LINE}, field 'source.retrieved': ")
    assert '"Pet policy" (Demo District, https://example.org/pets)' in file
    assert "400 days ago (more than SRO_STALE_AFTER_DAYS=365)" in file
    assert entry.startswith(
        f"warning: {where}:{ENTRY_DATE_LINE}, entry 'hamsters', field 'source.retrieved': "
    )
    assert '"Classroom animals"' in entry and "366 days ago" in entry


def test_a_source_of_exactly_the_age_allowed_is_not_stale(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SRO_STALE_AFTER_DAYS", raising=False)
    directory = knowledge(tmp_path, TODAY - dt.timedelta(days=365), TODAY)
    assert check(directory, capsys)[1] == []


def test_the_age_allowed_comes_from_the_environment(tmp_path, capsys, monkeypatch):
    directory = knowledge(tmp_path, TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=1))
    monkeypatch.setenv("SRO_STALE_AFTER_DAYS", "500")
    assert check(directory, capsys)[1] == []
    monkeypatch.setenv("SRO_STALE_AFTER_DAYS", "0")
    _, stale, _ = check(directory, capsys)
    assert len(stale) == 2 and "1 days ago (more than SRO_STALE_AFTER_DAYS=0)" in stale[1]


@pytest.mark.parametrize("raw", ["a year", "365.5", "-1"])
def test_an_age_that_is_not_a_number_of_days_stops_check(tmp_path, capsys, monkeypatch, raw):
    monkeypatch.setenv("SRO_STALE_AFTER_DAYS", raw)
    code, _, err = check(knowledge(tmp_path, TODAY, TODAY), capsys)
    assert code == 1
    assert "SRO_STALE_AFTER_DAYS must be a whole number of days" in err and repr(raw) in err


def test_stale_after_days_defaults_to_a_year():
    assert stale_after_days({}) == DEFAULT_STALE_AFTER_DAYS == 365
    assert stale_after_days({"SRO_STALE_AFTER_DAYS": " 30 "}) == 30
    with pytest.raises(ConfigError):
        stale_after_days({"SRO_STALE_AFTER_DAYS": "soon"})


def test_a_source_retrieved_in_the_future_is_not_stale():
    source = Source("P", "T", "https://example.org", TODAY + dt.timedelta(days=3))
    where = Problem(Path("x.yml"), 1, None, "source.retrieved", "")
    assert stale_sources([(source, where)], after_days=0, today=TODAY) == []


def test_sources_of_a_bundled_file_replaced_by_one_of_its_id_are_not_checked(tmp_path):
    assert any(w.file.name == "nasro-faq.yml" for _, w in source_locations(bundled=True))
    text = KNOWLEDGE.format(file_date=TODAY, entry_date=TODAY).replace(
        "id: district", "id: nasro-faq"
    )
    (tmp_path / "mine.yml").write_text(text, encoding="utf-8")
    located = source_locations(tmp_path, bundled=True)
    assert [(w.file, w.line) for _, w in located] == [
        (tmp_path / "mine.yml", FILE_DATE_LINE),
        (tmp_path / "mine.yml", ENTRY_DATE_LINE),
    ]


def test_citations_carry_the_retrieved_date_in_slack_and_in_the_terminal(tmp_path):
    directory = knowledge(tmp_path, dt.date(2019, 3, 4), dt.date(2020, 5, 6))
    answerer = Answerer(load_knowledge(directory, bundled=False), lexical_only=True)
    renderer = BlockRenderer(answerer.knowledge)
    for question, slack_date, iso_date in (
        ("can I bring my dog to school?", "retrieved March 4, 2019", "(retrieved 2019-03-04)"),
        ("can our class keep a hamster?", "retrieved May 6, 2020", "(retrieved 2020-05-06)"),
    ):
        result = answerer.answer(question)
        blocks = renderer.render(result, Surface.EPHEMERAL).blocks
        contexts = [b["elements"][0]["text"] for b in blocks if b["type"] == "context"]
        assert any(slack_date in c for c in contexts), contexts
        assert iso_date in render_text(result, answerer.knowledge)
