"""Whole interviews over the WebSocket, offline (fake embedder), through Starlette's test client."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from mock_interviewer import services as services_module
from mock_interviewer.app import create_app
from mock_interviewer.bank import Bank
from mock_interviewer.config import Settings
from mock_interviewer.interview import Interview, InterviewConfig
from mock_interviewer.store import Store

from .fakes import FakeEmbedder
from .wsutil import partial_answer, receive_until, start, strong_answer


def test_a_full_offline_interview_reaches_the_summary(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        session, question = start(client, ws, section="fundamentals", count=2)
        assert session["grader"] == "offline" and len(session["token"]) >= 40
        assert question["kind"] == "main" and question["index"] == 1 and question["total"] == 2
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        frames = receive_until(ws, "question")
        assert [f["type"] for f in frames] == ["status", "feedback", "question"]
        feedback = frames[1]
        assert feedback["grade"]["score"] >= 8 and feedback["grade"]["grader"] == "offline"
        assert feedback["reference_answer"]
        listed = bank.get(question["number"]).mistakes  # type: ignore[union-attr]
        assert [m["claim"] for m in feedback["common_mistakes"]] == [m.claim for m in listed]
        assert frames[2]["kind"] == "main" and frames[2]["index"] == 2  # strong: no follow-up
        ws.send_json({"type": "answer", "text": strong_answer(bank, frames[2]["number"])})
        frames = receive_until(ws, "summary")
        summary = frames[-1]
        assert summary["session_id"] == session["session_id"]
        assert len(summary["summary"]["questions"]) == 2 and summary["summary"]["overall"] >= 8
        assert summary["markdown"].startswith("# Mock interview report")


def test_follow_ups_come_after_a_partial_answer(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, section="algorithms", count=1)
        ws.send_json({"type": "answer", "text": partial_answer(bank, question["number"])})
        frames = receive_until(ws, "question", "summary")
        feedback, follow_up = frames[-2], frames[-1]
        assert 0 < feedback["grade"]["score"] < 8 and feedback["grade"]["missed"]
        assert follow_up["type"] == "question" and follow_up["kind"] == "follow_up"
        assert follow_up["number"] == question["number"]
        authored = [f.question for f in bank.get(question["number"]).follow_ups]  # type: ignore[union-attr]
        assert follow_up["text"] in authored


def test_hint_skip_repeat_and_end(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, section="statistics", count=3)
        ws.send_json({"type": "hint"})
        hint = ws.receive_json()
        assert hint["type"] == "hint" and hint["hints_used"] == 1
        assert hint["text"] == bank.get(question["number"]).key_points[0]  # type: ignore[union-attr]
        ws.send_json({"type": "repeat"})
        assert ws.receive_json() == question
        ws.send_json({"type": "skip"})
        second = ws.receive_json()
        assert second["type"] == "question" and second["index"] == 2 and second["number"] != question["number"]
        ws.send_json({"type": "end"})
        summary = ws.receive_json()
        assert summary["type"] == "summary"
        rows = summary["summary"]["questions"]
        assert len(rows) == 1 and rows[0]["skipped"] and rows[0]["hints"] == 1
        ws.send_json({"type": "answer", "text": "too late"})
        assert ws.receive_json()["code"] == "finished"


def test_bad_messages_get_errors_and_the_session_continues(client: TestClient, bank: Bank, settings: Settings) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "answer", "text": "before start"})
        assert ws.receive_json()["code"] == "no_session"
        _, question = start(client, ws, count=2)
        cases = [
            ("{not json", "bad_json"),
            (json.dumps([1, 2]), "bad_message"),
            (json.dumps({"type": "dance"}), "bad_message"),
            (json.dumps({"type": "answer"}), "bad_message"),
            (json.dumps({"type": "answer", "text": 42}), "bad_message"),
            (json.dumps({"type": "start", "count": 500}), "bad_message"),
            (json.dumps({"type": "answer", "text": "   "}), "empty_answer"),
            (json.dumps({"type": "answer", "text": "x" * (settings.max_answer_chars + 1)}), "answer_too_long"),
            ("x" * (settings.max_message_bytes + 1), "message_too_large"),
            (json.dumps({"type": "start"}), "already_started"),
            (json.dumps({"type": "resume", "session_id": "nope", "token": "nope"}), "already_started"),
        ]
        for raw, code in cases:
            ws.send_text(raw)
            error = ws.receive_json()
            assert error["type"] == "error" and error["code"] == code, (raw[:40], error)
            assert error["message"]
        ws.send_bytes(b"\xff\xfe")
        assert ws.receive_json()["code"] == "bad_json"
        ws.send_json({"type": "repeat"})
        assert ws.receive_json() == question  # nothing changed
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        assert receive_until(ws, "question")[-1]["index"] == 2


def test_unknown_type_message_names_the_choices(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "dance"})
        message = ws.receive_json()["message"]
        assert "dance" in message and "answer" in message


def test_resume_after_a_dropped_connection_continues_where_it_was(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        session, question = start(client, ws, section="deep_learning", count=3)
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        current = receive_until(ws, "question")[-1]
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "resume", "session_id": session["session_id"], "token": session["token"]})
        opened = ws.receive_json()
        assert opened["type"] == "session" and opened["resumed"]
        transcript = ws.receive_json()
        assert transcript["type"] == "transcript" and transcript["number"] == question["number"]
        assert transcript["answer"] == strong_answer(bank, question["number"])
        assert ws.receive_json() == current
        ws.send_json({"type": "answer", "text": strong_answer(bank, current["number"])})
        assert receive_until(ws, "question")[-1]["index"] == 3


def test_resume_after_the_app_is_rebuilt_over_the_same_database(
    settings: Settings, fake_embedder: FakeEmbedder, bank: Bank
) -> None:
    with TestClient(create_app(settings, embedder=fake_embedder)) as first, first.websocket_connect("/ws") as ws:
        session, question = start(first, ws, section="coding", count=2)
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        current = receive_until(ws, "question")[-1]
    with TestClient(create_app(settings, embedder=fake_embedder)) as second, second.websocket_connect("/ws") as ws:
        ws.send_json({"type": "resume", "session_id": session["session_id"], "token": session["token"]})
        frames = receive_until(ws, "question")
        assert frames[-1] == current
        assert [f["type"] for f in frames] == ["session", "transcript", "question"]


def test_an_answer_stored_but_never_graded_is_graded_on_resume(
    settings: Settings, fake_embedder: FakeEmbedder, bank: Bank
) -> None:
    # The state a kill -9 between "answer written" and "grade written" leaves behind.
    store = Store(settings.database_path)
    interview = Interview.begin(InterviewConfig(count=2), bank, [54, 55])
    session_id, token = store.create_session(interview.state.model_dump(mode="json"), None)
    first = interview.current.number  # type: ignore[union-attr]
    interview.submit_answer(strong_answer(bank, first))
    store.save(
        session_id, interview.state.model_dump(mode="json"), answer=(0, first, "main", strong_answer(bank, first))
    )
    store.close()
    with TestClient(create_app(settings, embedder=fake_embedder)) as client, client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "resume", "session_id": session_id, "token": token})
        frames = receive_until(ws, "question")
        types = [f["type"] for f in frames]
        assert types == ["session", "transcript", "status", "feedback", "question"]
        assert frames[3]["grade"]["number"] == first and frames[-1]["number"] == ({54, 55} - {first}).pop()


def test_one_sessions_token_opens_no_other(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        a, _ = start(client, ws, count=1)
    with client.websocket_connect("/ws") as ws:
        b, _ = start(client, ws, count=1)
    assert a["session_id"] != b["session_id"] and a["token"] != b["token"]
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "resume", "session_id": a["session_id"], "token": b["token"]})
        assert ws.receive_json()["code"] == "unknown_session"
        ws.send_json({"type": "resume", "session_id": a["session_id"], "token": a["token"]})
        assert ws.receive_json()["type"] == "session"
    assert client.get(f"/api/sessions/{a['session_id']}").status_code == 401
    assert client.get(f"/api/sessions/{a['session_id']}", params={"token": b["token"]}).status_code == 404
    view = client.get(f"/api/sessions/{a['session_id']}", headers={"X-Session-Token": a["token"]})
    assert view.status_code == 200 and view.json()["session_id"] == a["session_id"]


def test_session_report_downloads_as_markdown(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        session, question = start(client, ws, count=1)
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        receive_until(ws, "summary")
    report = client.get(f"/api/sessions/{session['session_id']}/report.md", params={"token": session["token"]})
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/markdown")
    assert f"| {question['number']} |" in report.text and "attachment" in report.headers["content-disposition"]


def test_weak_questions_come_back_first_for_the_same_browser(
    client: TestClient, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, count=1, browser_id="browser-1")
        weak = question["number"]
        ws.send_json({"type": "answer", "text": "I think it has something to do with data, maybe."})
        receive_until(ws, "summary")
    monkeypatch.setattr(services_module, "RECENT_SECONDS", 0)  # a day later: no longer held back as recent
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, count=3, browser_id="browser-1", level="junior")
        q = bank.get(weak)
        assert q is not None
        if q.suits("junior"):
            assert question["number"] == weak
    with client.websocket_connect("/ws") as ws:  # adaptive level: the weak question is first in line
        _, question = start(client, ws, count=3, browser_id="browser-1")
        assert question["number"] == weak or not bank.get(weak).suits("mid")  # type: ignore[union-attr]
    with client.websocket_connect("/ws") as ws:  # another browser: no history
        start(client, ws, count=3, browser_id="browser-2", section=bank.get(weak).section.value)  # type: ignore[union-attr]
    history = client.get("/api/history/browser-1").json()
    assert len(history) == 3 and history[-1]["overall"] is not None and history[-1]["finished"]


def test_topic_picks_matching_questions(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, topic="dropout regularization randomly zeroes units", count=1, level="junior")
        assert question["number"] == 54


def test_a_grading_crash_keeps_the_answer_resendable(client: TestClient, bank: Bank) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    real_grade = services.grader.grade
    calls = {"n": 0}

    async def flaky(question, answer):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return await real_grade(question, answer)

    services.grader.grade = flaky
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, count=1)
        text = strong_answer(bank, question["number"])
        ws.send_json({"type": "answer", "text": text})
        frames = receive_until(ws, "error")
        assert frames[-1]["code"] == "grading_failed"
        ws.send_json({"type": "answer", "text": text})
        assert receive_until(ws, "summary")[-1]["summary"]["questions"][0]["score"] >= 8


def test_asking_the_interviewer_is_never_graded_and_a_read_question_can_be_graded(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, section="fundamentals", count=2)
        # Explicit: even a message that reads like an answer is a question when sent as `clarify`.
        ws.send_json({"type": "clarify", "text": "Regularization adds a penalty, right, is that the area you want?"})
        reply = receive_until(ws, "clarification", "feedback")[-1]
        assert reply["type"] == "clarification" and not reply["detected"]
        # A typed message read as a question says so, and `graded: true` has it graded after all.
        ws.send_json({"type": "answer", "text": "Do you mean for classification or regression?"})
        detected = receive_until(ws, "clarification", "feedback")[-1]
        assert detected["type"] == "clarification" and detected["detected"]
        ws.send_json({"type": "answer", "text": "Do you mean for classification or regression?", "graded": True})
        graded = receive_until(ws, "feedback", "clarification")[-1]
        assert graded["type"] == "feedback"
        receive_until(ws, "question")  # two questions: one is always open next
        ws.send_json({"type": "clarify", "text": "   "})
        assert receive_until(ws, "error")[-1]["code"] == "empty_question"
        ws.send_json({"type": "clarify", "text": "x" * 1001})
        assert receive_until(ws, "error")[-1]["code"] == "question_too_long"
    assert question["number"] >= 1


def test_a_short_message_ending_in_a_question_is_confirmed_before_it_is_graded(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        start(client, ws, section="deep_learning", count=1)
        guess = "Is it because the sigmoid derivative is at most a quarter?"
        ws.send_json({"type": "answer", "text": guess})
        asked = receive_until(ws, "clarification", "feedback")[-1]
        assert asked["type"] == "clarification" and asked["detected"]
        assert "Is that your answer" in asked["text"]
        # Sent again as it was, it is the answer.
        ws.send_json({"type": "answer", "text": guess})
        assert receive_until(ws, "feedback", "clarification")[-1]["type"] == "feedback"
