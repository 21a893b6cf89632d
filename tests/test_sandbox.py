"""The sandbox contains hostile candidate code, and nothing of a run outlives it.

Each hostile test runs a small task through the real BubblewrapExecutor: hidden tests `first`, `second` and `third`;
the candidate's `f(1)` behaves, `f(2)` does the hostile thing. So each report also shows that what finished before
the sandbox stepped in is kept (`first` passed) and that the case it stopped is named. After every run no live
process of the run's uid is left, and no process on the host carries the run's marker in its command line.

Skipped only when this machine cannot run bubblewrap at all (not installed, not root, or namespaces refused);
`make test` installs bubblewrap first, so on these machines the tests run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_interviewer.bank import Question, load_question
from mock_interviewer.coding import runner, sandbox
from mock_interviewer.coding.runner import LocalExecutor, ProcessOutcome, build_job, case_names, read_report, run_code
from mock_interviewer.coding.sandbox import (
    BubblewrapExecutor,
    PooledExecutor,
    SandboxLimits,
    SandboxPool,
    SandboxRun,
    processes_of_uid,
    report_queue,
)
from mock_interviewer.config import PROJECT_ROOT, Settings

BWRAP = Path("/usr/bin/bwrap")
STAGE = sandbox.DEFAULT_STAGE_DIR  # the service's own (every uid can traverse it)
SECRET = "sk-sandbox-test-must-not-leak-0123456789"

THREE_CASES = """
from harness import check


def test_first(candidate):
    check(candidate.f(1) == 1, "f(1) should be 1")


def test_second(candidate):
    result = candidate.f(2)
    check(result is None or result is True, f"f(2) returned {result!r}")


def test_third(candidate):
    check(candidate.f(1) == 1, "f(1) should be 1")
