"""Grading a coding answer: the hidden tests decide correctness; the explanation, if any, the rest.

The answer's code comes from a `code` field, from fenced Python blocks in the answer, or, for a code-only answer,
from the whole text when it parses as Python and defines something. It runs against the question's hidden tests
through the service's executor (the sandbox). Scores sit on the shared 0-10 scale and the tests bound them:

- every hidden test passes: 7 to 10, the explanation (complexity, trade-offs, edge cases) earning the rest;
- some fail: partial at most, 3 to 6.9, scaled by the pass rate;
- the code does not load, or fails every test: weak at most, 1 to 3 (a code-only answer is never "no answer");
- the code could not be run (no sandbox): only the explanation is scored, capped below 7, and the grade says so.

With an LLM configured, the rubric prompt carries the code and the test results, and the same bounds apply to the
model's score, so a model cannot pass code that fails its tests, nor fail code that passes them.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass

import anyio

from ..bank import Bank, Question
from ..config import Settings
from ..grading.llm import NOT_CODING, LLMGradeError, LLMRubricGrader
from ..grading.models import Criterion, CriterionScore, GradeResult, TestCaseResult, TestsSummary, band_for
from ..grading.offline import OfflineGrader
from ..grading.rubric import Rubric
from . import sandbox
from .runner import Executor, TestReport, run_code

__all__ = ["NOT_CODING", "CodingGrader", "Submission", "extract_code"]

log = logging.getLogger(__name__)

NOT_RUN = "Your code was not run: the sandbox is unavailable on this server"
# The prose grader's verdict ("would not pass yet") judges an answer, not an explanation beside passing code.
_PROSE_VERDICT = re.compile(r"^(Strong answer\.|This answer would not pass yet\.)\s*")
NO_EXPLANATION = "No explanation given: say the complexity and the edge cases you handled."
THIN_EXPLANATION = "Your explanation makes none of the key points yet: say the complexity and the edge cases handled."
PARTIAL_CAP = 6.9
WEAK_CAP = 3.0
PASS_FLOOR = 7.0
MESSAGE_CAP = 400  # characters of one failing case's message shown in the feedback

_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+-]*)[^\n]*\n(.*?)^[ \t]*```[ \t]*$", re.DOTALL | re.MULTILINE)
_PYTHON_TAGS = {"python", "py", "python3", "py3"}
_CODE_START = re.compile(r"^(?:def |class |import |from \S+ import |@)", re.MULTILINE)


@dataclass(frozen=True)
class Submission:
    code: str | None  # None: no code in the answer, grade it as prose
    explanation: str


def _defines_something(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):  # "y y y ..." x 4000 exhausts the parser
        return False
    return any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for node in ast.walk(tree))


def extract_code(answer: str, code: str | None = None) -> Submission:
    """Split an answer into its code and its explanation.

    A non-blank `code` field wins and the whole answer is the explanation. Otherwise fenced blocks tagged Python
    (or untagged blocks that parse as Python and define something) are the code, joined in order, and the text
    around them the explanation. Otherwise a text that parses as Python with a `def` or `class` is all code; prose
    followed by code (the code starting at a `def`, `class` or import line) is split there.
    """
    if code is not None and code.strip():
        return Submission(code, answer.strip())
    blocks: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _FENCE.finditer(answer):
        tag, body = match.group(1).lower(), match.group(2)
        if tag in _PYTHON_TAGS or (not tag and _defines_something(body)):
            blocks.append(body)
            spans.append(match.span())
    if blocks:
        rest, last = [], 0
        for start, end in spans:
            rest.append(answer[last:start])
            last = end
        rest.append(answer[last:])
        return Submission("\n\n".join(b.rstrip() for b in blocks) + "\n", "".join(rest).strip())
    if _defines_something(answer):
        return Submission(answer, "")
    for line in _CODE_START.finditer(answer):
        at = line.start()
        if at > 0 and _defines_something(answer[at:]):
            return Submission(answer[at:], answer[:at].strip())
    return Submission(None, answer)


def _case_line(name: str, message: str) -> str:
    message = message.strip() or "failed"
    if len(message) > MESSAGE_CAP:
        message = message[: MESSAGE_CAP - 1] + "…"
    return f"- {name}: {message}"


def tests_summary(report: TestReport) -> TestsSummary:
    return TestsSummary(
        passed=report.passed,
        total=report.total,
        ran=report.ran,
        error=report.error,
        cases=[TestCaseResult(name=c.name, passed=c.passed, message=c.message) for c in report.cases],
    )


def tests_section(report: TestReport, code: str) -> str:
    """What the LLM's rubric prompt is told about the code: the code itself and what its tests found."""
    if not report.ran:
        head = f"{NOT_RUN}. Judge only the explanation; do not assume the code works."
    elif report.error and report.passed == 0:
        head = f"The code failed every hidden test: {report.error}."
    else:
        head = f"Hidden tests: passed {report.passed} of {report.total}."
    lines = [head]
    lines += [_case_line(c.name, c.message) for c in report.cases if not c.passed][:10]
    lines.append("Correctness is decided by these tests; do not re-judge it. The candidate's code:")
    lines.append(f"<candidate_code>\n{code.replace('</candidate_code', '&lt;/candidate_code')}\n</candidate_code>")
    return "\n".join(lines)


