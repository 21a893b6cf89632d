"""Grading coding answers: the hidden tests decide correctness, in the service's own sandbox, through the API."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mock_interviewer.app import create_app
from mock_interviewer.bank import Bank, Question, load_bank
from mock_interviewer.coding import sandbox
from mock_interviewer.coding.grading import NOT_RUN, CodingGrader, extract_code
from mock_interviewer.coding.runner import Executor, LocalExecutor, run_code
from mock_interviewer.config import PROJECT_ROOT, Settings
from mock_interviewer.grading.offline import OfflineGrader
from mock_interviewer.index import build_index
from mock_interviewer.sessions import SessionRunner

from .fakes import FakeEmbedder
from .wsutil import receive_until, start

CODING = [q for q in load_bank(PROJECT_ROOT / "knowledge") if q.task is not None and q.reference_solution]
BUGGY = sorted((Path(__file__).parent / "buggy_solutions").glob("q*.py"))


def _with_task(path: Path) -> bool:
    return any(q.number == int(path.name[1:4]) for q in CODING)


def break_returns(code: str, entry: list[str]) -> str:
    """The same code with every `return X` in the entry functions (and the entry classes' methods) made
    `return None`: it still loads and runs, but gives nothing back."""
    tree = ast.parse(code)

    class Breaker(ast.NodeTransformer):
        def visit_Return(self, node: ast.Return) -> ast.Return:
            return ast.Return(value=ast.Constant(None)) if node.value is not None else node

    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in entry:
            Breaker().visit(node)
    return ast.unparse(ast.fix_missing_locations(tree))


@pytest.fixture(scope="module")
def coding_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = tmp_path_factory.mktemp("coding")
    return Settings(
        MOCK_INTERVIEWER_CACHE_DIR=base / "cache",
        DATABASE_URL=f"sqlite:///{base / 'test.db'}",
        # A path every uid can traverse (pytest's tmp directories are 0700), shared with the other runs.
        MOCK_INTERVIEWER_SANDBOX_DIR=PROJECT_ROOT / ".cache" / "sandbox",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="module")
def coding_client(coding_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(coding_settings, embedder=FakeEmbedder())) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def executor(coding_settings: Settings) -> Executor:
    """The executor the app uses (the sandbox); the unsandboxed one only where the sandbox cannot run, and only
    for trusted code (the reference solutions and their broken copies)."""
    found, _status = anyio.run(sandbox.start, coding_settings)
    return found or LocalExecutor()


def test_the_app_runs_code_in_the_sandbox(coding_client: TestClient) -> None:
    """Where bubblewrap works, the app's coding grader holds the sandbox, never the unsafe local executor."""
    coding = coding_client.app.state.services.grader.coding  # type: ignore[attr-defined]
    portal = coding_client.portal
    assert portal is not None
    portal.call(coding.ready)  # the start-up check, run to its end in the app's event loop
    if coding.executor is None:
        pytest.skip(f"no sandbox here: {coding.unavailable}")
    assert not isinstance(coding.executor, LocalExecutor)


@pytest.mark.parametrize("question", CODING, ids=lambda q: str(q.number))
def test_reference_solution_as_a_code_only_answer_scores_at_least_7(
    coding_client: TestClient, question: Question
) -> None:
    body = coding_client.post("/api/grade", json={"number": question.number, "answer": question.reference_solution})
    assert body.status_code == 200, body.text
    grade = body.json()
    tests = grade["tests"]
    failing = [c for c in tests["cases"] if not c["passed"]]
    assert tests["ran"], grade["feedback"]
    assert tests["total"] > 0 and tests["passed"] == tests["total"], failing
    assert grade["score"] >= 7 and grade["band"] != "none"
    assert f"All {tests['total']} hidden tests passed" in grade["feedback"]
    assert "No explanation given" in grade["feedback"]


@pytest.mark.parametrize("question", CODING, ids=lambda q: str(q.number))
def test_reference_with_broken_returns_fails_and_scores_at_most_4(
    coding_client: TestClient, question: Question
) -> None:
    assert question.task is not None and question.reference_solution is not None
    broken = break_returns(question.reference_solution, list(question.task.entry))
    body = coding_client.post("/api/grade", json={"number": question.number, "answer": "", "code": broken})
    grade = body.json()
    tests = grade["tests"]
    assert tests["ran"] and tests["passed"] < tests["total"]
    assert grade["score"] <= 4, (grade["score"], tests["passed"], tests["total"])
    assert f"of {tests['total']} hidden tests" in grade["feedback"] or "failed every" in grade["feedback"]
    first_failing = next(c for c in tests["cases"] if not c["passed"])
    assert first_failing["name"] in grade["feedback"]  # each failing case is named, with its message


# Buggy versions written (blind to the tests) in a function the task's contract does not ask for: no hidden
# test can see them, so they are left out rather than counted as caught.
OUTSIDE_CONTRACT = {
    "q112_bucket_skips_count_one": "the bucket-sort variant; the contract is top_k_frequent",
    "q114_weighted_wrong_exponent": "weighted_reservoir_sample; the contract is reservoir_sample",
    "q120_adamw_as_l2": "the Adam class's decoupled weight decay; the contract is adam_step",
}
IN_CONTRACT = [p for p in BUGGY if _with_task(p) and p.stem not in OUTSIDE_CONTRACT]


@pytest.mark.parametrize("path", IN_CONTRACT, ids=lambda p: p.stem)
def test_every_buggy_solution_fails_a_hidden_test(executor: Executor, path: Path) -> None:
    question = next(q for q in CODING if q.number == int(path.name[1:4]))
    report = anyio.run(run_code, executor, question, path.read_text(encoding="utf-8"), "tests")
    assert report.ran and report.total > 0
    assert report.passed < report.total, f"{path.name} passes every hidden test"


def test_every_coding_question_has_two_buggy_versions_in_its_contract() -> None:
    per_question = {q.number: sum(int(p.name[1:4]) == q.number for p in IN_CONTRACT) for q in CODING}
    assert len(per_question) == 20 and min(per_question.values()) >= 2, per_question


def test_prose_around_fenced_code_is_the_explanation(coding_client: TestClient, bank: Bank) -> None:
    question = bank.get(114)
    assert question is not None and question.reference_solution is not None
    answer = (
        "Algorithm R: keep the first k items, then replace a random slot with probability k/i. "
        "O(n) time, O(k) memory, one pass.\n\n```python\n" + question.reference_solution + "```\n"
    )
    grade = coding_client.post("/api/grade", json={"number": 114, "answer": answer}).json()
    assert grade["tests"]["passed"] == grade["tests"]["total"] and grade["score"] >= 7
    assert "No explanation given" not in grade["feedback"]  # the prose was taken as the explanation, not lost


def test_code_that_does_not_load_is_weak_not_no_answer(coding_client: TestClient) -> None:
    code = "def reservoir_sample(stream, k, rng=None):\n    return undefined_name +\n"
    grade = coding_client.post("/api/grade", json={"number": 114, "answer": "", "code": code}).json()
    assert grade["band"] == "weak" and 1 <= grade["score"] <= 3
    assert grade["tests"]["passed"] == 0 and "SyntaxError" in grade["feedback"]


def test_a_prose_answer_to_a_coding_question_is_graded_as_prose(coding_client: TestClient) -> None:
    grade = coding_client.post("/api/grade", json={"number": 114, "answer": "Keep k items; replace with k/i."}).json()
    assert grade["tests"] is None


def test_without_a_sandbox_code_is_not_run_and_the_grade_says_so(bank: Bank) -> None:
    question = bank.get(114)
    assert question is not None and question.reference_solution is not None
    grader = CodingGrader(bank, OfflineGrader(build_index(bank, FakeEmbedder())), None)
    submission = extract_code(question.reference_solution)
    grade = anyio.run(grader.grade, question, submission)
    assert grade.tests is not None and grade.tests.ran is False
    assert NOT_RUN in grade.feedback and grade.score < 7 and grade.band != "none"


def test_extract_code() -> None:
    only = extract_code("import random\n\ndef f(x):\n    return x\n")
    assert only.code and not only.explanation
    fenced = extract_code("It is O(n).\n```python\ndef f(x):\n    return x\n```\nDone.")
    assert fenced.code == "def f(x):\n    return x\n" and fenced.explanation == "It is O(n).\n\nDone."
    trailing = extract_code("Linear time, constant memory.\ndef f(x):\n    return x\n")
    assert trailing.code == "def f(x):\n    return x\n" and trailing.explanation == "Linear time, constant memory."
    assert extract_code("Bias is error from wrong assumptions.").code is None
    assert extract_code("prose", code="def f(): pass").explanation == "prose"


# -- the protocol: run the visible examples, answer with code ---------------------------------------------------


@pytest.fixture
def on_q114(coding_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    services = coding_client.app.state.services  # type: ignore[attr-defined]
    monkeypatch.setattr(services, "candidates", lambda config, browser_id, recent=None: [114])
    return coding_client


def test_ws_run_examples_then_answer_with_code(on_q114: TestClient, bank: Bank) -> None:
    question = bank.get(114)
    assert question is not None and question.task is not None and question.reference_solution is not None
    with on_q114.websocket_connect("/ws") as ws:
        _, asked = start(on_q114, ws, section="coding", count=1)
        assert asked["number"] == 114 and asked["starter"] == question.task.starter
        assert [e["call"] for e in asked["examples"]] == [e.call for e in question.task.examples]
        ws.send_json({"type": "run", "code": asked["starter"]})
        result = receive_until(ws, "run_result")[-1]
        assert result["total"] == len(question.task.examples) and result["passed"] < result["total"]
        assert result["runs_left"] == 19
        ws.send_json({"type": "run", "code": question.reference_solution})
        result = receive_until(ws, "run_result")[-1]
        assert result["passed"] == result["total"] and all(c["output"] for c in result["cases"])
        ws.send_json({"type": "answer", "text": "O(n) time, O(k) memory.", "code": question.reference_solution})
        feedback = receive_until(ws, "feedback")[-1]
        tests = feedback["grade"]["tests"]
        assert tests["passed"] == tests["total"] > 0 and feedback["grade"]["score"] >= 7


def test_ws_bad_runs_get_an_error_and_the_session_goes_on(on_q114: TestClient) -> None:
    with on_q114.websocket_connect("/ws") as ws:
        start(on_q114, ws, section="coding", count=1)
        ws.send_json({"type": "run", "code": "x = 1\n" * 5000})
        assert ws.receive_json()["code"] == "code_too_long"
        ws.send_json({"type": "run", "code": "def f():\x00 pass"})
        assert ws.receive_json()["code"] == "binary_code"
        ws.send_json({"type": "answer", "text": "", "code": "y = 2\n" * 5000})
        assert ws.receive_json()["code"] == "code_too_long"
        for _ in range(20):
            ws.send_json({"type": "run", "code": "def reservoir_sample(stream, k, rng=None):\n    return []\n"})
            receive_until(ws, "run_result")
        ws.send_json({"type": "run", "code": "def reservoir_sample(stream, k, rng=None):\n    return []\n"})
        assert ws.receive_json()["code"] == "run_limit"
        ws.send_json({"type": "hint"})
        assert ws.receive_json()["type"] == "hint"  # the session goes on


def test_run_is_refused_while_grading(on_q114: TestClient) -> None:
    services = on_q114.app.state.services  # type: ignore[attr-defined]
    sent: list[BaseModel] = []

    async def send(message: BaseModel) -> None:
        sent.append(message)

    runner = SessionRunner(services, send)
    anyio.run(runner.handle, '{"type": "start", "section": "coding", "count": 1}')
    assert runner.interview is not None
    runner.interview.state.phase = "grading"  # an answer is being graded (or was, before a restart)
    sent.clear()
    anyio.run(runner.handle, '{"type": "run", "code": "def f(): pass"}')
    assert [(m.type, getattr(m, "code", None)) for m in sent] == [("error", "grading")]  # type: ignore[attr-defined]


def test_a_text_that_exhausts_the_python_parser_is_prose_not_a_crash() -> None:
    # "y y y ..." (4,000 names in a row) raises MemoryError in ast.parse; it used to fail the whole grade.
    submission = extract_code("y " * 4000)
    assert submission.code is None and submission.explanation.startswith("y y")
