"""The Slack adapter: parse Slack's payloads, call the core, render Block Kit."""

from bot.slack.app import build_app, register_listeners
from bot.slack.services import Services

__all__ = ["Services", "build_app", "register_listeners"]
