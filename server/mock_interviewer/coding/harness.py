"""Runs a candidate's code against a coding task's examples or hidden tests, inside the sandbox.

This file is copied into the sandbox's empty work directory and run there as a script with the standard library and
NumPy only (it never imports the service). It reads one job as JSON on stdin:

    {"code": str, "mode": "examples" | "tests", "entry": [names], "examples": [{"call", "expect"}],
     "tests": str (the hidden tests' source), "time_limit": seconds per case}

and writes one JSON line per finished case, then a last line {"done": true}, to a private copy of stdout, so the
candidate's own prints (captured per case, capped) cannot corrupt the report. A case that is still running when
the sandbox kills the process is therefore known: it is the first one without a line.

Hidden test files import the check helpers below (`from harness import check, check_close, check_equal`); each
`def test_...(candidate)` receives the candidate's module. Their failure messages name the case, what was expected
and what came back, because that is what the candidate reads on the feedback card.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import random
import signal
import sys
import time
import traceback
import types
from collections.abc import Callable, Iterator
from typing import Any

CANDIDATE_FILE = "candidate.py"
OUTPUT_CAP = 4000  # characters of a case's printed output kept for the report
REPR_CAP = 300


class CaseFailure(AssertionError):
    """A hidden test's check did not hold; its message is shown to the candidate."""


class CaseTimeout(BaseException):
    """Raised by the per-case alarm; a BaseException so a candidate's `except Exception` cannot swallow it."""


def short(value: object, cap: int = REPR_CAP) -> str:
    """A readable, bounded repr: arrays keep their shape, long values are cut in the middle."""
    try:
        import numpy as np

        if isinstance(value, np.ndarray):
            with np.printoptions(threshold=20, edgeitems=3, precision=6):
                text = f"array(shape={value.shape}, {np.array2string(value, separator=', ')})"
        else:
            text = repr(value)
    except Exception:  # a candidate's object whose repr fails
        text = f"<{type(value).__name__}>"
    return text if len(text) <= cap else text[: cap // 2] + " ... " + text[-cap // 3 :]


def same(got: object, expected: object, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Equality that treats floats and arrays with a tolerance and sequences element by element."""
    import numpy as np

    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        try:
            a, b = np.asarray(got), np.asarray(expected)
        except Exception:
            return False
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(expected, float) or isinstance(got, float):
        if isinstance(got, bool) or isinstance(expected, bool):
            return got == expected
        try:
            return math.isclose(float(got), float(expected), rel_tol=rtol, abs_tol=atol)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        return len(got) == len(expected) and all(same(g, e, rtol, atol) for g, e in zip(got, expected, strict=True))
    if isinstance(expected, dict) and isinstance(got, dict):
        return got.keys() == expected.keys() and all(same(got[k], expected[k], rtol, atol) for k in expected)
    try:
        return bool(got == expected)
    except Exception:
        return False


def check(condition: object, message: str) -> None:
    if not condition:
        raise CaseFailure(message)


def check_equal(got: object, expected: object, case: str) -> None:
    """Exact for ints, strings and containers of them; floats and arrays to 1e-6 relative."""
    if not same(got, expected):
        raise CaseFailure(f"{case}: expected {short(expected)}, got {short(got)}")


def check_close(got: object, expected: object, case: str, rtol: float = 1e-6, atol: float = 1e-9) -> None:
    if not same(got, expected, rtol=rtol, atol=atol):
        raise CaseFailure(f"{case}: expected {short(expected)} (within rtol={rtol:g}, atol={atol:g}), got {short(got)}")


@contextlib.contextmanager
def alarm(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise CaseTimeout

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class CappedText(io.TextIOBase):
    """Where the candidate's prints go during a case: kept up to a cap, the rest counted and dropped."""

    def __init__(self, cap: int = OUTPUT_CAP) -> None:
        self.cap, self.size = cap, 0
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        if self.size < self.cap:
            self.parts.append(text[: self.cap - self.size])
        self.size += len(text)
        return len(text)

    def value(self) -> str:
        text = "".join(self.parts)
        return text + (f"\n... ({self.size - self.cap} more characters not shown)" if self.size > self.cap else "")


def describe_error(exc: BaseException) -> str:
    """The exception as a candidate reads it, with the line of their code it came from when there is one."""
    if isinstance(exc, CaseTimeout):
        return "timed out"
    if isinstance(exc, MemoryError):
        return "memory limit exceeded"
    if isinstance(exc, RecursionError):
        return "RecursionError: maximum recursion depth exceeded"
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"SyntaxError: {exc.msg} (line {exc.lineno})"
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(CANDIDATE_FILE)]
    return f"{text} (line {lines[-1]} of your code)" if lines else text


def load_candidate(code: str, entry: list[str]) -> types.ModuleType:
    with open(CANDIDATE_FILE, "w", encoding="utf-8") as f:
        f.write(code)
    module = types.ModuleType("candidate")
    module.__file__ = os.path.abspath(CANDIDATE_FILE)
    sys.modules["candidate"] = module
    exec(compile(code, module.__file__, "exec"), module.__dict__)
    missing = [name for name in entry if not hasattr(module, name)]
    if missing:
        raise NameError(f"your code does not define {', '.join(missing)}")
    return module


def humanize(test_name: str) -> str:
    return test_name.removeprefix("test_").replace("_", " ")


def run_case(emit: Callable[[dict[str, Any]], None], name: str, body: Callable[[], None], limit: float) -> None:
    out = CappedText()
    started = time.perf_counter()
    passed, message = False, ""
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), alarm(limit):
            body()
        passed = True
    except CaseFailure as exc:
        message = str(exc)
    except AssertionError as exc:  # a plain assert in a test, or one in the candidate's code
        message = str(exc) or describe_error(exc)
    except (Exception, CaseTimeout, MemoryError, RecursionError) as exc:
        message = describe_error(exc)
        if isinstance(exc, CaseTimeout):
            message = f"timed out after {limit:g} s"
    emit(
        {
            "name": name,
            "passed": passed,
            "message": message,
            "output": out.value(),
            "seconds": round(time.perf_counter() - started, 4),
        }
    )


