"""Practise given questions (Start.numbers), spaced repetition within a section, and no repeats within a day."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mock_interviewer.bank import Bank, Section
from mock_interviewer.interview import InterviewConfig
from mock_interviewer.services import Services
from mock_interviewer.store import SessionNotFound, Store

from .wsutil import receive_until, start, strong_answer

DAY = 24 * 3600


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "sqlite":
        return Store(f"sqlite:///{tmp_path / 's.db'}")
    url: str = request.getfixturevalue("postgres_url")
    return Store(url)


def state(*turns: dict[str, object]) -> dict[str, object]:
    return {"turns": list(turns)}


def test_recent_questions_are_answered_or_skipped_turns_since_a_time(store: Store) -> None:
    now = time.time()
    fresh, _ = store.create_session({}, "b")
    store.save(fresh, state(
        {"number": 1, "answer": "a", "answered_at": now - 60},
        {"number": 1, "kind": "follow_up", "answer": None, "skipped": True, "answered_at": now - 50},
        {"number": 2, "answer": None, "skipped": True, "answered_at": now - 40},
        {"number": 3, "answer": "old", "answered_at": now - 2 * DAY},  # answered before the window
        {"number": 4, "answer": None, "skipped": False, "asked_at": now},  # asked, not answered
        {"number": 5, "answer": "legacy turn without times"},
    ))
    assert store.recent_questions("b", now - DAY) == {1, 2, 5}
    assert store.recent_questions("b", now - 45) == {2, 5}  # 5: no time of its own, its session is recent
    assert store.recent_questions("other", now - DAY) == set()
    odd, _ = store.create_session({"x": 1}, "b")  # states that are not interviews are ignored
    store.save(odd, {"turns": [1, {"number": "7", "answer": "a"}]})
    assert store.recent_questions("b", now - DAY) == {1, 2, 5}
    assert store.recent_questions("b", time.time() + 1) == set()  # nothing written since


def test_session_of_opens_only_this_browsers_sessions(store: Store) -> None:
    mine, _ = store.create_session({"turns": []}, "me")
    theirs, _ = store.create_session({"turns": []}, "them")
    assert store.session_of("me", mine).id == mine
    with pytest.raises(SessionNotFound) as other:
        store.session_of("me", theirs)
    with pytest.raises(SessionNotFound) as missing:
        store.session_of("me", "nope")
    assert str(other.value) == str(missing.value)


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def test_candidates_put_weak_first_and_recent_last_within_a_section(client: TestClient, bank: Bank) -> None:
    services = services_of(client)
    pool = [q.number for q in bank.filter(Section.deep_learning)]
    weak, recent_weak, recent = pool[0], pool[1], set(pool[1:4])
    services.store.weak_questions = lambda browser_id, below=6.0: [999, weak, recent_weak]  # type: ignore[method-assign]
    config = InterviewConfig(section=Section.deep_learning, count=5)
    for _ in range(5):  # the order is random otherwise
        order = services.candidates(config, "b", recent)
        assert order[0] == weak and sorted(order) == sorted(pool)  # nothing dropped, nothing from elsewhere
        assert set(order[-3:]) == recent
    topic = services.candidates(InterviewConfig(topic="dropout", count=1), "b", {54})
    assert topic[-1] == 54 and 54 in topic
    chosen = InterviewConfig(numbers=[3, 1, 3], section=Section.coding)
    assert services.candidates(chosen, "b", {1, 3}) == [3, 1]


def test_a_question_answered_today_is_not_asked_again_until_the_section_runs_out(
    client: TestClient, bank: Bank
) -> None:
    pool = {q.number for q in bank.filter(Section.system_design, "senior")}
    asked: list[int] = []
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, section="system_design", level="senior", count=2, browser_id="daily")
        ws.send_json({"type": "skip"})  # a skip counts as seen today
        second = ws.receive_json()
        ws.send_json({"type": "answer", "text": "No idea, sorry."})  # weak: spaced repetition wants it back
        while receive_until(ws, "question", "summary")[-1]["type"] == "question":  # a follow-up: skip it
            ws.send_json({"type": "skip"})
        asked += [question["number"], second["number"]]
    with client.websocket_connect("/ws") as ws:
        _, again = start(client, ws, section="system_design", level="senior", count=len(pool), browser_id="daily")
        seen = [again["number"]]
        while True:
            ws.send_json({"type": "skip"})
            frame = ws.receive_json()
            if frame["type"] == "summary":
                break
            seen.append(frame["number"])
    assert set(seen) == pool  # the small section still fills
    assert set(seen[-2:]) == set(asked)  # today's questions come last


def test_numbers_ask_exactly_those_questions_in_order(client: TestClient, bank: Bank) -> None:
    numbers = [110, 3, 57]
    with client.websocket_connect("/ws") as ws:  # answered today, still asked: the candidate chose them
        start(client, ws, numbers=[3], browser_id="retry")
        ws.send_json({"type": "answer", "text": strong_answer(bank, 3)})
        receive_until(ws, "summary")
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, numbers=numbers, count=9, section="statistics", topic="x", browser_id="retry")
        asked = [question["number"]]
        assert question["total"] == 3 and question["index"] == 1
        while True:
            ws.send_json({"type": "skip"})
            frame = ws.receive_json()
            if frame["type"] == "summary":
                break
            if frame["kind"] == "main":
                asked.append(frame["number"])
    assert asked == numbers
    assert frame["summary"]["section"] is None and frame["filename"].endswith("-mixed.md")


def test_one_question_is_practised_at_its_own_level(client: TestClient, bank: Bank) -> None:
    senior = next(q for q in bank if q.level == "senior" and q.section is not Section.coding)
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, numbers=[senior.number], level="junior")
        assert question["number"] == senior.number and question["total"] == 1
        assert question["suggested_seconds"] == 420
        ws.send_json({"type": "end"})
        summary = receive_until(ws, "summary")[-1]
    assert summary["summary"]["level"] == "senior" and summary["summary"]["section"] == senior.section.value


def test_bad_numbers_are_clear_errors(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "start", "numbers": [1, 999]})
        error = ws.receive_json()
        assert error["type"] == "error" and error["code"] == "unknown_question" and "999" in error["message"]
        for numbers in ([], list(range(1, 22)), ["one"]):
            ws.send_text(json.dumps({"type": "start", "numbers": numbers}))
            assert ws.receive_json()["code"] == "bad_message"
        _, question = start(client, ws, numbers=[7])  # the connection is still free to start
        assert question["number"] == 7
