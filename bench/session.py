"""Concurrent scripted interviews against a running server: per-turn latency as the server sees load.

    .venv/bin/python bench/session.py [--url http://127.0.0.1:8000] [--sessions 8] [--questions 4]

Without --url it starts its own server (offline grader, packaged model) on a free loopback port. Each session
answers every question in turn with a strong, a partial or an "I don't know" answer; a turn is timed from
sending the answer to receiving the next question (or the summary), and grading from answer to feedback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server import free_port, serve  # noqa: E402


async def one_session(url: str, questions: int, seed: int, turns: list[float], grades: list[float]) -> None:
    ws_url = url.replace("http", "ws", 1) + "/ws"
    async with httpx.AsyncClient(base_url=url) as http, websockets.connect(ws_url, max_size=2**22) as ws:
        await ws.send(json.dumps({"type": "start", "count": questions, "browser_id": f"bench-{seed}"}))
        message = json.loads(await ws.recv())
        assert message["type"] == "session", message
        message = json.loads(await ws.recv())
        step = seed
        while message["type"] == "question":
            q = (await http.get(f"/api/questions/{message['number']}")).json()
            style = step % 3
            step += 1
            text = " ".join(q["key_points"]) if style == 0 else q["key_points"][0] if style == 1 else "I don't know."
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "answer", "text": text}))
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "feedback":
                    grades.append((time.perf_counter() - started) * 1000)
                if message["type"] in ("question", "summary", "error"):
                    break
            turns.append((time.perf_counter() - started) * 1000)


def spawn_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    return serve(Path(tempfile.mkdtemp()) / "bench.db", port), f"http://127.0.0.1:{port}"


async def run(url: str, sessions: int, questions: int) -> None:
    turns: list[float] = []
    grades: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(one_session(url, questions, i, turns, grades) for i in range(sessions)))
    wall = time.perf_counter() - started
    health = httpx.get(f"{url}/healthz").json()
    print(f"{sessions} concurrent sessions x {questions} questions, grader={health['grader']}, {health['embedder']}")
    print(f"turns: {len(turns)} in {wall:.1f}s ({len(turns) / wall:.1f} turns/s)")
    for name, values in (("answer -> feedback", grades), ("answer -> next question", turns)):
        p50, p95 = np.percentile(values, [50, 95])
        print(f"{name}: p50={p50:.0f} ms p95={p95:.0f} ms max={max(values):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--questions", type=int, default=4)
    args = parser.parse_args()
    process = None
    url = args.url
    if url is None:
        process, url = spawn_server()
    try:
        asyncio.run(run(url.rstrip("/"), args.sessions, args.questions))
    finally:
        if process is not None:
            process.terminate()


if __name__ == "__main__":
    main()
