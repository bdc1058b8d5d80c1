"""The maintainers' loop end to end: questions through the real server, a "Not helpful"
click and what the person typed in its modal, then ``sro-bot report`` reads them back."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import yaml

from bot import messages
from bot.render.blocks import NOT_HELPFUL_ACTION
from bot.render.feedback import COMMENT_BLOCK, COMMENT_CALLBACK, COMMENT_INPUT
from bot.server import SERVICES, SETTINGS, create_app

from .conftest import RunningBot, bot_settings, start_bot, wait_until_ready
from .slack_requests import (
    SIGNING_SECRET,
    USER_ID,
    block_actions,
    ephemeral_container,
    event_callback,
    slash_command,
    view_submission,
)
from .test_serve_command import clean_env, free_port, serve, wait_until_up

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


async def wait_written(recorder, rows: int) -> None:
    for _ in range(100):  # the recorder writes in the background, twice a second
        if recorder.written >= rows:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{recorder.written} of {rows} rows written")


async def test_a_maintainer_sees_the_weeks_figures_in_app_home(fake_slack, answerer):
    app = create_app(bot_settings(fake_slack, SRO_ADMIN_USER_IDS=f"UOTHER1, {USER_ID}"), answerer)
    runner, url = await start_bot(app)
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_ready(http, url)
            running = RunningBot(url, http, app)
            await running.form(slash_command(UNANSWERED[0], response_url=fake_slack.response_url()))
            await wait_written(app[SERVICES].recorder, 1)
            for user, event_id in ((USER_ID, "EvHome1"), ("U0000NOTADMIN", "EvHome2")):
                event = {"type": "app_home_opened", "user": user, "tab": "home"}
                await running.event(event_callback(event, event_id=event_id))
            published = await fake_slack.wait_for("views.publish", 2)
    finally:
        await runner.cleanup()
    views = {call.body["user_id"]: call.body["view"] for call in published}
    admin, other = views[USER_ID]["blocks"], views["U0000NOTADMIN"]["blocks"]
    assert admin[0]["text"]["text"] == messages.HOME_MAINTAINERS
    assert "*1* questions" in admin[1]["text"]["text"]
    assert UNANSWERED[0] in admin[2]["text"]["text"]
    assert len(admin) <= 100
    assert messages.HOME_MAINTAINERS not in str(other)
    assert other == answerer_home(answerer)


def answerer_home(answerer) -> list[dict]:
    from bot.render.blocks import BlockRenderer

    return BlockRenderer(answerer.knowledge).home_view["blocks"]


async def test_the_weekly_digest_is_posted_once_by_two_processes(fake_slack, tmp_path):
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    upgraded = sro_bot("db", "upgrade", database_url=database)
    assert upgraded.returncode == 0, upgraded.stderr
    ports = [free_port(), free_port()]
    processes = [
        await serve(
            clean_env(
                SLACK_BOT_TOKEN="xoxb-digest-test",
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                SLACK_API_URL=fake_slack.api_url,
                PORT=str(port),
                DATABASE_URL=database,
                SRO_DIGEST_CHANNEL="C0DIGEST",
                LOG_LEVEL="WARNING",
            )
        )
        for port in ports
    ]
    try:
        async with aiohttp.ClientSession() as http:
            for port in ports:
                await wait_until_up(http, f"http://127.0.0.1:{port}")
                await wait_until_ready(http, f"http://127.0.0.1:{port}", timeout=20)
        [posted] = await fake_slack.wait_for("chat.postMessage", timeout=10)
        await fake_slack.settle(quiet=1.0)  # both have looked at the week by now
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.communicate(), 20)
    digests = [c for c in fake_slack.of("chat.postMessage") if c.body["channel"] == "C0DIGEST"]
    assert digests == [posted]
    assert posted.body["blocks"][0]["type"] == "header"
    assert posted.headers["Authorization"] == "Bearer xoxb-digest-test"


def not_helpful_value(blocks: list[dict]) -> str:
    [value] = [
        e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == NOT_HELPFUL_ACTION
    ]
    return value


async def test_not_helpful_under_an_answer_keeps_the_question_unless_an_emergency(
    bot, fake_slack, answerer
):
    plain = "are SROs armed?"
    candidates = [  # answered, with the 911 notice above the answer
        "would a teacher with a gun be mistaken for a shooter",
        "could an armed teacher be mistaken for the shooter by police",
    ]
    noticed = [q for q in candidates if answerer.answer(q).safety_notice]
    assert noticed, "no candidate reads as a possible emergency any more: pick another"
    for question in (plain, noticed[0]):
        reply = await bot.form(slash_command(question, response_url=fake_slack.response_url()))
        value = not_helpful_value(reply.json()["blocks"])
        await bot.form(
            block_actions(
                NOT_HELPFUL_ACTION,
                value,
                container=ephemeral_container(),
                response_url=fake_slack.response_url(),
            )
        )
    await wait_written(bot.app[SERVICES].recorder, 4)
    shown = sro_bot("report", "--format", "json", database_url=bot.app[SETTINGS].store.url)
    report = json.loads(shown.stdout)
    assert sum(report["not_helpful"].values()) == 2
    assert report["not_helpful_questions"] == [["armed", plain]]  # not the possible emergency
