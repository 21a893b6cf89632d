"""The FastAPI app: HTTP routes, the WebSocket endpoint and the page, over the services built at start-up."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
import httpx
from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from .bank import Question, Section
from .coding import sandbox
from .config import Settings
from .embeddings import Embedder
from .grading.models import GradeResult
from .grading.rubric import Rubric
from .interview import InterviewState, Summary, report_filename, summarize, summary_markdown
from .limits import retry_after
from .services import Services, build_services
from .sessions import SessionRunner
from .store import SessionNotFound, StoredSession

log = logging.getLogger(__name__)
MAX_QUERY_CHARS = 500


def create_app(
    settings: Settings | None = None,
    *,
    embedder: Embedder | None = None,
    http_client: httpx.AsyncClient | None = None,
    services: Services | None = None,
) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        built = services or build_services(settings, embedder=embedder, http_client=http_client)
        app.state.services = built
        built.start_llm_probe()  # in the background: /healthz reports it
        built.start_sandbox()  # in the background too; a coding grade waits for it
        yield
        await built.aclose()

    app = FastAPI(title="Mock interviewer", version="0.1.0", lifespan=lifespan)
    _add_routes(app)
    if settings.web_dir.is_dir():
        index_html = settings.web_dir / "index.html"

        @app.get("/", include_in_schema=False)
        async def page() -> FileResponse:
            return FileResponse(index_html, headers={"Cache-Control": "no-cache"})

        app.mount("/static", StaticFiles(directory=settings.web_dir), name="static")
    return app


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


class QuestionSummary(BaseModel):
    number: int
    title: str
    section: Section
    level: str


class SearchResult(QuestionSummary):
    score: float


class GradeRequest(BaseModel):
    number: int
    answer: str  # with `code`, an optional explanation ("" for none)
    code: str | None = Field(None, description="a coding answer's code; or send it as fenced Python in `answer`")
    follow_up: int | None = Field(None, ge=0, description="grade an answer to this follow-up (index in the entry)")


class SessionView(BaseModel):
    session_id: str
    finished: bool
    created_at: float
    updated_at: float
    state: dict[str, Any]
    summary: dict[str, Any]


class HistoryEntry(BaseModel):
    session_id: str
    created_at: float
    finished: bool
    overall: float | None
    answered: int
    sections: list[str]
    section_averages: dict[str, float]  # section -> average over its main questions, for a per-section chart


class Report(BaseModel):
    summary: dict[str, Any]
    markdown: str
    filename: str


def _summary_of(q: Question) -> QuestionSummary:
    return QuestionSummary(number=q.number, title=q.title, section=q.section, level=q.level)


def _summary(stored: StoredSession, services: Services) -> Summary:
    return summarize(InterviewState.model_validate(stored.state), services.bank, stored.created_at)


def _open(services: Services, session_id: str, token: str | None) -> StoredSession:
    if not token:
        raise HTTPException(401, "A session token is required (X-Session-Token header or ?token=).")
    try:
        return services.store.open_session(session_id, token)
    except SessionNotFound as exc:
        raise HTTPException(404, str(exc)) from exc


def _add_routes(app: FastAPI) -> None:
    @app.get("/healthz")
    async def healthz(services: ServicesDep) -> dict[str, Any]:
        return {
            "status": "ok",
            "questions": len(services.bank),
            "grader": services.grader.kind,
            "llm_model": services.settings.llm_model if services.llm else None,
            # unchecked / checking / ok / unreachable / failing, and why; the page's badge shows it.
            "llm_status": services.llm.health.state if services.llm else None,
            "llm_detail": services.llm.health.detail if services.llm else None,
            "llm_response_format": services.llm.json_form if services.llm else None,
            "embedder": services.index.embedder.name,
            "grading_embedder": services.offline.index.embedder.name,
            # whether candidate code can run here (bubblewrap checked at start-up), why not, and how busy it is
            "sandbox": sandbox.health(),
        }

    @app.get("/api/questions")
    async def list_questions(
        services: ServicesDep,
        section: Section | None = None,
        level: Annotated[str | None, Query(pattern="^(junior|mid|senior)$")] = None,
    ) -> list[QuestionSummary]:
        return [_summary_of(q) for q in services.bank.filter(section, level)]

    @app.get("/api/questions/{number}")
    async def get_question(number: int, services: ServicesDep) -> Question:
        question = services.bank.get(number)
        if question is None:
            raise HTTPException(404, f"No question number {number}; the bank has numbers 1-120.")
        return question

    @app.get("/api/search")
    async def search(
        services: ServicesDep,
        q: str = "",
        k: Annotated[int, Query(ge=1, le=50)] = 5,
    ) -> list[SearchResult]:
        query = q.strip()
        if not query:
            raise HTTPException(400, "The query 'q' is empty.")
        if len(query) > MAX_QUERY_CHARS:
            raise HTTPException(400, f"The query is longer than {MAX_QUERY_CHARS} characters.")
        hits = await anyio.to_thread.run_sync(services.index.search, query, k)
        out = []
        for hit in hits:
            question = services.bank.get(hit.number)
            assert question is not None
            out.append(SearchResult(**_summary_of(question).model_dump(), score=round(hit.score, 4)))
        return out

    @app.post("/api/grade")
    async def grade(body: GradeRequest, services: ServicesDep, request: Request) -> GradeResult:
        if services.limits is not None:
            wait = services.limits.grade.acquire(request.client.host if request.client else "unknown")
            if wait:
                seconds = retry_after(wait)
                raise HTTPException(
                    429, f"Too many grading requests; try again in {seconds} s.", headers={"Retry-After": str(seconds)}
                )
        question = services.bank.get(body.number)
        if question is None:
            raise HTTPException(404, f"No question number {body.number}; the bank has numbers 1-120.")
        limit = services.settings.max_answer_chars
        if len(body.answer) > limit:
            raise HTTPException(413, f"Answers are limited to {limit} characters; this one has {len(body.answer)}.")
        if body.code is not None and len(body.code) > limit:
            raise HTTPException(413, f"Code is limited to {limit} characters; this code has {len(body.code)}.")
        if body.follow_up is None:
            return await services.grader.grade(question, body.answer, body.code)
        if body.follow_up >= len(question.follow_ups):
            count = len(question.follow_ups)
            raise HTTPException(404, f"Question {question.number} has {count} follow-ups, numbered 0-{count - 1}.")
        return await services.grader.grade(Rubric.for_follow_up(question, body.follow_up), body.answer)

    @app.get("/api/sessions/{session_id}")
    async def get_session(
        session_id: str,
        services: ServicesDep,
        token: str | None = None,
        x_session_token: Annotated[str | None, Header()] = None,
    ) -> SessionView:
        stored = await anyio.to_thread.run_sync(_open, services, session_id, x_session_token or token)
        return SessionView(
            session_id=stored.id,
            finished=stored.finished,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
            state=stored.state,
            summary=_summary(stored, services).model_dump(mode="json"),
        )

    @app.get("/api/sessions/{session_id}/report.md", response_class=PlainTextResponse)
    async def report(
        session_id: str,
        services: ServicesDep,
        token: str | None = None,
        x_session_token: Annotated[str | None, Header()] = None,
    ) -> PlainTextResponse:
        stored = await anyio.to_thread.run_sync(_open, services, session_id, x_session_token or token)
        summary = _summary(stored, services)
        return PlainTextResponse(
            summary_markdown(summary),
            media_type="text/markdown; charset=utf-8",
            # The name is built from a date and a section slug only, so it needs no quoting beyond this.
            headers={"Content-Disposition": f'attachment; filename="{report_filename(summary)}"'},
        )

    @app.get("/api/history/{browser_id}")
    async def history(browser_id: Annotated[str, Path(max_length=100)], services: ServicesDep) -> list[HistoryEntry]:
        out = []
        for stored in await anyio.to_thread.run_sync(services.store.sessions_of, browser_id):
            summary = _summary(stored, services)
            out.append(
                HistoryEntry(
                    session_id=stored.id,
                    created_at=stored.created_at,
                    finished=stored.finished,
                    overall=summary.overall,
                    answered=sum(q.kind == "main" for q in summary.questions),
                    sections=[s.section.value for s in summary.sections],
                    section_averages={s.section.value: s.average for s in summary.sections},
                )
            )
        return out

    @app.get("/api/history/{browser_id}/{session_id}")
    async def history_report(
        browser_id: Annotated[str, Path(max_length=100)],
        session_id: Annotated[str, Path(max_length=100)],
        services: ServicesDep,
    ) -> Report:
        """One of this browser's sessions as its report, finished or not (then it covers what was answered)."""
        try:
            stored = await anyio.to_thread.run_sync(services.store.session_of, browser_id, session_id)
        except SessionNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        summary = _summary(stored, services)
        return Report(
            summary=summary.model_dump(mode="json"),
            markdown=summary_markdown(summary),
            filename=report_filename(summary),
        )

    @app.websocket("/ws")
    async def interview_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        services: Services = websocket.app.state.services

        async def send(message: BaseModel) -> None:
            await websocket.send_text(message.model_dump_json())

        runner = SessionRunner(services, send, websocket.client.host if websocket.client else None)
        try:
            while True:
                frame = await websocket.receive()
                if frame["type"] == "websocket.disconnect":
                    break
                text, data = frame.get("text"), frame.get("bytes")
                await runner.handle(text if text is not None else data or b"")
        except WebSocketDisconnect:
            pass
