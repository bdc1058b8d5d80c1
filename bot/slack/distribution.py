"""Installing into many workspaces: Bolt's OAuth flow, installations kept in the database.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set, ``/slack/install`` starts Slack's
OAuth flow and ``/slack/oauth_redirect`` finishes it: Bolt exchanges the code
(``oauth.v2.access``) and slack_sdk's SQLAlchemy installation store keeps the workspace's
bot token, on the same database as the questions (``bot.store``). Each request is then
authorized by looking up its workspace's installation. Token rotation stays off: a refresh
token can be used once, and several processes refreshing at once would lock each other out.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.async_cacheable_installation_store import (
    AsyncCacheableInstallationStore,
)
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from bot import log_messages
from bot.slack.services import Services
from bot.store.database import Database
from bot.store.recorder import WRITE_INTERVAL

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes manifest.yml asks for (tests/slack/test_manifest.py keeps them equal).
BOT_SCOPES = ("app_mentions:read", "chat:write", "commands", "im:history", "im:write")
FORGET_AGAIN_SECONDS = 3 * WRITE_INTERVAL
STATE_EXPIRATION_SECONDS = 600  # an install started and not finished in 10 minutes expires


def oauth_settings(
    *, client_id: str, client_secret: str, redirect_uri: str | None, database: Database
) -> AsyncOAuthSettings:
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Kept in memory once read: a workspace seen before is answered while the database
        # is down. An uninstall seen by another process leaves its token here until this
        # one restarts; Slack refuses it then, as it should.
        installation_store=AsyncCacheableInstallationStore(
            AsyncSQLAlchemyInstallationStore(
                client_id=client_id, engine=database.engine, logger=logger
            )
        ),
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRATION_SECONDS, engine=database.engine, logger=logger
        ),
    )


def register(app: AsyncApp, services: Services) -> None:
    """``app_uninstalled`` forgets the workspace: its installation (when installed through
    OAuth) and its stored rows; ``tokens_revoked`` removes a revoked bot token."""
    store, recorder = app.installation_store, services.recorder
    revocation = AsyncTokenRevocationListeners(store) if store is not None else None

    async def uninstalled(context: AsyncBoltContext) -> None:
        if revocation is not None:
            await revocation.handle_app_uninstalled_events(context)
        if recorder is not None and context.team_id:
            await recorder.forget_team(context.team_id)
            # Other processes may still hold a few of its rows, written within a second or
            # two: delete again once those are in.
            services.background.spawn(
                recorder.forget_team(context.team_id, after=FORGET_AGAIN_SECONDS),
                name=f"forget {context.team_id} again",
            )
        logger.info(log_messages.WORKSPACE_FORGOTTEN, context.team_id)

    async def revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if revocation is not None:
            await revocation.handle_tokens_revoked_events(event, context)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