def bounds(report: TestReport) -> tuple[float, float]:
    """The lowest and highest overall score the tests allow."""
    if not report.ran:
        return 1.0, PARTIAL_CAP
    if report.all_passed:
        return PASS_FLOOR, 10.0
    if report.passed == 0 or report.total == 0:
        return 1.0, WEAK_CAP
    return WEAK_CAP, PARTIAL_CAP


def score_from_tests(report: TestReport, quality: float) -> float:
    """The offline overall score: the tests set the band, the explanation's quality (0-1) the place within it."""
    quality = min(max(quality, 0.0), 1.0)
    if not report.ran:
        return round(min(PARTIAL_CAP, max(1.0, 10 * quality)), 1)
    if report.all_passed:
        return round(PASS_FLOOR + 3.0 * quality, 1)
    if report.passed == 0 or report.total == 0:
        return round(1.0 + 2.0 * quality, 1)
    rate = report.passed / report.total
    # Squared: passing a few of many tests is mostly wrong; the top of the band needs nearly all of them.
    return round(min(PARTIAL_CAP, WEAK_CAP + 3.4 * rate**2 + 0.5 * quality), 1)


def correctness(report: TestReport) -> CriterionScore:
    if not report.ran:
        return CriterionScore(criterion=Criterion.correctness, score=0, reason=f"{NOT_RUN}.")
    if report.total == 0 or (report.error and report.passed == 0):
        reason = report.error or "No hidden test ran."
        reason = reason[0].upper() + reason[1:]
        return CriterionScore(criterion=Criterion.correctness, score=0, reason=f"{reason.rstrip('.')}.")
    score = round(10 * report.passed / report.total)
    if report.passed < report.total:
        score = min(score, 9)
    reason = f"Passed {report.passed} of {report.total} hidden tests."
    return CriterionScore(criterion=Criterion.correctness, score=score, reason=reason)


def test_feedback(report: TestReport) -> str:
    if not report.ran:
        return f"{NOT_RUN}, so only your explanation was graded."
    if report.all_passed:
        return f"All {report.total} hidden tests passed."
    if report.error and report.passed == 0:
        head = f"Your code failed every hidden test: {report.error}."
    else:
        head = f"Passed {report.passed} of {report.total} hidden tests. Failing:"
    failing = [_case_line(c.name, c.message) for c in report.cases if not c.passed and c.message != "not run"]
    if report.error and report.passed == 0 and not failing:
        return head
    if report.error and report.passed == 0:
        head = "Your code failed every hidden test. Failing:"
    return "\n".join([head, *failing])


