"""Sessions, answers and grades in SQLite. Every write commits before the caller acknowledges anything."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    browser_id TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_browser ON sessions (browser_id, created_at);
CREATE TABLE IF NOT EXISTS answers (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    turn INTEGER NOT NULL,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    answer TEXT NOT NULL,
    grade TEXT,
    score REAL,
    created_at REAL NOT NULL,
    PRIMARY KEY (session_id, turn)
);
"""


class SessionNotFound(Exception):
    """No session with that id and token (the two cases are not told apart, on purpose)."""


@dataclass(frozen=True)
class StoredSession:
    id: str
    browser_id: str | None
    created_at: float
    updated_at: float
    finished: bool
    state: dict[str, Any]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        # WAL with synchronous=NORMAL survives a killed process (kill -9) without losing a committed write.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def create_session(self, state: dict[str, Any], browser_id: str | None) -> tuple[str, str]:
        """Returns (session id, token). Both are random; only the token's hash is stored."""
        session_id = secrets.token_urlsafe(16)
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions (id, token_hash, browser_id, created_at, updated_at, state) VALUES (?,?,?,?,?,?)",
                (session_id, _hash(token), browser_id, now, now, json.dumps(state)),
            )
        return session_id, token

    def open_session(self, session_id: str, token: str) -> StoredSession:
        with self._lock:
            row = self._db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or not hmac.compare_digest(row["token_hash"], _hash(token)):
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
    ) -> None:
        """Write the session state, and an answer (turn, number, kind, text) or a grade (turn, grade, score),
        in one transaction."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "UPDATE sessions SET state = ?, updated_at = ?, finished = ? WHERE id = ?",
                    (json.dumps(state), now, int(finished), session_id),
                )
                if answer is not None:
                    turn, number, kind, text = answer
                    self._db.execute(
                        "INSERT OR REPLACE INTO answers (session_id, turn, number, kind, answer, created_at) "
                        "VALUES (?,?,?,?,?,?)",
                        (session_id, turn, number, kind, text, now),
                    )
                if grade is not None:
                    turn, grade_json, score = grade
                    self._db.execute(
                        "UPDATE answers SET grade = ?, score = ? WHERE session_id = ? AND turn = ?",
                        (json.dumps(grade_json), score, session_id, turn),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def sessions_of(self, browser_id: str, limit: int = 50) -> list[StoredSession]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM sessions WHERE browser_id = ? ORDER BY created_at DESC LIMIT ?", (browser_id, limit)
            ).fetchall()
        return [_session(r) for r in rows]

    def weak_questions(self, browser_id: str, below: float = 6.0) -> list[int]:
        """Main questions this browser last answered weakly, weakest and oldest first (spaced repetition)."""
        with self._lock:
            rows = self._db.execute(
                """
                SELECT a.number, a.score, MAX(a.created_at) AS last
                FROM answers a JOIN sessions s ON s.id = a.session_id
                WHERE s.browser_id = ? AND a.kind = 'main' AND a.score IS NOT NULL
                GROUP BY a.number
                """,
                (browser_id,),
            ).fetchall()
        # GROUP BY with MAX() makes SQLite report the other columns from the latest row: the latest score counts.
        weak = [r for r in rows if r["score"] < below]
        return [r["number"] for r in sorted(weak, key=lambda r: (r["score"], r["last"]))]


def _session(row: sqlite3.Row) -> StoredSession:
    return StoredSession(
        id=row["id"],
        browser_id=row["browser_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        finished=bool(row["finished"]),
        state=json.loads(row["state"]),
    )
