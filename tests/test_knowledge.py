"""Loading, validating and linting knowledge files."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from bot.knowledge import (
    MAX_ANSWER_PARAGRAPHS,
    MAX_PARAGRAPH_CHARS,
    MAX_QUESTION_CHARS,
    KnowledgeError,
    Problem,
    bundled_knowledge_dir,
    check_knowledge,
    knowledge_layers,
    load_knowledge,
)

REPO = Path(__file__).resolve().parents[1]
SOURCE_TEXT = REPO / ".." / "shared" / "source" / "nasro-faq.txt"

BUNDLED_IDS = {
    "what-is-sro",
    "certification",
    "armed",
    "roles",
    "how-many-sros",
    "evidence",
    "pipeline",
    "active-shooter",
    "sros-per-school",
    "arming-teachers",
    "selection",
    "become-sro",
}

# A small valid knowledge file. Tests change one thing in it and look for the error;
# line numbers in assertions refer to this text (line 1 is "id: demo").
VALID = """\
id: demo
title: Demo FAQ
language: en
source:
  publisher: Demo Publisher
  title: Demo Questions
  url: https://example.org/faq
  retrieved: 2026-01-02
entries:
  - id: first
    question: What is the first thing?
    answer: The first answer.
    alternates: [tell me about number one]
    tags: [one]
    follow_ups: [second]
  - id: second
    question: What is the second thing?
    answer: The second answer.
    alternates: [what comes after the first]
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_problems(directory: Path) -> tuple[Problem, ...]:
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory, bundled=False)
    problems = raised.value.problems
    assert problems
    # The exception's message lists every problem, one per line.
    assert str(raised.value).splitlines() == [str(p) for p in problems]
    return problems


def find(
    problems: tuple[Problem, ...] | list[Problem],
    *,
    file: Path,
    line: int | None,
    entry: str | None,
    field: str | None,
    says: str,
) -> Problem:
    """The one problem at file/line/entry/field whose message contains ``says``."""
    found = [
        p
        for p in problems
        if p.file == file
        and p.line == line
        and p.entry == entry
        and p.field == field
        and says in p.message
    ]
    assert len(found) == 1, f"no single problem {says!r} at {file}:{line} {entry} {field} in:\n" + (
        "\n".join(map(str, problems))
    )
    problem = found[0]
    text = str(problem)
    assert str(file) in text
    if line is not None:
        assert f":{line}," in text or text.startswith(f"{file}:{line}:")
    if entry is not None:
        assert f"entry '{entry}'" in text
    if field is not None:
        assert f"field '{field}'" in text
    return problem


def broken(tmp_path: Path, old: str, new: str, name: str = "demo.yml") -> Path:
    """VALID with ``old`` replaced by ``new`` (``old`` must occur exactly once)."""
    assert VALID.count(old) == 1, old
    return write(tmp_path, name, VALID.replace(old, new))


# --- the bundled knowledge ----------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_knowledge(bundled_knowledge_dir())


def test_bundled_knowledge_has_the_twelve_nasro_entries(bundled) -> None:
    assert len(bundled) == 12
    assert {entry.id for entry in bundled} == BUNDLED_IDS
    assert bundled.titles == {"nasro-faq": "NASRO Frequently Asked Questions"}


def test_bundled_entries_cite_the_nasro_faq(bundled) -> None:
    for entry in bundled:
        assert entry.source.publisher == "National Association of School Resource Officers"
        assert entry.source.title == "Frequently Asked Questions"
        assert entry.source.url == "https://nasro.org/frequently-asked-questions/"
        assert entry.source.retrieved == dt.date(2026, 11, 27)
        assert entry.knowledge_id == "nasro-faq"
    assert len(bundled.sources) == 1


def test_bundled_follow_ups_resolve(bundled) -> None:
    for entry in bundled:
        for target in entry.follow_ups:
            assert target != entry.id
            assert bundled.get(target) is not None, f"{entry.id} -> {target}"


