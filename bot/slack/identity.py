"""Who the bot is in its workspace, remembered from ``auth.test``; Bolt authorizes from it.

Bolt's single-workspace authorization calls ``auth.test`` on a request when it has no
result yet, so while Slack is slow or unreachable at start-up every request would wait on
it. Here ``auth.test`` is called once in the background (``bot.readiness``) and Bolt's
authorize step reads only memory: a request never waits on the network to be authorized.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.web.async_slack_response import AsyncSlackResponse


class Identity(AsyncAuthorize):
    """The bot token and, once Slack confirmed it, the workspace and bot user it names."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self._token = token
        self._result = AuthorizeResult(enterprise_id=None, team_id=None, bot_token=token)

    def remember(self, auth_test: AsyncSlackResponse) -> None:
        self._result = AuthorizeResult.from_auth_test_response(
            auth_test_response=auth_test, bot_token=self._token
        )

    async def __call__(self, **_: Any) -> AuthorizeResult:
        """The same answer for every request (one workspace, one token), from memory."""
        return self._result
