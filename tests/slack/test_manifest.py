"""manifest.yml agrees with the code: the command, the events, the scopes, the URLs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import messages
from bot.answering import Answerer
from bot.server import EVENTS_PATH
from bot.slack import Services, register_listeners

ROOT = Path(__file__).resolve().parents[2]
SLACK_PACKAGE = ROOT / "bot" / "slack"

# Scopes each Web API method, event and feature needs (https://docs.slack.dev/reference).
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "conversations_open": {"im:write"},
    "views_publish": set(),
    "views_open": set(),
    "auth_test": set(),
}
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},
    "message.im": {"im:history"},
    "app_home_opened": set(),
    "app_uninstalled": set(),
    "tokens_revoked": set(),
}
COMMAND_SCOPES = {"commands"}


class RecordingApp:
    """Stands in for AsyncApp to record what ``register_listeners`` listens for."""

    installation_store = None  # one workspace, as without SLACK_CLIENT_ID

    def __init__(self) -> None:
        self.commands: list[str] = []
        self.events: list[str] = []
        self.actions: list[Any] = []
        self.views: list[Any] = []

    def command(self, name: str):
        self.commands.append(name)
        return lambda f: f

    def event(self, name: str):
        self.events.append(name)
        return lambda f: f

    def action(self, constraint: Any):
        self.actions.append(constraint)
        return lambda f: f

    def view(self, constraint: Any):
        self.views.append(constraint)
        return lambda f: f


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registered() -> RecordingApp:
    app = RecordingApp()
    register_listeners(app, Services.build(Answerer.load()))  # type: ignore[arg-type]
    return app


def socket_mode_manifest() -> dict[str, Any]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"Socket Mode manifest.*?```yaml\n(.*?)```", readme, re.DOTALL)
    assert found, "README.md should show the Socket Mode manifest in a ```yaml block"
    return yaml.safe_load(found.group(1))


def test_the_command_is_the_one_the_code_answers(manifest, registered):
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [messages.COMMAND] == registered.commands


def test_the_events_are_the_ones_the_code_listens_for(manifest, registered):
    subscribed = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    # message.im arrives as a "message" event with channel_type "im"; the catch-all pattern
    # (acknowledging events nothing answers) subscribes to nothing.
    named = [e for e in registered.events if isinstance(e, str)]
    listened = {"message.im" if e == "message" else e for e in named}
    assert subscribed == listened


def web_api_methods_called() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in SLACK_PACKAGE.glob("*.py"))
    return set(re.findall(r"client\.([a-z]+_[A-Za-z]+)\(", source))


def test_the_scopes_are_exactly_what_the_calls_and_events_need(manifest):
    called = web_api_methods_called()
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes these methods need to METHOD_SCOPES: {unknown}"
    needed = set(COMMAND_SCOPES)
    for method in called:
        needed |= METHOD_SCOPES[method]
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needed |= EVENT_SCOPES[event]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
    assert {"chat_postMessage", "views_publish"} <= called  # the scan found the calls


def test_every_request_url_is_the_one_route(manifest):
    urls = [
        *(c["url"] for c in manifest["features"]["slash_commands"]),
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]
    assert {url.split("://", 1)[1].split("/", 1)[1] for url in urls} == {EVENTS_PATH.lstrip("/")}
    assert all(url.startswith("https://") for url in urls)


def test_home_and_messages_tabs_and_interactivity_are_on(manifest):
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert not home["messages_tab_read_only_enabled"]
    assert manifest["settings"]["interactivity"]["is_enabled"]
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_readme_socket_mode_manifest_is_the_same_app_without_urls(manifest):
    socket = socket_mode_manifest()
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in socket["settings"]["event_subscriptions"]
    assert "request_url" not in socket["settings"]["interactivity"]
    assert all("url" not in c for c in socket["features"]["slash_commands"])
    # The same scopes; no redirect URL: installing in many workspaces needs HTTP mode.
    assert socket["oauth_config"] == {"scopes": manifest["oauth_config"]["scopes"]}
    assert socket["features"]["app_home"] == manifest["features"]["app_home"]
    assert (
        socket["settings"]["event_subscriptions"]["bot_events"]
        == manifest["settings"]["event_subscriptions"]["bot_events"]
    )
    assert [c["command"] for c in socket["features"]["slash_commands"]] == [messages.COMMAND]


def test_oauth_asks_for_the_manifests_scopes_and_redirect(manifest):
    from bot.slack.distribution import BOT_SCOPES, REDIRECT_PATH

    assert sorted(BOT_SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])
    [redirect] = manifest["oauth_config"]["redirect_urls"]
    assert redirect.endswith(REDIRECT_PATH)
