"""Real servers' quirks, mocked with respx: what llama-cpp-python, llama.cpp's llama-server, vLLM, Ollama and reasoning
models do differently from OpenAI, and the plain-worded fallbacks when a server cannot grade at all."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
import respx

from mock_interviewer.bank import Bank
from mock_interviewer.config import Settings
from mock_interviewer.grading.llm import LLMRubricGrader, grade_schema
from mock_interviewer.grading.models import GradeResult
from mock_interviewer.grading.offline import OfflineGrader
from mock_interviewer.grading.service import Grader
from mock_interviewer.index import BankIndex
from mock_interviewer.llm import LLMClient, LLMError, extract_json_object, grammar_friendly, strip_thinking

from .llm_mock import BASE_URL, completion, grade_reply

ENDPOINT = f"{BASE_URL}/chat/completions"
ANSWER = "Dropout zeroes random units while training so they cannot co-adapt."
# What llama-cpp-python 0.3.36 answers to response_format json_schema (checked against the real server).
LLAMA_CPP_REFUSAL = {
    "error": {
        "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
        "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}",
        "type": "internal_server_error",
    }
}


def llm_settings(settings: Settings, **update: Any) -> Settings:
    values: dict[str, Any] = {"openai_base_url": BASE_URL, "llm_max_retries": 0, "llm_timeout_s": 2.0}
    values.update(update)
    return settings.model_copy(update=values)


def make(settings: Settings, fake_index: BankIndex, **update: Any) -> tuple[Grader, LLMClient]:
    s = llm_settings(settings, **update)
    client = LLMClient(s, httpx.AsyncClient())
    return Grader(OfflineGrader(fake_index), LLMRubricGrader(client, s.prompts_dir)), client


def grade(grader: Grader, bank: Bank, number: int = 54, answer: str = ANSWER) -> GradeResult:
    question = bank.get(number)
    assert question is not None
    return anyio.run(grader.grade, question, answer)


def body_of(call: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(call.request.content)
    return data


def sse(chunks: list[dict[str, Any]]) -> httpx.Response:
    text = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return httpx.Response(200, content=text.encode(), headers={"content-type": "text/event-stream"})


def chunk(content: str | None = None, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m"}
    if content is not None:
        base["choices"] = [{"index": 0, "delta": {"content": content}, "finish_reason": None}]
    base.update(extra)
    return base


async def collect(client: LLMClient, **kwargs: Any) -> str:
    pieces = [p async for p in client.stream([{"role": "user", "content": "ask"}], **kwargs)]
    return "".join(pieces)


# -- structured output: the form the server accepts -------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, LLAMA_CPP_REFUSAL),
        (400, {"error": {"message": "response_format type json_schema is not supported"}}),
        (422, {"detail": [{"loc": ["body", "response_format"], "msg": "unsupported json_schema"}]}),
    ],
)
@respx.mock
def test_a_server_refusing_json_schema_gets_json_object_with_the_schema_and_it_is_remembered(
    settings: Settings, fake_index: BankIndex, bank: Bank, status: int, body: dict[str, Any]
) -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["response_format"]["type"] == "json_schema":
            return httpx.Response(status, json=body)
        return completion(grade_reply(6, [1]))

    route = respx.post(ENDPOINT).mock(side_effect=reply)
    grader, client = make(settings, fake_index, llm_max_retries=2)
    result = grade(grader, bank)
    assert result.grader == "llm" and result.fallback_reason is None
    assert route.call_count == 2  # the refusal is not retried
    second = body_of(route.calls[1])["response_format"]
    assert second["type"] == "json_object" and second["schema"]["required"][0] == "score"
    assert client.json_form == "json_object"
    grade(grader, bank, number=2)  # the next grade goes straight to the form that works
    assert route.call_count == 3 and body_of(route.calls[2])["response_format"]["type"] == "json_object"


@respx.mock
def test_a_server_refusing_every_form_is_asked_without_response_format(
    settings: Settings, fake_index: BankIndex, bank: Bank
) -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        if "response_format" in json.loads(request.content):
            return httpx.Response(400, json={"error": {"message": "response_format is not supported"}})
        return completion("Here is my grade:\n" + grade_reply(5, [2]) + "\nGood luck!")

    route = respx.post(ENDPOINT).mock(side_effect=reply)
    grader, client = make(settings, fake_index)
    result = grade(grader, bank)
    assert result.grader == "llm" and route.call_count == 3 and client.json_form == "none"


@respx.mock
def test_an_ordinary_server_error_on_the_first_form_is_retried_not_taken_for_a_refusal(
    settings: Settings, fake_index: BankIndex, bank: Bank
) -> None:
    route = respx.post(ENDPOINT).mock(
        side_effect=[httpx.Response(503, headers={"retry-after-ms": "1"}), completion(grade_reply(7, [1]))]
    )
    grader, client = make(settings, fake_index, llm_max_retries=1)
    assert grade(grader, bank).grader == "llm"
    assert [body_of(c)["response_format"]["type"] for c in route.calls] == ["json_schema", "json_schema"]
    assert client.json_form == "json_schema"


# -- reply clean-up ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrap",
    [
        lambda j: f"<think>\nThe answer covers point 1 {{not json}}. Score 6?\n</think>\n{j}",
        lambda j: f"Okay, the candidate... </think>{j}",  # the template opened the block for the model
        lambda j: f"Here is the grade you asked for:\n```json\n{j}\n```\nLet me know if you need more.",
        lambda j: f"Sure! {j} I hope this helps.",
        lambda j: f"```\n{j}\n```",
    ],
    ids=["think-block", "bare-think-close", "prose-and-json-fence", "inline-prose", "plain-fence"],
)
@respx.mock
def test_thinking_prose_and_fences_around_the_json_need_no_repair(
    settings: Settings, fake_index: BankIndex, bank: Bank, wrap: Any
) -> None:
    route = respx.post(ENDPOINT).mock(return_value=completion(wrap(grade_reply(7, [1, 2]))))
    grader, _ = make(settings, fake_index)
    result = grade(grader, bank)
    assert route.call_count == 1  # no repair round trip
    assert result.grader == "llm" and result.score == 7


def test_extraction_helpers() -> None:
    assert strip_thinking("<think>a</think>\n<think>b</think> hello") == "hello"
    assert strip_thinking("<think>never closed") == ""
    assert extract_json_object('junk {"a": [1, {"b": 2}]} more {"c": 3}') == {"a": [1, {"b": 2}]}
    with pytest.raises(ValueError, match="not valid JSON"):
        extract_json_object("no object here [1, 2]")


# -- the schema states its ranges -------------------------------------------------------------------------


@respx.mock
def test_the_schema_is_built_per_question_with_its_ranges(
    settings: Settings, fake_index: BankIndex, bank: Bank
) -> None:
    route = respx.post(ENDPOINT).mock(return_value=completion(grade_reply(6, [1])))
    grader, _ = make(settings, fake_index)
    for number in (54, 2):
        grade(grader, bank, number=number)
    for call, number in zip(route.calls, (54, 2), strict=True):
        schema = body_of(call)["response_format"]["json_schema"]["schema"]
        n = len(bank.get(number).key_points)  # type: ignore[union-attr]
        assert schema["properties"]["score"] | {"type": "number"} == {"type": "number", "minimum": 0, "maximum": 10}
        assert schema["properties"]["criteria"]["properties"]["depth"]["properties"]["score"]["maximum"] == 10
        items = schema["properties"]["covered_key_points"]["items"]
        assert (items["minimum"], items["maximum"]) == (1, n)
        assert schema["properties"]["covered_key_points"]["maxItems"] == n
    assert grade_schema(3)["properties"]["covered_key_points"]["items"]["maximum"] == 3


def test_grammar_decoders_get_ranges_spelled_out_as_enums_and_capped_strings() -> None:
    friendly = grammar_friendly(grade_schema(4))
    assert friendly["properties"]["covered_key_points"]["items"]["enum"] == [1, 2, 3, 4]
    reason = friendly["properties"]["criteria"]["properties"]["clarity"]["properties"]
    assert reason["score"]["enum"] == list(range(11)) and reason["reason"]["maxLength"] > 0
    assert "enum" not in friendly["properties"]["score"]  # a float range stays a range
    assert friendly["properties"]["misconceptions"]["maxItems"] > 0
    assert "maxLength" not in json.dumps(grade_schema(4))  # OpenAI's strict mode refuses it: grammar form only


@respx.mock
def test_json_object_form_carries_the_grammar_friendly_schema(
    settings: Settings, fake_index: BankIndex, bank: Bank
) -> None:
    route = respx.post(ENDPOINT).mock(return_value=completion(grade_reply(6, [1])))
    grader, client = make(settings, fake_index)
    client.json_form = "json_object"
    grade(grader, bank)
    sent = body_of(route.calls[0])["response_format"]
    assert sent["type"] == "json_object"
    n = len(bank.get(54).key_points)  # type: ignore[union-attr]
    assert sent["schema"]["properties"]["covered_key_points"]["items"]["enum"] == list(range(1, n + 1))


# -- errors that say what is wrong ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            httpx.Response(
                400,
                json={
                    "error": {
                        "message": "This model's maximum context length is 4096 tokens. However, you requested "
                        "5010 tokens (5010 in the messages, None in the completion).",
                        "code": "context_length_exceeded",
                    }
                },
            ),
            "the prompt is longer than the model's context window",
        ),
        (
            httpx.Response(400, json={"error": {"message": "the request exceeds the available context size"}}),
            "the prompt is longer than the model's context window",
        ),
        (
            httpx.Response(404, json={"error": {"message": "model 'gpt-4o-mini' not found, try pulling it first"}}),
            "the server does not know model 'gpt-4o-mini'",
        ),
        (httpx.Response(401, json={"error": {"message": "invalid api key"}}), "refused the API key"),
    ],
    ids=["openai-context", "llama-server-context", "unknown-model", "bad-key"],
)
@respx.mock
def test_errors_fall_back_with_a_plain_reason(
    settings: Settings, fake_index: BankIndex, bank: Bank, response: httpx.Response, reason: str
) -> None:
    route = respx.post(ENDPOINT).mock(return_value=response)
    grader, _ = make(settings, fake_index, llm_max_retries=2)
    result = grade(grader, bank)
    assert result.grader == "offline" and reason in (result.fallback_reason or "")
    assert route.call_count == 1  # nothing to retry or repair


@respx.mock
def test_a_grade_that_outlives_the_total_timeout_falls_back_labelled(
    settings: Settings, fake_index: BankIndex, bank: Bank
) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(5)
        return completion(grade_reply(6))

    respx.post(ENDPOINT).mock(side_effect=slow)
    grader, _ = make(settings, fake_index, llm_timeout_s=30.0, llm_total_timeout_s=0.5)
    result = grade(grader, bank)
    assert result.grader == "offline"
    assert "longer than 0.5 s" in (result.fallback_reason or "")
    assert "MOCK_INTERVIEWER_LLM_TOTAL_TIMEOUT" in (result.fallback_reason or "")


# -- streaming ---------------------------------------------------------------------------------------------


@respx.mock
def test_stream_skips_chunks_without_choices(settings: Settings) -> None:
    usage_only = chunk(choices=[], usage={"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14})
    no_key = chunk()  # no "choices" key at all
    respx.post(ENDPOINT).mock(
        return_value=sse([chunk("What happens "), no_key, chunk("at inference?"), chunk(""), usage_only])
    )
    client = LLMClient(llm_settings(settings), httpx.AsyncClient())
    assert anyio.run(collect, client) == "What happens at inference?"


@respx.mock
def test_stream_drops_a_think_block(settings: Settings) -> None:
    pieces = ["<thi", "nk>The candidate missed", " the scaling.</th", "ink>\n\n", "How does ", "scaling work?"]
    respx.post(ENDPOINT).mock(return_value=sse([chunk(p) for p in pieces]))
    client = LLMClient(llm_settings(settings), httpx.AsyncClient())
    assert anyio.run(collect, client) == "How does scaling work?"


@respx.mock
def test_stream_without_think_keeps_a_leading_angle_bracket(settings: Settings) -> None:
    respx.post(ENDPOINT).mock(return_value=sse([chunk("<"), chunk("b> is bold")]))
    client = LLMClient(llm_settings(settings), httpx.AsyncClient())
    assert anyio.run(collect, client) == "<b> is bold"


@respx.mock
def test_stream_stops_at_max_chars(settings: Settings) -> None:
    route = respx.post(ENDPOINT).mock(return_value=sse([chunk("word ") for _ in range(100)]))
    client = LLMClient(llm_settings(settings), httpx.AsyncClient())
    assert len(anyio.run(lambda: collect(client, max_chars=20))) < 30
    assert route.call_count == 1


@respx.mock
def test_stream_first_token_timeout(settings: Settings) -> None:
    async def silent(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(5)
        return sse([chunk("late")])

    respx.post(ENDPOINT).mock(side_effect=silent)
    client = LLMClient(llm_settings(settings, llm_first_token_timeout_s=0.3), httpx.AsyncClient())
    with pytest.raises(LLMError, match=r"no first token within 0\.3 s"):
        anyio.run(collect, client)


@respx.mock
def test_stream_total_timeout_once_tokens_flow(settings: Settings) -> None:
    async def trickle() -> AsyncIterator[bytes]:
        for _ in range(50):
            yield f"data: {json.dumps(chunk('x'))}\n\n".encode()
            await anyio.sleep(0.1)
        yield b"data: [DONE]\n\n"

    respx.post(ENDPOINT).mock(
        return_value=httpx.Response(200, content=trickle(), headers={"content-type": "text/event-stream"})
    )
    client = LLMClient(
        llm_settings(settings, llm_first_token_timeout_s=1.0, llm_total_timeout_s=0.5), httpx.AsyncClient()
    )
    with pytest.raises(LLMError, match=r"longer than 0\.5 s"):
        anyio.run(collect, client)
