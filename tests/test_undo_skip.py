"""Undoing a skip over the WebSocket, and what an over-long answer does to the open question."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mock_interviewer.bank import Bank
from mock_interviewer.config import Settings

from .wsutil import partial_answer, receive_until, start, strong_answer


def test_undo_skip_reopens_the_skipped_question_and_it_can_be_answered(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        session, first = start(client, ws, section="fundamentals", count=3)
        ws.send_json({"type": "skip"})
        second = ws.receive_json()
        assert second["type"] == "question" and second["index"] == 2 and second["number"] != first["number"]
        ws.send_json({"type": "undo_skip"})
        reopened = ws.receive_json()
        assert reopened == first  # the very same frame, asked_at included: the page's timer goes on
        ws.send_json({"type": "answer", "text": strong_answer(bank, first["number"])})
        frames = receive_until(ws, "question")
        assert frames[1]["type"] == "feedback" and frames[1]["grade"]["score"] >= 8
        assert frames[-1]["number"] == second["number"] and frames[-1]["index"] == 2  # the withdrawn one is next
        ws.send_json({"type": "end"})
        summary = receive_until(ws, "summary")[-1]["summary"]
        assert [(q["number"], q["skipped"]) for q in summary["questions"]] == [(first["number"], False)]
    with client.websocket_connect("/ws") as ws:  # the undo was saved
        ws.send_json({"type": "resume", "session_id": session["session_id"], "token": session["token"]})
        transcript = [f for f in receive_until(ws, "summary") if f["type"] == "transcript"]
        assert [(t["number"], t["skipped"]) for t in transcript] == [(first["number"], False)]


def test_undo_skip_of_a_follow_up_resends_it(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, section="algorithms", count=1)
        ws.send_json({"type": "answer", "text": partial_answer(bank, question["number"])})
        follow_up = receive_until(ws, "question")[-1]
        assert follow_up["kind"] == "follow_up" and follow_up["follow_up_number"] == 1
        ws.send_json({"type": "skip"})
        after = ws.receive_json()  # every bank entry has two or more follow-ups: the second is due
        assert after["type"] == "question" and after["kind"] == "follow_up" and after["follow_up_number"] == 2
        ws.send_json({"type": "undo_skip"})
        assert ws.receive_json() == follow_up
        ws.send_json({"type": "answer", "text": "I would look at the data first."})
        again = receive_until(ws, "question", "summary")[-1]
        assert again["asked_at"] >= after["asked_at"]  # asked again, so its clock starts again
        assert {**again, "asked_at": 0} == {**after, "asked_at": 0}  # the second follow-up, as before


def test_undo_skip_is_refused_when_nothing_can_be_undone(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "undo_skip"})
        assert ws.receive_json()["code"] == "no_session"
        start(client, ws, section="statistics", count=3)
        ws.send_json({"type": "undo_skip"})
        error = ws.receive_json()
        assert error["type"] == "error" and error["code"] == "nothing_to_undo" and error["message"]
        ws.send_json({"type": "skip"})
        second = ws.receive_json()
        ws.send_json({"type": "hint"})
        assert ws.receive_json()["type"] == "hint"
        ws.send_json({"type": "undo_skip"})  # the next question was already touched
        assert ws.receive_json()["code"] == "nothing_to_undo"
        ws.send_json({"type": "repeat"})
        assert ws.receive_json() == second  # nothing changed
        ws.send_json({"type": "undo_skip", "extra": 1})
        assert ws.receive_json()["code"] == "bad_message"


def test_the_unknown_type_error_lists_undo_skip(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "undo"})
        assert "undo_skip" in ws.receive_json()["message"]


@pytest.mark.parametrize("section", ["fundamentals", "coding"])
def test_an_over_long_answer_is_refused_and_the_question_stays_open(
    client: TestClient, bank: Bank, settings: Settings, section: str
) -> None:
    limit = settings.max_answer_chars
    assert limit == 8000
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, count=1, section=section)
        ws.send_json({"type": "answer", "text": "y" * (limit + 1)})
        error = ws.receive_json()
        assert error == {
            "type": "error",
            "code": "answer_too_long",
            "message": f"Answers are limited to {limit} characters; yours has {limit + 1}.",
        }
        ws.send_json({"type": "repeat"})
        assert ws.receive_json() == question
        ws.send_json({"type": "answer", "text": "y " * (limit // 2)})  # exactly at the limit: accepted
        last = receive_until(ws, "feedback", "error")[-1]
        assert last["type"] == "feedback", last
