"""The sandbox that runs candidate code: bubblewrap, a throw-away unprivileged uid, rlimits, a wall clock, a pool.

`BubblewrapExecutor` implements `runner.Executor`. One run starts this chain of small programs (each execs the next,
so the service's only child is bwrap itself), as root:

    choom -n 1000 -- prlimit --cpu --as --nproc --fsize --nofile --core=0 --
    setpriv --reuid=U --regid=U --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs --
    bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session --as-pid-1 ...
          -- python -s -B harness.py

What the code inside gets, and what it does not:

- **Its own uid.** U is taken from `sandbox_base_uid .. + sandbox_uid_span - 1`, held for the run under an
  exclusive lock file in /run/mock-interviewer-sandbox (so the service, the tests and the benchmark on one machine
  never share one, whatever their stage directories), and never a
  uid the service runs as. A process started as root ignores RLIMIT_NPROC; U does not, so a fork loop stops at
  `sandbox_max_processes`. After every run any process left with uid U is killed (pidfd, no pid-reuse race), so
  nothing of a run survives it, whatever it forked, `setsid`'ed or ignored.
- **Namespaces** (bubblewrap): user (only U mapped; no capabilities outside; nested user namespaces disabled), pid
  (the code sees only its own processes; the harness is pid 1 (`--as-pid-1`), so when it exits the kernel kills
  everything else in the namespace before bwrap reports the exit, and `--die-with-parent` ties it to the bwrap the
  service started: killing that one tears the namespace down; with bwrap's own init as pid 1 instead, the init was
  left a zombie for the host's init to reap, about a second later), network (an empty namespace: no interface but a
  down loopback, so nothing is reachable, the host's 127.0.0.1 included), ipc, uts, cgroup; `--new-session` (no
  terminal to inject into).
- **Files.** A fresh, read-only tmpfs root holding only: /usr/lib and /usr/lib64 (shared libraries, read-only; no
  /usr/bin, so there is no shell), the /lib* links, a private /proc for the pid namespace, a minimal /dev (null,
  zero, urandom... remounted read-only, so /dev/shm cannot be filled), the interpreter at /sandbox/python and NumPy
  at /sandbox/site (read-only), and the work directory /tmp: a private tmpfs of `sandbox_tmpfs_mb`, into which
  harness.py is copied by bwrap from a memfd. Nothing else of the host exists inside: not the project (its code,
  knowledge/solutions/, knowledge/tasks/, the database), not /work, /root, /home, /etc or /var.
- **The interpreter and NumPy** are the service's own (sys.base_prefix / numpy's package directory), but a pyenv
  Python under /root cannot be reached by another uid (/root is 0700), and bubblewrap resolves bind sources as the
  calling uid. So they are staged once into `sandbox_dir` (default /var/cache/mock-interviewer/sandbox, a path
  every uid can traverse) as hard links (copies across file systems): the interpreter binary, libpython, the
  standard library without test/, site-packages/ and the GUI and installer packages, and numpy with numpy.libs.
  The stage is keyed by the interpreter's and NumPy's versions and files, built in a temporary directory and
  renamed into place; a stage for an older interpreter or NumPy stays until removed by hand.
- **Environment.** `--clearenv`: PATH, HOME=/tmp, TMPDIR, LANG=C.UTF-8, PYTHONPATH=/sandbox/site, LD_LIBRARY_PATH
  (libpython), PYTHONDONTWRITEBYTECODE=1, and one thread for OpenBLAS/OpenMP/MKL. No key or setting of the service.
- **Limits** (prlimit, soft = hard, so the code cannot raise them): CPU seconds per process (`sandbox_cpu_s`, and
  at most the wall clock + 1), address space per process (`sandbox_memory_mb`), processes of U
  (`sandbox_max_processes`, threads included), file size (`sandbox_file_mb`), open files (`sandbox_open_files`), no
  core files; the tmpfs' size; oom_score_adj 1000, so the kernel's OOM killer takes a sandbox before the service.
  Memory in total is bounded by processes x address space + tmpfs (no cgroup is used: these machines have cgroup
  v1 only, and the chain above works the same on v1 and v2).
- **Priority.** None by default (`nice` is a constructor argument): a niced sandbox on a busy host misses its
  per-case time limits, which the candidate would read as their code being slow.
- **Wall clock.** `wall_s` per run: on expiry the sandbox's pid 1 gets SIGKILL (the kernel then kills the rest of
  the namespace, and bwrap exits; failing that, bwrap's process group is killed), and the uid sweep follows.
- **Output.** Stdout is read as it comes, capped (`sandbox_output_kb`; past it the run is killed and
  `output_truncated` set); what was read before a kill is kept, so `read_report` names the case that was running.
  Stderr is kept up to 16 kB for diagnostics (bwrap's own errors), never shown to the candidate.

`SandboxPool` bounds the runs at once (`sandbox_pool_size`); the others wait in FIFO order, and a caller that wants
to show "queued" wraps its call in `report_queue(callback)` (or holds `pool.slot(on_queued=...)`): the callback gets
the position (1 = next) whenever it changes, then 0 when the run starts.

`probe()` runs a trivial job once (the service does it at start-up): available, or not and why (no bwrap, not
root, user namespaces refused, the stage unreachable...). Where it is not available, code is not run. Running
candidate code with no sandbox at all happens only when `MOCK_INTERVIEWER_UNSAFE_RUN_CODE_WITHOUT_SANDBOX=1` is
set (`start()` then returns runner.LocalExecutor behind the pool, and says so loudly); never as a fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import errno
import fcntl
import hashlib
import importlib.util
import inspect
import json
import logging
import math
import os
import shutil
import signal
import sys
import sysconfig
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..config import PROJECT_ROOT, Settings
from .runner import HARNESS, Executor, LocalExecutor, ProcessOutcome, read_report

log = logging.getLogger(__name__)

SANDBOX_PYTHON = "/sandbox/python"
SANDBOX_SITE = "/sandbox/site"
WORK_DIR = "/tmp"
STAGE_FORMAT = 1  # bump when the stage's layout changes
HOST_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
TOOLS = ("choom", "nice", "prlimit", "setpriv")
# Uid leases are machine-wide (the service, the tests and the benchmark may run at once, with other stage dirs).
LOCK_DIR = Path("/run/mock-interviewer-sandbox")
# The staged interpreter, machine-wide too: outside the clone (which may sit under /root) and any test's temp dir.
DEFAULT_STAGE_DIR = Path("/var/cache/mock-interviewer/sandbox")
# Top-level directories of the standard library the sandbox never needs (tests, GUI, installers, other packages).
STDLIB_SKIP = frozenset(
    {"test", "site-packages", "dist-packages", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3"}
)

QueueCallback = Callable[[int], Awaitable[None] | None]
_queue_callback: contextvars.ContextVar[QueueCallback | None] = contextvars.ContextVar(
    "sandbox_queue_callback", default=None
)


class SandboxError(RuntimeError):
    """The sandbox cannot run code here (set-up problem, not the candidate's)."""


@dataclass(frozen=True)
class SandboxStatus:
    available: bool
    reason: str
    kind: Literal["bubblewrap", "unsafe-local", "none"] = "bubblewrap"

    def as_dict(self) -> dict[str, Any]:
        return {"available": self.available, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class SandboxLimits:
    cpu_s: int = 20
    memory_mb: int = 1024
    processes: int = 12
    file_mb: int = 16
    tmpfs_mb: int = 64
    open_files: int = 64
    output_bytes: int = 1024 * 1024
    stderr_bytes: int = 16 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> SandboxLimits:
        return cls(
            cpu_s=settings.sandbox_cpu_s,
            memory_mb=settings.sandbox_memory_mb,
            processes=settings.sandbox_max_processes,
            file_mb=settings.sandbox_file_mb,
            tmpfs_mb=settings.sandbox_tmpfs_mb,
            open_files=settings.sandbox_open_files,
            output_bytes=settings.sandbox_output_kb * 1024,
        )


@dataclass(frozen=True)
class SandboxRun:
    """One run as the executor saw it: the outcome for the runner, plus what helps diagnose the sandbox itself."""

    outcome: ProcessOutcome
    stderr: bytes
    seconds: float
    uid: int
    queued_s: float = 0.0


# ---------------------------------------------------------------------------------------------------------------
# The pool


@contextlib.contextmanager
def report_queue(callback: QueueCallback) -> Iterator[None]:
    """Within this block, a run that has to wait for a free sandbox calls `callback(position)` (1 = next) whenever
    its place changes, then `callback(0)` when it starts. For the page's "queued" state."""
    token = _queue_callback.set(callback)
    try:
        yield
    finally:
        _queue_callback.reset(token)


async def _notify(callback: QueueCallback, position: int) -> None:
    result = callback(position)
    if inspect.isawaitable(result):
        await result


@dataclass(eq=False)
class _Waiter:
    granted: asyncio.Future[None]
    moved: asyncio.Event = field(default_factory=asyncio.Event)


class SandboxPool:
    """At most `size` runs at once; the rest wait, first come first served."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one slot")
        self.size = size
        self._running = 0
        self._waiters: deque[_Waiter] = deque()

    @property
    def running(self) -> int:
        return self._running

    @property
    def queued(self) -> int:
        return len(self._waiters)

    @contextlib.asynccontextmanager
    async def slot(self, on_queued: QueueCallback | None = None) -> AsyncIterator[float]:
        """Hold one slot; yields the seconds spent waiting for it (0.0 when one was free)."""
        waited = await self._acquire(on_queued if on_queued is not None else _queue_callback.get())
        try:
            yield waited
        finally:
            self._release()

    async def _acquire(self, callback: QueueCallback | None) -> float:
        if self._running < self.size and not self._waiters:
            self._running += 1
            return 0.0
        waiter = _Waiter(asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        started, shown = time.monotonic(), 0
        try:
            while not waiter.granted.done():
                position = self._waiters.index(waiter) + 1
                if callback is not None and position != shown:
                    shown = position
                    await _notify(callback, position)
                    continue  # the queue may have moved while the callback ran
                waiter.moved.clear()
                moved: asyncio.Future[Any] = asyncio.ensure_future(waiter.moved.wait())
                either: set[asyncio.Future[Any]] = {waiter.granted, moved}
                try:
                    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    moved.cancel()
            if callback is not None:
                await _notify(callback, 0)
        except BaseException:
            if waiter.granted.done():
                self._release()  # the slot was already handed to us: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
                for other in self._waiters:
                    other.moved.set()
            raise
        return time.monotonic() - started

    def _release(self) -> None:
        if self._waiters:
            self._waiters.popleft().granted.set_result(None)  # handed over: `running` stays the same
            for other in self._waiters:
                other.moved.set()
        else:
            self._running -= 1


class PooledExecutor:
    """Any executor behind a pool (the unsafe local mode uses it, so it queues like the sandbox does)."""

    def __init__(self, inner: Executor, pool: SandboxPool) -> None:
        self.inner, self.pool = inner, pool

    async def execute(self, job: bytes, wall_s: float) -> ProcessOutcome:
        async with self.pool.slot():
            return await self.inner.execute(job, wall_s)


# ---------------------------------------------------------------------------------------------------------------
# The staged interpreter


@dataclass(frozen=True)
class Runtime:
    """The staged interpreter and NumPy on the host, and how to start it inside the sandbox."""

    root: Path  # holds python/ (bound at SANDBOX_PYTHON) and site/ (bound at SANDBOX_SITE)
    python: str  # the interpreter's path inside the sandbox
    shared_lib: bool  # libpython is a shared library in python/lib


def _python_sources() -> tuple[Path, Path, Path | None]:
    """The interpreter binary, its standard library and its shared libpython (None when linked statically)."""
    executable = Path(os.path.realpath(sys.executable))
    stdlib = Path(sysconfig.get_path("stdlib"))  # in a venv, the base installation's
    libpython: Path | None = None
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        libdir, soname = sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("INSTSONAME")
        if libdir and soname and (Path(libdir) / soname).exists():
            libpython = Path(libdir) / soname
    return executable, stdlib, libpython


def _numpy_sources() -> list[Path]:
    spec = importlib.util.find_spec("numpy")
    if spec is None or spec.origin is None:
        raise SandboxError("NumPy is not installed in the service's environment")
    package = Path(spec.origin).parent
    return [p for p in (package, package.parent / "numpy.libs") if p.is_dir()]


def _stage_key(executable: Path, stdlib: Path, numpy_dirs: list[Path]) -> str:
    facts: list[object] = [STAGE_FORMAT, sys.version, str(executable), str(stdlib)]
    for path in (executable, stdlib / "os.py", *(d / "__init__.py" for d in numpy_dirs[:1])):
        st = path.stat()
        facts += [str(path), st.st_size, st.st_mtime_ns]
    facts += [str(d) for d in numpy_dirs]
    version_file = numpy_dirs[0] / "version.py"
    if version_file.exists():
        facts.append(version_file.read_text(encoding="utf-8", errors="replace"))
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:16]


def _check_traversable(path: Path) -> None:
    """Every directory from / to `path` must be searchable by any uid: the sandbox's uid has no group."""
    for directory in [path, *path.parents]:
        mode = directory.stat().st_mode
        if not mode & 0o001:
            raise SandboxError(
                f"{directory} (mode {mode & 0o777:o}) cannot be traversed by the sandbox's unprivileged uid, so the"
                f" staged interpreter under {path} is out of its reach; set MOCK_INTERVIEWER_SANDBOX_DIR to a"
                " directory every user can reach (e.g. /var/cache/mock-interviewer)"
            )


def _mkdir(path: Path) -> None:
    path.mkdir()
    path.chmod(0o755)


def _link_file(source: Path, target: Path) -> None:
    st = source.stat()
    if st.st_mode & 0o004:  # readable by anyone: a hard link shares the inode, its owner and its mode
        try:
            os.link(source, target)
            return
        except OSError:
            pass  # another file system, or links refused: copy
    shutil.copy2(source, target)
    target.chmod(0o755 if st.st_mode & 0o111 else 0o644)


def _link_tree(source: Path, target: Path, skip: Callable[[str], bool] = lambda name: False) -> None:
    _mkdir(target)
    for entry in os.scandir(source):
        if skip(entry.name):
            continue
        destination = target / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), destination)
        elif entry.is_dir():
            _link_tree(Path(entry.path), destination)
        elif entry.is_file():
            _link_file(Path(entry.path), destination)