def test_bundled_entries_fit_slack(bundled) -> None:
    for entry in bundled:
        assert len(entry.question) <= MAX_QUESTION_CHARS
        assert entry.alternates, f"{entry.id} has no alternates"
        for paragraph in re.split(r"\n\s*\n", entry.answer):
            assert len(paragraph) <= MAX_PARAGRAPH_CHARS


def test_bundled_knowledge_passes_check() -> None:
    errors, _warnings = check_knowledge(bundled_knowledge_dir())
    assert errors == []


def test_the_knowledge_is_bundled_unless_configured(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SRO_KNOWLEDGE_DIR", raising=False)
    assert knowledge_layers() == [bundled_knowledge_dir()]
    assert (bundled_knowledge_dir() / "nasro-faq.yml").is_file()
    monkeypatch.setenv("SRO_KNOWLEDGE_DIR", str(tmp_path))
    assert knowledge_layers() == [bundled_knowledge_dir(), tmp_path]
    write(tmp_path, "demo.yml", VALID)
    # SRO_KNOWLEDGE_DIR adds to the bundled knowledge; SRO_BUNDLED_KNOWLEDGE=0 leaves it out.
    ids = [entry.id for entry in load_knowledge()]
    assert ids[-2:] == ["first", "second"] and "what-is-sro" in ids
    monkeypatch.setenv("SRO_BUNDLED_KNOWLEDGE", "0")
    assert [entry.id for entry in load_knowledge()] == ["first", "second"]


def test_a_file_with_a_bundled_knowledge_id_replaces_the_bundled_file(tmp_path) -> None:
    bundled = (bundled_knowledge_dir() / "nasro-faq.yml").read_text("utf-8")
    edited = bundled.replace("What is a school resource officer?", "What is an SRO, exactly?")
    write(tmp_path, "nasro-faq.yml", edited)
    knowledge = load_knowledge(tmp_path)
    assert len(knowledge) == len(load_knowledge(bundled_knowledge_dir()))  # no duplicates
    assert knowledge.get("what-is-sro").question == "What is an SRO, exactly?"


def _normalise_quote(text: str) -> str:
    text = re.sub(r"(?m)^\s*[-•]\s+", "• ", text)
    return " ".join(text.split())


def _source_answers(source: str, questions: list[str]) -> dict[str, str]:
    """Each question's answer as the source text has it: the text up to the next question."""
    starts = []
    for question in questions:
        match = re.search(rf"(?m)^{re.escape(question)}\s*$", source)
        assert match, f"question not in the source: {question!r}"
        starts.append((match.start(), match.end(), question))
    starts.sort()
    trailer = source.rfind("\nSource:")
    answers = {}
    for i, (_, end, question) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else (trailer if trailer > 0 else None)
        answers[question] = source[end:stop]
    return answers


# Transcription slips in the source that the knowledge mends (see GUIDE.md), as
# (what the source says, what the knowledge says).
MENDED = [("es. A school resource officer is", "Yes. A school resource officer is")]


@pytest.mark.skipif(
    not SOURCE_TEXT.is_file(), reason=f"the retrieved source text is not at {SOURCE_TEXT}"
)
def test_bundled_answers_quote_the_source_faithfully(bundled) -> None:
    source = SOURCE_TEXT.read_text(encoding="utf-8")
    expected = _source_answers(source, [entry.question for entry in bundled])
    for entry in bundled:
        quoted = _normalise_quote(expected[entry.question])
        for slip, mended in MENDED:
            quoted = quoted.replace(slip, mended)
        assert _normalise_quote(entry.answer) == quoted, entry.id


# --- several files ------------------------------------------------------------------------

OTHER = """\
id: other
title: Other FAQ
source:
  publisher: Other Publisher
  title: Other Questions
  url: https://example.com/other
  retrieved: 2025-05-06
entries:
  - id: third
    question: What is the third thing?
    answer: The third answer.
    follow_ups: [first]
  - id: fourth
    question: What is the fourth thing?
    answer: The fourth answer.
    source:
      publisher: Someone Else
      title: A Report
      url: https://example.net/report
      retrieved: 2024-03-04
"""


def test_a_directory_of_files_loads_as_one_knowledge_base(tmp_path) -> None:
    write(tmp_path, "a-demo.yml", VALID)
    write(tmp_path, "b-other.yaml", OTHER)
    write(tmp_path, "notes.txt", "not knowledge: ignored")
    knowledge = load_knowledge(tmp_path, bundled=False)
    assert [entry.id for entry in knowledge] == ["first", "second", "third", "fourth"]
    assert knowledge.titles == {"demo": "Demo FAQ", "other": "Other FAQ"}
    by_id = {entry.id: entry for entry in knowledge}
    assert by_id["first"].source.publisher == "Demo Publisher"
    assert by_id["first"].knowledge_id == "demo"
    assert by_id["third"].source.publisher == "Other Publisher"
    assert by_id["third"].source.retrieved == dt.date(2025, 5, 6)
    assert by_id["third"].knowledge_id == "other"
    # A follow-up may point into another file.
    assert by_id["third"].follow_ups == ("first",)
    # A per-entry source overrides the file's.
    assert by_id["fourth"].source.publisher == "Someone Else"
    assert by_id["fourth"].source.url == "https://example.net/report"
    assert by_id["fourth"].source.retrieved == dt.date(2024, 3, 4)
    assert [s.publisher for s in knowledge.sources] == [
        "Demo Publisher",
        "Other Publisher",
        "Someone Else",
    ]
    assert knowledge.get("fourth") is by_id["fourth"]
    assert knowledge.get("nowhere") is None


def test_a_single_file_loads(tmp_path) -> None:
    path = write(tmp_path, "demo.yml", VALID)
    knowledge = load_knowledge(path, bundled=False)
    first = knowledge.get("first")
    assert first is not None
    assert first.question == "What is the first thing?"
    assert first.alternates == ("tell me about number one",)
    assert first.tags == ("one",)
    assert first.follow_ups == ("second",)


# --- validation errors --------------------------------------------------------------------


def test_missing_directory(tmp_path) -> None:
    (problem,) = load_problems(tmp_path / "nowhere")
    assert problem.file == tmp_path / "nowhere"
    assert "no such file or directory" in problem.message


def test_directory_without_knowledge_files(tmp_path) -> None:
    (problem,) = load_problems(tmp_path)
    assert "no *.yml knowledge files" in problem.message


def test_yaml_syntax_error(tmp_path) -> None:
    path = broken(tmp_path, "    answer: The second answer.\n", "    answer: [The second\n")
    (problem,) = load_problems(tmp_path)
    assert problem.file == path
    assert problem.line is not None and problem.line >= 18
    assert "YAML syntax error" in problem.message
    assert f"{path}:{problem.line}" in str(problem)


def test_file_must_be_a_mapping(tmp_path) -> None:
    path = write(tmp_path, "demo.yml", "- just\n- a list\n")
    find(load_problems(tmp_path), file=path, line=1, entry=None, field=None, says="mapping")


@pytest.mark.parametrize(
    ("key", "line"),
    [("id: demo\n", 1), ("title: Demo FAQ\n", 1)],
)
def test_missing_file_fields(tmp_path, key, line) -> None:
    path = broken(tmp_path, key, "")
    field = key.split(":")[0]
    find(load_problems(tmp_path), file=path, line=line, entry=None, field=field, says="required")


def test_missing_file_source(tmp_path) -> None:
    text = re.sub(r"source:\n(  .*\n)+", "", VALID, count=1)
    path = write(tmp_path, "demo.yml", text)
    problem = find(
        load_problems(tmp_path), file=path, line=1, entry=None, field="source", says="missing"
    )
    assert "publisher, title, url and retrieved" in problem.message


@pytest.mark.parametrize(
    ("line_text", "field", "says"),
    [
        ("  publisher: Demo Publisher\n", "source.publisher", "required"),
        ("  title: Demo Questions\n", "source.title", "required"),
        ("  url: https://example.org/faq\n", "source.url", "required"),
        ("  retrieved: 2026-01-02\n", "source.retrieved", "YYYY-MM-DD"),
    ],
)
def test_missing_source_fields(tmp_path, line_text, field, says) -> None:
    path = broken(tmp_path, line_text, "")
    # Reported at the source mapping (its first remaining key, on line 5).
    find(load_problems(tmp_path), file=path, line=5, entry=None, field=field, says=says)


@pytest.mark.parametrize(
    ("old", "new", "field", "line", "says"),
    [
        ("  retrieved: 2026-01-02\n", "  retrieved: last tuesday\n", "source.retrieved", 8, "date"),
        ("  url: https://example.org/faq\n", "  url: example.org\n", "source.url", 7, "https://"),
        ("  title: Demo Questions\n", "  title: [a, b]\n", "source.title", 6, "must be text"),
        ("  publisher: Demo Publisher\n", "  publisher: 7\n", "source.publisher", 5, "text"),
    ],
)
def test_bad_source_values(tmp_path, old, new, field, line, says) -> None:
    path = broken(tmp_path, old, new)
    find(load_problems(tmp_path), file=path, line=line, entry=None, field=field, says=says)


def test_source_must_be_a_mapping(tmp_path) -> None:
    text = re.sub(r"source:\n(  .*\n)+", "source: Demo Publisher\n", VALID, count=1)
    path = write(tmp_path, "demo.yml", text)
    find(load_problems(tmp_path), file=path, line=4, entry=None, field="source", says="mapping")


def test_entries_missing_or_empty(tmp_path) -> None:
    path = write(tmp_path, "demo.yml", VALID.split("entries:")[0] + "entries: []\n")
    find(load_problems(tmp_path), file=path, line=9, entry=None, field="entries", says="non-empty")


def test_entry_must_be_a_mapping(tmp_path) -> None:
    path = write(tmp_path, "demo.yml", VALID + "  - just a string\n")
    find(
        load_problems(tmp_path),
        file=path,
        line=20,
        entry=None,
        field="entries[2]",
        says="must be a mapping",
    )


@pytest.mark.parametrize(
    ("old", "field", "entry", "line"),
    [
        # Reported at the entry's mapping, which starts on line 16.
        ("  - id: second\n    question", "id", "entries[1]", 16),
        ("    question: What is the second thing?\n", "question", "second", 16),
        ("    answer: The second answer.\n", "answer", "second", 16),
    ],
)
def test_missing_entry_fields(tmp_path, old, field, entry, line) -> None:
    new = "  - question" if field == "id" else ""
    path = broken(tmp_path, old, new)
    find(load_problems(tmp_path), file=path, line=line, entry=entry, field=field, says="required")


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        (
            "question: What is the second thing?",
            "question: 42",
            "question",
            "must be text, not int",
        ),
        ("answer: The second answer.", "answer: [a, b]", "answer", "must be text, not a list"),
        (
            "alternates: [what comes after the first]",
            "alternates: what comes after the first",
            "alternates",
            "must be a list, not text",
        ),
        (
            "alternates: [what comes after the first]",
            "alternates: [what comes after the first, 12]",
            "alternates[1]",
            "non-empty text",
        ),
        ("alternates: [what comes after the first]", "tags: {a: b}", "tags", "must be a list"),
        ("alternates: [what comes after the first]", "tags: ['', x]", "tags[0]", "non-empty"),
        ("alternates: [what comes after the first]", "follow_ups: first", "follow_ups", "list"),
    ],
)
def test_wrong_types_in_an_entry(tmp_path, old, new, field, says) -> None:
    path = broken(tmp_path, old, new)
    line = VALID.splitlines().index("    " + old) + 1
    find(load_problems(tmp_path), file=path, line=line, entry="second", field=field, says=says)


