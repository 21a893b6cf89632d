"""Schema migrations: a database the original store wrote upgrades in place, on start, on either backend."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, inspect, text

from mock_interviewer.app import create_app
from mock_interviewer.config import Settings
from mock_interviewer.db import alembic_config, create_db_engine, current_revision, head_revision, migrate
from mock_interviewer.store import SessionConflict, Store

from .fakes import FakeEmbedder
from .wsutil import receive_until

DATA = Path(__file__).parent / "data"
LEGACY_SQL = (DATA / "store_v0.sql").read_text()
LEGACY = json.loads((DATA / "store_v0.json").read_text())


def legacy_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    db.executescript(LEGACY_SQL)
    sessions = [dict(r) for r in db.execute("SELECT * FROM sessions ORDER BY created_at")]
    answers = [dict(r) for r in db.execute("SELECT * FROM answers ORDER BY session_id, turn")]
    return sessions, answers


@pytest.fixture(params=["sqlite", "postgresql"])
def legacy_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database holding the original store's rows and no migration history (SQLite: the very file it wrote);
    on PostgreSQL, which the original store never ran on, the same rows at revision 0001, its schema."""
    if request.param == "sqlite":
        path = tmp_path / "legacy.db"
        db = sqlite3.connect(path)
        db.executescript(LEGACY_SQL)
        db.close()
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    engine = create_db_engine(url)
    migrate(engine, "0001")
    sessions, answers = legacy_rows()
    with engine.begin() as c:
        for row in sessions:
            c.execute(
                text(
                    "INSERT INTO sessions (id, token_hash, browser_id, created_at, updated_at, finished, state)"
                    " VALUES (:id, :token_hash, :browser_id, :created_at, :updated_at, :finished, :state)"
                ),
                {**row, "finished": bool(row["finished"])},
            )
        for row in answers:
            c.execute(
                text(
                    "INSERT INTO answers (session_id, turn, number, kind, answer, grade, score, created_at)"
                    " VALUES (:session_id, :turn, :number, :kind, :answer, :grade, :score, :created_at)"
                ),
                row,
            )
    engine.dispose()
    return url


def revision_of(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return current_revision(c)
    finally:
        engine.dispose()


def test_the_legacy_fixture_has_no_migration_history_and_no_version_column(tmp_path: Path) -> None:
    path = tmp_path / "legacy.db"
    sqlite3.connect(path).executescript(LEGACY_SQL)
    engine = create_engine(f"sqlite:///{path}")
    tables = inspect(engine).get_table_names()
    assert sorted(tables) == ["answers", "sessions"]
    assert "version" not in [c["name"] for c in inspect(engine).get_columns("sessions")]
    engine.dispose()


def test_a_legacy_database_upgrades_in_place_and_keeps_everything(legacy_url: str) -> None:
    sessions, answers = legacy_rows()
    store = Store(legacy_url)
    assert revision_of(legacy_url) == head_revision() == "0002"
    for row in sessions:
        entry = next(v for v in LEGACY.values() if v["session_id"] == row["id"])
        stored = store.open_session(row["id"], entry["token"])
        assert stored.state == json.loads(row["state"]) and stored.version == 0
        assert stored.finished == bool(row["finished"]) and stored.browser_id == row["browser_id"]
        assert stored.created_at == row["created_at"]
    assert store.weak_questions("legacy-browser-a") == [LEGACY["finished"]["weak"]]
    assert [s.id for s in store.sessions_of("legacy-browser-a")] == [
        LEGACY["in_progress"]["session_id"],
        LEGACY["finished"]["session_id"],
    ]
    engine = create_engine(legacy_url)
    with engine.connect() as c:
        kept = [tuple(r) for r in c.execute(text("SELECT session_id, turn, answer, grade, score FROM answers"))]
    engine.dispose()
    assert sorted(kept) == sorted((a["session_id"], a["turn"], a["answer"], a["grade"], a["score"]) for a in answers)
    # Versions work on the upgraded rows, and opening it again changes nothing.
    session_id = LEGACY["other_browser"]["session_id"]
    assert store.save(session_id, {"x": 1}, version=0) == 1
    with pytest.raises(SessionConflict):
        store.save(session_id, {"x": 2}, version=0)
    store.close()
    Store(legacy_url).close()
    assert revision_of(legacy_url) == "0002"


def test_an_interview_started_before_the_upgrade_resumes_and_finishes_after_it(
    legacy_url: str, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    entry = LEGACY["in_progress"]
    upgraded = settings.model_copy(update={"database_url": legacy_url})
    with TestClient(create_app(upgraded, embedder=fake_embedder)) as client:
        with client.websocket_connect("/ws") as ws:
            ws.send_json({"type": "resume", "session_id": entry["session_id"], "token": entry["token"]})
            frames = receive_until(ws, "question")
            assert [f["type"] for f in frames] == ["session", "transcript", "question"]
            # The question frame has gained fields since; the old ones are unchanged.
            assert frames[0]["resumed"] and {k: frames[-1][k] for k in entry["next"]} == entry["next"]
            ws.send_json({"type": "end"})
            summary = receive_until(ws, "summary")[-1]
            assert summary["session_id"] == entry["session_id"] and summary["summary"]["questions"]
        history = client.get("/api/history/legacy-browser-a").json()
        assert [h["session_id"] for h in history] == [entry["session_id"], LEGACY["finished"]["session_id"]]
        assert all(h["finished"] for h in history)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_revision_downgrades_and_upgrades_again(backend: str, request: pytest.FixtureRequest,
                                                      tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    store = Store(url)
    session_id, token = store.create_session({"kept": True}, "b")
    store.close()
    engine = create_db_engine(url)
    with engine.begin() as c:
        command.downgrade(alembic_config(c), "0001")
    assert revision_of(url) == "0001"
    with engine.begin() as c:
        assert "version" not in [col["name"] for col in inspect(c).get_columns("sessions")]
    engine.dispose()
    store = Store(url)
    assert revision_of(url) == "0002"
    assert store.open_session(session_id, token).state == {"kept": True}
    store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_starting_together_migrate_once(backend: str, request: pytest.FixtureRequest,
                                                  tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    engines: list[Engine] = [create_db_engine(url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def start(engine: Engine) -> None:
        barrier.wait()
        try:
            migrate(engine)
        except BaseException as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engines[0].connect() as c:
        assert [tuple(r) for r in c.execute(text("SELECT version_num FROM alembic_version"))] == [("0002",)]
    for e in engines:
        e.dispose()
