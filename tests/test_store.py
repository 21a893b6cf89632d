"""The store on both backends: SQLite (a temporary file) and PostgreSQL (a throwaway cluster, see tests/pg.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mock_interviewer.store import SessionConflict, SessionNotFound, Store


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 's.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(database_url: str) -> Store:
    return Store(database_url)


def raw(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(sql), params)]
    finally:
        engine.dispose()


def test_tokens_are_random_and_only_their_hash_is_stored(store: Store, database_url: str) -> None:
    ids = {store.create_session({"x": i}, None) for i in range(20)}
    assert len({i for i, _ in ids}) == 20 and len({t for _, t in ids}) == 20
    session_id, token = next(iter(ids))
    [(token_hash,)] = raw(database_url, "SELECT token_hash FROM sessions WHERE id = :id", id=session_id)
    assert isinstance(token_hash, str) and token not in token_hash
    assert store.open_session(session_id, token).id == session_id
    with pytest.raises(SessionNotFound):
        store.open_session(session_id, token + "x")
    with pytest.raises(SessionNotFound):
        store.open_session("missing", token)


def test_answers_and_grades_survive_reopening(store: Store, database_url: str) -> None:
    session_id, token = store.create_session({"phase": "answering"}, "b")
    store.save(session_id, {"phase": "grading"}, answer=(0, 54, "main", "my answer"))
    store.close()
    reopened = Store(database_url)
    assert reopened.open_session(session_id, token).state == {"phase": "grading"}
    reopened.save(session_id, {"phase": "answering"}, grade=(0, {"score": 3}, 3.0), finished=True)
    assert reopened.weak_questions("b") == [54]
    stored = reopened.open_session(session_id, token)
    assert stored.finished and stored.version == 2 and stored.browser_id == "b"
    [(answer, grade, score)] = raw(database_url, "SELECT answer, grade, score FROM answers")
    assert (answer, grade, score) == ("my answer", '{"score": 3}', 3.0)


def test_weak_questions_use_the_latest_score_weakest_first(store: Store) -> None:
    s1, _ = store.create_session({}, "b")
    store.save(s1, {}, answer=(0, 10, "main", "a"))
    store.save(s1, {}, grade=(0, {}, 2.0))
    store.save(s1, {}, answer=(1, 11, "main", "a"))
    store.save(s1, {}, grade=(1, {}, 5.0))
    store.save(s1, {}, answer=(2, 12, "follow_up", "a"))
    store.save(s1, {}, grade=(2, {}, 1.0))  # follow-ups do not count
    store.save(s1, {}, answer=(3, 13, "main", "a"))
    store.save(s1, {}, grade=(3, {}, 4.0))
    s2, _ = store.create_session({}, "b")
    store.save(s2, {}, answer=(0, 11, "main", "a"))
    store.save(s2, {}, grade=(0, {}, 9.0))  # later strong answer: no longer weak
    store.save(s2, {}, answer=(1, 13, "main", "a"))  # answered again but never graded: the old grade counts
    assert store.weak_questions("b") == [10, 13]
    assert store.weak_questions("other") == []


def test_an_answer_sent_again_for_a_turn_replaces_it_and_its_grade(store: Store, database_url: str) -> None:
    session_id, _ = store.create_session({}, "b")
    store.save(session_id, {}, answer=(0, 7, "main", "first"))
    store.save(session_id, {}, grade=(0, {"score": 1}, 1.0))
    store.save(session_id, {}, answer=(0, 7, "main", "second"))
    assert raw(database_url, "SELECT answer, grade, score FROM answers") == [("second", None, None)]


def test_a_failed_write_rolls_back(store: Store) -> None:
    session_id, token = store.create_session({"v": 1}, None)
    with pytest.raises(SessionNotFound):
        store.save("no-such-session-" + session_id, {"v": 2}, answer=(0, 1, "main", "x"))
    # The session row is updated first; the grade cannot be encoded, so the whole transaction goes.
    with pytest.raises(TypeError):
        store.save(session_id, {"v": 3}, answer=(0, 1, "main", "x"), grade=(0, {"bad": object()}, 1.0))
    stored = store.open_session(session_id, token)
    assert stored.state == {"v": 1} and stored.version == 0


def test_a_stale_version_loses_and_changes_nothing(store: Store) -> None:
    session_id, token = store.create_session({"turn": 0}, None)
    opened_in_tab_a = store.open_session(session_id, token).version
    opened_in_tab_b = store.open_session(session_id, token).version
    assert opened_in_tab_a == opened_in_tab_b == 0
    assert store.save(session_id, {"turn": "b"}, answer=(0, 1, "main", "from b"), version=opened_in_tab_b) == 1
    with pytest.raises(SessionConflict):
        store.save(session_id, {"turn": "a"}, answer=(0, 1, "main", "from a"), version=opened_in_tab_a)
    stored = store.open_session(session_id, token)
    assert stored.state == {"turn": "b"} and stored.version == 1
    with pytest.raises(SessionNotFound):
        store.save("missing", {}, version=0)


def test_of_many_concurrent_writers_on_one_version_exactly_one_wins(store: Store) -> None:
    session_id, token = store.create_session({}, None)
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def write(i: int) -> None:
        barrier.wait()
        try:
            store.save(session_id, {"writer": i}, answer=(0, 1, "main", f"answer {i}"), version=0)
            outcomes.append(f"won {i}")
        except SessionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1 and outcomes.count("conflict") == 7
    stored = store.open_session(session_id, token)
    assert stored.version == 1 and f"won {stored.state['writer']}" == winners[0]


def test_two_store_instances_on_one_database_see_each_others_writes(store: Store, database_url: str) -> None:
    other = Store(database_url)  # another process's view: its own engine and pool
    session_id, token = store.create_session({"step": 1}, "b")
    version = other.save(session_id, {"step": 2}, version=other.open_session(session_id, token).version)
    assert store.open_session(session_id, token).state == {"step": 2}
    with pytest.raises(SessionConflict):
        store.save(session_id, {"step": "stale"}, version=0)
    assert store.save(session_id, {"step": 3}, version=version) == version + 1
    other.close()


def test_sessions_of_lists_newest_first(store: Store) -> None:
    made = [store.create_session({"i": i}, "b")[0] for i in range(3)]
    store.create_session({}, "someone else")
    assert [s.id for s in store.sessions_of("b")] == made[::-1]
    assert [s.id for s in store.sessions_of("b", limit=2)] == made[:0:-1]


def test_delete_browser_erases_its_sessions_answers_and_grades_only(store: Store, database_url: str) -> None:
    mine = [store.create_session({}, "me")[0] for _ in range(2)]
    theirs, their_token = store.create_session({}, "them")
    for session_id in [*mine, theirs]:
        store.save(session_id, {}, answer=(0, 3, "main", "text"))
        store.save(session_id, {}, grade=(0, {"score": 2}, 2.0))
    store.save(mine[0], {}, answer=(1, 4, "main", "ungraded"))
    erased = store.delete_browser("me")
    assert (erased.sessions, erased.answers) == (2, 3)
    assert store.sessions_of("me") == [] and store.weak_questions("me") == []
    assert raw(database_url, "SELECT session_id FROM answers") == [(theirs,)]
    assert store.open_session(theirs, their_token).browser_id == "them"
    assert store.delete_browser("me").sessions == 0


def test_sqlite_is_durable_and_waits_for_other_processes(tmp_path: Path) -> None:
    store = Store(tmp_path / "d.db")
    with store._engine.connect() as c:
        pragmas = {name: c.exec_driver_sql(f"PRAGMA {name}").scalar() for name in
                   ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}
    # WAL; synchronous=FULL (2): an acknowledged answer survives a power cut; 30 s for another process's write
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 30_000, "foreign_keys": 1}
    store.close()