def test_language_must_be_text(tmp_path) -> None:
    path = broken(tmp_path, "language: en\n", "language: [en, fr]\n")
    find(load_problems(tmp_path), file=path, line=3, entry=None, field="language", says="text")


@pytest.mark.parametrize("bad", ["Second", "second_entry", "second--entry", "-second", "é"])
def test_entry_id_must_be_a_slug(tmp_path, bad) -> None:
    path = broken(tmp_path, "  - id: second\n", f"  - id: {bad}\n")
    problem = find(
        load_problems(tmp_path), file=path, line=16, entry="entries[1]", field="id", says="slug"
    )
    assert bad in problem.message


def test_file_id_must_be_a_slug(tmp_path) -> None:
    path = broken(tmp_path, "id: demo\n", "id: Demo FAQ\n")
    find(load_problems(tmp_path), file=path, line=1, entry=None, field="id", says="not a slug")


def test_duplicate_id_in_one_file(tmp_path) -> None:
    path = broken(tmp_path, "  - id: second\n", "  - id: first\n")
    problem = find(
        load_problems(tmp_path), file=path, line=16, entry="first", field="id", says="duplicate"
    )
    assert "unique across all knowledge files" in problem.message


def test_duplicate_id_across_two_files(tmp_path) -> None:
    first_file = write(tmp_path, "a-demo.yml", VALID)
    second_file = write(tmp_path, "b-other.yml", OTHER.replace("- id: third", "- id: second"))
    problem = find(
        load_problems(tmp_path),
        file=second_file,
        line=9,
        entry="second",
        field="id",
        says="duplicate id",
    )
    assert str(first_file) in problem.message