def run(job: dict[str, Any], emit: Callable[[dict[str, Any]], None]) -> None:
    import numpy as np

    limit = float(job.get("time_limit", 2.0))
    out = CappedText()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), alarm(limit * 2):
            candidate = load_candidate(str(job["code"]), list(job.get("entry", [])))
    except BaseException as exc:
        emit({"load_error": describe_error(exc), "output": out.value()})
        return
    if job["mode"] == "examples":
        for example in job["examples"]:
            call, expect = str(example["call"]), str(example["expect"])
            namespace: dict[str, Any] = {"np": np, "math": math, "random": random, **vars(candidate)}

            def body(call: str = call, expect: str = expect, namespace: dict[str, Any] = namespace) -> None:
                got = eval(call, namespace)
                print(f"{call} -> {short(got)}")
                check_equal(got, eval(expect, {"np": np, "math": math, "random": random}), call)

            run_case(emit, call, body, limit)
        return
    tests = types.ModuleType("hidden_tests")
    exec(compile(str(job["tests"]), "hidden_tests.py", "exec"), tests.__dict__)
    limits: dict[str, float] = getattr(tests, "TIME_LIMITS", {})
    for name, function in list(vars(tests).items()):
        if name.startswith("test_") and callable(function):

            def case(f: Callable[[types.ModuleType], None] = function) -> None:
                f(candidate)

            run_case(emit, humanize(name), case, float(limits.get(name, limit)))


def main() -> None:
    # Keep a private copy of stdout for the report, and point fd 1 and 2 away so os.write(1, ...) cannot forge it.
    report = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.setrecursionlimit(3000)
    job = json.loads(sys.stdin.read())

    def emit(row: dict[str, Any]) -> None:
        report.write(json.dumps(row) + "\n")

    try:
        run(job, emit)
    finally:
        emit({"done": True})


if __name__ == "__main__":
    sys.modules.setdefault("harness", sys.modules["__main__"])  # hidden tests import the helpers by this name
    main()
