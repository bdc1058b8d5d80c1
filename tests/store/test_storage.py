"""The schema, its migrations, and the recorder, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import insert, select

from bot.store.database import Database, database_url, upgrade
from bot.store.recorder import Recorder, utc_now
from bot.store.schema import feedback, install, questions


async def rows(db: Database, table) -> list[dict]:
    async with db.engine.connect() as connection:
        result = await connection.execute(select(table).order_by(table.c.id))
        return [dict(row._mapping) for row in result]


async def test_migrates_from_empty_and_makes_a_salt(database_url):
    db = Database(database_url)
    await db.open()
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: sorted(sync.dialect.get_table_names(sync)))
        salt = await connection.scalar(select(install.c.value))
    assert tables == [
        "alembic_version",
        "feedback",
        "install",
        "periodic_posts",
        "questions",
        "slack_bots",
        "slack_installations",
        "slack_oauth_states",
    ]
    assert len(bytes.fromhex(salt)) == 32
    hashed = db.hash_user("T1", "U1")
    assert hashed and "U1" not in hashed and hashed == db.hash_user("T1", "U1")
    assert hashed != db.hash_user("T2", "U1")
    await db.open()  # migrating again changes nothing
    await db.close()


async def migrated_from(database_url: str, revision: str, **question: str) -> Database:
    """A database at ``revision`` holding one question row, then migrated to the head."""
    await asyncio.to_thread(upgrade, database_url, revision)
    db = Database(database_url)
    async with db.engine.begin() as connection:
        row = {"asked_at": utc_now(), "surface": "dm", "decision": "answer", "safety": "none"}
        await connection.execute(insert(questions).values(**(row | question)))
    await db.open()
    return db


async def test_migrates_from_the_previous_revision_keeping_rows(database_url):
    db = await migrated_from(database_url, "0001", decision="no_match", text="kept across")
    assert [r["text"] for r in await rows(db, questions)] == ["kept across"]
    assert await rows(db, feedback) == []
    await db.close()


async def test_team_ids_have_room_for_a_microsoft_tenant_id(database_url):
    db = await migrated_from(database_url, "0003", team_id="T0001")
    tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    async with db.engine.begin() as connection:
        row = {"asked_at": utc_now(), "surface": "teams", "decision": "answer", "safety": "none"}
        await connection.execute(insert(questions).values(team_id=tenant, **row))
        row = {"given_at": utc_now(), "entry_id": "armed", "kind": "helpful"}
        await connection.execute(insert(feedback).values(team_id=tenant, **row))
    assert [r["team_id"] for r in await rows(db, questions)] == ["T0001", tenant]
    assert [r["team_id"] for r in await rows(db, feedback)] == [tenant]
    await db.close()


def question(recorder: Recorder, decision: str, text: str, safety: str = "none", **kw) -> None:
    recorder.question(
        team_id="T1",
        user_id="U1",
        surface="slash",
        decision=decision,
        safety=safety,
        entry_id=kw.get("entry_id"),
        score=kw.get("score"),
        text=text,
    )


async def test_text_is_kept_only_where_maintainers_need_it(database_url):
    db = Database(database_url)
    recorder = Recorder(db, retention_days=90)
    question(recorder, "answer", "are SROs armed", entry_id="armed", score=88.5)
    question(recorder, "no_match", "what does an SRO earn")
    question(recorder, "suggest", "sro training hours?", entry_id="training", score=41.0)
    question(recorder, "crisis", "there is a man with a gun", safety="crisis")
    question(recorder, "no_match", "my friend wants to end it", safety="notice")
    recorder.feedback(team_id="T1", user_id="U1", entry_id="armed", kind="not_helpful")
    recorder.feedback(
        team_id="T1", user_id="U1", entry_id="armed", kind="comment", text="rules on tasers"
    )
    await db.open()
    assert await recorder.flush()
    stored = await rows(db, questions)
    assert [(r["decision"], r["text"]) for r in stored] == [
        ("answer", None),
        ("no_match", "what does an SRO earn"),
        ("suggest", "sro training hours?"),
        ("crisis", None),
        ("no_match", None),
    ]
    assert stored[0]["entry_id"] == "armed" and stored[0]["score"] == 88.5
    assert {r["user_hash"] for r in stored} == {db.hash_user("T1", "U1")}
    assert "U1" not in str(stored)
    given = await rows(db, feedback)
    assert [(r["kind"], r["text"]) for r in given] == [
        ("not_helpful", None),
        ("comment", "rules on tasers"),
    ]
    await db.close()


async def test_text_older_than_the_retention_period_is_cleared(database_url):
    db = Database(database_url)
    recorder = Recorder(db, retention_days=90)
    await db.open()
    old = utc_now() - dt.timedelta(days=91)
    async with db.engine.begin() as connection:
        base = {"surface": "dm", "decision": "no_match", "safety": "none"}
        await connection.execute(insert(questions).values(asked_at=old, text="old", **base))
        await connection.execute(insert(questions).values(asked_at=utc_now(), text="new", **base))
        await connection.execute(
            insert(feedback).values(given_at=old, entry_id="x", kind="comment", text="old")
        )
    await recorder.purge()
    assert [r["text"] for r in await rows(db, questions)] == [None, "new"]
    assert [r["text"] for r in await rows(db, feedback)] == [None]
    await db.close()


async def test_a_database_that_is_down_loses_nothing_queued_and_says_so_once(caplog):
    down = Database(database_url("postgresql://postgres@127.0.0.1:9/none", None))
    recorder = Recorder(down, retention_days=90, retry_interval=0.05)
    writing = asyncio.get_running_loop().create_task(recorder.run())
    for n in range(3):
        question(recorder, "no_match", f"question {n}")
    await asyncio.sleep(0.3)
    writing.cancel()
    await asyncio.gather(writing, return_exceptions=True)
    assert len(recorder) == 3 and recorder.dropped == 0
    failures = [r for r in caplog.records if r.name == "bot.store.recorder"]
    assert len(failures) == 1 and "database unavailable" in failures[0].getMessage()
    assert "question" not in failures[0].getMessage()
    await down.close()


async def test_the_queue_is_bounded_and_counts_what_it_dropped():
    db = Database(database_url(None, "/nonexistent/never.db"))
    recorder = Recorder(db, retention_days=90, max_queued=5)
    for n in range(8):
        question(recorder, "no_match", f"q{n}")
    assert len(recorder) == 5 and recorder.dropped == 3


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example:5432/x", "postgresql+asyncpg://u:p@db.example:5432/x"),
        ("postgresql://u@h/x", "postgresql+asyncpg://u@h/x"),
        ("sqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ],
)
def test_database_urls_as_paas_write_them(given, expected):
    assert database_url(given, None) == expected


def test_a_database_url_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="mysql"):
        database_url("mysql://u@h/x", None)


async def test_a_period_is_claimed_once_and_can_be_given_back(database_url):
    from bot.store.periodic import claim, iso_week, release

    db = Database(database_url)
    await db.open()
    week = iso_week(dt.datetime(2026, 12, 2))
    assert week == "2026-W49"
    assert await claim(db, "weekly_digest", week)
    assert not await claim(db, "weekly_digest", week)
    assert await claim(db, "weekly_digest", "2026-W50")
    await release(db, "weekly_digest", week)
    assert await claim(db, "weekly_digest", week)
    await db.close()


async def test_forgetting_a_workspace_deletes_its_rows_queued_or_stored(database_url):
    db = Database(database_url)
    recorder = Recorder(db, retention_days=90)
    await db.open()
    for team in ("T1", "T2"):
        recorder.question(
            team_id=team, user_id="U1", surface="dm", decision="no_match", safety="none",
            entry_id=None, score=None, text=f"asked in {team}",
        )  # fmt: skip
    assert await recorder.flush()
    recorder.feedback(team_id="T2", user_id="U1", entry_id="armed", kind="helpful")  # queued
    await recorder.forget_team("T2")
    assert await recorder.flush()
    assert [r["team_id"] for r in await rows(db, questions)] == ["T1"]
    assert await rows(db, feedback) == []
    await db.close()
