"""`mock-interviewer llm check` and the start-up probe behind /healthz, against respx-mocked servers."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from mock_interviewer.app import create_app
from mock_interviewer.cli import main
from mock_interviewer.config import Settings

from .fakes import FakeEmbedder
from .llm_mock import BASE_URL, completion, stream

MODELS = f"{BASE_URL}/models"
CHAT = f"{BASE_URL}/chat/completions"


def models(*ids: str) -> httpx.Response:
    return httpx.Response(200, json={"object": "list", "data": [{"id": i, "object": "model"} for i in ids]})


def llama_cpp_like(request: httpx.Request) -> httpx.Response:
    """Refuses json_schema like llama-cpp-python, accepts json_object + schema, streams."""
    body = json.loads(request.content)
    if body.get("stream"):
        return stream(["Hello, ", "welcome to the interview."])
    if body.get("response_format", {}).get("type") == "json_schema":
        return httpx.Response(500, json={"error": {"message": "('body', 'response_format', 'type') Input should be "
                                                   "'text' or 'json_object'"}})
    return completion('{"answer": 5}')


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file from the project
    monkeypatch.setenv("OPENAI_BASE_URL", BASE_URL)
    monkeypatch.setenv("MOCK_INTERVIEWER_MODEL", "test-model")
    monkeypatch.setenv("MOCK_INTERVIEWER_LLM_RETRIES", "0")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@respx.mock
def test_check_prints_every_step_and_the_form_that_worked(
    llm_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    respx.get(MODELS).mock(return_value=models("test-model"))
    respx.post(CHAT).mock(side_effect=llama_cpp_like)
    assert main(["llm", "check"]) == 0
    out = capsys.readouterr().out
    for step in ("reachable", "model listed", "structured output", "streamed reply", "latency"):
        assert f"[ok  ] {step}" in out, out
    assert "json_object + schema (the server refused json_schema)" in out
    assert "LLM mode works" in out


@respx.mock
def test_check_against_a_stopped_server_says_so_and_fails(
    llm_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    respx.get(MODELS).mock(side_effect=httpx.ConnectError("Connection refused"))
    assert main(["llm", "check"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] reachable" in out and "connection refused" in out and "is the server running?" in out
    assert "[skip] structured output" in out
    assert "LLM mode would not work" in out


@respx.mock
def test_check_names_an_unknown_model(llm_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    respx.get(MODELS).mock(return_value=models("llama3.1:8b", "qwen2.5:7b"))
    respx.post(CHAT).mock(return_value=httpx.Response(404, json={"error": {"message": "model not found"}}))
    assert main(["llm", "check"]) == 1
    out = capsys.readouterr().out
    assert "[warn] model listed" in out and "llama3.1:8b" in out
    assert "[FAIL] structured output" in out and "the server does not know model 'test-model'" in out


def test_check_without_an_llm_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["llm", "check"]) == 1
    assert "LLM mode is off" in capsys.readouterr().out


def wait_for_probe(client: TestClient) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        health: dict[str, Any] = client.get("/healthz").json()
        if health["llm_status"] not in ("unchecked", "checking"):
            return health
        time.sleep(0.05)
    raise AssertionError(f"the start-up probe never finished: {health}")


@respx.mock
def test_healthz_reports_a_working_llm_after_the_startup_probe(
    settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    respx.get(MODELS).mock(return_value=models("gpt-4o-mini"))
    respx.post(CHAT).mock(side_effect=llama_cpp_like)
    llm = settings.model_copy(update={"openai_base_url": BASE_URL, "llm_max_retries": 0})
    with TestClient(create_app(llm, embedder=fake_embedder)) as client:
        health = wait_for_probe(client)
    assert health["grader"] == "llm" and health["llm_status"] == "ok"
    assert health["llm_response_format"] == "json_object"  # learnt before the first answer


@respx.mock
def test_healthz_says_unreachable_when_the_server_is_down(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    respx.get(MODELS).mock(side_effect=httpx.ConnectError("Connection refused"))
    chat = respx.post(CHAT).mock(side_effect=httpx.ConnectError("Connection refused"))
    llm = settings.model_copy(update={"openai_base_url": BASE_URL, "llm_max_retries": 0})
    with TestClient(create_app(llm, embedder=fake_embedder)) as client:
        health = wait_for_probe(client)
        assert health["llm_status"] == "unreachable" and "is the server running?" in health["llm_detail"]
        graded = client.post("/api/grade", json={"number": 54, "answer": "Dropout zeroes units."}).json()
    assert graded["grader"] == "offline" and "cannot reach the LLM server" in graded["fallback_reason"]
    assert chat.call_count == 1  # the probe stopped at the first step


def test_the_startup_probe_can_be_turned_off(settings: Settings, fake_embedder: FakeEmbedder) -> None:
    llm = settings.model_copy(update={"openai_base_url": BASE_URL, "llm_probe_at_start": False})
    with TestClient(create_app(llm, embedder=fake_embedder)) as client:
        time.sleep(0.2)
        assert client.get("/healthz").json()["llm_status"] == "unchecked"


def test_healthz_without_an_llm(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["grader"] == "offline" and health["llm_status"] is None
