"""Start the real server (offline grader, packaged model) on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from mock_interviewer.config import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    db: Path | str, port: int, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`db`: a SQLite file, or a database URL; `args`: more `serve` options (e.g. --workers 2)."""
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    env = {**os.environ, "DATABASE_URL": url, "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_interviewer.cli", "serve", "--port", str(port), *args],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    error = process.stderr.read().decode() if process.stderr else ""
    raise RuntimeError(f"the server did not start: {error[-2000:]}")