def stage_runtime(stage_dir: Path) -> Runtime:
    """Stage the service's interpreter and NumPy under `stage_dir` (once per version) and return where they are."""
    executable, stdlib, libpython = _python_sources()
    numpy_dirs = _numpy_sources()
    for directory in reversed([d for d in (stage_dir, *stage_dir.parents) if not d.is_dir()]):
        directory.mkdir(exist_ok=True)
        directory.chmod(0o755)  # whatever the service's umask: the sandbox's uid must reach the stage
    _check_traversable(stage_dir)
    final = stage_dir / f"runtime-{_stage_key(executable, stdlib, numpy_dirs)}"
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    runtime = Runtime(final, f"{SANDBOX_PYTHON}/bin/{version}", libpython is not None)
    if final.is_dir():
        return runtime
    building = stage_dir / f".building-{final.name}-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(building, ignore_errors=True)
    try:
        _mkdir(building)
        _mkdir(building / "python")
        _mkdir(building / "python" / "bin")
        _mkdir(building / "python" / "lib")
        _link_file(executable, building / "python" / "bin" / version)
        if libpython is not None:
            _link_file(libpython, building / "python" / "lib" / libpython.name)
        _link_tree(
            stdlib,
            building / "python" / "lib" / version,
            lambda name: name in STDLIB_SKIP or name.startswith("config-"),
        )
        _mkdir(building / "site")
        for directory in numpy_dirs:
            _link_tree(directory, building / "site" / directory.name, lambda name: name == "tests")
        try:
            building.rename(final)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise  # otherwise another process staged the same runtime first: use it
    finally:
        shutil.rmtree(building, ignore_errors=True)
    log.info("sandbox: staged %s and NumPy into %s", executable, final)
    return runtime


