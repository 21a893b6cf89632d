"""Run a candidate's code against a task: build the harness job, hand it to an executor, read the report.

The executor is the only part that starts a process. `sandbox.BubblewrapExecutor` is the real one; `LocalExecutor`
runs the harness as a plain child process and exists for the reference solutions' own tests and for the
explicitly unsafe setting, never as a silent fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from ..bank import Question

HARNESS = Path(__file__).with_name("harness.py")
Mode = Literal["examples", "tests"]


class CaseResult(BaseModel):
    name: str
    passed: bool
    message: str = ""
    output: str = ""
    seconds: float = 0.0


class TestReport(BaseModel):
    """What a run of examples or hidden tests found; `error` set means the code did not get to run its cases."""

    passed: int = 0
    total: int = 0
    cases: list[CaseResult] = Field(default_factory=list)
    error: str | None = Field(None, description="why no case ran, or why the run stopped early")
    ran: bool = Field(True, description="false when code could not be run at all (no sandbox)")

    @property
    def all_passed(self) -> bool:
        return self.ran and self.error is None and self.total > 0 and self.passed == self.total


@dataclass(frozen=True)
class ProcessOutcome:
    stdout: bytes
    returncode: int | None
    timed_out: bool
    output_truncated: bool = False


class Executor(Protocol):
    async def execute(self, job: bytes, wall_s: float) -> ProcessOutcome: ...


def build_job(question: Question, code: str, mode: Mode, time_limit: float) -> bytes:
    task = question.task
    if task is None:
        raise ValueError(f"question {question.number} has no coding task")
    job = {
        "code": code,
        "mode": mode,
        "entry": task.entry,
        "examples": [e.model_dump() for e in task.examples],
        "tests": (question.hidden_tests or "") if mode == "tests" else "",
        "time_limit": time_limit,
    }
    return json.dumps(job).encode()


def case_names(question: Question, mode: Mode) -> list[str]:
    """The cases a run should report, in order, so a case cut off by the sandbox is named, not lost."""
    task = question.task
    if task is None:
        return []
    if mode == "examples":
        return [e.call for e in task.examples]
    names = []
    for line in (question.hidden_tests or "").splitlines():
        if line.startswith("def test_"):
            names.append(line[len("def test_") :].split("(", 1)[0].replace("_", " "))
    return names


def read_report(outcome: ProcessOutcome, expected: list[str], wall_s: float) -> TestReport:
    cases: list[CaseResult] = []
    error: str | None = None
    done = False
    for line in outcome.stdout.decode("utf-8", "replace").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(row, dict):
            continue
        if row.get("done"):
            done = True
        elif "load_error" in row:
            error = f"your code did not load: {row['load_error']}"
        elif "name" in row:
            cases.append(CaseResult.model_validate(row))
    if not done and error is None:
        if outcome.timed_out:
            stop = f"timed out (the whole run is limited to {wall_s:g} s)"
        elif outcome.output_truncated:
            stop = "stopped: output limit exceeded"
        elif outcome.returncode is not None and outcome.returncode < 0:
            stop = _signal_reason(-outcome.returncode)
        else:
            stop = f"stopped unexpectedly (exit code {outcome.returncode})"
        error = stop if not cases else None
        seen = len(cases)
        for name in expected[seen:]:  # the case running when the run stopped, and those never reached
            cases.append(CaseResult(name=name, passed=False, message=stop if len(cases) == seen else "not run"))
    if error and not cases:
        cases = [CaseResult(name=name, passed=False, message="not run") for name in expected]
    return TestReport(passed=sum(c.passed for c in cases), total=len(cases), cases=cases, error=error)


def _signal_reason(number: int) -> str:
    if number == signal.SIGKILL:
        return "killed (time or memory limit)"
    if number == signal.SIGXCPU:
        return "CPU time limit exceeded"
    if number == signal.SIGXFSZ:
        return "file size limit exceeded"
    return f"killed by signal {signal.Signals(number).name}"


async def run_code(
    executor: Executor, question: Question, code: str, mode: Mode, *, time_limit: float = 2.0, wall_s: float = 10.0
) -> TestReport:
    job = build_job(question, code, mode, time_limit)
    outcome = await executor.execute(job, wall_s)
    return read_report(outcome, case_names(question, mode), wall_s)


class LocalExecutor:
    """The harness as a plain child process: no isolation at all. For trusted code (reference solutions) only."""

    def __init__(self, python: str = sys.executable, output_cap: int = 1_000_000) -> None:
        self.python = python
        self.output_cap = output_cap

    async def execute(self, job: bytes, wall_s: float) -> ProcessOutcome:
        with tempfile.TemporaryDirectory(prefix="mi-run-") as work:
            (Path(work) / "harness.py").write_bytes(HARNESS.read_bytes())
            process = await asyncio.create_subprocess_exec(
                self.python,
                "-I",
                "harness.py",
                cwd=work,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
                start_new_session=True,
                env={"PATH": os.defpath, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
            )
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(job)
            process.stdin.close()
            out = bytearray()

            async def read() -> None:
                assert process.stdout is not None
                while chunk := await process.stdout.read(65536):
                    out.extend(chunk[: max(0, self.output_cap - len(out))])
                await process.wait()

            try:
                await asyncio.wait_for(read(), wall_s)
                return ProcessOutcome(bytes(out), process.returncode, timed_out=False)
            except TimeoutError:
                # Keep what was read: the harness writes a line per finished case, so those results survive.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
                return ProcessOutcome(bytes(out), process.returncode, timed_out=True)

