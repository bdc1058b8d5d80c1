"""Which database, its engine, its migrations, and the salt user ids are hashed with."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.schema import install

MIGRATIONS = Path(__file__).parent / "migrations"
DATABASE_FILE = "sro-bot.db"


def default_database_path(env: os._Environ[str] | dict[str, str] | None = None) -> Path:
    """Where the embedded SQLite database lives when nothing else is said."""
    env = os.environ if env is None else env
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "sro-bot" / DATABASE_FILE


def database_url(database_url: str | None, sqlite_path: Path | str | None) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` (``postgres://`` as PaaS write it, read by
    asyncpg) if set, else SQLite (aiosqlite) in ``sqlite_path``."""
    if not database_url:
        return f"sqlite+aiosqlite:///{Path(sqlite_path or default_database_path())}"
    url = make_url(database_url)  # raises ArgumentError on what is not a URL
    if url.drivername in ("postgres", "postgresql", "postgresql+asyncpg"):
        url = url.set(drivername="postgresql+asyncpg")
    elif url.drivername in ("sqlite", "sqlite+aiosqlite"):
        url = url.set(drivername="sqlite+aiosqlite")
    else:
        raise ValueError(f"DATABASE_URL must be postgres:// or sqlite://, not {url.drivername}://")
    return url.render_as_string(hide_password=False)


def describe_url(url: str) -> str:
    """The URL for a log line: no password."""
    return make_url(url).render_as_string(hide_password=True)


def upgrade(url: str, revision: str = "head") -> None:
    """Create or migrate the schema (blocking: Alembic runs its own event loop)."""
    from alembic import command  # imported here: only start-up and `db upgrade` migrate
    from alembic.config import Config

    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line each

    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    command.upgrade(config, revision)


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    """Write-ahead logging: ``sro-bot report`` reads while the server writes; and a commit
    waits for the log, not for every page, which is safe in WAL mode."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """The engine and the install's salt; :meth:`open` migrates first."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._salt: bytes | None = None
        self.hash_user = lru_cache(maxsize=4096)(self._hash_user)

    async def open(self) -> None:
        """Migrate to the latest schema and read the salt; raises if the database is down."""
        await asyncio.to_thread(upgrade, self.url)
        async with self.engine.connect() as connection:
            salt = await connection.scalar(
                select(install.c.value).where(install.c.key == "user_salt")
            )
        self._salt = bytes.fromhex(salt)
        self.hash_user.cache_clear()

    @property
    def is_open(self) -> bool:
        return self._salt is not None

    def _hash_user(self, team_id: str | None, user_id: str | None) -> str | None:
        """A user id as stored: keyed with this install's salt, so it cannot be looked up."""
        if not user_id or self._salt is None:
            return None
        digest = hmac.new(self._salt, f"{team_id}:{user_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    async def close(self) -> None:
        await self.engine.dispose()