def test_follow_up_pointing_nowhere(tmp_path) -> None:
    path = broken(tmp_path, "follow_ups: [second]", "follow_ups: [second, nowhere]")
    problem = find(
        load_problems(tmp_path),
        file=path,
        line=15,
        entry="first",
        field="follow_ups[1]",
        says="not the id of any entry",
    )
    assert "'nowhere'" in problem.message


def test_follow_up_pointing_at_itself(tmp_path) -> None:
    path = broken(tmp_path, "follow_ups: [second]", "follow_ups:\n      - first")
    find(
        load_problems(tmp_path),
        file=path,
        line=16,
        entry="first",
        field="follow_ups[0]",
        says="itself",
    )


@pytest.mark.parametrize("empty", ['""', "'   '", "|-\n\n"])
def test_empty_answer(tmp_path, empty) -> None:
    path = broken(tmp_path, "answer: The first answer.", f"answer: {empty}")
    problem = find(
        load_problems(tmp_path), file=path, line=12, entry="first", field="answer", says=""
    )
    assert "empty" in problem.message


def test_answer_paragraph_too_long_for_slack(tmp_path) -> None:
    long_paragraph = "word " * (MAX_PARAGRAPH_CHARS // 5 + 1)
    path = broken(
        tmp_path,
        "answer: The first answer.",
        f"answer: |\n      Short opening.\n\n      {long_paragraph.strip()}",
    )
    problem = find(
        load_problems(tmp_path),
        file=path,
        line=12,
        entry="first",
        field="answer",
        says="paragraph 2",
    )
    assert str(MAX_PARAGRAPH_CHARS) in problem.message


def test_answer_with_too_many_paragraphs(tmp_path) -> None:
    paragraphs = "\n\n".join(f"      Paragraph {n}." for n in range(MAX_ANSWER_PARAGRAPHS + 1))
    path = broken(tmp_path, "answer: The first answer.", f"answer: |\n{paragraphs}")
    problem = find(
        load_problems(tmp_path), file=path, line=12, entry="first", field="answer", says="split"
    )
    assert f"{MAX_ANSWER_PARAGRAPHS + 1} paragraphs" in problem.message


def test_answer_paragraph_at_the_limit_is_fine(tmp_path) -> None:
    paragraph = "x" * MAX_PARAGRAPH_CHARS
    broken(tmp_path, "answer: The first answer.", f"answer: {paragraph}")
    assert len(load_knowledge(tmp_path, bundled=False)) == 2


def test_question_too_long_for_a_header(tmp_path) -> None:
    question = "Why " + "very " * 30 + "long?"
    assert len(question) > MAX_QUESTION_CHARS
    path = broken(tmp_path, "question: What is the first thing?", f"question: {question}")
    problem = find(
        load_problems(tmp_path), file=path, line=11, entry="first", field="question", says="header"
    )
    assert str(MAX_QUESTION_CHARS) in problem.message


def test_unknown_entry_field(tmp_path) -> None:
    path = broken(tmp_path, "    tags: [one]\n", "    tags: [one]\n    aliases: [uno]\n")
    problem = find(
        load_problems(tmp_path), file=path, line=15, entry="first", field="aliases", says="unknown"
    )
    assert "alternates" in problem.message


def test_unknown_file_field(tmp_path) -> None:
    path = broken(tmp_path, "language: en\n", "langauge: en\n")
    problem = find(
        load_problems(tmp_path), file=path, line=3, entry=None, field="langauge", says="unknown"
    )
    assert "language" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "field", "line"),
    [
        ("", "", "source.url", 19),
        ("      url: https://example.net/report\n", "", "source.url", 17),
        ("      retrieved: 2024-03-04\n", "", "source.retrieved", 17),
    ],
)
def test_bad_per_entry_source(tmp_path, old, new, field, line) -> None:
    text = OTHER.replace(old, new) if old else OTHER.replace("example.net/report", "example.net")
    if not old:
        text = text.replace("url: https://example.net", "url: ftp://example.net")
    path = write(tmp_path, "other.yml", text)
    find(load_problems(tmp_path), file=path, line=line, entry="fourth", field=field, says="")


