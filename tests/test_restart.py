"""kill -9 the real server mid-interview, start it again over the same database, and resume."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from .server import free_port, serve

pytestmark = pytest.mark.model


def until(ws: ClientConnection, kind: str) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = json.loads(ws.recv(timeout=30))
        frames.append(frame)
        if frame["type"] == kind:
            return frames


def test_kill_9_loses_no_answered_question(tmp_path: Path, real_index: object) -> None:
    db, port = tmp_path / "interviews.db", free_port()
    server = serve(db, port)
    try:
        with connect(f"ws://127.0.0.1:{port}/ws") as ws:
            ws.send(json.dumps({"type": "start", "section": "deep_learning", "count": 3}))
            session = until(ws, "session")[-1]
            question = until(ws, "question")[-1]
            q = httpx.get(f"http://127.0.0.1:{port}/api/questions/{question['number']}").json()
            answer = " ".join(q["key_points"])
            ws.send(json.dumps({"type": "answer", "text": answer}))
            feedback = until(ws, "feedback")[-1]
            waiting = until(ws, "question")[-1]
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)
    finally:
        server.kill()
    server = serve(db, port)
    try:
        with connect(f"ws://127.0.0.1:{port}/ws") as ws:
            ws.send(json.dumps({"type": "resume", "session_id": session["session_id"], "token": session["token"]}))
            frames = until(ws, "question")
        transcript = [f for f in frames if f["type"] == "transcript"]
        assert [t["answer"] for t in transcript] == [answer]
        assert transcript[0]["score"] == feedback["score"]
        assert frames[-1] == waiting
    finally:
        server.terminate()
        server.wait(timeout=10)
