"""The WebSocket protocol: JSON text frames with a `type` field, one pydantic model per message."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .bank import Example, Mistake, Section
from .grading.models import GradeResult


class _Client(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Start(_Client):
    type: Literal["start"]
    section: Section | None = None
    level: Literal["junior", "mid", "senior"] | None = None
    topic: str | None = Field(None, max_length=200)
    count: int = Field(5, ge=1, le=20)
    browser_id: str | None = Field(None, max_length=100)
    # Practise these main questions, in this order (count, filters and spaced repetition do not apply); each must
    # be in the bank, else an `unknown_question` error.
    numbers: list[int] | None = Field(None, min_length=1, max_length=20)


class Answer(_Client):
    type: Literal["answer"]
    text: str  # with `code`: the optional explanation next to it ("" for none)
    code: str | None = None  # a coding answer's code (the editor's content)
    # The candidate says this is their answer: it is graded even if it reads like a clarifying question.
    graded: bool = False


class Clarify(_Client):
    """A question for the interviewer about the open question (the page's "Ask the interviewer"): never graded."""

    type: Literal["clarify"]
    text: str


class Run(_Client):
    """Run the current coding question's visible examples (never the hidden tests) against `code`."""

    type: Literal["run"]
    code: str


class Hint(_Client):
    type: Literal["hint"]


class Skip(_Client):
    type: Literal["skip"]


class UndoSkip(_Client):
    """Take back the last skip while the question that followed it is untouched."""

    type: Literal["undo_skip"]


class Repeat(_Client):
    type: Literal["repeat"]


class End(_Client):
    type: Literal["end"]


class Resume(_Client):
    type: Literal["resume"]
    session_id: str = Field(max_length=100)
    token: str = Field(max_length=200)


ClientMessage = Annotated[
    Start | Answer | Clarify | Run | Hint | Skip | UndoSkip | Repeat | End | Resume, Field(discriminator="type")
]
client_message: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


class SessionOpened(BaseModel):
    type: Literal["session"] = "session"
    session_id: str
    token: str
    grader: Literal["llm", "offline"]
    resumed: bool = False


class QuestionAsked(BaseModel):
    type: Literal["question"] = "question"
    number: int
    text: str
    kind: Literal["main", "follow_up"]
    index: int  # position of the main question, 1-based
    total: int
    section: Section
    level: str
    title: str  # the bank question's title (for a follow-up, its parent's)
    follow_up_number: int | None = None  # a follow-up's 1-based count among its main question's; None for a main
    max_follow_ups: int  # at most this many follow-ups per main question
    suggested_seconds: int  # a pace to show, never enforced
    asked_at: float  # epoch seconds when first asked: the same on a repeat or after a reload
    # A coding question's main turn: the code the editor starts with, and the visible examples `run` checks.
    starter: str | None = None
    examples: list[Example] | None = None


class RunCase(BaseModel):
    name: str  # the example's call
    passed: bool
    message: str = ""  # expected/got, or the exception with its line, or "timed out"
    output: str = ""  # what the code printed (capped)


class RunResult(BaseModel):
    type: Literal["run_result"] = "run_result"
    cases: list[RunCase]
    passed: int
    total: int
    ran: bool = True  # false: the code was not run (no sandbox on this server); `error` says so
    error: str | None = None  # why no example ran (the code did not load, the run stopped, no sandbox)
    queued: bool = False  # the run waited for a free sandbox
    runs_left: int


class Feedback(BaseModel):
    type: Literal["feedback"] = "feedback"
    kind: Literal["main", "follow_up"]
    grade: GradeResult
    score: float  # after hint penalties
    hints_used: int
    reference_answer: str
    common_mistakes: list[Mistake] = []  # the question's listed wrong beliefs, each with its correction


class TranscriptTurn(BaseModel):
    """On resume, one per answered (or skipped) turn, so the page can rebuild the conversation."""

    type: Literal["transcript"] = "transcript"
    number: int
    kind: Literal["main", "follow_up"]
    text: str
    answer: str | None
    skipped: bool
    score: float | None
    hints: list[str]
    clarifications: list[dict[str, str]] = []  # {asked, reply} exchanged before the answer
    section: Section
    level: str  # the bank question's level
    title: str  # the bank question's title
    follow_up_index: int | None = None
    asked_at: float | None = None
    answered_at: float | None = None
    # The same card the live `feedback` frame carried; None for a skipped turn or one not graded yet.
    feedback: Feedback | None = None


class ClarificationGiven(BaseModel):
    """The interviewer's answer to a clarifying question; nothing was graded and the same question stays open."""

    type: Literal["clarification"] = "clarification"
    asked: str
    text: str
    replayed: bool = False  # sent again on resume: the page shows the candidate's question too
    detected: bool = False  # sent for an `answer` read as a question: the page offers to grade it as an answer


class HintGiven(BaseModel):
    type: Literal["hint"] = "hint"
    text: str
    hints_used: int


class Status(BaseModel):
    type: Literal["status"] = "status"
    state: Literal["grading", "thinking", "running", "queued"]
    position: int | None = None  # for "queued": place in the queue for a sandbox, 1 = next


class Delta(BaseModel):
    type: Literal["delta"] = "delta"
    text: str


class SummaryMessage(BaseModel):
    type: Literal["summary"] = "summary"
    session_id: str
    summary: dict[str, Any]
    markdown: str
    filename: str  # for saving `markdown`: mock-interview-<YYYY-MM-DD>-<section or "mixed">.md


class Error(BaseModel):
    type: Literal["error"] = "error"
    code: str
    message: str