"""


def _cannot_run_bwrap() -> str | None:
    """Why bubblewrap truly cannot run here; None when it can (then every test below must pass, not skip)."""
    if not sys.platform.startswith("linux"):
        return "bubblewrap needs Linux"
    if not BWRAP.exists():
        return f"{BWRAP} is not installed (`make sandbox` installs it)"
    if os.geteuid() != 0:
        return "the sandbox switches each run to its own uid, which needs root; these tests run as another user"
    done = subprocess.run(
        [str(BWRAP), "--unshare-all", "--unshare-user", "--ro-bind", "/", "/", "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {done.stderr.strip()}"
    return None


REASON = _cannot_run_bwrap()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"sandbox cannot run on this machine: {REASON}")


@pytest.fixture(scope="module")
def executor() -> BubblewrapExecutor:
    return BubblewrapExecutor(STAGE, pool=SandboxPool(2))


@pytest.fixture(scope="module")
def q114() -> Question:
    """Q114 on its own (not the whole bank, which other questions' work in progress must not break here)."""
    (path,) = (PROJECT_ROOT / "knowledge").glob("114-*.md")
    question = load_question(path)
    assert question.task is not None and question.reference_solution and question.hidden_tests
    return question


@pytest.fixture(scope="module")
def task(q114: Question) -> Question:
    """A tiny inline task built on Q114's: the candidate defines f; hidden tests first, second, third."""
    base = q114
    assert base.task is not None
    return base.model_copy(update={"task": base.task.model_copy(update={"entry": ["f"]}), "hidden_tests": THREE_CASES})


def marked_processes(marker: str) -> list[int]:
    """Host pids whose command line holds `marker` (read from /proc, no psutil)."""
    found = []
    needle = marker.encode()
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                    if needle in cmdline.read():
                        found.append(int(name))
            except OSError:
                continue
    return found


def hostile(
    executor: BubblewrapExecutor, task: Question, body: str, *, marker: str = "", wall_s: float = 20.0
) -> tuple[runner.TestReport, SandboxRun]:
    """Run candidate code whose f(2) executes `body` (indented inside f); check nothing of the run survives."""
    code = "import os, signal, socket, subprocess, sys, time\n\n\ndef f(x):\n    if x == 1:\n        return 1\n"
    code += "".join(f"    {line}\n" for line in body.strip("\n").splitlines())
    job = build_job(task, code, "tests", 10.0)  # generous per case: a loaded CI machine must not fail these
    started = time.monotonic()
    run = asyncio.run(executor.run(job, wall_s))
    assert time.monotonic() - started < wall_s + 4, "the wall clock did not stop the run"
    report = read_report(run.outcome, case_names(task, "tests"), wall_s)
    assert processes_of_uid(run.uid) == [], "a process of the run survived it"
    if marker:
        assert marked_processes(marker) == [], "a process started by the run survived it"
    return report, run


def by_name(report: runner.TestReport) -> dict[str, tuple[bool, str]]:
    return {case.name: (case.passed, case.message) for case in report.cases}


# -- the service's view ------------------------------------------------------------------------------------------


def test_probe_says_the_sandbox_works(executor: BubblewrapExecutor) -> None:
    status = asyncio.run(sandbox.probe(executor))
    assert status.available, status.reason
    assert status.kind == "bubblewrap"
    health = sandbox.health()
    assert health["available"] is True and health["running"] == 0 and health["queued"] == 0


def test_probe_without_bubblewrap_says_why(tmp_path: Path) -> None:
    status = asyncio.run(BubblewrapExecutor(STAGE, bwrap=tmp_path / "no-bwrap").probe())
    assert not status.available
    assert "bubblewrap is not installed" in status.reason


def test_no_silent_fallback_only_the_unsafe_flag_runs_unsandboxed(tmp_path: Path) -> None:
    missing = Settings(sandbox_bwrap=tmp_path / "no-bwrap")
    executor, status = asyncio.run(sandbox.start(missing))
    assert executor is None and not status.available and "bubblewrap" in status.reason

    unsafe = Settings(sandbox_bwrap=tmp_path / "no-bwrap", unsafe_run_code_without_sandbox=True)
    executor, status = asyncio.run(sandbox.start(unsafe))
    assert isinstance(executor, PooledExecutor) and isinstance(executor.inner, LocalExecutor)
    assert status.available and status.kind == "unsafe-local" and "UNSAFE" in status.reason
    assert sandbox.health()["kind"] == "unsafe-local"


def test_reference_solution_passes_every_hidden_test_in_the_sandbox(
    q114: Question, executor: BubblewrapExecutor
) -> None:
    question = q114
    assert question.reference_solution
    for mode in ("examples", "tests"):
        report = asyncio.run(run_code(executor, question, question.reference_solution, mode))  # type: ignore[arg-type]
        assert report.all_passed, [(c.name, c.message) for c in report.cases if not c.passed]
        assert report.total == len(case_names(question, mode))  # type: ignore[arg-type]


# -- hostile code ------------------------------------------------------------------------------------------------


def test_endless_loop_is_stopped_by_the_wall_clock_and_finished_cases_are_kept(
    executor: BubblewrapExecutor, task: Question
) -> None:
    # The harness's own per-case alarm is switched off first: only the sandbox's wall clock is left to stop it.
    report, run = hostile(
        executor, task, "signal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass", wall_s=3
    )
    assert run.outcome.timed_out
    cases = by_name(report)
    assert cases["first"] == (True, "")
    assert cases["second"] == (False, "timed out (the whole run is limited to 3 s)")
    assert cases["third"] == (False, "not run")
    assert processes_of_uid(run.uid, zombies=True) == []  # the namespace's pid 1 was reaped, no zombie left


def test_multi_gigabyte_allocations_fail_inside(executor: BubblewrapExecutor, task: Question) -> None:
    body = """
import numpy as np
for attempt in (lambda: bytearray(8 * 2**30), lambda: np.ones((50_000, 50_000))):
    try:
        attempt()
        return False
    except MemoryError:
        pass
chunks = []
try:
    while True:
        chunks.append(b"x" * (64 * 2**20))  # touched, not just reserved
except MemoryError:
    pass
return len(chunks) * 64 < SandboxLimits_memory_mb
""".replace("SandboxLimits_memory_mb", str(executor.limits.memory_mb))
    report, _ = hostile(executor, task, body)
    assert by_name(report)["second"] == (True, ""), by_name(report)["second"][1]


def test_fork_loop_is_capped_and_every_fork_dies_with_the_run(executor: BubblewrapExecutor, task: Question) -> None:
    marker = f"forkloop-{uuid.uuid4().hex}"
    body = f"""
import errno
children, refused = 0, None
while refused is None and children < 10_000:
    try:
        pid = os.fork()
    except OSError as exc:
        refused = exc.errno
        break
    if pid == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)", "{marker}"])
    children += 1
return refused == errno.EAGAIN and children < {executor.limits.processes}
"""
    report, _ = hostile(executor, task, body, marker=marker)
    assert by_name(report)["second"] == (True, ""), by_name(report)["second"][1]


def test_fork_bomb_ends_with_the_run(executor: BubblewrapExecutor, task: Question) -> None:
    body = """
signal.signal(signal.SIGALRM, signal.SIG_IGN)
for _ in range(100_000):
    try:
        os.fork()
    except OSError:
        pass
time.sleep(300)
"""
    report, run = hostile(executor, task, body, wall_s=3)
    assert run.outcome.timed_out
    assert by_name(report)["first"] == (True, "")


def test_project_database_solutions_and_host_files_are_not_there(
    executor: BubblewrapExecutor, task: Question, tmp_path: Path
) -> None:
    solution = PROJECT_ROOT / "knowledge" / "solutions" / "q114_reservoir_sampling.py"
    database = Settings().database_path
    if not database.exists():  # a fresh clone: a stand-in at another host path
        database = tmp_path / "interviews.db"
        database.write_bytes(b"SQLite format 3\x00")
    executor.runtime()  # the stage exists on the host
    paths = [
        PROJECT_ROOT / "pyproject.toml",
        PROJECT_ROOT / "server" / "mock_interviewer" / "config.py",
        solution,
        PROJECT_ROOT / "knowledge" / "tasks" / "q114_reservoir_sampling.py",
        database,
        Path("/etc/passwd"),
        Path("/root"),
        Path(sys.executable),  # the service's venv
        STAGE,
    ]
    for path in paths:
        assert path.exists(), path  # on the host they are there
    body = f"""
paths = {[str(p) for p in paths]!r}
seen = [p for p in paths if os.path.exists(p)]
for p in paths:
    try:
        open(p, "rb").read()
        seen.append(p)
    except OSError:
        pass
listing = sorted(os.listdir("/"))
if seen or listing != ["dev", "lib", "lib64", "proc", "sandbox", "tmp", "usr"]:
    raise AssertionError(f"visible: {{seen}}, / holds {{listing}}")
for target in ("/", "/usr/lib/", "/sandbox/python/", "/sandbox/site/", "/dev/", "/dev/shm/", "/proc/"):
    try:
        open(target + "escape", "w").write("x")
    except OSError as exc:
        if exc.errno not in (30, 13, 2):  # EROFS, EACCES, ENOENT (/proc)
            raise
    else:
        raise AssertionError(f"could write in {{target}}")
return True
"""
    report, _ = hostile(executor, task, body)
    assert by_name(report)["second"] == (True, ""), by_name(report)["second"][1]


def test_the_services_environment_is_not_there(
    executor: BubblewrapExecutor, task: Question, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{SECRET}.db")
    body = f"""
secret = {SECRET!r}
leaks = [k for k, v in os.environ.items() if secret in v or k.startswith(("OPENAI", "DATABASE", "MOCK_INTERVIEWER"))]
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            if secret.encode() in open(f"/proc/{{pid}}/environ", "rb").read():
                leaks.append(pid)
        except OSError:
            pass
allowed = {{"PATH", "HOME", "TMPDIR", "LANG", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "OPENBLAS_NUM_THREADS",
           "OMP_NUM_THREADS", "MKL_NUM_THREADS", "LD_LIBRARY_PATH", "LC_CTYPE", "PWD"}}
if leaks or set(os.environ) - allowed or os.getuid() == 0:
    raise AssertionError(f"leaks {{leaks}}, environment {{sorted(os.environ)}}, uid {{os.getuid()}}")
return True
"""
    report, _ = hostile(executor, task, body)
    assert by_name(report)["second"] == (True, ""), by_name(report)["second"][1]


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server
    server.close()


def test_no_network_not_even_the_hosts_loopback(
    executor: BubblewrapExecutor, task: Question, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    with socket.create_connection(("127.0.0.1", port), timeout=2):  # from the host it is reachable
        listener.accept()[0].close()
    body = f"""
failures = []
for address in (("127.0.0.1", {port}), ("::1", {port}), ("10.0.0.1", 80), ("1.1.1.1", 443)):
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    try:
        with socket.socket(family) as s:
            s.settimeout(2)
            s.connect(address)
        failures.append(address)
    except OSError:
        pass
if failures:
    raise AssertionError(f"connected to {{failures}}")
return True
"""
    report, _ = hostile(executor, task, body)
    assert by_name(report)["second"] == (True, ""), by_name(report)["second"][1]
    with pytest.raises(BlockingIOError):
        listener.accept()  # nothing came in from the sandbox


def test_huge_files_are_refused(executor: BubblewrapExecutor, task: Question) -> None:
    body = f"""
import errno
block = b"x" * 2**20
try:
    with open("/tmp/huge", "wb") as out:
        for _ in range(10_000):
            out.write(block)
    raise AssertionError("a 10 GB file was written")
except OSError as exc:
    if exc.errno != errno.EFBIG:
        raise
written, refused = 0, None
try:
    for i in range(1000):
        with open(f"/tmp/part{{i}}", "wb") as out:
            for _ in range({executor.limits.file_mb - 1}):
                out.write(block)
                written += 1
except OSError as exc:
    refused = exc.errno
return refused == errno.ENOSPC and written <= {executor.limits.tmpfs_mb}
"""
    report, _ = hostile(executor, task, body)
    assert by_name(report)["second"] == (True, ""), by_name(report)["second"][1]


def test_flooding_stdout_is_cut_at_the_cap(task: Question) -> None:
    limits = SandboxLimits(output_bytes=256 * 1024)
    small = BubblewrapExecutor(STAGE, pool=SandboxPool(1), limits=limits)
    # The harness's report is a dup of stdout; a hostile candidate can find it among the open descriptors.
    body = """
signal.signal(signal.SIGALRM, signal.SIG_IGN)
block = b"flood" * 20_000
while True:
    for fd in range(3, 20):
        try:
            os.write(fd, block)
        except OSError:
            pass
"""
    report, run = hostile(small, task, body)
    assert run.outcome.output_truncated and not run.outcome.timed_out
    assert len(run.outcome.stdout) == limits.output_bytes
    cases = by_name(report)
    assert cases["first"] == (True, "")
    assert cases["second"] == (False, "stopped: output limit exceeded")


def test_children_that_ignore_sigterm_or_setsid_die_with_the_run(executor: BubblewrapExecutor, task: Question) -> None:
    marker = f"stubborn-{uuid.uuid4().hex}"
    stubborn = (
        "import os, signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
        "if os.fork() == 0:\n"  # double fork + setsid: a daemon, orphaned, in its own session
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        open('/tmp/daemon-up', 'w').close()\n"
        "        while True: time.sleep(1)\n"
        "    os._exit(0)\n"
        "open('/tmp/child-up', 'w').close()\n"
        "while True: time.sleep(1)\n"
    )
    body = f"""
child = subprocess.Popen([sys.executable, "-c", {stubborn!r}, "{marker}"], start_new_session=True)
for _ in range(200):
    if os.path.exists("/tmp/daemon-up") and os.path.exists("/tmp/child-up"):
        break
    time.sleep(0.02)
os.kill(child.pid, signal.SIGTERM)  # ignored
time.sleep(0.1)
return child.poll() is None and os.path.exists("/tmp/daemon-up")
"""
    report, _ = hostile(executor, task, body, marker=marker)  # the harness finishes; its children must not
    assert by_name(report)["second"] == (True, ""), by_name(report)["second"][1]
    assert report.all_passed

    # The same, still running when the wall clock ends the run.
    body = body.replace('return child.poll() is None and os.path.exists("/tmp/daemon-up")', "time.sleep(300)")
    report, run = hostile(executor, task, body, marker=marker, wall_s=3)
    assert run.outcome.timed_out and by_name(report)["second"][0] is False


def test_the_marker_scan_finds_a_live_process() -> None:
    """The check used above sees a marked process when there is one (so its silence means something)."""
    marker = f"scan-{uuid.uuid4().hex}"
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", marker])
    try:
        deadline = time.monotonic() + 5
        while not marked_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.01)  # until the child has exec'ed
        assert marked_processes(marker) == [process.pid]
    finally:
        process.kill()
        process.wait()


def test_the_host_stays_healthy_and_the_next_run_is_normal(q114: Question, executor: BubblewrapExecutor) -> None:
    question = q114
    assert question.reference_solution
    started = time.monotonic()
    report = asyncio.run(run_code(executor, question, question.reference_solution, "examples"))
    assert report.all_passed and time.monotonic() - started < 5
    for base_uid in range(executor.base_uid, executor.base_uid + executor.uid_span):
        assert processes_of_uid(base_uid) == []
    assert shutil.disk_usage("/tmp").free > 0


# -- the pool ----------------------------------------------------------------------------------------------------


class SlowExecutor:
    def __init__(self) -> None:
        self.running = self.most = 0

    async def execute(self, job: bytes, wall_s: float) -> ProcessOutcome:
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(float(job))  # distinct durations, so slots free one at a time
        self.running -= 1
        return ProcessOutcome(b'{"done": true}\n', 0, timed_out=False)


def test_the_pool_runs_at_most_its_size_and_reports_queue_positions() -> None:
    inner = SlowExecutor()
    pool = SandboxPool(2)
    executor = PooledExecutor(inner, pool)
    seen: dict[int, list[int]] = {}

    async def one(i: int) -> None:
        async def note(position: int) -> None:
            seen.setdefault(i, []).append(position)

        with report_queue(note):
            await executor.execute(str(0.04 * (i + 1)).encode(), 5)

    async def main() -> None:
        await asyncio.gather(*(one(i) for i in range(5)))

    asyncio.run(main())
    assert inner.most == 2 and pool.running == 0 and pool.queued == 0
    assert 0 not in seen and 1 not in seen  # the first two never waited
    assert seen[2] == [1, 0] and seen[3] == [2, 1, 0] and seen[4] == [3, 2, 1, 0]


def test_a_cancelled_waiter_leaves_the_queue() -> None:
    pool = SandboxPool(1)

    async def main() -> None:
        async with pool.slot():
            waiting = asyncio.ensure_future(pool.slot().__aenter__())
            await asyncio.sleep(0.01)
            assert pool.queued == 1
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert pool.queued == 0
        assert pool.running == 0
        async with pool.slot() as waited:
            assert waited == 0.0

    asyncio.run(main())


def test_signal_exit_codes_are_reported_as_signals() -> None:
    assert sandbox._signal_code(128 + signal.SIGKILL) == -signal.SIGKILL
    assert sandbox._signal_code(3) == 3