def test_every_problem_is_reported_at_once(tmp_path) -> None:
    write(tmp_path, "a.yml", VALID.replace("answer: The first answer.", 'answer: ""'))
    write(tmp_path, "b.yml", OTHER.replace("question: What is the third thing?", "question: 3"))
    problems = load_problems(tmp_path)
    assert {(p.file.name, p.entry, p.field) for p in problems} == {
        ("a.yml", "first", "answer"),
        ("b.yml", "third", "question"),
    }


def test_check_reports_errors_without_raising(tmp_path) -> None:
    path = broken(tmp_path, "follow_ups: [second]", "follow_ups: [ghost]")
    errors, _warnings = check_knowledge(tmp_path, bundled=False)
    find(errors, file=path, line=15, entry="first", field="follow_ups[0]", says="ghost")


# --- lint warnings ------------------------------------------------------------------------


def test_check_valid_knowledge_has_no_errors_or_warnings(tmp_path) -> None:
    write(tmp_path, "demo.yml", VALID)
    assert check_knowledge(tmp_path, bundled=False) == ([], [])


def test_lint_warns_about_an_alternate_nearly_identical_to_another_entry(tmp_path) -> None:
    # "what is the 2nd thing" reads like entry second's question, but is an alternate of first.
    path = broken(
        tmp_path,
        "alternates: [tell me about number one]",
        "alternates: [tell me about number one, What is the second thing]",
    )
    errors, warnings = check_knowledge(tmp_path, bundled=False)
    assert errors == []
    problem = find(
        warnings, file=path, line=10, entry="first", field="alternates[1]", says="nearly identical"
    )
    assert "'second'" in problem.message
    # A warning is not an error: the knowledge still loads.
    assert len(load_knowledge(tmp_path, bundled=False)) == 2


def test_lint_compares_alternates_across_files(tmp_path) -> None:
    write(tmp_path, "a-demo.yml", VALID)
    other = write(
        tmp_path,
        "b-other.yml",
        OTHER.replace(
            "    follow_ups: [first]\n",
            "    alternates: [about number one, tell me about the number one]\n",
        ),
    )
    _errors, warnings = check_knowledge(tmp_path, bundled=False)
    problem = find(
        warnings,
        file=other,
        line=9,
        entry="third",
        field="alternates[1]",
        says="nearly identical",
    )
    assert "'first'" in problem.message


def test_lint_warns_about_an_entry_without_alternates(tmp_path) -> None:
    path = broken(tmp_path, "    alternates: [what comes after the first]\n", "")
    errors, warnings = check_knowledge(tmp_path, bundled=False)
    assert errors == []
    find(warnings, file=path, line=16, entry="second", field="alternates", says="no alternates")
