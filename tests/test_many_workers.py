"""Beyond one process: the real server, several of them on one database.

Two app processes on one PostgreSQL: a session started on A moves to B when A is killed (SIGKILL), and B has every
answer and grade. And `serve --workers 2` on the default SQLite: an interview whose every step comes on a new
connection, so on either worker, runs to its end.
"""

from __future__ import annotations

import json
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from websockets.sync.client import ClientConnection, connect

from .server import free_port, serve

pytestmark = pytest.mark.model


def until(ws: ClientConnection, *kinds: str) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = json.loads(ws.recv(timeout=30))
        frames.append(frame)
        assert frame["type"] != "error", frame
        if frame["type"] in kinds:
            return frames


def strong(port: int, number: int) -> str:
    question = httpx.get(f"http://127.0.0.1:{port}/api/questions/{number}").json()
    return " ".join(question["key_points"])


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_session_moves_to_another_process_when_its_process_is_killed(postgres_url: str) -> None:
    port_a, port_b = free_port(), free_port()
    with ThreadPoolExecutor(2) as pool:  # both start at once: they migrate the one database together, too
        server_a, server_b = pool.map(lambda port: serve(postgres_url, port), [port_a, port_b])
    try:
        with connect(f"ws://127.0.0.1:{port_a}/ws") as ws:
            ws.send(json.dumps({"type": "start", "section": "fundamentals", "count": 3, "browser_id": "moved"}))
            session = until(ws, "session")[-1]
            question = until(ws, "question")[-1]
            answer = strong(port_a, question["number"])
            ws.send(json.dumps({"type": "answer", "text": answer}))
            feedback = until(ws, "feedback")[-1]
            waiting = until(ws, "question")[-1]
            server_a.send_signal(signal.SIGKILL)
            server_a.wait(timeout=10)
        with connect(f"ws://127.0.0.1:{port_b}/ws") as ws:
            ws.send(json.dumps({"type": "resume", "session_id": session["session_id"], "token": session["token"]}))
            frames = until(ws, "question")
            transcript = [f for f in frames if f["type"] == "transcript"]
            assert [(t["answer"], t["score"]) for t in transcript] == [(answer, feedback["score"])]
            assert frames[-1] == waiting
            current, answered = waiting, 1
            while True:
                ws.send(json.dumps({"type": "answer", "text": strong(port_b, current["number"])}))
                frames = until(ws, "question", "summary")
                assert any(f["type"] == "feedback" for f in frames)
                answered += 1
                if frames[-1]["type"] == "summary":
                    summary = frames[-1]
                    break
                current = frames[-1]
        assert summary["session_id"] == session["session_id"]
        assert len(summary["summary"]["questions"]) == answered == 3
        history = httpx.get(f"http://127.0.0.1:{port_b}/api/history/moved").json()
        assert [(h["session_id"], h["finished"], h["answered"]) for h in history] == [
            (session["session_id"], True, 3)
        ]
        engine = create_engine(postgres_url)
        with engine.connect() as c:
            rows = c.execute(
                text("SELECT turn, score IS NOT NULL FROM answers WHERE session_id = :id ORDER BY turn"),
                {"id": session["session_id"]},
            ).all()
        engine.dispose()
        assert [tuple(r) for r in rows] == [(0, True), (1, True), (2, True)]
    finally:
        server_a.kill()
        stop(server_b)


def test_two_workers_on_one_port_serve_one_interview_across_reconnects(tmp_path: Path) -> None:
    port = free_port()
    server = serve(tmp_path / "interviews.db", port, "--workers", "2")
    try:
        url = f"ws://127.0.0.1:{port}/ws"
        with connect(url) as ws:
            ws.send(json.dumps({"type": "start", "section": "algorithms", "count": 2}))
            session = until(ws, "session")[-1]
            current = until(ws, "question")[-1]
        resume = json.dumps({"type": "resume", "session_id": session["session_id"], "token": session["token"]})
        done = False
        for _ in range(8):  # a new connection for every step: the kernel spreads them over the workers
            with connect(url) as ws:
                ws.send(resume)
                assert until(ws, "question")[-1] == current
                ws.send(json.dumps({"type": "answer", "text": strong(port, current["number"])}))
                frames = until(ws, "question", "summary")
                if frames[-1]["type"] == "summary":
                    done = True
                    break
                current = frames[-1]
        assert done
        workers = subprocess.run(["pgrep", "-P", str(server.pid), "-f", "multiprocessing.spawn"],
                                 capture_output=True, text=True).stdout.split()
        assert len(workers) == 2
    finally:
        stop(server)
