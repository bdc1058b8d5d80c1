"""Slack installations (one per workspace) and OAuth states, for distribution.

The tables are the ones slack_sdk's SQLAlchemy installation and state stores read and
write, built by slack_sdk's own table builders so the two cannot disagree.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _tables(metadata: sa.MetaData) -> list[sa.Table]:
    store = SQLAlchemyInstallationStore
    return [
        store.build_installations_table(metadata, store.default_installations_table_name),
        store.build_bots_table(metadata, store.default_bots_table_name),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(
            metadata, SQLAlchemyOAuthStateStore.default_table_name
        ),
    ]


def upgrade() -> None:
    metadata = sa.MetaData()
    metadata.create_all(op.get_bind(), tables=_tables(metadata))


def downgrade() -> None:
    metadata = sa.MetaData()
    metadata.drop_all(op.get_bind(), tables=_tables(metadata))
