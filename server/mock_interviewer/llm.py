"""The thin edge to any OpenAI-compatible chat server (OpenAI, vLLM, Ollama, llama.cpp server)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import openai
from openai import AsyncOpenAI

from .config import Settings


class LLMError(Exception):
    """The LLM could not give a usable reply (after the client's own retries)."""


@contextmanager
def _as_llm_error() -> Iterator[None]:
    """Turn the client's exceptions (after its own retries) into one LLMError with a readable reason."""
    try:
        yield
    except openai.APITimeoutError as exc:
        raise LLMError("the LLM timed out") from exc
    except openai.APIStatusError as exc:
        raise LLMError(f"the LLM server answered HTTP {exc.status_code}") from exc
    except openai.APIError as exc:
        raise LLMError(f"the LLM request failed: {type(exc).__name__}") from exc


class LLMClient:
    def __init__(self, settings: Settings, http_client: httpx.AsyncClient | None = None) -> None:
        self.model = settings.llm_model
        # An explicit httpx client: respx intercepts it in tests, and its timeout bounds every request.
        self._http = http_client or httpx.AsyncClient(timeout=settings.llm_timeout_s)
        self._client = AsyncOpenAI(
            api_key=settings.openai_api_key or "not-needed-for-local-servers",
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_s,
            # The client retries 429, 5xx, connection errors and timeouts with exponential backoff.
            max_retries=settings.llm_max_retries,
            http_client=self._http,
        )

    async def chat(self, messages: list[dict[str, str]], response_format: dict[str, Any] | None = None) -> str:
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0}
        if response_format is not None:
            kwargs["response_format"] = response_format
        with _as_llm_error():
            completion: Any = await self._client.chat.completions.create(**kwargs)
        if not completion.choices or completion.choices[0].message.content is None:
            raise LLMError("the LLM reply had no content")
        return str(completion.choices[0].message.content)

    async def stream(self, messages: list[dict[str, str]]) -> AsyncIterator[str]:
        """Yield text pieces as the server produces them."""
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0.3, "stream": True}
        with _as_llm_error():
            chunks: Any = await self._client.chat.completions.create(**kwargs)
            async for chunk in chunks:
                if chunk.choices and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content

    async def aclose(self) -> None:
        await self._client.close()
        await self._http.aclose()
