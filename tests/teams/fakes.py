"""Fakes on 127.0.0.1 for the Teams tests: the Bot Framework's signing keys (a JWKS of an RSA
key made here) and a connector service (an activity's ``serviceUrl``) that records replies."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from microsoft_agents.hosting.core import AgentAuthConfiguration, Connections

APP_ID = "00000000-0000-4000-8000-00000000b07a"  # the bot's (test) Microsoft App ID
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
OUTGOING_TOKEN = "outgoing-test-token"


class SigningKey:
    """An RSA key, published as a JWKS, that signs tokens as the Bot Framework does."""

    def __init__(self, kid: str | None = None) -> None:
        self.kid = kid or uuid.uuid4().hex
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        key = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**key, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def token(self, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": BOT_FRAMEWORK_ISSUER,
            "aud": APP_ID,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": now + 3600,
            **claims,
        }
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, self.private, algorithm="RS256", headers={"kid": self.kid})


@dataclass
class Fake:
    """One aiohttp server on 127.0.0.1."""

    app: web.Application
    runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> Fake:
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


REQUESTS = web.AppKey("requests", list)


def jwks_server(*keys: SigningKey) -> Fake:
    app = web.Application()
    requests: list[str] = []
    app[REQUESTS] = requests

    async def keys_route(request: web.Request) -> web.Response:
        requests.append(request.path)
        return web.json_response({"keys": [key.jwk() for key in keys]})

    app.router.add_get("/keys", keys_route)
    return Fake(app)


@dataclass
class Posted:
    path: str
    authorization: str | None
    body: dict[str, Any]


@dataclass
class FakeConnector:
    """The connector service at an activity's ``serviceUrl``: records what the bot posts."""

    posted: list[Posted] = field(default_factory=list)
    server: Fake | None = None

    async def start(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        self.server = await Fake(app).start()
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url + "/"

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posted.append(Posted(request.path, request.headers.get("Authorization"), body))
        return web.json_response({"id": f"reply-{len(self.posted)}"})


class _Provider:
    """The bot's outgoing token, without asking Entra (the tests make no request outside)."""

    configuration = AgentAuthConfiguration(client_id=APP_ID, connection_name="SERVICE_CONNECTION")

    async def get_access_token(self, resource_url: str, scopes: list[str], force_refresh=False):
        return OUTGOING_TOKEN

    def get_token_credential(self):  # not used by a reply
        raise NotImplementedError


class FakeConnections(Connections):
    def get_connection(self, connection_name):
        return _Provider()

    def get_default_connection(self):
        return _Provider()

    def get_token_provider(self, claims_identity, service_url):
        return _Provider()

    def get_token_provider_from_activity(self, claims_identity, activity):
        return _Provider()

    def get_default_connection_configuration(self):
        return _Provider.configuration


def message(service_url: str, text: str, **fields: Any) -> dict[str, Any]:
    """A personal-chat message activity as Teams sends it."""
    return {
        "type": "message",
        "id": "1700000000000",
        "timestamp": "2026-12-02T12:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:1user", "name": "Pat Doe", "aadObjectId": str(uuid.uuid4())},
        "conversation": {"id": "a:1personal-chat", "conversationType": "personal"},
        "recipient": {"id": f"28:{APP_ID}", "name": "SRO Bot"},
        "text": text,
        "textFormat": "plain",
        "locale": "en-US",
        **fields,
    }


def channel_mention(service_url: str, question: str) -> dict[str, Any]:
    """A channel message that @mentions the bot, as Teams sends it."""
    mention = "<at>SRO Bot</at>"
    return message(
        service_url,
        f"{mention} {question}",
        conversation={
            "id": "19:abc@thread.tacv2;messageid=1700000000000",
            "conversationType": "channel",
            "isGroup": True,
        },
        entities=[
            {
                "type": "mention",
                "text": mention,
                "mentioned": {"id": f"28:{APP_ID}", "name": "SRO Bot"},
            }
        ],
        channelData={"teamsChannelId": "19:abc@thread.tacv2", "tenant": {"id": "t"}},
    )
