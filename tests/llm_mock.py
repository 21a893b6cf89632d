"""Replies in the shape of the chat-completions API, for respx."""

from __future__ import annotations

import json
from typing import Any

import httpx

BASE_URL = "http://llm.test/v1"


def completion(content: str) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "test-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        },
    )


def stream(pieces: list[str]) -> httpx.Response:
    lines = []
    for piece in pieces:
        chunk = {
            "id": "chatcmpl-2",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "test-model",
            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
        }
        lines.append(f"data: {json.dumps(chunk)}\n\n")
    lines.append("data: [DONE]\n\n")
    return httpx.Response(200, content="".join(lines).encode(), headers={"content-type": "text/event-stream"})


def grade_reply(score: float = 6.0, covered: list[int] | None = None, **overrides: Any) -> str:
    reply: dict[str, Any] = {
        "score": score,
        "criteria": {
            c: {"score": int(score), "reason": f"{c} reason"}
            for c in ("correctness", "completeness", "depth", "clarity")
        },
        "covered_key_points": covered if covered is not None else [1, 2],
        "misconceptions": [],
        "feedback": "You explained the core idea but skipped the trade-offs.",
        "follow_up": "What changes when the data is imbalanced?",
    }
    reply.update(overrides)
    return json.dumps(reply)
