"""Settings: read once from the environment, validated, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_SLACK_API_URL, ConfigError, Settings

HTTP = {"SLACK_BOT_TOKEN": "xoxb-secret-token", "SLACK_SIGNING_SECRET": "s3cr3t-signing"}


def test_http_mode_defaults():
    settings = Settings.from_env(HTTP)
    assert settings.socket_mode is False
    assert (settings.host, settings.port, settings.log_level) == ("0.0.0.0", 3000, "INFO")
    assert settings.slack_api_url == DEFAULT_SLACK_API_URL
    assert settings.knowledge_dir is None


def test_http_mode_refuses_to_start_without_the_signing_secret():
    with pytest.raises(ConfigError) as error:
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"})
    assert "SLACK_SIGNING_SECRET" in str(error.value)


def test_every_problem_is_reported_at_once_naming_the_variable():
    env = {
        "SLACK_BOT_TOKEN": "xoxp-user",
        "PORT": "eighty",
        "LOG_LEVEL": "loud",
        "SLACK_API_URL": "slack.com",
    }
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env)
    text = str(error.value)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PORT", "LOG_LEVEL", "SLACK_API_URL"):
        assert name in text
    assert "xoxp-user" not in text  # a secret is never echoed back


def test_socket_mode_from_the_app_token_or_the_flag():
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode is True  # no signing secret needed over the WebSocket
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        Settings.from_env(HTTP, socket_mode=True)
    with pytest.raises(ConfigError, match="xapp-"):
        Settings.from_env({**HTTP, "SLACK_APP_TOKEN": "xoxb-wrong"})


def test_arguments_win_over_the_environment(tmp_path: Path):
    env = {
        **HTTP,
        "PORT": "8080",
        "SRO_KNOWLEDGE_DIR": str(tmp_path / "missing"),
        "SLACK_API_URL": "http://127.0.0.1:9/api",
        "LOG_LEVEL": "debug",
    }
    settings = Settings.from_env(env, port=9000, knowledge_dir=tmp_path)
    assert (settings.port, settings.knowledge_dir) == (9000, tmp_path)
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.log_level == "DEBUG"


def test_a_missing_knowledge_dir_is_named(tmp_path: Path):
    with pytest.raises(ConfigError, match="SRO_KNOWLEDGE_DIR"):
        Settings.from_env({**HTTP, "SRO_KNOWLEDGE_DIR": str(tmp_path / "nope")})


def test_secrets_stay_out_of_repr_and_the_startup_line():
    settings = Settings.from_env({**HTTP, "SLACK_APP_TOKEN": "xapp-app-secret"})
    for shown in (repr(settings), settings.describe()):
        for secret in ("xoxb-secret-token", "s3cr3t-signing", "xapp-app-secret"):
            assert secret not in shown
    assert "signing_secret=set" in settings.describe()


def test_oauth_client_credentials_are_refused():
    env = {**HTTP, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "shh"}
    with pytest.raises(ConfigError, match="SLACK_CLIENT_ID"):
        Settings.from_env(env)


OAUTH = {
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "client-shh",
    "SLACK_SIGNING_SECRET": "s",
}


def test_client_id_and_secret_install_in_many_workspaces_without_a_token():
    settings = Settings.from_env(OAUTH)
    assert settings.distributed and settings.slack_bot_token is None
    assert "client-shh" not in repr(settings) and "client-shh" not in settings.describe()
    assert "workspaces=many (OAuth)" in settings.describe()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "go together"),
        ({**OAUTH, "SLACK_BOT_TOKEN": "xoxb-1"}, "unset the token"),
        ({**OAUTH, "SLACK_APP_TOKEN": "xapp-1"}, "HTTP mode"),
        ({**HTTP, "REDIS_URL": "http://cache:6379"}, "REDIS_URL"),
    ],
)
def test_many_workspace_settings_that_cannot_work_are_refused(env, named):
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)


def test_a_workspace_knowledge_directory_is_named_by_team_id(tmp_path):
    (tmp_path / "T0123ABCD").mkdir()
    assert Settings.from_env({**HTTP, "SRO_TEAM_KNOWLEDGE_DIR": str(tmp_path)}).team_knowledge_dir
    (tmp_path / "springfield").mkdir()
    with pytest.raises(ConfigError, match="springfield"):
        Settings.from_env({**HTTP, "SRO_TEAM_KNOWLEDGE_DIR": str(tmp_path)})
