"""Pacing in question frames, a resume that loses nothing, the report and history's reports."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from mock_interviewer.bank import Bank
from mock_interviewer.config import Settings
from mock_interviewer.interview import Interview, InterviewConfig
from mock_interviewer.store import Store

from .wsutil import partial_answer, receive_until, start, strong_answer


def test_question_frames_carry_pacing(client: TestClient, bank: Bank) -> None:
    before = time.time()
    with client.websocket_connect("/ws") as ws:
        _, main = start(client, ws, section="algorithms", count=2, level="mid")
        assert main["follow_up_number"] is None and main["max_follow_ups"] == 2
        assert main["suggested_seconds"] == 300 and before <= main["asked_at"] <= time.time()
        ws.send_json({"type": "answer", "text": partial_answer(bank, main["number"])})
        follow_up = receive_until(ws, "question")[-1]
        assert follow_up["kind"] == "follow_up" and follow_up["follow_up_number"] == 1
        assert follow_up["suggested_seconds"] == 180 and follow_up["asked_at"] >= main["asked_at"]
        ws.send_json({"type": "skip"})
        second = ws.receive_json()
        assert second["follow_up_number"] == 2 and second["max_follow_ups"] == 2
    with client.websocket_connect("/ws") as ws:
        _, coding = start(client, ws, section="coding", count=1, level="senior")
        assert coding["suggested_seconds"] == 1500 and coding["starter"]


def test_resume_replays_each_turn_with_the_same_feedback_card(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        session, main = start(client, ws, numbers=[53, 54, 55])  # fixed: a partial answer to 53 earns follow-ups
        ws.send_json({"type": "hint"})
        ws.receive_json()
        ws.send_json({"type": "answer", "text": partial_answer(bank, main["number"])})
        frames = receive_until(ws, "question")
        live = next(f for f in frames if f["type"] == "feedback")
        follow_up = frames[-1]
        ws.send_json({"type": "skip"})
        current = ws.receive_json()
    with client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "resume", "session_id": session["session_id"], "token": session["token"]})
        frames = receive_until(ws, "question")
    transcript = [f for f in frames if f["type"] == "transcript"]
    assert len(transcript) == 2 and frames[-1] == current  # asked_at included: the page's timer survives reload
    answered, skipped = transcript
    q = bank.get(main["number"])
    assert q is not None
    assert answered["feedback"] == live  # the very card the page showed live
    assert answered["feedback"]["hints_used"] == 1 and answered["hints"] == [q.key_points[0]]
    assert (answered["section"], answered["level"], answered["title"]) == (q.section.value, q.level, q.title)
    assert answered["follow_up_index"] is None and answered["asked_at"] == main["asked_at"]
    assert answered["asked_at"] <= answered["answered_at"]
    assert skipped["skipped"] and skipped["feedback"] is None and skipped["score"] == 0
    assert skipped["kind"] == "follow_up" and skipped["follow_up_index"] is not None
    assert skipped["text"] == follow_up["text"] and skipped["asked_at"] == follow_up["asked_at"]


def test_a_session_stored_before_times_gets_one_clock_that_sticks(
    settings: Settings, client: TestClient, bank: Bank
) -> None:
    store = Store(settings.database_url)
    interview = Interview.begin(InterviewConfig(count=2), bank, [54, 55])
    state = interview.state.model_dump(mode="json")
    del state["started_at"], state["turns"][0]["asked_at"]
    session_id, token = store.create_session(state, None)
    store.close()
    seen = []
    for _ in range(2):
        with client.websocket_connect("/ws") as ws:
            ws.send_json({"type": "resume", "session_id": session_id, "token": token})
            frames = receive_until(ws, "question")
            seen.append(frames[-1]["asked_at"])
    assert seen[0] == seen[1] and seen[0] > 0


def test_the_summary_reports_every_answer_and_names_its_file(client: TestClient, bank: Bank) -> None:
    today = time.strftime("%Y-%m-%d", time.gmtime())
    with client.websocket_connect("/ws") as ws:
        session, first = start(client, ws, section="coding", count=2, browser_id="reporter")
        explanation = "O(n) time | O(1) space; uses `zip`."
        code = "def f(x):\n    return x  # ``` a fence in a comment\n"
        ws.send_json({"type": "answer", "text": explanation, "code": code})
        frames = receive_until(ws, "question", "summary")
        while frames[-1]["type"] == "question" and frames[-1]["kind"] == "follow_up":
            ws.send_json({"type": "skip"})
            frames = [ws.receive_json()]
        ws.send_json({"type": "end"})
        message = receive_until(ws, "summary")[-1]
    assert message["filename"] == f"mock-interview-{today}-coding.md"
    summary = message["summary"]
    assert summary["section"] == "coding" and summary["section_title"] == "Coding & implementation"
    assert summary["level"] == "adaptive" and summary["topic"] is None
    assert summary["started_at"] <= summary["finished_at"] and summary["duration_seconds"] >= 0
    row = summary["questions"][0]
    q = bank.get(first["number"])
    assert q is not None
    assert row["question"] == first["text"] and row["title"] == first["text"] and row["level"] == q.level
    assert row["answer"].startswith(explanation) and code.rstrip() in row["answer"]  # explanation and code, whole
    assert row["tests"] is not None and row["grader"] == "offline" and row["band"]
    assert {c["criterion"] for c in row["criteria"]} == {"correctness", "completeness", "depth", "clarity"}
    assert isinstance(row["covered"], list) and isinstance(row["missed"], list) and row["feedback"]
    assert row["reference_answer"] == q.reference_answer and row["seconds"] >= 0
    assert row["follow_up_index"] is None
    markdown = message["markdown"]
    assert f"### Q{q.number} · Coding & implementation · {q.level}" in markdown
    assert f"> {explanation}" in markdown and "> ```python" in markdown and "**Hidden tests:**" in markdown
    assert "**Section:** Coding & implementation" in markdown and "**Level:** adaptive" in markdown
    report = client.get(f"/api/sessions/{session['session_id']}/report.md", params={"token": session["token"]})
    assert report.text == markdown
    assert report.headers["content-disposition"] == f'attachment; filename="{message["filename"]}"'
    history = client.get("/api/history/reporter/" + session["session_id"])
    assert history.status_code == 200
    assert history.json() == {"summary": summary, "markdown": markdown, "filename": message["filename"]}


def test_history_lists_section_averages_and_opens_reports(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        finished, question = start(client, ws, section="statistics", count=1, browser_id="hist")
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        receive_until(ws, "summary")
    with client.websocket_connect("/ws") as ws:
        unfinished, question = start(client, ws, section="fundamentals", count=3, browser_id="hist")
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        receive_until(ws, "question")
    with client.websocket_connect("/ws") as ws:
        other, _ = start(client, ws, count=1, browser_id="someone-else")
    entries = {e["session_id"]: e for e in client.get("/api/history/hist").json()}
    assert set(entries) == {finished["session_id"], unfinished["session_id"]}
    done, going = entries[finished["session_id"]], entries[unfinished["session_id"]]
    assert list(done["section_averages"]) == ["statistics"] and done["section_averages"]["statistics"] >= 8
    assert going["section_averages"] == {"fundamentals": going["overall"]} and not going["finished"]
    report = client.get(f"/api/history/hist/{unfinished['session_id']}").json()
    assert [q["number"] for q in report["summary"]["questions"]] == [question["number"]]  # what was answered
    assert report["summary"]["finished_at"] is None and report["summary"]["duration_seconds"] is not None
    assert report["filename"].endswith("-fundamentals.md") and "## Questions" in report["markdown"]
    wrong_browser = client.get(f"/api/history/hist/{other['session_id']}")
    missing = client.get("/api/history/hist/no-such-session")
    assert wrong_browser.status_code == missing.status_code == 404
    assert wrong_browser.json() == missing.json()
    assert client.get(f"/api/history/hist/{'x' * 101}").status_code == 422
