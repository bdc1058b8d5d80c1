"""Questions asked, feedback given, and the install's salt for hashing user ids.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("team_id", sa.String(32)),
        sa.Column("user_hash", sa.String(64)),
        sa.Column("surface", sa.String(16), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("safety", sa.String(8), nullable=False),
        sa.Column("entry_id", sa.String(200)),
        sa.Column("score", sa.Float()),
        sa.Column("text", sa.Text()),
    )
    op.create_index("ix_questions_asked_at", "questions", ["asked_at"])
    op.create_table(
        "feedback",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("team_id", sa.String(32)),
        sa.Column("user_hash", sa.String(64)),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text()),
    )
    op.create_index("ix_feedback_given_at", "feedback", ["given_at"])
    install = op.create_table(
        "install",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.bulk_insert(install, [{"key": "user_salt", "value": secrets.token_hex(32)}])


def downgrade() -> None:
    op.drop_table("install")
    op.drop_table("feedback")
    op.drop_table("questions")
