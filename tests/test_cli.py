"""``sro-bot ask`` and ``sro-bot check``, run as a separate process as a person runs them."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bot import messages
from bot.classifier import CACHE_DIR_ENV
from bot.safety import CRISIS_FILE_ENV

CITATION = (
    'Source: National Association of School Resource Officers, "Frequently Asked Questions", '
    "https://nasro.org/frequently-asked-questions/ (retrieved 2026-11-27)"
)
ENTRY_FIELDS = {"id", "question", "answer", "score", "source"}
SOURCE_FIELDS = {"publisher", "title", "url", "retrieved"}

DEMO = """\
id: demo
title: Demo FAQ
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
"""


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRO_") or k == CACHE_DIR_ENV}
    clean["PYTHONIOENCODING"] = "utf-8"
    # The sources here keep their dates; how old they are is tested in test_freshness.py.
    clean["SRO_STALE_AFTER_DAYS"] = "36500"
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=clean,
        cwd=cwd,
        timeout=60,
    )


def ask_json(*args: str, **kwargs) -> dict:
    done = run("ask", "--json", *args, **kwargs)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    return json.loads(lines[0])


@pytest.fixture
def demo_dir(tmp_path) -> Path:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "demo.yml").write_text(DEMO, encoding="utf-8")
    return directory


# --- ask, for a terminal --------------------------------------------------------------------


def test_ask_prints_question_answer_and_citation(tmp_path) -> None:
    done = run("ask", "are school resource officers armed?", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Q: Are school resource officers usually armed?" in out
    assert "Yes. A school resource officer is a commissioned, sworn law enforcement officer" in out
    assert CITATION in out
    assert out.index("Q:") < out.index("Yes.") < out.index("Source:")
    assert done.stderr == ""


def test_ask_joins_unquoted_words() -> None:
    done = run("ask", "how", "do", "I", "become", "a", "school", "resource", "officer")
    assert done.returncode == 0, done.stderr
    assert "Q: How do I become a school resource officer?" in done.stdout
    assert CITATION in done.stdout


# A word that several entries answer equally; the entry model would pick one of them.
VAGUE = ("guns", "--lexical-only")


def test_ask_when_not_sure_lists_the_closest_questions() -> None:
    done = run("ask", *VAGUE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(messages.SUGGEST)
    assert "  - Are school resource officers usually armed?" in done.stdout
    assert "Source:" not in done.stdout


def test_ask_without_an_answer_lists_topics() -> None:
    done = run("ask", "what is the weather tomorrow")
    assert done.returncode == 0, done.stderr
    assert messages.NO_MATCH in done.stdout
    assert messages.TOPICS_HINT in done.stdout
    assert "  - What are appropriate roles of school resource officers?" in done.stdout
    assert "Source:" not in done.stdout


def test_ask_in_a_crisis_says_call_911() -> None:
    done = run("ask", "there's a man with a knife in the cafeteria right now")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == messages.CRISIS_VIOLENCE
    assert "911" in done.stdout


def test_ask_about_self_harm_gives_988() -> None:
    done = run("ask", "i want to kill myself")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == messages.CRISIS_SELF_HARM
    assert "988" in done.stdout


def test_ask_reads_stdin_for_a_terminal_too() -> None:
    done = run("ask", "-", stdin="are SROs armed?\nwhat is the weather tomorrow\n")
    assert done.returncode == 0, done.stderr
    assert "Q: Are school resource officers usually armed?" in done.stdout
    assert messages.NO_MATCH in done.stdout


# --- ask --json -------------------------------------------------------------------------------


def _check_entry(item: dict) -> None:
    assert set(item) == ENTRY_FIELDS
    assert isinstance(item["id"], str) and item["id"]
    assert isinstance(item["question"], str) and item["question"]
    assert isinstance(item["answer"], str) and item["answer"]
    assert isinstance(item["score"], int | float) and 0 <= item["score"] <= 100
    assert set(item["source"]) == SOURCE_FIELDS


JSON_FIELDS = {
    "query",
    "crisis",
    "safety_notice",
    "safety",
    "decision",
    "matches",
    "suggestions",
    "matched_by",
}


def test_ask_json_answer() -> None:
    result = ask_json("are school resource officers armed?")
    assert set(result) == JSON_FIELDS
    assert result["query"] == "are school resource officers armed?"
    assert result["crisis"] is False
    assert result["decision"] == "answer"
    assert result["suggestions"] == []
    (match,) = result["matches"]
    _check_entry(match)
    assert match["id"] == "armed"
    assert match["question"] == "Are school resource officers usually armed?"
    assert match["answer"].startswith("Yes. A school resource officer")
    assert match["source"] == {
        "publisher": "National Association of School Resource Officers",
        "title": "Frequently Asked Questions",
        "url": "https://nasro.org/frequently-asked-questions/",
        "retrieved": "2026-11-27",
    }


def test_ask_json_suggest() -> None:
    result = ask_json(*VAGUE)
    assert result["decision"] == "suggest"
    assert result["crisis"] is False
    assert result["matches"] == []
    assert 1 <= len(result["suggestions"]) <= 3
    for item in result["suggestions"]:
        _check_entry(item)
    scores = [item["score"] for item in result["suggestions"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_json_no_match() -> None:
    result = ask_json("can you reset my email password")
    assert result["decision"] == "no_match"
    assert result["crisis"] is False
    assert result["matches"] == []
    assert result["suggestions"] == []


def test_ask_json_crisis() -> None:
    result = ask_json("shots fired in the main hallway")
    assert result == {
        "query": "shots fired in the main hallway",
        "crisis": True,
        "safety_notice": False,
        "safety": {"level": "crisis", "kind": "violence"},
        "decision": "crisis",
        "matches": [],
        "suggestions": [],
        "matched_by": "lexical",
    }


def test_ask_json_safety_notice_keeps_the_answer(tmp_path) -> None:
    patterns = tmp_path / "crisis.yml"
    patterns.write_text("violence:\n  - \\barmed\\b\n", encoding="utf-8")
    done = run(
        "ask", "--json", "are school resource officers armed?", env={CRISIS_FILE_ENV: str(patterns)}
    )
    result = json.loads(done.stdout)
    assert result["crisis"] is False
    assert result["safety_notice"] is True
    assert result["safety"] == {"level": "notice", "kind": "violence"}
    assert result["decision"] == "answer"
    assert result["matches"][0]["id"] == "armed"


def test_ask_text_puts_the_safety_notice_before_the_answer(tmp_path) -> None:
    patterns = tmp_path / "crisis.yml"
    patterns.write_text("violence:\n  - \\barmed\\b\n", encoding="utf-8")
    done = run("ask", "are school resource officers armed?", env={CRISIS_FILE_ENV: str(patterns)})
    out = done.stdout
    assert out.index("call 911") < out.index("Q: Are school resource officers usually armed?")
    assert CITATION in out


def test_ask_lexical_only_answers_without_the_entry_model() -> None:
    result = ask_json("are school resource officers armed?", "--lexical-only")
    assert result["decision"] == "answer"
    assert result["matches"][0]["id"] == "armed"
    assert result["matched_by"] == "lexical"


def test_ask_json_keeps_unicode() -> None:
    result = ask_json("¿qué es un SRO? 🚓")
    assert result["query"] == "¿qué es un SRO? 🚓"


def test_ask_json_stdin_gives_one_line_per_question() -> None:
    questions = [
        "are school resource officers armed?",
        "what is the weather tomorrow",
        "",
        "someone is being stabbed in the gym",
        "<@U0SROBOT> how do I become an SRO",
        VAGUE[0],
    ]
    done = run("ask", "--json", "--lexical-only", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(questions)
    results = [json.loads(line) for line in lines]
    assert [r["query"] for r in results] == questions
    assert [r["decision"] for r in results] == [
        "answer",
        "no_match",
        "help",  # a blank line asks nothing: it gets the help, as in Slack
        "crisis",
        "answer",
        "suggest",
    ]
    assert results[0]["matches"][0]["id"] == "armed"
    assert results[3]["crisis"] is True
    assert results[4]["matches"][0]["id"] == "become-sro"


def test_ask_json_stdin_handles_crlf_and_a_last_line_without_newline() -> None:
    done = run("ask", "--json", "-", stdin="are SROs armed?\r\nsro")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["query"] for r in results] == ["are SROs armed?", "sro"]


def test_ask_json_stdin_empty() -> None:
    done = run("ask", "--json", "-", stdin="")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_ask_json_stdin_answers_each_line_before_the_next_arrives() -> None:
    # score.py writes a question and waits for its answer: each line must be flushed.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRO_") or k == CACHE_DIR_ENV}
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=clean,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        for question, expected in [("are SROs armed?", "armed"), ("how to become an sro", None)]:
            process.stdin.write(question + "\n")
            process.stdin.flush()
            result = json.loads(process.stdout.readline())
            assert result["query"] == question
            if expected:
                assert result["matches"][0]["id"] == expected
        process.stdin.close()
        assert process.stdout.read() == ""
        assert process.wait(timeout=30) == 0


# --- other knowledge --------------------------------------------------------------------------


def test_ask_with_knowledge_option(demo_dir) -> None:
    result = ask_json("--knowledge", str(demo_dir), "can i bring my dog to school")
    assert result["decision"] == "answer"
    (match,) = result["matches"]
    assert match["id"] == "dogs"
    assert match["source"]["publisher"] == "Demo District"
    # A directory adds to the bundled knowledge; --no-bundled leaves the bundled out.
    bundled = ask_json("--knowledge", str(demo_dir), "are SROs armed")
    assert bundled["matches"][0]["id"] == "armed"
    alone = ask_json("--knowledge", str(demo_dir), "--no-bundled", "are SROs armed")
    assert alone["decision"] != "answer"


def test_ask_with_knowledge_environment_variable(demo_dir) -> None:
    env = {"SRO_KNOWLEDGE_DIR": str(demo_dir)}
    result = ask_json("can our class keep a hamster?", env=env)
    assert result["matches"][0]["id"] == "hamsters"
    done = run("ask", "can our class keep a hamster?", env=env)
    assert (
        'Source: Demo District, "Pet policy", https://example.org/pets (retrieved 2026-01-02)'
        in (done.stdout)
    )


def test_knowledge_option_wins_over_the_environment(demo_dir, tmp_path) -> None:
    env = {"SRO_KNOWLEDGE_DIR": str(tmp_path / "nowhere")}
    result = ask_json("--knowledge", str(demo_dir), "can i bring my dog to school", env=env)
    assert result["matches"][0]["id"] == "dogs"


def test_ask_with_broken_knowledge_exits_1_naming_file_entry_and_field(demo_dir) -> None:
    path = demo_dir / "demo.yml"
    path.write_text(DEMO.replace("answer: Only service dogs", "answr: Only service dogs"))
    for args, env in [
        (["--knowledge", str(demo_dir)], None),
        ([], {"SRO_KNOWLEDGE_DIR": str(demo_dir)}),
    ]:
        done = run("ask", *args, "can i bring my dog", env=env)
        assert done.returncode == 1
        assert done.stdout == ""
        assert "cannot be loaded" in done.stderr
        assert f"{path}:" in done.stderr
        assert "entry 'dogs'" in done.stderr
        assert "field 'answer'" in done.stderr
        assert "field 'answr'" in done.stderr
        assert "Traceback" not in done.stderr


def test_ask_with_a_missing_knowledge_directory(tmp_path) -> None:
    done = run("ask", "--knowledge", str(tmp_path / "nowhere"), "hi")
    assert done.returncode == 1
    assert str(tmp_path / "nowhere") in done.stderr
    assert "Traceback" not in done.stderr


def test_ask_with_a_school_crisis_file(tmp_path) -> None:
    patterns = tmp_path / "crisis.yml"
    patterns.write_text("violence:\n  - \\bdr green to\\b\n", encoding="utf-8")
    plain = ask_json("Dr Green to the library please")
    assert plain["safety"] == {"level": "none", "kind": None}
    # A school's own phrase alone puts the 911 notice first; it is not read as a crisis
    # unless the emergency model agrees.
    result = ask_json("Dr Green to the library please", env={"SRO_CRISIS_FILE": str(patterns)})
    assert result["safety_notice"] is True
    assert result["safety"] == {"level": "notice", "kind": "violence"}


def test_ask_with_a_broken_crisis_file_exits_1_naming_it(tmp_path) -> None:
    patterns = tmp_path / "crisis.yml"
    patterns.write_text("violence:\n  - (unclosed\n", encoding="utf-8")
    done = run("ask", "are SROs armed", env={"SRO_CRISIS_FILE": str(patterns)})
    assert done.returncode == 1
    assert str(patterns) in done.stderr
    assert "(unclosed" in done.stderr
    assert "Traceback" not in done.stderr


# --- check ------------------------------------------------------------------------------------


def test_check_bundled_knowledge_passes() -> None:
    done = run("check")
    assert done.returncode == 0, done.stdout
    assert "error:" not in done.stdout
    assert "0 error(s)" in done.stdout


def test_check_prints_warnings_and_exits_0(demo_dir) -> None:
    done = run("check", str(demo_dir))
    assert done.returncode == 0
    # The hamster entry has no alternates.
    warning = [line for line in done.stdout.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1
    assert f"{demo_dir / 'demo.yml'}:" in warning[0]
    assert "entry 'hamsters'" in warning[0]
    assert "field 'alternates'" in warning[0]
    assert done.stdout.splitlines()[-1] == f"{demo_dir}: 0 error(s), 1 warning(s)"


def test_check_uses_the_environment_variable(demo_dir) -> None:
    done = run("check", env={"SRO_KNOWLEDGE_DIR": str(demo_dir)})
    assert done.returncode == 0
    assert f"{demo_dir}: 0 error(s), 1 warning(s)" in done.stdout


def test_check_warns_about_an_alternate_another_entry_answers(demo_dir) -> None:
    (demo_dir / "demo.yml").write_text(
        DEMO.replace(
            "alternates: [are dogs allowed at school]",
            "alternates: [are dogs allowed at school, can our class keep a hamster]",
        )
    )
    done = run("check", str(demo_dir))
    assert done.returncode == 0
    [warning] = [
        line for line in done.stdout.splitlines() if "reword it" in line and "dogs" in line
    ]
    assert "field 'alternates[1]'" in warning
    assert "'can our class keep a hamster' " in warning


def test_check_exits_1_on_errors(demo_dir) -> None:
    (demo_dir / "demo.yml").write_text(
        DEMO.replace("alternates: [are dogs allowed at school]", "follow_ups: [cats]")
    )
    done = run("check", str(demo_dir))
    assert done.returncode == 1
    errors = [line for line in done.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "entry 'dogs'" in errors[0]
    assert "field 'follow_ups[0]'" in errors[0]
    assert "'cats'" in errors[0]
    assert "1 error(s)" in done.stdout


def test_check_a_missing_directory_exits_1(tmp_path) -> None:
    done = run("check", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert "no such file or directory" in done.stdout


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    assert run("ask").returncode == 2
    assert run("frobnicate").returncode == 2


def test_help() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "ask" in done.stdout and "check" in done.stdout


@pytest.mark.parametrize(
    ("words", "says"),
    [
        ("help", "sro-bot ask"),
        ("hello", "sro-bot ask"),
        ("topics", "  - How do I become a school resource officer?"),
        ("thanks!", "You're welcome"),
    ],
)
def test_ask_knows_help_topics_and_thanks(words, says) -> None:
    done = run("ask", words)
    assert done.returncode == 0, done.stderr
    assert says in done.stdout
    assert messages.NO_MATCH not in done.stdout


def test_ask_json_says_what_a_keyword_asked_for() -> None:
    assert ask_json("topics")["decision"] == "topics"
    assert ask_json("")["decision"] == "help"


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("sro-bot ")


def test_a_reader_that_stops_early_is_no_error() -> None:
    # ``sro-bot ask --json - | head -1``: the pipe closes after the first line.
    pipeline = (
        f"yes 'what is an sro' | head -5000 | {shlex.quote(sys.executable)} -m bot ask --json - "
        "| head -1"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(done.stdout)["decision"] == "answer"
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_the_readme_steps_for_a_knowledge_file_work_as_written(tmp_path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme.split("## Adding a knowledge file", 1)[1].split("\n## ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    district = tmp_path / "district"
    district.mkdir()
    (district / "district-faq.yml").write_text(example, encoding="utf-8")

    checked = run("check", str(district))
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[0].startswith("checking: bundled (")
    assert checked.stdout.splitlines()[-1] == f"{district}: 0 error(s), 0 warning(s)"

    asked = ask_json("--knowledge", str(district), "who is our school cop")
    assert asked["matches"][0]["id"] == "sro-contact"
    assert asked["matches"][0]["source"]["publisher"] == "Springfield Public Schools"
    assert ask_json("--knowledge", str(district), "are SROs armed")["matches"][0]["id"] == "armed"


def test_blank_lines_in_text_mode_are_skipped() -> None:
    done = run("ask", "-", stdin="\n   \nare SROs armed?\n\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Q: ") == 1
    assert "sro-bot ask" not in done.stdout  # no help printed for the blank lines


def test_ask_who_is_our_sro_points_to_the_school() -> None:
    result = ask_json("who is our SRO?")
    assert result["decision"] == "local"
    assert result["matches"] == [] and result["suggestions"] == []
    text = run("ask", "who is the SRO at Lincoln High").stdout
    assert text.strip() == messages.LOCAL_OFFICER
