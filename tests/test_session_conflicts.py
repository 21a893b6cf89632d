"""Two connections on one session (two tabs, or a reconnect racing the old socket): one write wins, the other
connection is told to reload, and the stored session is never a mix of both."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mock_interviewer.bank import Bank

from .wsutil import receive_until, start, strong_answer


def test_the_second_writer_on_a_session_is_told_to_reload(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as tab_a, client.websocket_connect("/ws") as tab_b:
        session, question = start(client, tab_a, section="deep_learning", count=3, browser_id="two-tabs")
        resume = {"type": "resume", "session_id": session["session_id"], "token": session["token"]}
        tab_b.send_json(resume)
        assert receive_until(tab_b, "question")[-1]["number"] == question["number"]
        answer_b = strong_answer(bank, question["number"])
        tab_b.send_json({"type": "answer", "text": answer_b})
        next_question = receive_until(tab_b, "question")[-1]
        # Tab A still shows the first question and answers it: its copy is out of date.
        tab_a.send_json({"type": "answer", "text": "an answer from the stale tab"})
        error = tab_a.receive_json()
        assert error["type"] == "error" and error["code"] == "session_conflict" and "Reload" in error["message"]
        tab_a.send_json({"type": "hint"})  # the stale connection let go of the session, and keeps saying why
        assert tab_a.receive_json()["code"] == "session_conflict"
        # Tab B goes on as if nothing happened.
        tab_b.send_json({"type": "hint"})
        assert tab_b.receive_json()["type"] == "hint"
        # Reloading tab A resumes what tab B did.
        tab_a.send_json(resume)
        frames = receive_until(tab_a, "question")
        assert [t["answer"] for t in frames if t["type"] == "transcript"] == [answer_b]
        assert frames[-1]["number"] == next_question["number"]
    view = client.get(f"/api/sessions/{session['session_id']}", params={"token": session["token"]}).json()
    answered = [t["answer"] for t in view["state"]["turns"] if t["answer"]]
    assert answered == [answer_b]


def test_a_hint_from_a_stale_tab_is_refused_too(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as tab_a, client.websocket_connect("/ws") as tab_b:
        session, question = start(client, tab_a, section="algorithms", count=2)
        tab_b.send_json({"type": "resume", "session_id": session["session_id"], "token": session["token"]})
        receive_until(tab_b, "question")
        tab_a.send_json({"type": "hint"})  # A writes first: B is now the stale one
        assert tab_a.receive_json()["type"] == "hint"
        tab_b.send_json({"type": "skip"})
        assert tab_b.receive_json()["code"] == "session_conflict"
        tab_a.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        assert [f["type"] for f in receive_until(tab_a, "question", "summary")][:2] == ["status", "feedback"]
