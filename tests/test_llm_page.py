"""The page in LLM mode (headless Chromium): the badge says when the LLM is unreachable, and a slow grade shows
"Grading with <model>… Ns" instead of a frozen screen. The LLM is a small fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from playwright.sync_api import Browser, Page, expect

from mock_interviewer.app import create_app
from mock_interviewer.config import Settings

from .fakes import FakeEmbedder
from .llm_mock import grade_reply
from .server import free_port

pytestmark = pytest.mark.e2e
GRADE_SECONDS = 3.5


def fake_llm() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": "fake-grader", "object": "model"}]}

    @app.post("/v1/chat/completions", response_model=None)
    async def chat(request: Request) -> JSONResponse | StreamingResponse:
        body = await request.json()
        if body.get("stream"):

            async def pieces() -> AsyncIterator[bytes]:
                for piece in ("And what happens ", "at inference time?"):
                    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "fake-grader",
                             "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    yield f"data: {json.dumps(chunk)}\n\n".encode()
                yield b"data: [DONE]\n\n"

            return StreamingResponse(pieces(), media_type="text/event-stream")
        schema = body.get("response_format", {}).get("json_schema", {})
        if schema.get("name") == "probe":
            content = '{"answer": 5}'
        else:
            await asyncio.sleep(GRADE_SECONDS)  # a local model on a CPU
            content = grade_reply(6, [1])
        return JSONResponse(
            {
                "id": "x", "object": "chat.completion", "created": 0, "model": "fake-grader",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            }
        )  # fmt: skip

    return app


class Background:
    """A uvicorn server on a loopback port, in a thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def open_page(browser: Browser, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    page.goto(url)
    expect(page.locator("#conn")).to_have_text("connected")
    return page


def test_a_slow_llm_grade_shows_the_model_and_the_seconds(
    browser: Browser, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    with Background(fake_llm()) as llm_url:
        llm = settings.model_copy(update={"openai_base_url": f"{llm_url}/v1", "llm_model": "fake-grader"})
        with Background(create_app(llm, embedder=fake_embedder)) as url:
            page = open_page(browser, url)
            expect(page.locator("#grader-badge")).to_have_text("LLM grader · fake-grader", timeout=10_000)
            page.select_option("select[name=section]", "deep_learning")
            page.fill("input[name=count]", "1")
            page.click("#start-button")
            expect(page.locator(".bubble.interviewer").first).to_be_visible()
            page.fill("#answer-box", "Dropout zeroes random units while training.")
            page.locator("#answer-box").press("Control+Enter")
            expect(page.locator("#grading-text")).to_have_text("Grading with fake-grader…")
            expect(page.locator("#grading-elapsed")).to_have_text(" 2s", timeout=4_000)
            expect(page.locator(".feedback .grader")).to_have_text("LLM rubric", timeout=10_000)
            expect(page.locator("#grading-elapsed")).to_have_text("")
            page.context.close()


def test_an_unreachable_llm_is_on_the_badge_before_the_first_answer(
    browser: Browser, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    closed = free_port()  # nothing listens here
    llm = settings.model_copy(update={"openai_base_url": f"http://127.0.0.1:{closed}/v1"})
    with Background(create_app(llm, embedder=fake_embedder)) as url:
        page = open_page(browser, url)
        badge = page.locator("#grader-badge")
        expect(badge).to_have_text("LLM unreachable, grading offline", timeout=10_000)
        expect(badge).to_have_attribute("title", re.compile("connection refused"))
        page.context.close()
