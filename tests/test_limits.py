"""Fair use: per-client limits on grading, new interviews and WebSocket messages; over them, 429 or an error frame,
and the interview goes on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_interviewer.app import create_app
from mock_interviewer.bank import Bank
from mock_interviewer.config import Settings
from mock_interviewer.limits import RateLimiter, retry_after

from .fakes import FakeEmbedder
from .wsutil import receive_until, start, strong_answer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=0.5, burst=3, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a") == pytest.approx(2.0)  # one token every 2 s
    assert limiter.acquire("b") == 0.0  # keys are independent
    clock.now += 1.0
    assert limiter.acquire("a") == pytest.approx(1.0)  # refused attempts take nothing
    clock.now += 1.0
    assert limiter.acquire("a") == 0.0
    clock.now += 100.0
    assert [limiter.acquire("a") for _ in range(4)][-1] > 0  # refills to the burst, no further
    assert retry_after(0.01) == 1 and retry_after(2.2) == 3


def test_no_rate_means_no_limit_and_idle_keys_are_forgotten() -> None:
    assert all(RateLimiter(0, 1).acquire("a") == 0.0 for _ in range(1000))
    clock = Clock()
    limiter = RateLimiter(rate=1, burst=1, clock=clock, max_keys=10)
    for i in range(10):
        limiter.acquire(f"k{i}")
    clock.now += 5
    limiter.acquire("new")  # past max_keys: the refilled buckets go
    assert len(limiter._buckets) == 1


def limited_client(settings: Settings, fake_embedder: FakeEmbedder, **limits: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update=limits), embedder=fake_embedder)) as client:
        yield client


@pytest.fixture
def grade_limited(settings: Settings, fake_embedder: FakeEmbedder) -> Iterator[TestClient]:
    yield from limited_client(settings, fake_embedder, grade_limit_per_minute=2)


def test_grading_over_the_limit_gets_429_with_retry_after(grade_limited: TestClient, bank: Bank) -> None:
    body = {"number": 54, "answer": strong_answer(bank, 54)}
    assert [grade_limited.post("/api/grade", json=body).status_code for _ in range(2)] == [200, 200]
    refused = grade_limited.post("/api/grade", json=body)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 30 and "try again" in refused.json()["detail"]
    assert grade_limited.get("/api/questions/54").status_code == 200  # other routes are not limited
    other = grade_limited.post("/api/grade", json=body, headers={"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 429  # the test client is no trusted proxy: the header changes nothing


@pytest.fixture
def session_limited(settings: Settings, fake_embedder: FakeEmbedder) -> Iterator[TestClient]:
    yield from limited_client(settings, fake_embedder, session_limit_per_minute=1)


def test_new_interviews_over_the_limit_get_an_error_and_running_ones_go_on(
    session_limited: TestClient, bank: Bank
) -> None:
    with session_limited.websocket_connect("/ws") as first:
        session, question = start(session_limited, first, section="fundamentals", count=2)
        with session_limited.websocket_connect("/ws") as second:
            second.send_json({"type": "start", "section": "fundamentals", "count": 2})
            error = second.receive_json()
            assert error["type"] == "error" and error["code"] == "rate_limited" and " s." in error["message"]
            # resuming is not a new interview
            second.send_json({"type": "resume", "session_id": session["session_id"], "token": session["token"]})
            assert receive_until(second, "question")[-1]["number"] == question["number"]
        first.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        assert [f["type"] for f in receive_until(first, "question")] == ["status", "feedback", "question"]


@pytest.fixture
def message_limited(settings: Settings, fake_embedder: FakeEmbedder) -> Iterator[TestClient]:
    yield from limited_client(settings, fake_embedder, ws_messages_per_second=2, ws_message_burst=3)


def test_websocket_messages_over_the_limit_get_an_error_and_the_session_goes_on(
    message_limited: TestClient, bank: Bank
) -> None:
    with message_limited.websocket_connect("/ws") as ws:
        _, question = start(message_limited, ws, section="algorithms", count=2)  # the start took one
        for _ in range(4):
            ws.send_json({"type": "repeat"})
        frames = [ws.receive_json() for _ in range(4)]
        assert [f["type"] for f in frames] == ["question", "question", "error", "error"]
        assert frames[2]["code"] == "rate_limited" and "Retry in 1 s" in frames[2]["message"]
        time.sleep(0.6)  # one token back
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        assert [f["type"] for f in receive_until(ws, "question")] == ["status", "feedback", "question"]


def test_the_defaults_leave_a_normal_interview_alone(client: TestClient, bank: Bank) -> None:
    with client.websocket_connect("/ws") as ws:
        _, question = start(client, ws, section="statistics", count=1)
        for _ in range(10):
            ws.send_json({"type": "repeat"})
            assert ws.receive_json()["type"] == "question"
        ws.send_json({"type": "answer", "text": strong_answer(bank, question["number"])})
        assert receive_until(ws, "summary", "question")[-1]["type"] in ("summary", "question")
