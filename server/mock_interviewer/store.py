"""Sessions, answers and grades, in SQLite (the default) or PostgreSQL, through SQLAlchemy Core.

Every write commits before the caller acknowledges anything. Each session row carries a version that every write
bumps: a writer that passes the version it read and finds another there lost a race (a second tab, or a reconnect
racing the old socket) and gets SessionConflict instead of overwriting the winner.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .db import answers, create_db_engine, is_sqlite, migrate, sessions, writer


class SessionNotFound(Exception):
    """No session with that id and token (the two cases are not told apart, on purpose)."""


class SessionConflict(Exception):
    """The session was written by another connection since this one read it; reload it to go on."""


@dataclass(frozen=True)
class StoredSession:
    id: str
    browser_id: str | None
    created_at: float
    updated_at: float
    finished: bool
    state: dict[str, Any]
    version: int = 0


@dataclass(frozen=True)
class Erased:
    sessions: int
    answers: int


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _url(database: str | Path) -> str:
    return f"sqlite:///{database}" if isinstance(database, Path) else database


class Store:
    def __init__(self, database: str | Path, *, pool_size: int = 10) -> None:
        """`database`: a URL (sqlite:///PATH or postgresql+psycopg://...) or a SQLite file's path.
        Migrates the schema to the current revision first."""
        self._engine = create_db_engine(_url(database), pool_size=pool_size)
        self._writer = writer(self._engine)
        self.backend = self._engine.dialect.name  # "sqlite" or "postgresql"
        # SQLite has one writer at a time: threads of this process queue here rather than sleep in the busy
        # handler; other processes sharing the file wait on the busy timeout.
        self._write_lock = threading.Lock() if is_sqlite(self._engine) else None
        migrate(self._engine)

    def close(self) -> None:
        self._engine.dispose()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        lock = self._write_lock or contextlib.nullcontext()
        with lock, self._writer.begin() as connection:
            yield connection

    def create_session(self, state: dict[str, Any], browser_id: str | None) -> tuple[str, str]:
        """Returns (session id, token). Both are random; only the token's hash is stored. The version is 0."""
        session_id = secrets.token_urlsafe(16)
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self._write() as db:
            db.execute(
                insert(sessions).values(
                    id=session_id,
                    token_hash=_hash(token),
                    browser_id=browser_id,
                    created_at=now,
                    updated_at=now,
                    finished=False,
                    state=json.dumps(state),
                    version=0,
                )
            )
        return session_id, token

    def open_session(self, session_id: str, token: str) -> StoredSession:
        with self._engine.connect() as db:
            row = db.execute(select(sessions).where(sessions.c.id == session_id)).first()
        if row is None or not hmac.compare_digest(row.token_hash, _hash(token)):
            raise SessionNotFound("No session matches that id and token.")
        return _session(row)

    def save(
        self,
        session_id: str,
        state: dict[str, Any],
        *,
        finished: bool = False,
        answer: tuple[int, int, str, str] | None = None,
        grade: tuple[int, dict[str, Any], float | None] | None = None,
        version: int | None = None,
    ) -> int:
        """Write the session state, and an answer (turn, number, kind, text) or a grade (turn, grade, score),
        in one transaction; returns the session's new version.

        With `version` (the one this writer last read or wrote), the write happens only if the row still has it;
        otherwise SessionConflict, and nothing is written. SessionNotFound if there is no such session.
        """
        now = time.time()
        with self._write() as db:
            query = update(sessions).where(sessions.c.id == session_id)
            if version is not None:
                query = query.where(sessions.c.version == version)
            new_version = db.execute(
                query.values(state=json.dumps(state), updated_at=now, finished=finished, version=sessions.c.version + 1)
                .returning(sessions.c.version)
            ).scalar()
            if new_version is None:
                exists = db.execute(select(sessions.c.version).where(sessions.c.id == session_id)).first()
                if exists is None:
                    raise SessionNotFound(f"No session {session_id!r} to save.")
                raise SessionConflict(
                    f"Session {session_id!r} is at version {exists.version}, not {version}: it was changed elsewhere."
                )
            if answer is not None:
                turn, number, kind, text = answer
                values = {
                    "session_id": session_id,
                    "turn": turn,
                    "number": number,
                    "kind": kind,
                    "answer": text,
                    "grade": None,
                    "score": None,
                    "created_at": now,
                }
                # An answer sent again for the same turn (after a failed grade) replaces the earlier one.
                upsert = (sqlite_insert if is_sqlite(db) else pg_insert)(answers).values(**values)
                db.execute(
                    upsert.on_conflict_do_update(
                        index_elements=[answers.c.session_id, answers.c.turn],
                        set_={k: upsert.excluded[k] for k in values if k not in ("session_id", "turn")},
                    )
                )
            if grade is not None:
                turn, grade_json, score = grade
                db.execute(
                    update(answers)
                    .where(answers.c.session_id == session_id, answers.c.turn == turn)
                    .values(grade=json.dumps(grade_json), score=score)
                )
        return int(new_version)

    def sessions_of(self, browser_id: str, limit: int = 50) -> list[StoredSession]:
        with self._engine.connect() as db:
            rows = db.execute(
                select(sessions)
                .where(sessions.c.browser_id == browser_id)
                .order_by(sessions.c.created_at.desc())
                .limit(limit)
            ).all()
        return [_session(r) for r in rows]

    def session_of(self, browser_id: str, session_id: str) -> StoredSession:
        """A session of this browser; SessionNotFound otherwise (no such session, or another browser's)."""
        with self._engine.connect() as db:
            row = db.execute(
                select(sessions).where(sessions.c.id == session_id, sessions.c.browser_id == browser_id)
            ).first()
        if row is None:
            raise SessionNotFound("No session with that id for this browser.")
        return _session(row)

    def recent_questions(self, browser_id: str, since: float) -> set[int]:
        """Question numbers this browser answered (graded or not) or skipped at or after `since` (epoch seconds).

        Read from the sessions' stored state, the only place skips are kept. A turn stored before turns carried
        times counts when its session was written since then.
        """
        with self._engine.connect() as db:
            rows = db.execute(
                select(sessions.c.state).where(sessions.c.browser_id == browser_id, sessions.c.updated_at >= since)
            ).all()
        numbers: set[int] = set()
        for (raw_state,) in rows:
            state = json.loads(raw_state)
            turns = state.get("turns") if isinstance(state, dict) else None
            for turn in turns if isinstance(turns, list) else []:
                if not isinstance(turn, dict) or not isinstance(turn.get("number"), int):
                    continue
                if turn.get("answer") is None and not turn.get("skipped"):
                    continue
                when = turn.get("answered_at")
                if not isinstance(when, int | float) or when >= since:
                    numbers.add(turn["number"])
        return numbers

    def weak_questions(self, browser_id: str, below: float = 6.0) -> list[int]:
        """Main questions this browser last answered weakly, weakest and oldest first (spaced repetition)."""
        with self._engine.connect() as db:
            rows = db.execute(
                select(answers.c.number, answers.c.score, answers.c.created_at)
                .join(sessions, sessions.c.id == answers.c.session_id)
                .where(sessions.c.browser_id == browser_id, answers.c.kind == "main", answers.c.score.is_not(None))
                .order_by(answers.c.created_at, answers.c.session_id, answers.c.turn)
            ).all()
        latest: dict[int, tuple[float, float]] = {}  # number -> (score, when): the latest answer's score counts
        for number, score, created_at in rows:
            latest[number] = (score, created_at)
        weak = [(score, when, number) for number, (score, when) in latest.items() if score < below]
        return [number for _, _, number in sorted(weak)]

    def delete_browser(self, browser_id: str) -> Erased:
        """Erase every session of this browser, with its answers and grades."""
        with self._write() as db:
            ids = select(sessions.c.id).where(sessions.c.browser_id == browser_id)
            gone_answers = db.execute(delete(answers).where(answers.c.session_id.in_(ids))).rowcount
            gone_sessions = db.execute(delete(sessions).where(sessions.c.browser_id == browser_id)).rowcount
        return Erased(sessions=gone_sessions, answers=gone_answers)


def _session(row: Row[Any]) -> StoredSession:
    return StoredSession(
        id=row.id,
        browser_id=row.browser_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        finished=bool(row.finished),
        state=json.loads(row.state),
        version=row.version,
    )