# ---------------------------------------------------------------------------------------------------------------
# Uids and what is left of a run


class _UidLease:
    """An exclusive claim on one sandbox uid, across processes (flock on a file; released on close or exit)."""

    def __init__(self, uid: int, fd: int) -> None:
        self.uid, self._fd = uid, fd

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _lease_uid(lock_dir: Path, base: int, span: int, start: int) -> _UidLease:
    lock_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for offset in range(span):
        uid = base + (start + offset) % span
        fd = os.open(lock_dir / f"uid-{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return _UidLease(uid, fd)
    raise SandboxError(f"all {span} sandbox uids ({base}-{base + span - 1}) are in use")


def processes_of_uid(uid: int, *, zombies: bool = False) -> list[int]:
    """Pids whose real uid is `uid`, from /proc (uids as the host sees them); dead ones (zombies) only if asked."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as status:
                for line in status:
                    if line.startswith(b"State:") and not zombies and line.split()[1] in (b"Z", b"X"):
                        break
                    if line.startswith(b"Uid:"):
                        if int(line.split()[1]) == uid:
                            pids.append(int(name))
                        break
        except (OSError, ValueError):
            continue
    return pids


def _uid_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def kill_uid(uid: int, timeout_s: float = 3.0) -> int:
    """SIGKILL every process of `uid` until none is left (or `timeout_s`); returns how many were signalled.

    Each is opened as a pidfd first and its uid checked through it, so a pid reused meanwhile is never hit."""
    signalled = 0
    deadline = time.monotonic() + timeout_s
    while True:
        pids = processes_of_uid(uid)
        if not pids:
            return signalled
        for pid in pids:
            try:
                pidfd = os.pidfd_open(pid)
            except OSError:
                continue
            try:
                if _uid_of(pid) == uid:
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                    signalled += 1
            except OSError:
                pass
            finally:
                os.close(pidfd)
        if time.monotonic() > deadline:
            log.error("sandbox: processes of uid %d survive SIGKILL: %s", uid, pids)
            return signalled
        time.sleep(0.01)


# ---------------------------------------------------------------------------------------------------------------
# The executor


def _host_system_binds() -> list[str]:
    """Shared libraries: /usr/lib* read-only, and /lib* as the host has them (links on merged-/usr systems)."""
    args: list[str] = []
    for top in ("/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32", "/lib", "/lib64", "/lib32", "/libx32"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    return args


def _kill_children(pid: int) -> bool:
    """SIGKILL the children of `pid` (bwrap's: the sandbox's pid 1); False when it has none (or /proc cannot say).

    Each child is opened as a pidfd and checked to still be `pid`'s child before the signal, so a pid reused after
    the child was reaped is never hit."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
            children = [int(word) for word in listing.read().split()]
    except (OSError, ValueError):
        return False
    killed = False
    for child in children:
        try:
            pidfd = os.pidfd_open(child)
        except OSError:
            continue
        try:
            with open(f"/proc/{child}/stat", encoding="utf-8", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            if parent == pid:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                killed = True
        except (OSError, ValueError, IndexError):
            pass
        finally:
            os.close(pidfd)
    return killed


def _signal_code(returncode: int | None) -> int | None:
    """bwrap reports its command's death by signal N as exit code 128+N; the runner expects -N."""
    if returncode is not None and 128 < returncode < 128 + signal.NSIG:
        return -(returncode - 128)
    return returncode


class BubblewrapExecutor:
    """Runs harness.py in bubblewrap as a throw-away unprivileged uid, with rlimits and a wall clock (see above)."""

    def __init__(
        self,
        stage_dir: Path = DEFAULT_STAGE_DIR,
        *,
        bwrap: Path = Path("/usr/bin/bwrap"),
        pool: SandboxPool | None = None,
        base_uid: int = 64000,
        uid_span: int = 64,
        limits: SandboxLimits | None = None,
        nice: int = 0,
    ) -> None:
        self.stage_dir = stage_dir.absolute()  # the chain runs with cwd /
        self.bwrap = bwrap
        self.pool = pool or SandboxPool(2)
        self.base_uid, self.uid_span = base_uid, uid_span
        self.limits = limits or SandboxLimits()
        self.nice = nice
        self._runtime: Runtime | None = None
        self._stage_lock = threading.Lock()
        self._next_uid = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> BubblewrapExecutor:
        return cls(
            settings.sandbox_dir or DEFAULT_STAGE_DIR,
            bwrap=settings.sandbox_bwrap,
            pool=SandboxPool(settings.sandbox_pool_size),
            base_uid=settings.sandbox_base_uid,
            uid_span=settings.sandbox_uid_span,
            limits=SandboxLimits.from_settings(settings),
        )

    # -- set-up -------------------------------------------------------------------------------------------------

    def preflight(self) -> str | None:
        """Why this machine cannot run the sandbox at all, or None."""
        if not sys.platform.startswith("linux"):
            return "the sandbox needs Linux (bubblewrap and namespaces)"
        if not (self.bwrap.is_file() and os.access(self.bwrap, os.X_OK)):
            return f"bubblewrap is not installed ({self.bwrap} is missing): `make sandbox` installs Debian's bubblewrap"
        if os.geteuid() != 0:
            return (
                "the service does not run as root, so it cannot give each run its own unprivileged uid (without one,"
                " a fork loop is not contained)"
            )
        missing = [tool for tool in TOOLS if shutil.which(tool, path=HOST_PATH) is None]
        if missing:
            return f"missing {', '.join(missing)} (util-linux / coreutils)"
        return None

    def runtime(self) -> Runtime:
        """The staged interpreter (staged on first use; blocking: call it in a thread from async code)."""
        with self._stage_lock:
            if self._runtime is None:
                self._runtime = stage_runtime(self.stage_dir)
            return self._runtime

    def command(self, uid: int, runtime: Runtime, harness_fd: int, wall_s: float) -> list[str]:
        limits = self.limits
        cpu = max(1, min(limits.cpu_s, math.ceil(wall_s) + 1))
        memory = limits.memory_mb * 1024 * 1024
        fsize = limits.file_mb * 1024 * 1024

        def tool(name: str) -> str:
            return shutil.which(name, path=HOST_PATH) or name

        env = {
            "PATH": f"{SANDBOX_PYTHON}/bin",
            "HOME": WORK_DIR,
            "TMPDIR": WORK_DIR,
            "LANG": "C.UTF-8",
            "PYTHONPATH": SANDBOX_SITE,
            "PYTHONDONTWRITEBYTECODE": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        if runtime.shared_lib:
            env["LD_LIBRARY_PATH"] = f"{SANDBOX_PYTHON}/lib"
        return [
            tool("choom"), "-n", "1000", "--",
            *([tool("nice"), "-n", str(self.nice)] if self.nice else []),
            tool("prlimit"),
            f"--cpu={cpu}:{cpu + 1}",  # SIGXCPU at the soft limit, SIGKILL a second later
            f"--as={memory}:{memory}",
            f"--nproc={limits.processes}:{limits.processes}",
            f"--fsize={fsize}:{fsize}",
            f"--nofile={limits.open_files}:{limits.open_files}",
            "--core=0:0",
            "--",
            tool("setpriv"), f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            str(self.bwrap),
            "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--as-pid-1",
            "--hostname", "sandbox", "--cap-drop", "ALL",
            *_host_system_binds(),
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", str(limits.tmpfs_mb * 1024 * 1024), "--tmpfs", WORK_DIR,
            "--ro-bind", str(runtime.root / "python"), SANDBOX_PYTHON,
            "--ro-bind", str(runtime.root / "site"), SANDBOX_SITE,
            "--ro-bind-data", str(harness_fd), f"{WORK_DIR}/harness.py",
            "--remount-ro", "/dev",
            "--remount-ro", "/",
            "--chdir", WORK_DIR,
            "--clearenv",
            *[arg for name, value in env.items() for arg in ("--setenv", name, value)],
            "--", runtime.python, "-s", "-B", "harness.py",
        ]  # fmt: skip

    # -- running ------------------------------------------------------------------------------------------------

    async def execute(self, job: bytes, wall_s: float) -> ProcessOutcome:
        return (await self.run(job, wall_s)).outcome

    async def run(self, job: bytes, wall_s: float) -> SandboxRun:
        problem = self.preflight()
        if problem:
            raise SandboxError(problem)
        async with self.pool.slot() as queued_s:
            runtime = await asyncio.to_thread(self.runtime)
            self._next_uid += 1
            lease = _lease_uid(LOCK_DIR, self.base_uid, self.uid_span, self._next_uid)
            try:
                await asyncio.to_thread(kill_uid, lease.uid)  # a crashed earlier holder's leftovers, if any
                run = await self._run(runtime, lease.uid, job, wall_s)
                return SandboxRun(run.outcome, run.stderr, run.seconds, run.uid, queued_s)
            finally:
                try:
                    await asyncio.shield(asyncio.to_thread(kill_uid, lease.uid))
                finally:
                    lease.close()

    async def _run(self, runtime: Runtime, uid: int, job: bytes, wall_s: float) -> SandboxRun:
        harness_fd = os.memfd_create("harness.py", os.MFD_CLOEXEC)
        try:
            os.write(harness_fd, HARNESS.read_bytes())
            os.lseek(harness_fd, 0, os.SEEK_SET)
            started = time.monotonic()
            process = await asyncio.create_subprocess_exec(
                *self.command(uid, runtime, harness_fd, wall_s),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                pass_fds=(harness_fd,),
                start_new_session=True,
                cwd="/",
                env={"PATH": HOST_PATH, "LANG": "C.UTF-8"},
            )
        finally:
            os.close(harness_fd)
        assert process.stdin is not None and process.stdout is not None and process.stderr is not None
        stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
        out, err = bytearray(), bytearray()
        truncated = timed_out = False

        def kill() -> None:
            # The namespace's pid 1 first: the kernel kills the rest of the namespace and bwrap reaps it, reports
            # 128+9 and exits, leaving no zombie behind. bwrap's whole group only if that is not possible.
            if process.returncode is None and not _kill_children(process.pid):
                kill_group()

        def kill_group() -> None:
            if process.returncode is None:  # not reaped yet, so its pid (= its group) cannot have been reused
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)

        async def feed() -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                stdin.write(job)
                await stdin.drain()
            stdin.close()

        async def read_stdout() -> None:
            nonlocal truncated
            while chunk := await stdout.read(65536):
                room = self.limits.output_bytes - len(out)
                if len(chunk) > room:
                    out.extend(chunk[:room])
                    truncated = True
                    kill()
                    return
                out.extend(chunk)

        async def read_stderr() -> None:
            while chunk := await stderr.read(65536):
                room = self.limits.stderr_bytes - len(err)
                if room > 0:
                    err.extend(chunk[:room])  # the rest is read and dropped, so bwrap never blocks on it

        tasks = [asyncio.ensure_future(f()) for f in (feed, read_stdout, read_stderr)]
        try:
            async with asyncio.timeout(wall_s):
                await asyncio.gather(*tasks)
                await process.wait()
        except TimeoutError:
            timed_out = True
        finally:
            kill()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            try:
                async with asyncio.timeout(2):
                    await process.wait()
            except TimeoutError:
                kill_group()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(3):
                        await process.wait()
        outcome = ProcessOutcome(
            bytes(out), _signal_code(process.returncode), timed_out=timed_out, output_truncated=truncated
        )
        return SandboxRun(outcome, bytes(err), time.monotonic() - started, uid)

    # -- the start-up check -------------------------------------------------------------------------------------

    async def probe(self, wall_s: float = 30.0) -> SandboxStatus:
        problem = self.preflight()
        if problem:
            return SandboxStatus(False, problem)
        started = time.monotonic()
        try:
            await asyncio.to_thread(self.runtime)
        except (OSError, SandboxError) as exc:
            return SandboxStatus(False, f"could not stage the interpreter for the sandbox: {exc}")
        # Inside: not root, the project out of sight, no network, NumPy importable.
        code = (
            "import os, socket\nimport numpy as np\n\n\ndef probe():\n"
            "    s = socket.socket()\n    s.settimeout(1)\n"
            f"    return [os.getuid() != 0, os.path.exists({str(PROJECT_ROOT)!r}),"
            " s.connect_ex(('127.0.0.1', 9)) != 0, float(np.arange(4).sum())]\n"
        )
        job = {
            "code": code,
            "mode": "examples",
            "entry": ["probe"],
            "examples": [{"call": "probe()", "expect": "[True, False, True, 6.0]"}],
            "tests": "",
            "time_limit": 10.0,
        }
        try:
            result = await self.run(json.dumps(job).encode(), wall_s)
        except (OSError, SandboxError) as exc:
            return SandboxStatus(False, f"the sandbox could not start: {exc}")
        report = read_report(result.outcome, ["probe()"], wall_s)
        if report.all_passed:
            return SandboxStatus(
                True,
                f"bubblewrap works: namespaces, uids {self.base_uid}+, {self.pool.size} at once, limits"
                f" {self.limits.memory_mb} MB / {self.limits.processes} processes / {self.limits.cpu_s} s CPU"
                f" (checked in {time.monotonic() - started:.2f} s)",
            )
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = said[-1] if said else (report.error or "; ".join(c.message for c in report.cases if not c.passed))
        return SandboxStatus(False, f"the sandbox did not run a trivial job: {detail or 'no report'}")


# ---------------------------------------------------------------------------------------------------------------
# What the service uses


_status: SandboxStatus | None = None
_pool: SandboxPool | None = None


async def probe(executor: BubblewrapExecutor | None = None, settings: Settings | None = None) -> SandboxStatus:
    """Check once that the sandbox runs a trivial job; the result is what `health()` reports."""
    global _status, _pool
    executor = executor or BubblewrapExecutor.from_settings(settings or Settings())
    status = await executor.probe()
    _status, _pool = status, executor.pool
    (log.info if status.available else log.warning)("sandbox: %s", status.reason)
    return status


async def start(settings: Settings) -> tuple[Executor | None, SandboxStatus]:
    """The executor the service runs candidate code with, and its status: None when code cannot run here.

    Only `MOCK_INTERVIEWER_UNSAFE_RUN_CODE_WITHOUT_SANDBOX=1` selects the unsandboxed LocalExecutor."""
    global _status, _pool
    if settings.unsafe_run_code_without_sandbox:
        pool = SandboxPool(settings.sandbox_pool_size)
        _status, _pool = (
            SandboxStatus(
                True,
                "UNSAFE: MOCK_INTERVIEWER_UNSAFE_RUN_CODE_WITHOUT_SANDBOX is set, candidate code runs as a plain"
                " child process of the service, with its files, network and privileges",
                kind="unsafe-local",
            ),
            pool,
        )
        log.warning("sandbox: %s", _status.reason)
        return PooledExecutor(LocalExecutor(), pool), _status
    executor = BubblewrapExecutor.from_settings(settings)
    status = await probe(executor)
    return (executor if status.available else None), status


def health() -> dict[str, Any]:
    """The sandbox's part of /healthz: whether code can run, why (not), and how busy it is."""
    if _status is None:
        return {"available": None, "kind": "none", "reason": "not checked yet", "running": 0, "queued": 0}
    running, queued = (_pool.running, _pool.queued) if _pool is not None else (0, 0)
    return {**_status.as_dict(), "running": running, "queued": queued}
