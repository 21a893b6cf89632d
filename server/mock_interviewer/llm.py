"""The thin edge to any OpenAI-compatible chat server (OpenAI, vLLM, Ollama, llama.cpp's servers).

Real servers differ, and this module absorbs the differences so the graders never see them:
- structured output: `response_format` `json_schema` first; a server that refuses it (llama-cpp-python answers
  HTTP 500 "Input should be 'text' or 'json_object'") gets `{"type": "json_object", "schema": ...}`, then no
  `response_format` at all; the form that worked is remembered for the life of the client (one per process);
- reasoning models' `<think>...</think>` blocks are dropped, and a JSON object is taken out of prose or fences;
- stream chunks without `choices` (llama.cpp's `llama-server` ends with a usage-only chunk) are skipped;
- streams have a first-token and a total time-out, so a slow local model is waited for but a dead one is not;
- errors come out as one `LLMError` whose message says plainly what went wrong (context window, unknown model).

`probe()` is the `mock-interviewer llm check` walk-through, also run once in the background at start-up.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import anyio
import httpx
import openai
from openai import AsyncOpenAI

from .config import Settings

T = TypeVar("T")
JsonForm = Literal["json_schema", "json_object", "none"]
# Tried in this order until one is accepted; the first that works is kept.
JSON_FORMS: tuple[JsonForm, ...] = ("json_schema", "json_object", "none")
FORM_LABELS: dict[JsonForm, str] = {
    "json_schema": "json_schema",
    "json_object": "json_object + schema",
    "none": "no response_format (prompt only)",
}
HealthState = Literal["unchecked", "checking", "ok", "unreachable", "failing"]


class LLMError(Exception):
    """The LLM could not give a usable reply (after the client's own retries)."""


class FormatRefused(LLMError):
    """The server rejected the `response_format` form (not the request as a whole)."""


@dataclass
class LLMHealth:
    """What the start-up probe and later traffic say about the server; shown by /healthz and the page's badge."""

    state: HealthState = "unchecked"
    detail: str = ""
    checked_at: float = 0.0

    def set(self, state: HealthState, detail: str = "") -> None:
        self.state, self.detail, self.checked_at = state, detail, time.time()


@dataclass
class LLMUsage:
    """Running totals, for the benchmark's latency and tokens per grade."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, usage: Any) -> None:
        self.requests += 1
        if usage is not None:
            self.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)


# -- reply clean-up -------------------------------------------------------------------------------------------

_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


def strip_thinking(text: str) -> str:
    """Drop `<think>...</think>` blocks (an unclosed one runs to the end); also a bare leading `...</think>`,
    which some servers send when the chat template opened the block for the model."""
    text = _THINK.sub("", text)
    if "</think>" in text.lower():
        text = text[text.lower().rindex("</think>") + len("</think>") :]
    return text.strip()


def extract_json_object(text: str) -> Any:
    """The first JSON object in a reply: the whole reply, a ```json fence, or the first `{...}` that parses.

    Raises ValueError (worded for the repair prompt) when there is none."""
    text = strip_thinking(text)
    candidates = [text, *(m.group(1).strip() for m in _FENCE.finditer(text))]
    first_error: json.JSONDecodeError | None = None
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError as exc:
            first_error = first_error or exc
            continue
        if isinstance(value, dict):
            return value
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    reason = first_error.msg if first_error else "no JSON object found"
    raise ValueError(f"it was not valid JSON ({reason})")


class _ThinkFilter:
    """Streaming version of strip_thinking for a reply that opens with `<think>`."""

    def __init__(self) -> None:
        self.mode: Literal["start", "think", "pass"] = "start"
        self.buffer = ""

    def feed(self, piece: str) -> str:
        if self.mode == "pass":
            return piece
        self.buffer += piece
        if self.mode == "start":
            head = self.buffer.lstrip()
            if head.lower().startswith("<think>"):
                self.mode = "think"
            elif "<think>".startswith(head.lower()):
                return ""  # still could become a think tag
            else:
                self.mode, out, self.buffer = "pass", self.buffer, ""
                return out
        end = self.buffer.lower().find("</think>")
        if end < 0:
            return ""
        rest = self.buffer[end + len("</think>") :].lstrip()
        self.mode, self.buffer = "pass", ""
        return rest

    def flush(self) -> str:
        out = self.buffer if self.mode == "start" else ""
        self.buffer = ""
        return out


# -- errors -------------------------------------------------------------------------------------------------

_CONTEXT = re.compile(r"context|maximum.{0,20}length|too many tokens|too long|exceed", re.IGNORECASE)
_FORMAT = re.compile(r"response_format|json_schema|json_object|structured output|guided", re.IGNORECASE)


def _error_text(exc: openai.APIStatusError) -> str:
    try:
        body = exc.response.text
    except Exception:  # a streamed response may not have been read
        body = ""
    return f"{exc.message} {body}"


def _is_format_refusal(exc: openai.APIStatusError) -> bool:
    return exc.status_code in (400, 422, 500) and bool(_FORMAT.search(_error_text(exc)))


def _retryable(exc: BaseException | None) -> bool:
    """What the client itself would retry: time-outs, connection errors, 408/409/429 and 5xx."""
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError)  # includes APITimeoutError


def _backoff_s(exc: BaseException | None) -> float:
    """The server's retry-after if it gave one (capped), else the client's first back-off."""
    response = getattr(exc, "response", None)
    headers = response.headers if isinstance(response, httpx.Response) else {}
    try:
        if "retry-after-ms" in headers:
            return min(float(headers["retry-after-ms"]) / 1000, 10.0)
        if "retry-after" in headers:
            return min(float(headers["retry-after"]), 10.0)
    except ValueError:
        pass
    return 0.5


async def _within(awaitable: Awaitable[T], seconds: float, message: str) -> T:
    """Await with a deadline; past it raise LLMError(message)."""
    with anyio.move_on_after(max(seconds, 0.0)):
        return await awaitable
    raise LLMError(message)


class LLMClient:
    def __init__(self, settings: Settings, http_client: httpx.AsyncClient | None = None) -> None:
        self.model = settings.llm_model
        self.base_url = (settings.openai_base_url or "https://api.openai.com/v1").rstrip("/")
        self.api_key = settings.openai_api_key or "not-needed-for-local-servers"
        self.timeout_s = settings.llm_timeout_s
        self.first_token_timeout_s = settings.llm_first_token_timeout_s
        self.total_timeout_s = settings.llm_total_timeout_s
        self.max_tokens = settings.llm_max_tokens
        # The response_format form this server accepts, once known; the probe or the first grade finds it.
        self.json_form: JsonForm | None = None
        self.health = LLMHealth()
        self.usage = LLMUsage()
        # An explicit httpx client: respx intercepts it in tests, and its timeout bounds every request.
        self._http = http_client or httpx.AsyncClient(timeout=settings.llm_timeout_s)
        self._client = AsyncOpenAI(
            api_key=self.api_key,
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_s,
            # The client retries 429, 5xx, connection errors and timeouts with exponential backoff.
            max_retries=settings.llm_max_retries,
            http_client=self._http,
        )

    # -- errors ----------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _as_llm_error(self) -> Iterator[None]:
        """Turn the client's exceptions (after its own retries) into one LLMError with a readable reason."""
        try:
            yield
        except openai.APITimeoutError as exc:  # slow, not down: the badge keeps what it said
            raise LLMError("the LLM timed out") from exc
        except openai.APIStatusError as exc:
            raise LLMError(self._status_reason(exc)) from exc
        except openai.APIConnectionError as exc:
            reason = f"cannot reach the LLM server at {self.base_url}"
            self.health.set("unreachable", reason)
            raise LLMError(reason) from exc
        except openai.APIError as exc:
            raise LLMError(f"the LLM request failed: {type(exc).__name__}") from exc

    def _status_reason(self, exc: openai.APIStatusError) -> str:
        code, text = exc.status_code, _error_text(exc)
        if code == 404:
            return f"the server does not know model '{self.model}' (HTTP 404; check MOCK_INTERVIEWER_MODEL)"
        if code in (400, 413) and _CONTEXT.search(text):
            return f"the prompt is longer than the model's context window (HTTP {code})"
        if code in (401, 403):
            return f"the LLM server refused the API key (HTTP {code}; check OPENAI_API_KEY)"
        return f"the LLM server answered HTTP {code}"

    def _ok(self) -> None:
        if self.health.state != "ok":
            self.health.set("ok")

    # -- requests --------------------------------------------------------------------------------------------

    async def chat(
        self,
        messages: list[dict[str, str]],
        response_format: dict[str, Any] | None = None,
        *,
        max_retries: int | None = None,
    ) -> str:
        """One reply, with any `<think>` block removed."""
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0}
        if self.max_tokens:
            kwargs["max_tokens"] = self.max_tokens
        if response_format is not None:
            kwargs["response_format"] = response_format
        client = self._client if max_retries is None else self._client.with_options(max_retries=max_retries)
        with self._as_llm_error():
            try:
                completion: Any = await client.chat.completions.create(**kwargs)
            except openai.APIStatusError as exc:
                if response_format is not None and _is_format_refusal(exc):
                    raise FormatRefused(f"{response_format['type']}: HTTP {exc.status_code}") from exc
                raise
        self._ok()
        self.usage.add(getattr(completion, "usage", None))
        choices = getattr(completion, "choices", None)
        if not choices or choices[0].message.content is None:
            raise LLMError("the LLM reply had no content")
        return strip_thinking(str(choices[0].message.content))

    async def chat_json(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str = "reply") -> str:
        """A reply constrained to `schema` in whichever form the server accepts (remembered once found).

        Returns the raw text; callers take the object out with extract_json_object and validate it."""
        if self.json_form is not None:
            return await self.chat(messages, _response_format(self.json_form, schema, name))
        refusals: list[str] = []
        for form in JSON_FORMS:
            try:
                # An unknown form is tried once without retries: a refusal should not cost the backoff.
                content = await self.chat(
                    messages, _response_format(form, schema, name), max_retries=0 if form != "none" else None
                )
            except FormatRefused as exc:
                refusals.append(str(exc))
                continue
            except LLMError as exc:
                retries = self._client.max_retries
                if form != "json_schema" or not retries or not _retryable(exc.__cause__):
                    raise
                # An ordinary failure, not a refusal: the retries left, as the client would have made them.
                await anyio.sleep(_backoff_s(exc.__cause__))
                content = await self.chat(messages, _response_format(form, schema, name), max_retries=retries - 1)
            self.json_form = form
            return content
        raise LLMError(f"the server refused every structured-output form ({'; '.join(refusals)})")

    async def stream(self, messages: list[dict[str, str]], *, max_chars: int | None = None) -> AsyncIterator[str]:
        """Yield text pieces as the server produces them, within the first-token and total time-outs; stop (and
        close the request) once `max_chars` of visible text have come, as a rambling model never ends."""
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0.3,
            "stream": True,
            # httpx's read time-out is the longest silence allowed; the longest is before the first token.
            "timeout": httpx.Timeout(max(self.first_token_timeout_s, self.timeout_s), connect=self.timeout_s),
        }
        if self.max_tokens:
            kwargs["max_tokens"] = self.max_tokens
        started = time.monotonic()
        first_deadline = started + self.first_token_timeout_s
        total_deadline = started + self.total_timeout_s
        no_first = f"no first token within {self.first_token_timeout_s:g} s (MOCK_INTERVIEWER_LLM_FIRST_TOKEN_TIMEOUT)"
        too_long = f"the reply took longer than {self.total_timeout_s:g} s (MOCK_INTERVIEWER_LLM_TOTAL_TIMEOUT)"
        think = _ThinkFilter()
        shown = 0
        with self._as_llm_error():
            chunks: Any = await _within(
                self._client.chat.completions.create(**kwargs), first_deadline - time.monotonic(), no_first
            )
            try:
                iterator = chunks.__aiter__()
                got_first = False
                while True:
                    deadline = total_deadline if got_first else min(first_deadline, total_deadline)
                    try:
                        chunk = await _within(
                            anext(iterator), deadline - time.monotonic(), too_long if got_first else no_first
                        )
                    except StopAsyncIteration:
                        break
                    got_first = True
                    choices = getattr(chunk, "choices", None)
                    if not choices:  # llama-server's closing usage chunk, keep-alives
                        continue
                    delta = getattr(choices[0], "delta", None)
                    piece = getattr(delta, "content", None) if delta is not None else None
                    if piece:
                        out = think.feed(piece)
                        if out:
                            shown += len(out)
                            yield out
                        if max_chars is not None and shown >= max_chars:
                            break
            finally:
                await chunks.close()
        self._ok()
        rest = think.flush()
        if rest:
            yield rest

    async def list_models(self) -> tuple[int, list[str]]:
        """GET /models: (HTTP status, model ids). Raises httpx errors for an unreachable server."""
        response = await self._http.get(
            f"{self.base_url}/models",
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=httpx.Timeout(min(self.timeout_s, 10.0)),
        )
        ids: list[str] = []
        if response.status_code == 200:
            try:
                data = response.json().get("data", [])
                ids = [str(m.get("id")) for m in data if isinstance(m, dict)]
            except (ValueError, AttributeError):
                ids = []
        return response.status_code, ids

    async def aclose(self) -> None:
        # A caller that ran requests under one event loop and closes under another (the CLI's `grade` does) leaves
        # pooled connections bound to a loop that is gone: they cannot be closed gracefully, and need not be.
        with contextlib.suppress(RuntimeError):
            await self._client.close()
        with contextlib.suppress(RuntimeError):
            await self._http.aclose()


def _response_format(form: JsonForm, schema: dict[str, Any], name: str) -> dict[str, Any] | None:
    if form == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
    if form == "json_object":
        # llama-cpp-python turns the schema into a grammar, which ignores minimum/maximum: spell ranges out.
        return {"type": "json_object", "schema": grammar_friendly(schema)}
    return None


GRAMMAR_MAX_STRING = 400  # characters per string, for grammar decoders only (OpenAI's strict mode refuses maxLength)
GRAMMAR_MAX_ITEMS = 5


def grammar_friendly(schema: Any) -> Any:
    """A copy of `schema` for grammar-based decoders (llama-cpp-python's json_object + schema), which ignore
    integer ranges and let a small model run on inside a string: a small integer range becomes an `enum` as well,
    and strings and arrays get a length cap unless they have one."""
    if isinstance(schema, list):
        return [grammar_friendly(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: grammar_friendly(value) for key, value in schema.items()}
    low, high = out.get("minimum"), out.get("maximum")
    if out.get("type") == "integer" and isinstance(low, int) and isinstance(high, int) and 0 <= high - low <= 100:
        out["enum"] = list(range(low, high + 1))
    if out.get("type") == "string" and "enum" not in out:
        out.setdefault("maxLength", GRAMMAR_MAX_STRING)
    if out.get("type") == "array":
        out.setdefault("maxItems", GRAMMAR_MAX_ITEMS)
    return out


# -- the probe ----------------------------------------------------------------------------------------------

ProbeStatus = Literal["ok", "warn", "fail", "skip"]
PROBE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "integer", "minimum": 0, "maximum": 100}},
    "required": ["answer"],
    "additionalProperties": False,
}


@dataclass
class ProbeStep:
    name: str
    status: ProbeStatus
    detail: str
    seconds: float | None = None


@dataclass
class ProbeResult:
    steps: list[ProbeStep] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(s.status == "fail" for s in self.steps)

    @property
    def failure(self) -> ProbeStep | None:
        return next((s for s in self.steps if s.status == "fail"), None)


async def probe(client: LLMClient) -> AsyncIterator[ProbeStep]:
    """Walk the server through what LLM mode needs, one step at a time; a failed step skips the rest."""
    names = ("reachable", "model listed", "structured output", "streamed reply", "latency")

    def skip_rest(after: str) -> Iterator[ProbeStep]:
        for name in names[names.index(after) + 1 :]:
            yield ProbeStep(name, "skip", "not tried")

    started = time.perf_counter()
    try:
        status, ids = await client.list_models()
    except httpx.TimeoutException:
        yield ProbeStep("reachable", "fail", f"no answer from {client.base_url} within {min(client.timeout_s, 10):g} s")
        for step in skip_rest("reachable"):
            yield step
        return
    except Exception as exc:  # refused, DNS, bad URL
        what = "connection refused" if isinstance(exc, httpx.ConnectError) else type(exc).__name__
        yield ProbeStep("reachable", "fail", f"cannot connect to {client.base_url} ({what}): is the server running?")
        for step in skip_rest("reachable"):
            yield step
        return
    elapsed = time.perf_counter() - started
    if status in (401, 403):
        yield ProbeStep("reachable", "fail", f"{client.base_url} refused the API key (HTTP {status}; OPENAI_API_KEY)")
        for step in skip_rest("reachable"):
            yield step
        return
    yield ProbeStep("reachable", "ok", f"{client.base_url} answered HTTP {status}", elapsed)

    if client.model in ids:
        yield ProbeStep("model listed", "ok", f"'{client.model}' is served")
    elif ids:
        shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
        yield ProbeStep(
            "model listed",
            "warn",
            f"'{client.model}' is not in the server's list ({shown}); a one-model server may answer anyway."
            " Set MOCK_INTERVIEWER_MODEL to a listed id",
        )
    else:
        yield ProbeStep("model listed", "warn", f"no model list at {client.base_url}/models (HTTP {status})")

    messages = [
        {"role": "system", "content": "You reply with JSON only."},
        {"role": "user", "content": 'What is 2 + 3? Reply as {"answer": <integer>}.'},
    ]
    started = time.perf_counter()
    try:
        content = await client.chat_json(messages, PROBE_SCHEMA, "probe")
        reply = extract_json_object(content)
        if not isinstance(reply.get("answer"), int):
            raise ValueError(f"the reply has no integer 'answer': {content[:80]!r}")
    except (LLMError, ValueError) as exc:
        yield ProbeStep("structured output", "fail", str(exc), time.perf_counter() - started)
        for step in skip_rest("structured output"):
            yield step
        return
    structured_s = time.perf_counter() - started
    form = client.json_form or "json_schema"
    note = "" if form == "json_schema" else " (the server refused json_schema)"
    yield ProbeStep(
        "structured output", "ok", f"valid JSON with response_format {FORM_LABELS[form]}{note}", structured_s
    )

    started = time.perf_counter()
    first: float | None = None
    pieces: list[str] = []
    try:
        hello = [{"role": "user", "content": "Say hello to a candidate in one sentence."}]
        async for piece in client.stream(hello, max_chars=200):
            first = first if first is not None else time.perf_counter() - started
            pieces.append(piece)
    except LLMError as exc:
        yield ProbeStep("streamed reply", "fail", str(exc), time.perf_counter() - started)
        for step in skip_rest("streamed reply"):
            yield step
        return
    stream_s = time.perf_counter() - started
    if not "".join(pieces).strip():
        yield ProbeStep("streamed reply", "fail", "the stream ended without any text", stream_s)
        for step in skip_rest("streamed reply"):
            yield step
        return
    yield ProbeStep("streamed reply", "ok", f"{len(pieces)} pieces, first after {first or 0:.2f} s", stream_s)

    rate = len(pieces) / max(stream_s - (first or 0), 1e-3)
    detail = (
        f"structured reply {structured_s:.1f} s, first token {first or 0:.2f} s, about {rate:.0f} pieces/s;"
        f" time-outs: request {client.timeout_s:g} s, first token {client.first_token_timeout_s:g} s,"
        f" total {client.total_timeout_s:g} s"
    )
    slow = structured_s > client.timeout_s / 2 or (first or 0) > client.first_token_timeout_s / 2
    yield ProbeStep(
        "latency", "warn" if slow else "ok", detail + (": close to a time-out, raise them" if slow else "")
    )


async def run_probe(client: LLMClient) -> ProbeResult:
    """The whole probe; records the outcome in `client.health`."""
    client.health.set("checking")
    result = ProbeResult()
    async for step in probe(client):
        result.steps.append(step)
    failure = result.failure
    if failure is None:
        client.health.set("ok", "")
    elif failure.name == "reachable":
        client.health.set("unreachable", failure.detail)
    else:
        client.health.set("failing", f"{failure.name}: {failure.detail}")
    return result
