"""The tables, as SQLAlchemy Core. Alembic's migrations (``migrations/``) create them.

Times are UTC without a zone, the same on SQLite and PostgreSQL. Text typed by a person is
kept only where the maintainers need it (no answer, a suggestion, "Not helpful") and is
cleared after the retention period (:mod:`bot.store.retention`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# SQLite makes only an INTEGER PRIMARY KEY auto-increment.
_ROW_ID = BigInteger().with_variant(Integer(), "sqlite")

questions = Table(
    "questions",
    metadata,
    Column("id", _ROW_ID, primary_key=True, autoincrement=True),
    Column("asked_at", DateTime(), nullable=False),
    Column("team_id", String(64)),  # a Slack team id, or a Microsoft tenant id
    Column("user_hash", String(64)),
    Column("surface", String(16), nullable=False),  # slash, mention, dm, teams
    Column("decision", String(16), nullable=False),  # answer, suggest, no_match, crisis, local
    Column("safety", String(8), nullable=False),  # none, notice, crisis
    Column("entry_id", String(200)),
    Column("score", Float()),
    Column("text", Text()),
    Index("ix_questions_asked_at", "asked_at"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", _ROW_ID, primary_key=True, autoincrement=True),
    Column("given_at", DateTime(), nullable=False),
    Column("team_id", String(64)),  # a Slack team id, or a Microsoft tenant id
    Column("user_hash", String(64)),
    Column("entry_id", String(200), nullable=False),
    Column("kind", String(16), nullable=False),  # helpful, not_helpful, comment
    Column("text", Text()),  # a comment: what the person was looking for
    Index("ix_feedback_given_at", "given_at"),
)

# One row per install: the salt user ids are hashed with.
install = Table(
    "install",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text(), nullable=False),
)

# Claims of what is posted once per period across processes (the weekly digest).
periodic_posts = Table(
    "periodic_posts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("claimed_at", DateTime(), nullable=False),
)
