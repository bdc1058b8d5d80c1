"""Settings: read from the environment once, validated, typed. Never prints a secret."""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.knowledge import describe_layers, knowledge_layers
from bot.store.database import describe_url
from bot.store.settings import StoreSettings

TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")  # a Slack workspace (or organization) id
DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
LOG_FORMATS = ("text", "json")
DEFAULT_API_RETRIES = 3  # at most this many retries of one Web API call, whatever went wrong
DEFAULT_API_BACKOFF = 0.5  # seconds before the first retry of a 5xx or dropped connection
DEFAULT_API_TIMEOUT = 10.0  # seconds for one Web API request
# After SIGTERM the server goes on answering this long (/readyz 503, each response closing
# its connection), so what the platform's router still sends while it stops is answered.
DEFAULT_DRAIN_SECONDS = 1.0
# How often `serve` looks for changed knowledge files (0: only on SIGHUP).
DEFAULT_RELOAD_INTERVAL = 2.0
# Microsoft Teams (bot/teams/): the Microsoft 365 Agents SDK's own environment names.
TEAMS_CLIENT_ID = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"
TEAMS_CLIENT_SECRET = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET"
TEAMS_TENANT_ID = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class ConfigError(Exception):
    """Configuration that cannot be used; lists every problem, each naming its variable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything sro-bot reads from the environment. Secrets are kept out of ``repr``."""

    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    knowledge_dir: Path | None = None
    bundled_knowledge: bool = True  # False: knowledge_dir replaces the bundled knowledge
    log_level: str = "INFO"
    slack_api_url: str = DEFAULT_SLACK_API_URL
    socket_mode: bool = False
    log_format: str = "text"
    log_questions: bool = False
    api_retries: int = DEFAULT_API_RETRIES
    api_backoff: float = DEFAULT_API_BACKOFF
    api_timeout: float = DEFAULT_API_TIMEOUT
    drain_seconds: float = DEFAULT_DRAIN_SECONDS
    store: StoreSettings | None = None  # None: nothing is stored
    slack_client_id: str | None = None  # with the secret: installed in many workspaces
    slack_client_secret: str | None = field(default=None, repr=False)
    slack_redirect_uri: str | None = None
    redis_url: str | None = field(default=None, repr=False)  # may hold a password
    team_knowledge_dir: Path | None = None  # <dir>/<team id>/: a workspace's own entries
    reload_interval: float = DEFAULT_RELOAD_INTERVAL
    slack: bool = True  # False: Teams alone (its credentials and no Slack setting)
    teams_app_id: str | None = None  # with its secret: Teams at /api/messages
    teams_app_secret: str | None = field(default=None, repr=False)
    teams_tenant_id: str | None = None  # None: a multi-tenant bot

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        port: int | None = None,
        knowledge_dir: Path | None = None,
        socket_mode: bool = False,
        bundled_knowledge: bool | None = None,
    ) -> Settings:
        """Read and validate the settings; arguments (from the command line) win over env.

        Raises:
            ConfigError: naming every variable that is missing or malformed, and the fix.
        """
        env = os.environ if env is None else env
        problems: list[str] = []

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        bot_token = text("SLACK_BOT_TOKEN")
        signing_secret = text("SLACK_SIGNING_SECRET")
        app_token = text("SLACK_APP_TOKEN")
        socket = socket_mode or app_token is not None

        client_id, client_secret = text("SLACK_CLIENT_ID"), text("SLACK_CLIENT_SECRET")
        distributed = bool(client_id or client_secret)
        # With Teams' credentials and no Slack setting at all, the bot answers in Teams only.
        slack = any((bot_token, signing_secret, app_token, client_id, client_secret, socket_mode))
        slack = slack or not (text(TEAMS_CLIENT_ID) and text(TEAMS_CLIENT_SECRET))
        if not slack:
            pass
        elif distributed:
            if not (client_id and client_secret):
                problems.append(
                    "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (Basic Information > "
                    "App Credentials): set both to install in many workspaces, or neither."
                )
            if bot_token is not None:
                problems.append(
                    "SLACK_BOT_TOKEN is set, and so are SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: "
                    "unset the token (each workspace's comes from its installation), or unset "
                    "the client id and secret to serve the token's one workspace."
                )
            if socket:
                problems.append(
                    "Installing in many workspaces needs HTTP mode (its install pages): unset "
                    "SLACK_APP_TOKEN and --socket, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET."
                )
        elif bot_token is None:
            problems.append(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from "
                "your app's OAuth & Permissions page (or set SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET to install in many workspaces; or only the Teams "
                f"credentials, {TEAMS_CLIENT_ID} and {TEAMS_CLIENT_SECRET}, for Teams alone)."
            )
        elif not bot_token.startswith("xoxb-"):
            problems.append("SLACK_BOT_TOKEN must be a bot token starting with 'xoxb-'.")
        if not slack:
            pass
        elif socket:
            if app_token is None:
                problems.append(
                    "SLACK_APP_TOKEN is not set, and Socket Mode needs it: create an app-level "
                    "token (xapp-...) with the connections:write scope under Basic Information."
                )
            elif not app_token.startswith("xapp-"):
                problems.append("SLACK_APP_TOKEN must be an app-level token starting with 'xapp-'.")
        elif signing_secret is None:
            problems.append(
                "SLACK_SIGNING_SECRET is not set, and HTTP mode refuses requests it cannot "
                "verify: copy the Signing Secret from your app's Basic Information page."
            )

        team_knowledge = text("SRO_TEAM_KNOWLEDGE_DIR")
        if team_knowledge is not None and not Path(team_knowledge).is_dir():
            problems.append(f"SRO_TEAM_KNOWLEDGE_DIR {team_knowledge!r} is not a directory.")
        elif team_knowledge is not None:
            problems += [
                f"SRO_TEAM_KNOWLEDGE_DIR: name {str(d)!r} by its workspace's team id (T...)."
                for d in Path(team_knowledge).iterdir()
                if d.is_dir() and not TEAM_ID.match(d.name)
            ]
        redis_url = text("REDIS_URL")
        if redis_url is not None and urlsplit(redis_url).scheme not in ("redis", "rediss", "unix"):
            problems.append("REDIS_URL must be a redis://, rediss:// or unix:// URL.")

        port_value = port
        if port_value is None:
            raw_port = text("PORT")
            port_value = DEFAULT_PORT
            if raw_port is not None:
                try:
                    port_value = int(raw_port)
                except ValueError:
                    problems.append(f"PORT must be a whole number, not {raw_port!r}.")
        if not 0 <= port_value <= 65535:
            problems.append(f"PORT must be between 0 and 65535, not {port_value}.")

        log_level = (text("LOG_LEVEL") or "INFO").upper()
        if log_level not in LOG_LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}.")

        log_format = (text("LOG_FORMAT") or "text").lower()
        if log_format not in LOG_FORMATS:
            problems.append(
                f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}."
            )
        log_questions = text("SRO_LOG_QUESTIONS") or "0"
        if log_questions not in ("0", "1"):
            problems.append(f"SRO_LOG_QUESTIONS must be 0 or 1, not {log_questions!r}.")

        def number(name: str, default: float, kind: type[int] | type[float]) -> float:
            raw = text(name)
            if raw is None:
                return default
            try:
                value = kind(raw)
            except ValueError:
                value = -1
            if value < 0:
                what = "a whole number" if kind is int else "a number of seconds"
                problems.append(f"{name} must be {what}, 0 or more, not {raw!r}.")
                return default
            return value

        api_retries = int(number("SRO_API_RETRIES", DEFAULT_API_RETRIES, int))
        api_backoff = number("SRO_API_BACKOFF", DEFAULT_API_BACKOFF, float)
        api_timeout = number("SRO_API_TIMEOUT", DEFAULT_API_TIMEOUT, float) or DEFAULT_API_TIMEOUT
        drain_seconds = number("SRO_DRAIN_SECONDS", DEFAULT_DRAIN_SECONDS, float)
        reload_interval = number("SRO_RELOAD_INTERVAL", DEFAULT_RELOAD_INTERVAL, float)
        if not math.isfinite(reload_interval):
            problems.append("SRO_RELOAD_INTERVAL must be a number of seconds (0: only on SIGHUP).")
            reload_interval = DEFAULT_RELOAD_INTERVAL

        api_url = text("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"SLACK_API_URL must be an http(s) URL, not {api_url!r}.")
        if not api_url.endswith("/"):
            api_url += "/"

        directory = knowledge_dir
        if directory is None and text("SRO_KNOWLEDGE_DIR"):
            directory = Path(text("SRO_KNOWLEDGE_DIR") or "")
        if directory is not None and not directory.exists():
            problems.append(
                f"SRO_KNOWLEDGE_DIR (or --knowledge) {str(directory)!r} does not exist."
            )

        if bundled_knowledge is None:
            bundled_knowledge = text("SRO_BUNDLED_KNOWLEDGE") != "0"

        teams_id, teams_secret = text(TEAMS_CLIENT_ID), text(TEAMS_CLIENT_SECRET)
        if bool(teams_id) != bool(teams_secret):
            problems.append(
                f"{TEAMS_CLIENT_ID} and {TEAMS_CLIENT_SECRET} go together (the Azure Bot's "
                "Microsoft App ID and a client secret of its app registration): set both to "
                "answer in Microsoft Teams, or neither."
            )
        elif teams_id is not None and not GUID.match(teams_id):
            problems.append(f"{TEAMS_CLIENT_ID} must be the Microsoft App ID, a GUID.")

        store, store_problems = StoreSettings.from_env(env)
        problems += store_problems

        if problems:
            raise ConfigError(problems)
        return cls(
            slack_bot_token=bot_token,
            slack_signing_secret=signing_secret,
            slack_app_token=app_token,
            host=text("HOST") or DEFAULT_HOST,
            port=port_value,
            knowledge_dir=directory,
            bundled_knowledge=bundled_knowledge,
            log_level=log_level,
            slack_api_url=api_url,
            socket_mode=socket,
            log_format=log_format,
            log_questions=log_questions == "1",
            api_retries=api_retries,
            api_backoff=api_backoff,
            api_timeout=api_timeout,
            drain_seconds=drain_seconds,
            reload_interval=reload_interval,
            store=store,
            slack_client_id=client_id if distributed else None,
            slack_client_secret=client_secret if distributed else None,
            slack_redirect_uri=text("SLACK_REDIRECT_URI"),
            redis_url=redis_url,
            team_knowledge_dir=Path(team_knowledge) if team_knowledge else None,
            slack=slack,
            teams_app_id=teams_id,
            teams_app_secret=teams_secret,
            teams_tenant_id=text(TEAMS_TENANT_ID),
        )

    @property
    def teams(self) -> bool:
        """Answers in Microsoft Teams too, at /api/messages."""
        return self.teams_app_id is not None and self.teams_app_secret is not None

    @property
    def distributed(self) -> bool:
        """Installed in many workspaces through OAuth, rather than one with one token."""
        return self.slack_client_id is not None

    @property
    def log_level_number(self) -> int:
        return logging.getLevelName(self.log_level)

    def describe(self) -> str:
        """One line for the start-up log: which settings are in use, with no secret in it."""
        mode = "socket" if self.socket_mode else "http"
        layers = knowledge_layers(self.knowledge_dir, bundled=self.bundled_knowledge)
        return (
            f"mode={mode} host={self.host} port={self.port} "
            f"knowledge={json.dumps(describe_layers(layers))} log_level={self.log_level} "
            f"log_format={self.log_format} log_questions={int(self.log_questions)} "
            f"api_retries={self.api_retries} api_backoff={self.api_backoff:g}s "
            f"api_timeout={self.api_timeout:g}s drain={self.drain_seconds:g}s "
            f"reload_interval={self.reload_interval:g}s "
            f"slack_api_url={self.slack_api_url} "
            f"database={describe_url(self.store.url) if self.store else 'none'} "
            f"workspaces={'many (OAuth)' if self.distributed else 'one'} "
            f"redis={'set' if self.redis_url else 'unset'} "
            f"bot_token={'set' if self.slack_bot_token else 'unset'} "
            f"signing_secret={'set' if self.slack_signing_secret else 'unset'} "
            f"app_token={'set' if self.slack_app_token else 'unset'} "
            f"teams={'on' if self.teams else 'off'}"
        )
