"""Teams settings: the Agents SDK's environment names, both or neither, never shown."""

from __future__ import annotations

import pytest

from bot.config import (
    TEAMS_CLIENT_ID,
    TEAMS_CLIENT_SECRET,
    TEAMS_TENANT_ID,
    ConfigError,
    Settings,
)

SLACK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
APP_ID = "00000000-0000-4000-8000-00000000b07a"


def test_teams_is_off_unless_its_credentials_are_set():
    settings = Settings.from_env(SLACK)
    assert not settings.teams and "teams=off" in settings.describe()


def test_teams_settings_are_read_and_the_secret_never_shown():
    env = {
        **SLACK,
        TEAMS_CLIENT_ID: APP_ID,
        TEAMS_CLIENT_SECRET: "teams-shh",
        TEAMS_TENANT_ID: "t1",
    }
    settings = Settings.from_env(env)
    assert settings.teams and settings.teams_app_id == APP_ID
    assert settings.teams_tenant_id == "t1"
    for shown in (repr(settings), settings.describe()):
        assert "teams-shh" not in shown
    assert "teams=on" in settings.describe()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({TEAMS_CLIENT_ID: APP_ID}, TEAMS_CLIENT_SECRET),
        ({TEAMS_CLIENT_SECRET: "x"}, TEAMS_CLIENT_ID),
        ({TEAMS_CLIENT_ID: "not-a-guid", TEAMS_CLIENT_SECRET: "x"}, "GUID"),
    ],
)
def test_half_or_malformed_teams_settings_are_refused(env, named):
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({**SLACK, **env})
    assert named in str(raised.value) and "x" * 3 not in str(raised.value)


def test_teams_alone_needs_no_slack_setting(tmp_path):
    """A district on Teams only: its credentials and no Slack setting start a server with
    /api/messages and no Slack endpoint."""
    from bot.server import create_app

    env = {TEAMS_CLIENT_ID: APP_ID, TEAMS_CLIENT_SECRET: "teams-shh"}
    settings = Settings.from_env({**env, "SRO_DATABASE_PATH": str(tmp_path / "sro-bot.db")})
    assert settings.teams and not settings.slack
    routes = {r.resource.canonical for r in create_app(settings).router.routes()}
    assert "/api/messages" in routes and "/slack/events" not in routes


def test_a_slack_setting_beside_teams_still_needs_the_rest_of_slack():
    env = {TEAMS_CLIENT_ID: APP_ID, TEAMS_CLIENT_SECRET: "teams-shh", "SLACK_BOT_TOKEN": "xoxb-1"}
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        Settings.from_env(env)
