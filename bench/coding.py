"""How long candidate code takes to run in the sandbox: the visible examples, and the hidden tests of a whole grade.

    .venv/bin/python bench/coding.py [--questions 101,112,114] [--repeat 5] [--burst 8] [--rounds 3] [--local]

Runs each coding question's reference solution (the slowest plausible correct answer: it goes through every hidden
test, including the efficiency ones) through the real BubblewrapExecutor, as the service does (`run_code`, the
service's pool size and limits from Settings):

- alone: one run at a time, `--repeat` times per question, examples then hidden tests;
- burst: `--burst` runs submitted at once (half examples, half hidden tests, questions round-robin), `--rounds`
  times; latency counts from submission, so it includes the wait for a free sandbox (the pool runs
  `sandbox_pool_size` at once, the rest queue).

Prints p50/p95/max per mode, per question, and the sandbox's fixed cost (a trivial job: namespaces, the
interpreter, NumPy's import). Targets on the 2-core machines: examples p95 <= 1 s, hidden tests p95 <= 3 s alone.
`--local` adds the same figures without the sandbox (runner.LocalExecutor), to show what the sandbox adds.
Questions whose files do not load, or have no task yet, are skipped (and named).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mock_interviewer.bank import BankError, Question, load_question  # noqa: E402
from mock_interviewer.coding import sandbox  # noqa: E402
from mock_interviewer.coding.runner import Executor, LocalExecutor, Mode, run_code  # noqa: E402
from mock_interviewer.config import Settings  # noqa: E402

TARGETS = {"examples": 1.0, "tests": 3.0}


@dataclass
class Sample:
    number: int
    mode: Mode
    seconds: float
    passed: bool


def coding_questions(numbers: list[int] | None) -> list[Question]:
    found = []
    for path in sorted((ROOT / "knowledge").glob("1[0-2][0-9]-*.md")):
        number = int(path.name[:3])
        if not 101 <= number <= 120 or (numbers and number not in numbers):
            continue
        try:
            question = load_question(path)
        except BankError as exc:
            print(f"  skipped Q{number}: does not load ({'; '.join(exc.problems)[:120]})")
            continue
        if question.task is None or not question.reference_solution or not question.hidden_tests:
            print(f"  skipped Q{number}: no task, reference solution or hidden tests yet")
            continue
        found.append(question)
    return found


async def timed(executor: Executor, question: Question, mode: Mode) -> Sample:
    assert question.reference_solution is not None
    started = time.perf_counter()
    report = await run_code(executor, question, question.reference_solution, mode)
    return Sample(question.number, mode, time.perf_counter() - started, report.all_passed)


def figures(values: list[float]) -> str:
    a = np.asarray(values)
    return f"p50 {np.percentile(a, 50):5.2f} s  p95 {np.percentile(a, 95):5.2f} s  max {a.max():5.2f} s  (n={len(a)})"


def report(title: str, samples: list[Sample], targets: bool) -> None:
    print(f"\n{title}")
    for mode in ("examples", "tests"):
        values = [s.seconds for s in samples if s.mode == mode]
        if not values:
            continue
        line = f"  {mode:9s} {figures(values)}"
        if targets:
            p95 = float(np.percentile(values, 95))
            line += f"   target p95 <= {TARGETS[mode]:g} s: {'met' if p95 <= TARGETS[mode] else 'MISSED'}"
        print(line)
    failed = sorted({(s.number, s.mode) for s in samples if not s.passed})
    if failed:
        print(f"  reference solutions that did not pass: {failed}")


def per_question(samples: list[Sample]) -> None:
    print("\n  per question (alone, p50 / p95):")
    for number in sorted({s.number for s in samples}):
        row = []
        for mode in ("examples", "tests"):
            values = [s.seconds for s in samples if s.number == number and s.mode == mode]
            row.append(f"{mode} {np.percentile(values, 50):.2f} / {np.percentile(values, 95):.2f} s")
        print(f"    Q{number}: " + ",  ".join(row))


async def alone(executor: Executor, questions: list[Question], repeat: int) -> list[Sample]:
    samples = []
    for _ in range(repeat):
        for question in questions:
            for mode in ("examples", "tests"):
                samples.append(await timed(executor, question, mode))  # type: ignore[arg-type]
    return samples


async def burst(executor: Executor, questions: list[Question], size: int, rounds: int) -> list[Sample]:
    samples: list[Sample] = []
    for _ in range(rounds):
        jobs = [
            timed(executor, questions[i % len(questions)], "examples" if i % 2 == 0 else "tests") for i in range(size)
        ]
        samples += await asyncio.gather(*jobs)
    return samples


async def fixed_cost(executor: sandbox.BubblewrapExecutor, repeat: int) -> list[float]:
    job = {
        "code": "import numpy as np\n\ndef f():\n    return 1\n",
        "mode": "examples",
        "entry": ["f"],
        "examples": [{"call": "f()", "expect": "1"}],
        "tests": "",
        "time_limit": 2.0,
    }
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        await executor.execute(json.dumps(job).encode(), 10.0)
        seconds.append(time.perf_counter() - started)
    return seconds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", help="comma-separated numbers (default: every coding question with a task)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per question and mode, alone")
    parser.add_argument("--burst", type=int, default=8, help="runs submitted at once")
    parser.add_argument("--rounds", type=int, default=3, help="bursts")
    parser.add_argument("--local", action="store_true", help="also measure without the sandbox (LocalExecutor)")
    args = parser.parse_args()
    numbers = [int(n) for n in args.questions.split(",")] if args.questions else None

    settings = Settings()
    questions = coding_questions(numbers)
    if not questions:
        sys.exit("no coding question with a task, a reference solution and hidden tests")
    executor = sandbox.BubblewrapExecutor.from_settings(settings)
    status = await sandbox.probe(executor)
    print(f"sandbox: {'available' if status.available else 'NOT AVAILABLE'}: {status.reason}")
    if not status.available:
        sys.exit(1)
    print(f"questions: {', '.join(f'Q{q.number}' for q in questions)}; pool size {executor.pool.size}")

    for question in questions:  # warm the page cache once per question
        for mode in ("examples", "tests"):
            await timed(executor, question, mode)  # type: ignore[arg-type]

    cost = await fixed_cost(executor, max(5, args.repeat))
    print(f"\nsandbox fixed cost (trivial job with NumPy imported): {figures(cost)}")

    samples = await alone(executor, questions, args.repeat)
    report("alone (one run at a time):", samples, targets=True)
    per_question(samples)
    report(
        f"burst ({args.burst} submitted at once, {executor.pool.size} run at a time, the rest queued; {args.rounds} rounds):",
        await burst(executor, questions, args.burst, args.rounds),
        targets=False,
    )
    if args.local:
        local = LocalExecutor()
        report("without the sandbox (LocalExecutor), alone:", await alone(local, questions, args.repeat), targets=False)


if __name__ == "__main__":
    asyncio.run(main())
