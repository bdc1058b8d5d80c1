"""Room in team_id for a Microsoft tenant id (a GUID, 36 characters) beside Slack's team ids.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("questions", "feedback")


def upgrade() -> None:
    for table in TABLES:
        # Batch mode: SQLite cannot alter a column's type in place (the table is copied).
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "team_id", existing_type=sa.String(32), type_=sa.String(64), existing_nullable=True
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "team_id", existing_type=sa.String(64), type_=sa.String(32), existing_nullable=True
            )
