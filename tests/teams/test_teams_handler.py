"""The Teams handler's reading of a message: the bot's mention removed, buttons' values."""

from __future__ import annotations

import pytest
from microsoft_agents.activity import Activity

from bot import messages
from bot.answering import Answerer
from bot.teams.handler import TeamsAnswers, question_text

from .fakes import channel_mention, message

SERVICE = "https://smba.trafficmanager.net/amer/"


@pytest.fixture(scope="module")
def handler() -> TeamsAnswers:
    answerer = Answerer.load()
    return TeamsAnswers(lambda: answerer)


def test_the_bots_mention_is_removed_from_the_question():
    activity = Activity.model_validate(channel_mention(SERVICE, "are SROs armed?"))
    assert question_text(activity).strip() == "are SROs armed?"


def test_another_persons_mention_keeps_their_name():
    activity = Activity.model_validate(message(SERVICE, "<at>Sam Lee</at> asked: are SROs armed?"))
    assert question_text(activity) == "Sam Lee asked: are SROs armed?"


def test_a_mention_alone_gets_help(handler):
    activity = Activity.model_validate(channel_mention(SERVICE, ""))
    card = handler.reply(activity)
    assert card.content["body"][0]["text"] == messages.HELP_TITLE


def test_an_unknown_button_value_is_answered_plainly(handler):
    activity = Activity.model_validate(message(SERVICE, "", value={"sro": "ask", "entry": "gone"}))
    card = handler.reply(activity)
    assert card.content["body"][0]["text"] == messages.TEAMS_ENTRY_GONE
