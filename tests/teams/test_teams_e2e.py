"""End to end: activities signed as the Bot Framework signs them, posted to the real server,
the reply received by a fake connector service on 127.0.0.1.

The signing key is made here and served as a JWKS on 127.0.0.1; the SDK's key lookup for
the Bot Framework issuer is pointed at it (its JWKS address is a constant of the SDK's).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from e2e.fake_slack import FakeSlack
from microsoft_agents.hosting.core.authorization import _entra_issuers
from sqlalchemy import select

from bot.answering import Answerer
from bot.config import TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET, Settings
from bot.server import SERVICES, create_app
from bot.store.schema import feedback, questions

from .fakes import (
    APP_ID,
    BOT_FRAMEWORK_ISSUER,
    OUTGOING_TOKEN,
    REQUESTS,
    FakeConnections,
    FakeConnector,
    SigningKey,
    channel_mention,
    jwks_server,
    message,
)

ADAPTIVE = "application/vnd.microsoft.card.adaptive"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer.load()


@dataclass
class Teams:
    url: str
    http: aiohttp.ClientSession
    key: SigningKey
    connector: FakeConnector
    jwks_requests: list[str]
    app: aiohttp.web.Application

    async def post(self, activity: Any, token: str | None = None, **headers: str) -> int:
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        body = activity if isinstance(activity, str | bytes) else json.dumps(activity)
        headers.setdefault("Content-Type", "application/json")
        async with self.http.post(f"{self.url}/api/messages", data=body, headers=headers) as r:
            assert r.status < 500, await r.text()
            return r.status

    def signed(self, **claims: Any) -> str:
        return self.key.token(serviceurl=self.connector.url, **claims)

    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for posted in self.connector.posted
            for a in posted.body.get("attachments", [])
            if a["contentType"] == ADAPTIVE
        ]


def card_text(card: dict[str, Any]) -> str:
    return json.dumps(card)


@pytest.fixture
async def teams(answerer, monkeypatch, tmp_path) -> AsyncIterator[Teams]:
    key = SigningKey()
    jwks = await jwks_server(key).start()
    monkeypatch.setitem(
        _entra_issuers.BOTFRAMEWORK_JWKS_URIS, BOT_FRAMEWORK_ISSUER, f"{jwks.url}/keys"
    )
    connector = await FakeConnector().start()
    slack = await FakeSlack().start()
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": "test-signing-secret",
            "SLACK_API_URL": slack.api_url,
            "SRO_DATABASE_PATH": str(tmp_path / "sro-bot.db"),
            TEAMS_CLIENT_ID: APP_ID,
            TEAMS_CLIENT_SECRET: "test-client-secret",
        }
    )
    app = create_app(settings, answerer, teams_connections=FakeConnections())
    runner = aiohttp.web.AppRunner(app, access_log=None)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with aiohttp.ClientSession() as http:
        yield Teams(f"http://127.0.0.1:{port}", http, key, connector, jwks.app[REQUESTS], app)
    await runner.cleanup()
    await slack.stop()
    await connector.stop()
    await jwks.stop()


async def test_personal_chat_question_gets_an_answer_card_with_its_citation(teams):
    status = await teams.post(
        message(teams.connector.url, "are SROs usually armed?"), teams.signed()
    )
    assert status in (200, 202)
    (posted,) = teams.connector.posted
    assert posted.path == "/v3/conversations/a:1personal-chat/activities/1700000000000"
    assert posted.authorization == f"Bearer {OUTGOING_TOKEN}"
    (card,) = teams.cards()
    texts = [block.get("text", "") for block in card["body"]]
    assert texts[0] == "Are school resource officers usually armed?"
    assert any(t.startswith("Yes. A school resource officer") for t in texts)
    citation = next(t for t in texts if t.startswith("Source:"))
    assert "National Association of School Resource Officers" in citation
    assert "[Frequently Asked Questions](https://nasro.org/frequently-asked-questions/)" in citation
    assert "retrieved November 27, 2026" in citation and citation.endswith("[1]")
    (entity,) = posted.body["entities"]
    assert entity["@type"] == "Message" and entity["type"] == "https://schema.org/Message"
    (claim,) = entity["citation"]
    assert claim["position"] == 1
    assert claim["appearance"]["url"] == "https://nasro.org/frequently-asked-questions/"
    assert claim["appearance"]["name"] == "Frequently Asked Questions"
    assert [a["title"] for a in card["actions"]] == ["Helpful", "Not helpful"]
    assert teams.jwks_requests == ["/keys"]


async def test_channel_mention_is_stripped_and_answered_in_the_channel(teams):
    activity = channel_mention(teams.connector.url, "are SROs usually armed?")
    assert await teams.post(activity, teams.signed()) in (200, 202)
    (posted,) = teams.connector.posted
    assert posted.path.startswith("/v3/conversations/19:abc@thread.tacv2;messageid=")
    (card,) = teams.cards()
    assert card["body"][0]["text"] == "Are school resource officers usually armed?"


async def test_a_picked_question_and_feedback_buttons_are_answered(teams):
    pick = message(teams.connector.url, "", value={"sro": "ask", "entry": "armed"})
    assert await teams.post(pick, teams.signed()) in (200, 202)
    feedback = message(teams.connector.url, "", value={"sro": "feedback", "helpful": True})
    assert await teams.post(feedback, teams.signed()) in (200, 202)
    answer, thanks = teams.cards()
    assert answer["body"][0]["text"] == "Are school resource officers usually armed?"
    assert thanks["body"][0]["text"] == "Thanks, glad it helped."


async def test_questions_and_feedback_are_stored_under_the_tenant(teams):
    tenant = {"id": "a:1personal-chat", "conversationType": "personal", "tenantId": TENANT}
    for text in ("are SROs usually armed?", "what is the wifi password for guests"):
        asked = message(teams.connector.url, text, conversation=tenant)
        assert await teams.post(asked, teams.signed()) in (200, 202)
    click = {"sro": "feedback", "helpful": False, "entry": "armed"}
    clicked = message(teams.connector.url, "", value=click, conversation=tenant)
    assert await teams.post(clicked, teams.signed()) in (200, 202)
    recorder = teams.app[SERVICES].recorder
    for _ in range(100):  # the recorder writes in the background
        if recorder.written >= 3:
            break
        await asyncio.sleep(0.05)
    async with recorder.database.engine.connect() as connection:
        asked = (await connection.execute(select(questions).order_by(questions.c.id))).all()
        given = (await connection.execute(select(feedback))).all()
    assert [(r.surface, r.team_id, r.decision, r.entry_id) for r in asked] == [
        ("teams", TENANT, "answer", "armed"),
        ("teams", TENANT, "no_match", None),
    ]
    # As for Slack: text kept only where the maintainers need it; the person only hashed.
    assert [r.text for r in asked] == [None, "what is the wifi password for guests"]
    assert all(r.user_hash and "29:1user" not in r.user_hash for r in asked)
    assert [(r.team_id, r.entry_id, r.kind) for r in given] == [(TENANT, "armed", "not_helpful")]


async def test_an_emergency_gets_911_and_no_answer(teams):
    activity = message(teams.connector.url, "there is a man with a gun in the hallway right now")
    assert await teams.post(activity, teams.signed()) in (200, 202)
    (posted,) = teams.connector.posted
    (card,) = teams.cards()
    assert "911" in card_text(card)
    assert "actions" not in card and not posted.body.get("entities")


async def test_invokes_and_conversation_updates_are_acknowledged_without_a_reply(teams):
    invoke = message(teams.connector.url, "", type="invoke", name="adaptiveCard/action")
    assert await teams.post(invoke, teams.signed()) == 200
    added = message(teams.connector.url, "", type="conversationUpdate", membersAdded=[])
    assert await teams.post(added, teams.signed()) == 202
    assert teams.connector.posted == []


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda t: SigningKey(kid=t.key.kid).token(serviceurl=t.connector.url), id="forged"
        ),
        pytest.param(
            lambda t: t.signed(exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
            id="expired",
        ),
        pytest.param(
            lambda t: t.signed(aud="11111111-2222-4333-8444-555555555555"), id="wrong-audience"
        ),
        pytest.param(lambda t: t.signed(iss="https://evil.example.com"), id="wrong-issuer"),
        pytest.param(lambda t: t.signed(exp=None), id="no-expiry"),
        pytest.param(
            lambda t: t.key.token(serviceurl="https://smba.trafficmanager.net/amer/"),
            id="other-service-url",
        ),
        pytest.param(lambda t: t.key.token(), id="no-service-url"),
        pytest.param(lambda t: "not.a.token", id="garbage"),
        pytest.param(lambda t: None, id="missing"),
    ],
)
async def test_unauthenticated_requests_get_401_and_no_reply(teams, forge, caplog):
    activity = message(teams.connector.url, "are SROs usually armed?")
    token = forge(teams)
    assert await teams.post(activity, token) == 401
    assert teams.connector.posted == []
    assert "Teams request refused" in caplog.text
    assert token is None or token not in caplog.text


async def test_clock_skew_within_five_minutes_is_accepted(teams):
    now = int(time.time())
    token = teams.signed(exp=now - 120, nbf=now - 3600)
    activity = message(teams.connector.url, "are SROs usually armed?")
    assert await teams.post(activity, token) in (200, 202)
    assert len(teams.connector.posted) == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'{"type": "message"}', b"\xff\xfe"],
    ids=["not-json", "a-list", "no-conversation", "not-utf8"],
)
async def test_a_signed_malformed_request_gets_400(teams, body):
    assert await teams.post(body, teams.signed()) == 400
    assert teams.connector.posted == []


async def test_slack_only_settings_have_no_teams_endpoint(answerer, tmp_path):
    slack = await FakeSlack().start()
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": "test-signing-secret",
            "SLACK_API_URL": slack.api_url,
            "SRO_DATABASE_PATH": str(tmp_path / "sro-bot.db"),
        }
    )
    app = create_app(settings, answerer)
    assert "/api/messages" not in {r.resource.canonical for r in app.router.routes()}
    await slack.stop()
