"""Many candidates at once, with thinking time: what one process on SQLite and several workers on PostgreSQL hold.

    .venv/bin/python bench/load.py --candidates 1000                                   # one process, SQLite
    .venv/bin/python bench/load.py --candidates 1000 --workers 2 --database postgresql # two workers, PostgreSQL
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --candidates 50         # a server already running

Without --url it starts the real server (offline grader, packaged model) on a free loopback port, over a new
SQLite file or a throwaway PostgreSQL cluster (tests/pg.py; Debian's postgresql package). Each candidate opens a
WebSocket at a random moment of the ramp, starts an interview of --questions questions, and answers each after a
thinking time drawn from --think (a strong, a partial or an "I don't know" answer in turn) until the summary. Each
candidate sends its own X-Forwarded-For address, as behind a proxy, so the per-address fair-use limits apply as they
would to real people. It prints sessions completed, errors, answer-to-feedback p50/p95 and grades per second.
Traffic goes to the loopback address only; every candidate stops after its interview or at --timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server import free_port, serve  # noqa: E402


@dataclass
class Results:
    completed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    feedback_ms: list[float] = field(default_factory=list)
    open_ms: list[float] = field(default_factory=list)
    grade_times: list[float] = field(default_factory=list)  # when each feedback arrived (monotonic seconds)


def answer_for(question: dict[str, Any], style: int) -> str:
    points = question["key_points"]
    return " ".join(points) if style == 0 else points[0] if style == 1 else "I don't know."


async def candidate(
    index: int, url: str, bank: dict[int, dict[str, Any]], args: argparse.Namespace, results: Results
) -> None:
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, args.ramp))
    address = f"198.18.{index // 250}.{index % 250 + 1}"  # the benchmarking range: one address per candidate
    ws_url = url.replace("http", "ws", 1) + "/ws"
    try:
        async with websockets.connect(
            ws_url, max_size=2**22, open_timeout=120, ping_timeout=None,
            additional_headers={"X-Forwarded-For": address},
        ) as ws:
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "start", "count": args.questions, "browser_id": f"load-{index}"}))
            message = await receive(ws, "question")
            results.open_ms.append((time.perf_counter() - started) * 1000)
            step = index
            while message["type"] == "question":
                await asyncio.sleep(rng.uniform(*args.think))
                text = answer_for(bank[message["number"]], step % 3)
                step += 1
                sent = time.perf_counter()
                await ws.send(json.dumps({"type": "answer", "text": text}))
                feedback = await receive(ws, "feedback")
                results.feedback_ms.append((time.perf_counter() - sent) * 1000)
                results.grade_times.append(time.monotonic())
                del feedback
                message = await receive(ws, "question", "summary")
            results.completed += 1
    except ServerError as exc:
        results.errors[exc.code] += 1
    except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as exc:
        results.errors[type(exc).__name__] += 1


class ServerError(Exception):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


async def receive(ws: websockets.ClientConnection, *kinds: str) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message["type"] == "error":
            raise ServerError(message["code"])
        if message["type"] in kinds:
            return message


async def run(url: str, args: argparse.Namespace) -> Results:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        summaries = (await http.get("/api/questions")).json()
        bank = {q["number"]: (await http.get(f"/api/questions/{q['number']}")).json() for q in summaries}
    results = Results()
    tasks = [candidate(i, url, bank, args, results) for i in range(args.candidates)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
    except TimeoutError:
        results.errors["bench_timeout"] += args.candidates - results.completed - sum(results.errors.values())
    return results


def report(results: Results, args: argparse.Namespace, wall: float, label: str) -> None:
    feedback = np.array(results.feedback_ms or [0.0])
    p50, p95 = np.percentile(feedback, [50, 95])
    opened = np.percentile(np.array(results.open_ms or [0.0]), 95)
    times = sorted(results.grade_times)
    # grades/s: the mean rate while candidates were answering, and the busiest 10 s
    span = times[-1] - times[0] if len(times) > 1 else 1.0
    peak = max((np.searchsorted(times, t + 10) - i) / 10 for i, t in enumerate(times)) if times else 0.0
    errors = ", ".join(f"{k} {v}" for k, v in sorted(results.errors.items())) or "none"
    print(f"{label}: {args.candidates} candidates x {args.questions} questions, think {args.think[0]:g}-{args.think[1]:g} s,"
          f" ramp {args.ramp:g} s; {wall:.0f} s")
    print(f"  sessions completed {results.completed}/{args.candidates}; errors: {errors}")
    print(f"  answer -> feedback: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {feedback.max():.0f} ms"
          f" ({len(results.feedback_ms)} answers); start -> first question p95 {opened:.0f} ms")
    print(f"  grades/s: {len(times) / span:.1f} mean, {peak:.1f} in the busiest 10 s")


@contextlib.contextmanager
def own_server(args: argparse.Namespace) -> Iterator[str]:
    from tests.pg import PostgresCluster, postgres_bindir

    cluster = None
    port = free_port()
    if args.database == "postgresql":
        bindir = postgres_bindir()
        if bindir is None:
            sys.exit("PostgreSQL is not installed: make postgres")
        cluster = PostgresCluster(bindir)
        cluster.start()
        database: Path | str = cluster.create_database()
    else:
        database = Path(tempfile.mkdtemp()) / "load.db"
    server: subprocess.Popen[bytes] | None = None
    try:
        server = serve(database, port, "--workers", str(args.workers))
        url = f"http://127.0.0.1:{port}"
        if args.workers > 1:  # /healthz answers as soon as one worker is up: wait for all of them
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and len(children(server.pid)) < args.workers:
                time.sleep(0.5)
            time.sleep(20)  # the workers load the models after they are spawned
        yield url
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        if cluster is not None:
            cluster.stop()


def children(pid: int) -> list[str]:
    return subprocess.run(["pgrep", "-P", str(pid), "-f", "multiprocessing.spawn"], capture_output=True,
                          text=True).stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server; otherwise one is started")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--think", type=float, nargs=2, default=[10.0, 30.0], metavar=("MIN", "MAX"),
                        help="seconds of thinking before each answer (uniform)")
    parser.add_argument("--ramp", type=float, default=30.0, help="candidates arrive over this many seconds")
    parser.add_argument("--timeout", type=float, default=900.0, help="stop everything after this many seconds")
    args = parser.parse_args()
    if args.url:
        label, server = f"server at {args.url}", contextlib.nullcontext(args.url)
    else:
        label = f"{args.workers} worker{'s' if args.workers > 1 else ''} on {args.database}"
        server = own_server(args)
    with server as url:
        started = time.perf_counter()
        results = asyncio.run(run(url, args))
        report(results, args, time.perf_counter() - started, label)


if __name__ == "__main__":
    main()
