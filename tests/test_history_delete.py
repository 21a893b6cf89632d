"""`mock-interviewer history delete BROWSER_ID` on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_interviewer.cli import main
from mock_interviewer.store import SessionNotFound, Store


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_history_delete_erases_one_browsers_sessions_answers_and_grades(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    monkeypatch.setenv("DATABASE_URL", url)
    store = Store(url)
    gone = [store.create_session({}, "leaving-browser") for _ in range(2)]
    kept = store.create_session({}, "staying-browser")
    for session_id, _ in [*gone, kept]:
        store.save(session_id, {}, answer=(0, 12, "main", "an answer"))
        store.save(session_id, {}, grade=(0, {"score": 1.0}, 1.0))
    assert store.weak_questions("leaving-browser") == [12]

    assert main(["history", "delete", "leaving-browser"]) == 0
    assert capsys.readouterr().out.strip() == "browser leaving-browser: erased 2 sessions, 2 answers and their grades"
    assert store.sessions_of("leaving-browser") == [] and store.weak_questions("leaving-browser") == []
    for session_id, token in gone:
        with pytest.raises(SessionNotFound):
            store.open_session(session_id, token)
    assert store.open_session(*kept).browser_id == "staying-browser"
    assert store.weak_questions("staying-browser") == [12]

    assert main(["history", "delete", "leaving-browser"]) == 0
    assert "erased 0 sessions, 0 answers" in capsys.readouterr().out
    store.close()
