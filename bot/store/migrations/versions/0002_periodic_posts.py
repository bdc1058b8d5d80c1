"""Claims of posts made once per period (the weekly digest) across processes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "periodic_posts",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(32), primary_key=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("periodic_posts")
