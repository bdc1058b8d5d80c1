"""Fixtures shared with the end-to-end tests: the real server and the fake Slack Web API."""

from e2e.conftest import answerer, bot, fake_slack

__all__ = ["answerer", "bot", "fake_slack"]
