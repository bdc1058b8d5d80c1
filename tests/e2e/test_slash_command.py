"""``/sro`` over real HTTP: answered inside the acknowledgement, only to the asker."""

from __future__ import annotations

import json

import pytest

from bot import messages
from bot.matching import Decision
from bot.render.blocks import ANSWER_ACTION, SHARE_ACTION, Surface
from bot.server import SERVICES

from .slack_requests import slash_command

QUESTION = "how many SROs should a school have?"


def texts(blocks: list[dict]) -> str:
    """Every piece of text in the blocks, one per line (what a person could read)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return "\n".join(found)


def buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


async def test_answer_with_citation_is_ephemeral(bot, fake_slack, answerer):
    entry = answerer.answer(QUESTION).matches[0].entry
    reply = await bot.form(slash_command(QUESTION, response_url=fake_slack.response_url()))

    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith(entry.question)  # the notification fallback
    blocks = body["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": entry.question}}
    shown = texts(blocks)
    assert entry.answer.split(". ")[0] in shown  # quoted from the source
    citation = next(b for b in blocks if b["type"] == "context")["elements"][0]["text"]
    assert entry.source.publisher in citation
    assert f"<{entry.source.url}|{entry.source.title}>" in citation
    assert "retrieved November 27, 2026" in citation
    share = [b for b in buttons(blocks) if b["action_id"] == SHARE_ACTION]
    assert [b["value"] for b in share] == [entry.id]
    follow_ups = [b["value"] for b in buttons(blocks) if b["action_id"].startswith(ANSWER_ACTION)]
    assert follow_ups == list(entry.follow_ups)
    # Answered inside the acknowledgement: no Web API call beyond the one-time auth.test.
    await fake_slack.settle()
    assert {call.method for call in fake_slack.calls} <= {"auth.test"}


@pytest.mark.parametrize("text", ["", "help", "  Help  "])
async def test_help(bot, fake_slack, text):
    body = (await bot.form(slash_command(text, response_url=fake_slack.response_url()))).json()
    assert body["response_type"] == "ephemeral"
    assert body["blocks"][0]["text"]["text"] == messages.HELP_TITLE
    assert "/sro topics" in texts(body["blocks"])


@pytest.mark.parametrize("text", ["topics", "list"])
async def test_topics_lists_every_question_as_a_button(bot, fake_slack, answerer, text):
    body = (await bot.form(slash_command(text, response_url=fake_slack.response_url()))).json()
    values = [b["value"] for b in buttons(body["blocks"])]
    assert values == [entry.id for entry in answerer.knowledge]
    assert all(b["action_id"] == f"{ANSWER_ACTION}:{b['value']}" for b in buttons(body["blocks"]))


async def test_did_you_mean_offers_the_closest_questions(bot, fake_slack, answerer):
    candidates = ["questions about sros", "sro", "officers", "school police", "training", "guns"]
    query = next((q for q in candidates if answerer.answer(q).decision is Decision.SUGGEST), None)
    if query is None:
        pytest.skip("the matcher answers every candidate outright now; pick a vaguer one")
    expected = [s.entry.id for s in answerer.answer(query).suggestions]

    body = (await bot.form(slash_command(query, response_url=fake_slack.response_url()))).json()

    assert body["blocks"][0]["text"]["text"] == messages.SUGGEST
    assert [b["value"] for b in buttons(body["blocks"])] == expected


async def test_no_match_echoes_the_question_escaped(bot, fake_slack, answerer):
    # Slack sends a literally typed "<!channel>" as "&lt;!channel&gt;", and a real one as is.
    query = (
        "zebra migration &lt;!channel&gt; &amp; <!here> <@U0000OTHER> <https://evil.example|docs>"
    )
    assert answerer.answer(query).decision is Decision.NO_MATCH

    reply = await bot.form(slash_command(query, response_url=fake_slack.response_url()))

    body = reply.json()
    assert body["text"] == messages.NO_MATCH
    shown = texts(body["blocks"])
    assert "zebra migration &lt;!channel&gt; &amp;" in shown
    for ping in ("<!channel>", "<!here>", "<@U0000OTHER>", "<https://evil.example"):
        assert ping not in reply.text
    assert "/sro topics" in shown
    assert [b["value"] for b in buttons(body["blocks"])] == ["topics"]


async def test_crisis_gets_the_crisis_message_and_nothing_else(bot, fake_slack, answerer):
    query = "someone has a gun in the school right now"
    result = answerer.answer(query)
    assert result.decision is Decision.CRISIS

    body = (await bot.form(slash_command(query, response_url=fake_slack.response_url()))).json()

    assert body["text"] == messages.crisis_message(result.crisis_kind)
    assert [b["type"] for b in body["blocks"]] == ["section"]
    assert "911" in body["blocks"][0]["text"]["text"]


async def test_a_possible_emergency_gets_the_notice_first_then_the_answer(
    bot, fake_slack, answerer
):
    # Questions that read a little like an emergency; the model flags at least one with
    # the notice (and then it must still be answered).
    candidates = [
        "would a teacher with a gun be mistaken for a shooter",
        "could an armed teacher be mistaken for the shooter by police",
    ]
    noticed = [q for q in candidates if answerer.answer(q).safety_notice]
    assert noticed, "no candidate reads as a possible emergency any more: pick another"
    result = answerer.answer(noticed[0])
    assert result.decision is Decision.ANSWER

    reply = await bot.form(slash_command(noticed[0], response_url=fake_slack.response_url()))

    body = reply.json()
    notice = messages.safety_notice(result.safety.kind)
    assert body["text"].startswith(notice)
    assert body["blocks"][0]["type"] == "section"
    assert "911" in body["blocks"][0]["text"]["text"]
    entry = result.matches[0].entry
    assert body["blocks"][1] == {
        "type": "header",
        "text": {"type": "plain_text", "text": entry.question},
    }
    assert entry.answer.split(". ")[0] in texts(body["blocks"])


async def test_same_result_renders_the_same_as_the_renderer(bot, fake_slack, answerer):
    services = bot.app[SERVICES]
    for query in ("what is an SRO", "are SROs armed", "become a school resource officer"):
        expected = services.renderer.render(answerer.answer(query), Surface.EPHEMERAL)
        body = (await bot.form(slash_command(query, response_url=fake_slack.response_url()))).json()
        assert body["blocks"] == json.loads(json.dumps(list(expected.blocks)))


@pytest.mark.parametrize("text", ["what payload do SROs carry", "payload=armed sro"])
async def test_a_question_with_the_word_payload_is_still_a_command(bot, fake_slack, text):
    # Bolt alone would take any form containing "payload" for a button click's payload.
    reply = await bot.form(slash_command(text, response_url=fake_slack.response_url()))

    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert body["text"]
