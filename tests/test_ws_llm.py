"""A whole interview with a (mocked) LLM: LLM grades, streamed follow-ups phrased from the answer."""

from __future__ import annotations

import json
import time

import httpx
import respx
from fastapi.testclient import TestClient

from mock_interviewer.app import create_app
from mock_interviewer.bank import Bank
from mock_interviewer.config import Settings

from .fakes import FakeEmbedder
from .llm_mock import BASE_URL, completion, grade_reply, stream
from .wsutil import receive_until, start


def llm_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"openai_base_url": BASE_URL, "llm_max_retries": 0})


@respx.mock
def test_llm_session_streams_a_follow_up_phrased_from_the_answer(
    settings: Settings, fake_embedder: FakeEmbedder, bank: Bank
) -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body.get("stream"):
            assert "<candidate_answer>" in body["messages"][1]["content"]
            return stream(["You mentioned zeroing units, ", "but what happens at inference time?"])
        return completion(grade_reply(5, [1]))

    respx.post(f"{BASE_URL}/chat/completions").mock(side_effect=reply)
    with (
        TestClient(create_app(llm_settings(settings), embedder=fake_embedder)) as client,
        client.websocket_connect("/ws") as ws,
    ):
        session, _ = start(client, ws, count=1)
        assert session["grader"] == "llm"
        ws.send_json({"type": "answer", "text": "Dropout zeroes units."})
        frames = receive_until(ws, "question")
        types = [f["type"] for f in frames]
        assert types == ["status", "feedback", "status", "delta", "delta", "question"]
        assert frames[1]["grade"]["grader"] == "llm"
        follow_up = frames[-1]
        assert follow_up["kind"] == "follow_up"
        assert follow_up["text"] == "You mentioned zeroing units, but what happens at inference time?"
        assert "".join(f["text"] for f in frames if f["type"] == "delta") == follow_up["text"]
        ws.send_json({"type": "repeat"})
        assert ws.receive_json()["text"] == follow_up["text"]  # the phrased text is what the session keeps


@respx.mock
def test_a_failing_llm_never_breaks_the_interview(settings: Settings, fake_embedder: FakeEmbedder, bank: Bank) -> None:
    respx.post(f"{BASE_URL}/chat/completions").mock(return_value=httpx.Response(503))
    with (
        TestClient(create_app(llm_settings(settings), embedder=fake_embedder)) as client,
        client.websocket_connect("/ws") as ws,
    ):
        _, question = start(client, ws, count=1)
        ws.send_json({"type": "answer", "text": bank.get(question["number"]).key_points[0]})  # type: ignore[union-attr]
        frames = receive_until(ws, "question", "summary")
        feedback = next(f for f in frames if f["type"] == "feedback")
        assert feedback["grade"]["grader"] == "offline" and "503" in feedback["grade"]["fallback_reason"]
        if frames[-1]["type"] == "question":  # the authored follow-up stands in for the phrased one
            authored = [f.question for f in bank.get(question["number"]).follow_ups]  # type: ignore[union-attr]
            assert frames[-1]["text"] in authored


@respx.mock
def test_a_slow_llm_for_one_session_does_not_stall_another(
    settings: Settings, fake_embedder: FakeEmbedder, bank: Bank
) -> None:
    import anyio

    async def reply(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if "SLOW" in body["messages"][-1]["content"]:
            await anyio.sleep(3)
        return completion(grade_reply(9, [1, 2, 3, 4]))

    respx.post(f"{BASE_URL}/chat/completions").mock(side_effect=reply)
    app = create_app(llm_settings(settings), embedder=fake_embedder)
    with TestClient(app) as client, client.websocket_connect("/ws") as slow, client.websocket_connect("/ws") as fast:
        start(client, slow, count=2)
        start(client, fast, count=2)
        began = time.monotonic()
        slow.send_json({"type": "answer", "text": "SLOW answer"})
        fast.send_json({"type": "answer", "text": "a quick answer"})
        receive_until(fast, "feedback")
        fast_done = time.monotonic() - began
        receive_until(slow, "feedback")
        slow_done = time.monotonic() - began
    assert fast_done < 1.5 < 3 <= slow_done + 0.1
