"""The LLM mode against a real OpenAI-compatible server: llama-cpp-python's, with the packaged gemma3-270m.

Run by `make test-llm` (which builds the server into a cached venv and assembles the model), never by `make test`.
The tiny model cannot grade, so these tests assert the protocol, not its judgement: every grade is schema-valid and
either labelled `llm` or an offline fallback with its reason; no error frame; the session completes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from mock_interviewer.app import create_app
from mock_interviewer.bank import Bank
from mock_interviewer.cli import main
from mock_interviewer.config import Settings
from mock_interviewer.grading.llm import LLMRubricGrader
from mock_interviewer.grading.models import GradeResult
from mock_interviewer.grading.service import FollowUpWriter
from mock_interviewer.llm import LLMClient

from .fakes import FakeEmbedder

pytestmark = pytest.mark.llm_server

MODEL = "gemma3-270m"
# Generous: on 2 shared cores a grade (a ~1100-token prompt, then grammar-constrained decoding) takes 15-90 s.
TIMEOUTS = {
    "llm_timeout_s": 400.0,
    "llm_first_token_timeout_s": 400.0,
    "llm_total_timeout_s": 900.0,
    "llm_max_retries": 0,
    "llm_max_tokens": 700,
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Starts `python -m llama_cpp.server` on a free loopback port; yields its base URL (…/v1)."""
    python, model = os.environ.get("MOCK_INTERVIEWER_LLAMA_PYTHON"), os.environ.get("MOCK_INTERVIEWER_LLAMA_MODEL")
    if not python or not model:
        pytest.skip("needs the llama.cpp server and the gemma GGUF: run `make test-llm`")
    assert Path(model).is_file(), f"no model file at {model}"
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        python, "-m", "llama_cpp.server",
        "--model", model,
        "--model_alias", MODEL,
        "--chat_format", "gemma",  # the packaged GGUF carries no chat template: llama-2's would make gemma silent
        "--host", "127.0.0.1",  # loopback only
        "--port", str(port),
        "--n_ctx", "4096",
        "--interrupt_requests", "False",  # queue concurrent requests (probe + grade) instead of cutting one off
        "--verbose", "False",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama server exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama server not up after 180 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base_url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and nothing else
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def live(settings: Settings, llama_server: str) -> Settings:
    return settings.model_copy(update={"openai_base_url": llama_server, "llm_model": MODEL, **TIMEOUTS})


def assert_labelled(grade: dict[str, Any] | GradeResult) -> GradeResult:
    result = grade if isinstance(grade, GradeResult) else GradeResult.model_validate(grade)
    assert (result.grader == "llm" and result.fallback_reason is None) or (
        result.grader == "offline" and result.fallback_reason
    ), result
    return result


