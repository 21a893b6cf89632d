from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from mock_interviewer.bank import Bank


def receive_until(ws: WebSocketTestSession, *types: str, limit: int = 50) -> list[dict[str, Any]]:
    """Read frames until one of `types` arrives; return them all (the last is the match)."""
    frames = []
    for _ in range(limit):
        frame = ws.receive_json()
        frames.append(frame)
        if frame["type"] in types:
            return frames
    raise AssertionError(f"no {types} frame in {frames}")


def strong_answer(bank: Bank, number: int) -> str:
    q = bank.get(number)
    assert q is not None
    return " ".join(q.key_points)


def partial_answer(bank: Bank, number: int) -> str:
    q = bank.get(number)
    assert q is not None
    return q.key_points[0]


def start(client: TestClient, ws: WebSocketTestSession, **options: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    ws.send_json({"type": "start", **options})
    session = ws.receive_json()
    assert session["type"] == "session", session
    question = ws.receive_json()
    assert question["type"] == "question", question
    return session, question