class CodingGrader:
    """Grades answers to the bank's coding questions that contain code; everything else goes elsewhere."""

    def __init__(
        self,
        bank: Bank,
        offline: OfflineGrader,
        executor: Executor | None,
        *,
        unavailable: str | None = None,
        time_limit: float = 2.0,
        wall_s: float = 20.0,
    ) -> None:
        self.bank = bank
        self.offline = offline
        self.executor = executor
        self.unavailable = unavailable  # why the executor is None, for the log
        self.time_limit = time_limit
        self.wall_s = wall_s
        self._check: asyncio.Task[None] | None = None

    def start(self, settings: Settings) -> None:
        """Check the sandbox once, in the background (`sandbox.start`: only the explicitly unsafe setting runs code
        outside it); a grade that needs code run meanwhile waits for the check rather than reporting "not run"."""
        if self.executor is not None or self._check is not None:
            return

        async def check() -> None:
            try:
                executor, status = await sandbox.start(settings)
            except Exception as exc:
                log.exception("the sandbox check failed")
                self.unavailable = f"the sandbox check failed ({type(exc).__name__})"
                return
            self.executor = executor
            self.unavailable = None if executor is not None else status.reason

        self._check = asyncio.get_running_loop().create_task(check())

    async def ready(self) -> None:
        """Wait for the start-up check of the sandbox, if one is running."""
        if self._check is not None and not self._check.done():
            await asyncio.shield(self._check)

    async def aclose(self) -> None:
        if self._check is not None and not self._check.done():
            self._check.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._check

    def coding_question(self, question: Question | Rubric) -> Question | None:
        """The bank question with a task that this answers, or None (a follow-up answer is prose)."""
        if isinstance(question, Rubric):
            if question.is_follow_up:
                return None
            found = self.bank.get(question.number)
        else:
            found = question
        return found if found is not None and found.task is not None else None

    async def run_tests(self, question: Question, code: str) -> TestReport:
        await self.ready()
        if self.executor is None:
            return TestReport(ran=False, error=NOT_RUN)
        try:
            return await run_code(
                self.executor, question, code, "tests", time_limit=self.time_limit, wall_s=self.wall_s
            )
        except Exception as exc:  # the sandbox itself failed: say the code was not run, never guess
            log.exception("running a coding answer failed")
            return TestReport(ran=False, error=f"{NOT_RUN} ({type(exc).__name__})")

    async def run_examples(self, question: Question, code: str) -> TestReport:
        """The visible examples only (the page's Run button): what each returned, printed or raised."""
        await self.ready()
        if self.executor is None:
            return TestReport(ran=False, error=NOT_RUN)
        try:
            return await run_code(self.executor, question, code, "examples", time_limit=self.time_limit, wall_s=10.0)
        except Exception as exc:
            log.exception("running the examples failed")
            return TestReport(ran=False, error=f"{NOT_RUN} ({type(exc).__name__})")

    async def grade(
        self, question: Question, submission: Submission, llm: LLMRubricGrader | None = None
    ) -> GradeResult:
        assert submission.code is not None
        code = submission.code
        report = await self.run_tests(question, code)
        rubric = Rubric.of(question)
        fallback: str | None = None
        if llm is not None:
            answer = (submission.explanation + "\n\n" if submission.explanation else "") + f"```python\n{code}```"
            try:
                graded = await llm.grade(rubric, answer, tests=tests_section(report, code))
                return self._bounded_llm(graded, report, submission)
            except LLMGradeError as exc:
                fallback = str(exc)
            except Exception as exc:  # an LLM bug must not cost the candidate their answer
                log.exception("LLM grading of a coding answer failed unexpectedly")
                fallback = f"unexpected LLM error ({type(exc).__name__})"
        result = await self._offline(rubric, report, submission)
        return result.model_copy(update={"fallback_reason": fallback}) if fallback else result

    def _bounded_llm(self, graded: GradeResult, report: TestReport, submission: Submission) -> GradeResult:
        lo, hi = bounds(report)
        score = round(min(hi, max(lo, graded.score)), 1)
        criteria = [correctness(report)] + [c for c in graded.criteria if c.criterion is not Criterion.correctness]
        notes = list(graded.notes)
        if score != graded.score:
            notes.append(f"The model's score {graded.score:g} was bounded to {lo:g}-{hi:g} by the hidden tests.")
        feedback = test_feedback(report) + "\n\n" + graded.feedback
        if not submission.explanation:
            feedback += "\n\n" + NO_EXPLANATION
        return graded.model_copy(
            update={
                "score": score,
                "band": band_for(score),
                "criteria": criteria,
                "feedback": feedback,
                "notes": notes,
                "tests": tests_summary(report),
            }
        )

    async def _offline(self, rubric: Rubric, report: TestReport, submission: Submission) -> GradeResult:
        explanation = submission.explanation
        prose: GradeResult | None = None
        if explanation:
            prose = await anyio.to_thread.run_sync(self.offline.grade, rubric, explanation)
            if prose.band == "none":  # too short or off the key points: credit nothing, say what to add
                prose = None
                explanation = ""
        quality = min(1.0, prose.score / 8.0) if prose is not None else 0.0
        score = score_from_tests(report, quality)
        if prose is not None:
            others = [c for c in prose.criteria if c.criterion is not Criterion.correctness]
        else:
            reason = NO_EXPLANATION if not submission.explanation else THIN_EXPLANATION
            others = [CriterionScore(criterion=c, score=0, reason=reason) for c in Criterion]
            others = others[1:]
        criteria = [correctness(report), *others]
        parts = [test_feedback(report)]
        if prose is not None:
            parts.append("On your explanation: " + _PROSE_VERDICT.sub("", prose.feedback))
        else:
            parts.append(NO_EXPLANATION if not submission.explanation else THIN_EXPLANATION)
        notes = [] if prose is None else [n for n in prose.notes if "no answer" not in n.lower()]
        follow_up = prose.follow_up if prose is not None and prose.band != "none" else None
        if follow_up is None:
            follow_up = rubric.follow_ups[0].question if rubric.follow_ups else rubric.title
        return GradeResult(
            number=rubric.number,
            score=score,
            band=band_for(score),
            criteria=criteria,
            covered=prose.covered if prose is not None else [],
            missed=prose.missed if prose is not None else list(rubric.key_points),
            misconceptions=prose.misconceptions if prose is not None else [],
            feedback="\n\n".join(parts),
            follow_up=follow_up,
            grader="offline",
            notes=notes,
            tests=tests_summary(report),
        )
