from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mock_interviewer.store import SessionNotFound, Store


def test_tokens_are_random_and_only_their_hash_is_stored(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    ids = {store.create_session({"x": i}, None) for i in range(20)}
    assert len({i for i, _ in ids}) == 20 and len({t for _, t in ids}) == 20
    session_id, token = next(iter(ids))
    raw = (
        sqlite3.connect(tmp_path / "s.db")
        .execute("SELECT token_hash FROM sessions WHERE id=?", (session_id,))
        .fetchone()
    )
    assert token not in raw[0]
    assert store.open_session(session_id, token).id == session_id
    with pytest.raises(SessionNotFound):
        store.open_session(session_id, token + "x")
    with pytest.raises(SessionNotFound):
        store.open_session("missing", token)


def test_answers_and_grades_survive_reopening(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    session_id, token = store.create_session({"phase": "answering"}, "b")
    store.save(session_id, {"phase": "grading"}, answer=(0, 54, "main", "my answer"))
    store.close()
    reopened = Store(tmp_path / "s.db")
    assert reopened.open_session(session_id, token).state == {"phase": "grading"}
    reopened.save(session_id, {"phase": "answering"}, grade=(0, {"score": 3}, 3.0))
    assert reopened.weak_questions("b") == [54]


def test_weak_questions_use_the_latest_score_weakest_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    s1, _ = store.create_session({}, "b")
    store.save(s1, {}, answer=(0, 10, "main", "a"))
    store.save(s1, {}, grade=(0, {}, 2.0))
    store.save(s1, {}, answer=(1, 11, "main", "a"))
    store.save(s1, {}, grade=(1, {}, 5.0))
    store.save(s1, {}, answer=(2, 12, "follow_up", "a"))
    store.save(s1, {}, grade=(2, {}, 1.0))  # follow-ups do not count
    s2, _ = store.create_session({}, "b")
    store.save(s2, {}, answer=(0, 11, "main", "a"))
    store.save(s2, {}, grade=(0, {}, 9.0))  # later strong answer: no longer weak
    assert store.weak_questions("b") == [10]
    assert store.weak_questions("other") == []


def test_a_failed_write_rolls_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    session_id, token = store.create_session({"v": 1}, None)
    with pytest.raises(sqlite3.IntegrityError):
        store.save("no-such-session-" + session_id, {"v": 2}, answer=(0, 1, "main", "x"))
    assert store.open_session(session_id, token).state == {"v": 1}