def test_llm_check_passes_against_the_live_server(
    llama_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("MOCK_INTERVIEWER_MODEL", MODEL)
    for name, value in (("TIMEOUT", "400"), ("FIRST_TOKEN_TIMEOUT", "400"), ("TOTAL_TIMEOUT", "900")):
        monkeypatch.setenv(f"MOCK_INTERVIEWER_LLM_{name}", value)
    code = main(["llm", "check"])
    out = capsys.readouterr().out
    print(out)
    assert code == 0, out
    for step in ("reachable", "model listed", "structured output", "streamed reply"):
        assert f"[ok  ] {step}" in out, out
    # llama-cpp-python refuses json_schema with HTTP 500; the client must have found the form that works.
    assert "json_object + schema" in out


def test_the_rubric_grader_gets_a_valid_llm_grade(live: Settings, bank: Bank) -> None:
    """The core of LLM mode, with no fallback allowed: refused json_schema, json_object + grammar, validated."""

    async def run() -> tuple[GradeResult, LLMClient]:
        client = LLMClient(live)
        try:
            grader = LLMRubricGrader(client, live.prompts_dir)
            question = bank.get(54)
            assert question is not None
            answer = "Dropout zeroes random activations with probability p while training, so units cannot co-adapt."
            return await grader.grade(question, answer), client
        finally:
            await client.aclose()

    result, client = anyio.run(run)
    assert result.grader == "llm" and 0 <= result.score <= 10 and len(result.criteria) == 4
    assert client.json_form == "json_object"
    assert client.usage.completion_tokens > 0


def test_a_follow_up_streams_from_the_live_server(live: Settings, bank: Bank) -> None:
    async def run() -> list[str]:
        client = LLMClient(live)
        try:
            writer = FollowUpWriter(client, live.prompts_dir)
            question = bank.get(54)
            assert question is not None
            missed = question.key_points[1:3]
            return [p async for p in writer.stream(question, "Dropout zeroes units.", missed, "What about inference?")]
        finally:
            await client.aclose()

    pieces = anyio.run(run)
    assert len(pieces) >= 2 and "".join(pieces).strip()
    assert len("".join(pieces)) < 700  # cut off at the writer's limit however long the model rambles


def test_post_api_grade_against_the_live_server(live: Settings, fake_embedder: FakeEmbedder) -> None:
    settings = live.model_copy(update={"llm_probe_at_start": False})
    with TestClient(create_app(settings, embedder=fake_embedder)) as client:
        response = client.post("/api/grade", json={"number": 2, "answer": "Overfitting is fitting noise in the data."})
        assert response.status_code == 200, response.text
        assert_labelled(response.json())


def _frames_until(ws: WebSocketTestSession, *types: str) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = ws.receive_json()
        assert frame["type"] != "error", frame
        frames.append(frame)
        if frame["type"] in types:
            return frames


def _partial(bank: Bank, number: int) -> str:
    q = bank.get(number)
    assert q is not None
    return " ".join(q.key_points[:2])  # two key points of several: a follow-up is due on an offline grade


def _answer(ws: WebSocketTestSession, text: str) -> tuple[GradeResult, list[dict[str, Any]]]:
    ws.send_json({"type": "answer", "text": text})
    frames = _frames_until(ws, "question", "summary")
    assert (frames[0]["type"], frames[0]["state"]) == ("status", "grading")
    feedback = next(f for f in frames if f["type"] == "feedback")
    return assert_labelled(feedback["grade"]), frames


def _streamed(frames: list[dict[str, Any]]) -> bool:
    """A follow-up phrased by the model: `thinking`, two or more deltas, and the question they spell."""
    last = frames[-1]
    if last["type"] != "question" or last["kind"] != "follow_up":
        return False
    assert any(f["type"] == "status" and f["state"] == "thinking" for f in frames)
    deltas = "".join(f["text"] for f in frames if f["type"] == "delta")
    if not deltas.strip():
        return False  # the authored follow-up stood in
    assert sum(f["type"] == "delta" for f in frames) >= 2 and last["text"] == deltas.strip()[:600]
    return True


def _end(ws: WebSocketTestSession) -> dict[str, Any]:
    ws.send_json({"type": "end"})
    summary = _frames_until(ws, "summary")[-1]
    assert summary["summary"]["questions"]
    return summary


def test_a_whole_interview_over_the_websocket(live: Settings, fake_embedder: FakeEmbedder, bank: Bank) -> None:
    """Start, a hint, answers graded by the live model, any follow-up it calls for streamed, a skip, the summary."""
    with TestClient(create_app(live, embedder=fake_embedder)) as client, client.websocket_connect("/ws") as ws:
        health = client.get("/healthz").json()
        assert health["grader"] == "llm" and health["llm_model"] == MODEL
        ws.send_json({"type": "start", "section": "deep_learning", "topic": "dropout regularization", "count": 3})
        session = ws.receive_json()
        assert session["type"] == "session" and session["grader"] == "llm"
        current = ws.receive_json()
        assert current["type"] == "question" and current["kind"] == "main"

        ws.send_json({"type": "hint"})
        hint = ws.receive_json()
        assert hint["type"] == "hint" and hint["text"]
        grades = []
        while True:  # the first question and whatever follow-ups the model's grade calls for
            grade, frames = _answer(ws, _partial(bank, current["number"]))
            grades.append(grade)
            current = frames[-1]
            if current["type"] == "question" and current["kind"] == "follow_up":
                _streamed(frames)  # checked when phrased; the tiny model may also leave it to the authored one
            if current["type"] == "summary" or current["kind"] == "main":
                break
        assert current["type"] == "question", "the interview ended before a question could be skipped"
        ws.send_json({"type": "skip"})
        current = _frames_until(ws, "question", "summary")[-1]
        summary = current if current["type"] == "summary" else _end(ws)
        health = client.get("/healthz").json()
    print("grades:", [(g.grader, g.score, g.fallback_reason) for g in grades], "health:", health)
    assert any(g.grader == "llm" for g in grades), "no answer was graded by the live model"
    assert health["llm_status"] == "ok" and health["llm_response_format"] == "json_object"
    questions = summary["summary"]["questions"]
    assert any(q["skipped"] for q in questions) and any(q["hints"] for q in questions)


def test_a_grade_past_its_timeout_falls_back_and_the_follow_up_still_streams(
    live: Settings, fake_embedder: FakeEmbedder, bank: Bank
) -> None:
    """A grade that outlives the request time-out on the real server ends in a labelled offline grade; that grade
    calls for a follow-up, which the live model phrases and streams."""
    slow = live.model_copy(update={"llm_timeout_s": 2.0, "llm_probe_at_start": False})
    with TestClient(create_app(slow, embedder=fake_embedder)) as client, client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "start", "section": "deep_learning", "count": 2})
        assert ws.receive_json()["type"] == "session"
        current = ws.receive_json()
        grade, frames = _answer(ws, _partial(bank, current["number"]))
        assert grade.grader == "offline" and "timed out" in (grade.fallback_reason or ""), grade
        assert _streamed(frames), [f for f in frames if f["type"] != "feedback"]
        _end(ws)
