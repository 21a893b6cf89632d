"""The mock-interviewer command: serve, bank check, index build, search, grade."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from .bank import SECTION_RANGES, BankError, load_bank
from .config import Settings

if TYPE_CHECKING:
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
    serve.set_defaults(run=_serve)

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
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app
    from .services import build_services

    started = time.perf_counter()
    services = build_services(settings)  # a bad bank stops here, before the port opens
    host, port = args.host or settings.host, args.port or settings.port
    grader = f"LLM grader ({settings.llm_model})" if services.llm else "offline grader"
    print(
        f"mock-interviewer: {len(services.bank)} questions, {grader}, search model {services.index.embedder.name};"
        f" ready in {time.perf_counter() - started:.1f}s at http://{host}:{port}",
        file=sys.stderr,
        flush=True,
    )
    app = create_app(settings, services=services)
    verbose = logging.getLogger().isEnabledFor(logging.INFO)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info" if verbose else "warning",
        access_log=verbose,
        # Frames past this are refused by the server itself (the page reconnects and resumes); smaller
        # oversized frames get an error message from the session.
        ws_max_size=4 * settings.max_message_bytes,
    )
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
        result = anyio.run(services.grader.grade, question, answer)
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
    print(f"feedback: {result.feedback}")
    print(f"follow-up: {result.follow_up}")
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
