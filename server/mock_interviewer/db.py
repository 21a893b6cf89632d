"""The database: SQLAlchemy Core tables, engines for SQLite and PostgreSQL, and Alembic migrations run on start.

SQLite (the default) is opened in WAL mode with `synchronous=FULL`, so a committed write survives a power cut and
not only a killed process, and with a busy timeout so several processes on one host can share the file; writes
take the write lock up front (`BEGIN IMMEDIATE`) rather than upgrading to it half-way, which SQLite cannot wait
for. PostgreSQL (`postgresql+psycopg://...`) is for deployments with many processes or hosts.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    event,
    false,
    inspect,
    text,
)
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30.0
# Any constant will do: every process migrating the same PostgreSQL database takes this advisory lock first.
_MIGRATION_LOCK_KEY = 0x6D6F636B  # "mock"

metadata = MetaData()

# The head revision's schema. Migrations under migrations/versions/ build it; this mirrors it for queries.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Text, primary_key=True),
    Column("token_hash", Text, nullable=False),
    Column("browser_id", Text),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("finished", Boolean(create_constraint=False), nullable=False, server_default=false()),
    Column("state", Text, nullable=False),
    # Bumped by every write; a writer holding an older version lost a race and is told to reload.
    Column("version", Integer, nullable=False, server_default=text("0")),
    Index("sessions_browser", "browser_id", "created_at"),
)

answers = Table(
    "answers",
    metadata,
    Column("session_id", Text, ForeignKey("sessions.id"), primary_key=True),
    Column("turn", Integer, primary_key=True),
    Column("number", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("grade", Text),
    Column("score", Float),
    Column("created_at", Float, nullable=False),
)


def normalize_url(url: str) -> str:
    """`postgres://` and `postgresql://` mean psycopg 3 here (the driver this project installs)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a `sqlite:///PATH` URL, or None for any other database."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def create_db_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalize_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=2 * pool_size,
        )
        _sqlite_setup(engine)
        return engine
    if make_url(url).get_backend_name() != "postgresql":
        raise ValueError(f"unsupported database URL {make_url(url)!r}: use sqlite:///PATH or postgresql+psycopg://")
    return create_engine(url, pool_size=pool_size, max_overflow=2 * pool_size, pool_pre_ping=True)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver leaves transactions alone; "begin" below starts them
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # fsync the WAL on every commit: survives a power cut
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The engine for read-write transactions: on SQLite they take the write lock when they begin."""
    return engine.execution_options(sqlite_immediate=True) if is_sqlite(engine) else engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for our migrations, running on `connection` (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (normally the head), in one transaction that concurrent starters wait for:
    PostgreSQL's advisory lock, SQLite's write lock.

    A database written before migrations existed (tables, no alembic_version) is stamped as the first revision,
    whose schema it has, and upgraded from there.
    """
    from alembic import command

    with writer(engine).begin() as connection:
        if not is_sqlite(connection):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        config = alembic_config(connection)
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables and "sessions" in tables:
            log.info("database without migration history: stamping it as revision 0001 before upgrading")
            command.stamp(config, "0001")
        if current_revision(connection) != head_revision() or revision != "head":
            command.upgrade(config, revision)


@functools.cache
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
