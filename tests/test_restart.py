"""kill -9 the real server mid-interview, start it again over the same database, and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from mock_interviewer.config import PROJECT_ROOT

from .test_e2e import free_port

pytestmark = pytest.mark.model


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "HF_HUB_OFFLINE": "1"}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "mock_interviewer.cli", "serve", "--port", str(port)],
                               env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


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
