"""The mock-interviewer command: serve, bank check, index build, search, grade, llm check."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from .bank import SECTION_RANGES, BankError, load_bank
from .config import Settings

if TYPE_CHECKING:
    from .bank import Question
    from .grading.models import GradeResult
    from .services import Services


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    verbose = args.verbose or os.environ.get("LOG_LEVEL", "").lower() in ("debug", "info")
    _configure_logging(verbose)
    settings = Settings()
    try:
        code: int = args.run(settings, args)
        return code
    except BankError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _configure_logging(verbose: bool) -> None:
    """Commands print what was asked for; faiss, bm25s, uvicorn and our own progress notes only when verbose."""
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    if not verbose:
        os.environ.setdefault("TQDM_DISABLE", "1")  # bm25s draws progress bars on stderr


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mock-interviewer", description=__doc__)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show library and progress logs (or set LOG_LEVEL=debug)"
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="start the web service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--workers", type=int, help="worker processes on the one port (default: WORKERS, or 1); any serves any session"
    )
    serve.set_defaults(run=_serve)

    history = commands.add_parser("history", help="stored interviews").add_subparsers(required=True, metavar="ACTION")
    erase = history.add_parser("delete", help="erase a browser's sessions, answers and grades")
    erase.add_argument("browser_id", metavar="BROWSER_ID")
    erase.set_defaults(run=_history_delete)

    bank = commands.add_parser("bank", help="question bank tools").add_subparsers(required=True, metavar="ACTION")
    bank.add_parser("check", help="validate every question file").set_defaults(run=_bank_check)

    index = commands.add_parser("index", help="search index tools").add_subparsers(required=True, metavar="ACTION")
    build = index.add_parser("build", help="embed the bank and rebuild the cached index")
    build.set_defaults(run=_index_build)

    search = commands.add_parser("search", help="semantic search over the bank")
    search.add_argument("text")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=_search)

    grade = commands.add_parser("grade", help="grade an answer (or a JSONL batch of answers)")
    grade.add_argument("--question", type=int)
    given = grade.add_mutually_exclusive_group(required=True)
    given.add_argument("--answer")
    given.add_argument("--answer-file", type=Path)
    given.add_argument("--batch", type=Path, help='JSONL of {"number", "answer"}; writes one JSON line each')
    grade.add_argument("--json", action="store_true")
    grade.set_defaults(run=_grade)

    llm = commands.add_parser("llm", help="LLM tools").add_subparsers(required=True, metavar="ACTION")
    check = llm.add_parser("check", help="probe the configured OpenAI-compatible server, one line per step")
    check.set_defaults(run=_llm_check)
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app
    from .services import build_services

    started = time.perf_counter()
    # A bad bank stops here, before the port opens; so does a database that cannot be reached or migrated.
    services = build_services(settings)
    host, port = args.host or settings.host, args.port or settings.port
    workers = args.workers or settings.workers
    grader = f"LLM grader ({settings.llm_model})" if services.llm else "offline grader"
    print(
        f"mock-interviewer: {len(services.bank)} questions, {grader}, search model {services.index.embedder.name};"
        f" ready in {time.perf_counter() - started:.1f}s at http://{host}:{port}"
        + (f", starting {workers} workers" if workers > 1 else ""),
        file=sys.stderr,
        flush=True,
    )
    verbose = logging.getLogger().isEnabledFor(logging.INFO)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info" if verbose else "warning",
        "access_log": verbose,
        # Frames past this are refused by the server itself (the page reconnects and resumes); smaller
        # oversized frames get an error message from the session.
        "ws_max_size": 4 * settings.max_message_bytes,
    }
    if workers == 1:
        uvicorn.run(create_app(settings, services=services), **options)
        return 0
    # Each worker builds its own services from the same settings (the environment) through the app factory; the
    # caches this process just warmed make that quick, and nothing about a session lives in any one of them.
    anyio.run(services.aclose)
    del services
    uvicorn.run("mock_interviewer.app:create_app", factory=True, workers=workers, **options)
    return 0


def _history_delete(settings: Settings, args: argparse.Namespace) -> int:
    from .store import Store

    store = Store(settings.database_url)
    try:
        erased = store.delete_browser(args.browser_id)
    finally:
        store.close()
    print(f"browser {args.browser_id}: erased {erased.sessions} sessions, {erased.answers} answers and their grades")
    return 0


def _bank_check(settings: Settings, args: argparse.Namespace) -> int:
    bank = load_bank(settings.knowledge_dir)
    sections = bank.sections()
    print(f"{len(bank)} valid questions in {len(sections)} sections")
    for section in sections:
        r = SECTION_RANGES[section]
        have = len(bank.filter(section))
        print(f"  {section.value:<14} {have:>3} of {len(r)} (numbers {r.start}-{r.stop - 1})")
    missing = bank.missing_numbers()
    print("numbering: complete, no gaps" if not missing else f"missing numbers: {missing}")
    return 0


def _index_build(settings: Settings, args: argparse.Namespace) -> int:
    from .embeddings import Embedder, load_embedder
    from .index import build_index, cache_path
    from .static_embeddings import StaticMiniLM

    bank = load_bank(settings.knowledge_dir)
    embedders: list[Embedder] = [load_embedder(settings.embedder), StaticMiniLM.load(settings.cache_dir)]
    for embedder in embedders:  # search, then grading
        started = time.perf_counter()
        build_index(bank, embedder, settings.cache_dir, force=True)
        print(f"indexed {len(bank)} questions in {time.perf_counter() - started:.1f}s with {embedder.name}")
        print(f"cache: {cache_path(settings.cache_dir, bank, embedder)}")
    return 0


def _search(settings: Settings, args: argparse.Namespace) -> int:
    from .embeddings import load_embedder
    from .index import build_index

    bank = load_bank(settings.knowledge_dir)
    index = build_index(bank, load_embedder(settings.embedder), settings.cache_dir)
    hits = index.search(args.text, max(1, min(args.k, len(bank))))
    rows = []
    for hit in hits:
        q = bank.get(hit.number)
        assert q is not None
        rows.append(
            {
                "number": q.number,
                "title": q.title,
                "section": q.section.value,
                "level": q.level,
                "score": round(hit.score, 4),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(f"{row['score']:.3f}  Q{row['number']:<3} [{row['section']}, {row['level']}] {row['title']}")
    return 0


def _grade(settings: Settings, args: argparse.Namespace) -> int:
    from .services import build_services

    services = build_services(settings)
    try:
        if args.batch:
            return anyio.run(_grade_batch, services, args.batch)
        if args.question is None:
            print("error: --question is required with --answer or --answer-file", file=sys.stderr)
            return 2
        question = services.bank.get(args.question)
        if question is None:
            print(f"error: no question number {args.question}", file=sys.stderr)
            return 2
        answer = args.answer if args.answer is not None else args.answer_file.read_text(encoding="utf-8")
        code = None
        if args.answer_file is not None and args.answer_file.suffix == ".py":
            answer, code = "", answer  # a .py file is the code itself, with no separate explanation
        result = anyio.run(_grade_one, services, question, answer, code)
    finally:
        anyio.run(services.aclose)
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    print(f"Q{question.number}: {question.title}")
    print(f"score {result.score}/10 ({result.band}), grader: {result.grader}")
    for c in result.criteria:
        print(f"  {c.criterion.value:<13} {c.score:>2}  {c.reason}")
    print("covered:", "".join(f"\n  + {p}" for p in result.covered) or " none")
    print("missed:", "".join(f"\n  - {p}" for p in result.missed) or " none")
    for m in result.misconceptions:
        print(f"misconception: {m}")
    if result.tests is not None:
        print(f"hidden tests: {result.tests.passed}/{result.tests.total} passed" + ("" if result.tests.ran else
              " (not run)"))
        for case in result.tests.cases:
            print(f"  {'pass' if case.passed else 'FAIL'}  {case.name}" + (f": {case.message}" if case.message else ""))
    print(f"feedback: {result.feedback}")
    print(f"follow-up: {result.follow_up}")
    return 0


async def _grade_one(services: Services, question: Question, answer: str, code: str | None) -> GradeResult:
    if question.task is not None:  # only a coding answer runs in the sandbox, so only it waits for the check
        services.start_sandbox()
    return await services.grader.grade(question, answer, code)


def _llm_check(settings: Settings, args: argparse.Namespace) -> int:
    """Exit 0 when LLM mode works with these settings; 1 (and what is wrong) when it would not."""
    if not settings.llm_enabled:
        print("LLM mode is off: set OPENAI_BASE_URL (a local server) or OPENAI_API_KEY (OpenAI); grading is offline")
        return 1
    return anyio.run(_llm_check_async, settings)


async def _llm_check_async(settings: Settings) -> int:
    from .llm import LLMClient, probe

    client = LLMClient(settings)
    marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL", "skip": "skip"}
    print(f"LLM check: model '{client.model}' at {client.base_url}", flush=True)
    failure = None
    try:
        async for step in probe(client):
            took = f" ({step.seconds:.2f} s)" if step.seconds is not None else ""
            print(f"  [{marks[step.status]}] {step.name:<17} {step.detail}{took}", flush=True)
            if step.status == "fail" and failure is None:
                failure = step
    finally:
        await client.aclose()
    if failure is not None:
        detail = failure.detail if failure.detail.endswith(("?", ".", "!")) else f"{failure.detail}."
        print(f"LLM mode would not work: {failure.name}: {detail} Until it does, answers are graded offline.")
        return 1
    print(f"LLM mode works: answers will be graded by '{client.model}'.")
    return 0


async def _grade_batch(services: Services, path: Path) -> int:
    failures = 0
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            number, answer = int(item["number"]), str(item["answer"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            print(json.dumps({"line": line_no, "error": 'expected {"number": N, "answer": "..."}'}))
            failures += 1
            continue
        question = services.bank.get(number)
        if question is None:
            print(json.dumps({"line": line_no, "number": number, "error": f"no question number {number}"}))
            failures += 1
            continue
        result = await services.grader.grade(question, answer)
        print(result.model_dump_json())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
