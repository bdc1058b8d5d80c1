"""The maintainers' loop end to end: questions through the real server, a "Not helpful"
click and what the person typed in its modal, then ``sro-bot report`` reads them back."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot.render.blocks import NOT_HELPFUL_ACTION
from bot.render.feedback import COMMENT_BLOCK, COMMENT_CALLBACK, COMMENT_INPUT
from bot.server import SERVICES, SETTINGS

from .slack_requests import (
    block_actions,
    ephemeral_container,
    slash_command,
    view_submission,
)

UNANSWERED = [
    "what is the salary of a school resource officer",
    "What is the salary of a school resource officer?",
    "What is the salary of an SRO",
]


def sro_bot(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SRO_", "DATABASE_URL"))}
    env["DATABASE_URL"] = database_url.replace("+aiosqlite", "")
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=60
    )


async def test_questions_and_feedback_reach_the_report(bot, fake_slack, answerer):
    for question in [*UNANSWERED, "are SROs armed?", "are school resource officers armed"]:
        await bot.form(slash_command(question, response_url=fake_slack.response_url()))
    await bot.form(
        block_actions(
            NOT_HELPFUL_ACTION,
            "armed",
            container=ephemeral_container(),
            response_url=fake_slack.response_url(),
        )
    )
    [opened] = await fake_slack.wait_for("views.open")
    assert opened.body["trigger_id"] == "1337.42.abcd"
    modal = opened.body["view"]
    assert modal["callback_id"] == COMMENT_CALLBACK and modal["private_metadata"] == "armed"
    typed = {COMMENT_BLOCK: {COMMENT_INPUT: {"type": "plain_text_input", "value": "taser rules"}}}
    reply = await bot.form(view_submission(COMMENT_CALLBACK, typed, private_metadata="armed"))
    assert reply.status == 200

    recorder = bot.app[SERVICES].recorder
    for _ in range(100):  # the recorder writes in the background, twice a second
        if recorder.written >= 7:
            break
        await asyncio.sleep(0.05)
    assert recorder.written == 7 and len(recorder) == 0

    url = bot.app[SETTINGS].store.url
    shown = sro_bot("report", "--format", "json", database_url=url)
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    assert report["questions"] == 5
    assert report["decisions"]["answer"] == 2
    assert report["top_entries"] == [["armed", 2]]
    assert report["not_helpful"] == {"armed": 1}
    assert report["comments"] == [["armed", "taser rules"]]
    [group] = report["unanswered"]
    assert group["count"] == 3
    assert sorted(group["texts"]) == sorted(UNANSWERED)

    text = sro_bot("report", database_url=url)
    assert UNANSWERED[0] in text.stdout and "taser rules" in text.stdout


async def test_suggested_alternates_paste_into_the_entry_and_pass_check(
    bot, fake_slack, answerer, tmp_path
):
    asked = ["can sros use tasers on students", "can an sro use a taser on a student"]
    assert {str(answerer.answer(q).decision) for q in asked} == {"suggest"}
    for question in asked:
        await bot.form(slash_command(question, response_url=fake_slack.response_url()))
    recorder = bot.app[SERVICES].recorder
    for _ in range(100):
        if recorder.written >= 2:
            break
        await asyncio.sleep(0.05)

    snippet = sro_bot("report", "--suggest-alternates", database_url=bot.app[SETTINGS].store.url)
    assert snippet.returncode == 0, snippet.stderr
    assert snippet.stdout.startswith("# entry 'armed' in ")
    wordings = yaml.safe_load(snippet.stdout)
    assert sorted(wordings) == sorted(asked)

    # Pasted under the entry's alternates, in a copy of the knowledge: check accepts it.
    source = Path(snippet.stdout.split(" in ", 1)[1].split(":", 1)[0])
    knowledge = yaml.safe_load(source.read_text(encoding="utf-8"))
    [entry] = [e for e in knowledge["entries"] if e["id"] == "armed"]
    entry["alternates"] = [*entry.get("alternates", []), *wordings]
    copy = tmp_path / "knowledge"
    copy.mkdir()
    (copy / source.name).write_text(yaml.safe_dump(knowledge, allow_unicode=True), "utf-8")
    checked = sro_bot("check", str(copy), "--no-bundled", database_url="")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert " 0 error(s)" in checked.stdout
