"""One WebSocket conversation: parses client frames, drives the Interview, grades, persists, replies.

The order on every answer is: persist the answer, grade, persist the grade, then send feedback. A crash between
those steps loses nothing: on resume an answer without a grade is graded again.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from pydantic import BaseModel, ValidationError

from .clarify import is_clarifying_question, needs_confirmation, offline_reply
from .coding.sandbox import report_queue
from .interview import (
    MAX_FOLLOW_UPS,
    Interview,
    InterviewConfig,
    InterviewState,
    Turn,
    WrongState,
    report_filename,
    summary_markdown,
)
from .limits import RateLimiter, retry_after
from .prompts import delimit, render
from .protocol import (
    Answer,
    ClarificationGiven,
    Clarify,
    ClientMessage,
    Delta,
    End,
    Error,
    Feedback,
    Hint,
    HintGiven,
    QuestionAsked,
    Repeat,
    Resume,
    Run,
    RunCase,
    RunResult,
    SessionOpened,
    Skip,
    Start,
    Status,
    SummaryMessage,
    TranscriptTurn,
    UndoSkip,
    client_message,
)
from .services import Services
from .store import SessionConflict, SessionNotFound

log = logging.getLogger(__name__)
Send = Callable[[BaseModel], Awaitable[None]]
MAX_FOLLOW_UP_CHARS = 600
MAX_CLARIFY_CHARS = 1000  # a question for the interviewer, not an answer
CONFIRM_REPLY = (
    "Is that your answer, or a question for me? If it is your answer, have it graded as your answer (or add to "
    "it and send it again); if you are asking me something, ask it and I will clarify."
)
MAX_RUNS_PER_QUESTION = 20  # runs of the visible examples per coding question
STALE_SESSION = (
    "This interview was changed from another tab or connection, so this page is out of date and your last step was "
    "not saved. Reload the page to continue from where the interview is now."
)


class SessionRunner:
    def __init__(self, services: Services, send: Send, client: str | None = None) -> None:
        self.services = services
        self.send = send
        self.client = client or "unknown"  # the peer's address: new interviews are limited per address
        self.session_id: str | None = None
        self.interview: Interview | None = None
        # The session row's version this connection last read or wrote: a write from a stale connection (another
        # tab, or the old socket of a reconnect) finds another there and is refused.
        self.version = 0
        self.stale = False  # lost a write race: every move is refused with session_conflict until a resume
        limits = services.limits
        self.messages: RateLimiter | None = limits.connection() if limits is not None else None
        self.runs: dict[int, int] = {}  # turn index -> runs of the examples used

    # -- entry point -----------------------------------------------------------------------------------------

    async def handle(self, raw: str | bytes) -> None:
        """Handle one frame. Bad input gets an `error` frame and changes nothing."""
        wait = self.messages.acquire("connection") if self.messages is not None else 0.0
        if wait:
            seconds = retry_after(wait)
            await self._error("rate_limited", f"Too many messages at once; this one was ignored. Retry in {seconds} s.")
            return
        if len(raw) > self.services.settings.max_message_bytes:
            limit = self.services.settings.max_message_bytes
            await self._error("message_too_large", f"Messages are limited to {limit} bytes.")
            return
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            await self._error("bad_json", "Messages must be JSON objects with a 'type' field.")
            return
        try:
            message: ClientMessage = client_message.validate_python(data)
        except ValidationError as exc:
            await self._error("bad_message", _explain(exc, data))
            return
        try:
            await self._dispatch(message)
        except WrongState as exc:
            await self._error(exc.code, str(exc))
        except Exception:  # a bug must cost one reply, not the candidate's session
            log.exception("unexpected error handling a %s message", message.type)
            await self._error("internal", "Something went wrong on our side; your session is saved. Try again.")

    async def _dispatch(self, message: ClientMessage) -> None:
        if isinstance(message, Start):
            await self._start(message)
        elif isinstance(message, Resume):
            await self._resume(message)
        else:
            interview = self._require_session()
            if isinstance(message, Answer):
                await self._answer(interview, message.text, message.code, graded=message.graded)
            elif isinstance(message, Clarify):
                await self._ask_interviewer(interview, message.text)
            elif isinstance(message, Run):
                await self._run(interview, message.code)
            elif isinstance(message, Hint):
                text = interview.hint()
                await self._save(interview)
                turn = interview.current
                await self.send(HintGiven(text=text, hints_used=len(turn.hints) if turn else 0))
            elif isinstance(message, Skip):
                next_turn = interview.skip(now=time.time())
                await self._save(interview)
                await self._continue(interview, next_turn)
            elif isinstance(message, UndoSkip):
                withdrawn = len(interview.state.turns) - 1
                reopened = interview.undo_skip()
                self.runs.pop(withdrawn, None)  # that index belongs to the next question asked
                await self._save(interview)
                await self._ask(interview, reopened)
            elif isinstance(message, Repeat):
                turn = interview.current
                if turn is None:
                    raise WrongState("finished", "The interview has ended; there is no question to repeat.")
                await self._ask(interview, turn)
            elif isinstance(message, End):
                interview.end(now=time.time())
                await self._save(interview)
                await self._send_summary(interview)

    # -- moves -----------------------------------------------------------------------------------------------

    async def _start(self, message: Start) -> None:
        if self.interview is not None and not self.interview.finished:
            raise WrongState("already_started", "An interview is already running on this connection; end it first.")
        limits = self.services.limits
        wait = limits.sessions.acquire(self.client) if limits is not None else 0.0
        if wait:
            raise WrongState(
                "rate_limited", f"Too many new interviews from your network; try again in {retry_after(wait)} s."
            )
        numbers = list(dict.fromkeys(message.numbers)) if message.numbers else None
        config = InterviewConfig(
            section=message.section,
            level=message.level,
            topic=message.topic,
            count=len(numbers) if numbers else message.count,
            numbers=numbers,
        )
        services, browser_id = self.services, message.browser_id

        def pick() -> tuple[list[int], set[int]]:
            # Questions the candidate chose are asked even if answered today: they asked for them. The core gets
            # the recent set too, so that its pick by level never brings one forward.
            recent = set() if numbers else services.recent_questions(browser_id)  # one lookup per start
            return services.candidates(config, browser_id, recent), recent

        candidates, recent = await anyio.to_thread.run_sync(pick)
        interview = Interview.begin(config, self.services.bank, candidates, now=time.time(), recent=recent)
        state = interview.state.model_dump(mode="json")
        store = self.services.store
        session_id, token = await anyio.to_thread.run_sync(store.create_session, state, message.browser_id)
        self.session_id, self.interview, self.version, self.stale = session_id, interview, 0, False
        await self.send(SessionOpened(session_id=session_id, token=token, grader=self.services.grader.kind))
        turn = interview.current
        assert turn is not None, "a new interview always has a first question"
        await self._ask(interview, turn)

    async def _resume(self, message: Resume) -> None:
        if self.interview is not None and not self.interview.finished:
            raise WrongState("already_started", "This connection already has a running interview.")
        try:
            stored = await anyio.to_thread.run_sync(self.services.store.open_session, message.session_id, message.token)
        except SessionNotFound as exc:
            raise WrongState("unknown_session", str(exc)) from exc
        interview = Interview(InterviewState.model_validate(stored.state), self.services.bank)
        if interview.state.started_at is None:  # stored before interviews carried times
            interview.state.started_at = stored.created_at
        self.session_id, self.interview, self.version, self.stale = stored.id, interview, stored.version, False
        await self.send(
            SessionOpened(session_id=stored.id, token=message.token, grader=self.services.grader.kind, resumed=True)
        )
        await self.send_transcript(interview)
        if interview.finished:
            await self._send_summary(interview)
        elif interview.state.phase == "grading":
            turn = interview.state.turns[-1]  # answered, but the grade never landed: grade it now
            await self._grade_and_continue(interview, turn, turn.answer or "")
        elif interview.current is not None:
            turn = interview.current
            await self._ask(interview, turn)
            # What happened on the open question before the reload: its clarifications and hints, in order given.
            for exchange in turn.clarifications:
                await self.send(ClarificationGiven(asked=exchange.asked, text=exchange.reply, replayed=True))
            for used, hint in enumerate(turn.hints, start=1):
                await self.send(HintGiven(text=hint, hints_used=used))

    def _check_code(self, code: str) -> None:
        limit = self.services.settings.max_answer_chars
        if len(code) > limit:
            raise WrongState("code_too_long", f"Code is limited to {limit} characters; yours has {len(code)}.")
        if "\x00" in code:
            raise WrongState("binary_code", "The code contains binary data (a NUL byte); send Python source text.")

    async def _run(self, interview: Interview, code: str) -> None:
        """Run the visible examples of the current coding question; nothing is graded or stored."""
        if interview.state.phase == "grading":
            raise WrongState("grading", "Your answer is being graded; run the examples again on the next question.")
        turn = interview.current
        if turn is None:
            raise WrongState("finished", "The interview has ended; there is no question to run code for.")
        question = interview.question(turn)
        coding = self.services.grader.coding
        if turn.kind != "main" or question.task is None or coding is None:
            raise WrongState("not_coding", "Only coding questions have examples to run.")
        self._check_code(code)
        if not code.strip():
            raise WrongState("empty_code", "The code is empty.")
        index = len(interview.state.turns) - 1
        used = self.runs.get(index, 0)
        if used >= MAX_RUNS_PER_QUESTION:
            raise WrongState(
                "run_limit", f"You have run the examples {MAX_RUNS_PER_QUESTION} times for this question; submit it."
            )
        self.runs[index] = used + 1
        queued = False

        async def on_queued(position: int) -> None:
            nonlocal queued
            if position > 0:
                queued = True
                await self.send(Status(state="queued", position=position))

        await self.send(Status(state="running"))
        with report_queue(on_queued):
            report = await coding.run_examples(question, code)
        await self.send(
            RunResult(
                cases=[RunCase(name=c.name, passed=c.passed, message=c.message, output=c.output) for c in report.cases],
                passed=report.passed,
                total=report.total,
                ran=report.ran,
                error=report.error,
                queued=queued,
                runs_left=MAX_RUNS_PER_QUESTION - used - 1,
            )
        )

    async def _answer(self, interview: Interview, text: str, code: str | None = None, *, graded: bool = False) -> None:
        limit = self.services.settings.max_answer_chars
        if len(text) > limit:
            raise WrongState("answer_too_long", f"Answers are limited to {limit} characters; yours has {len(text)}.")
        if code is not None and code.strip():
            self._check_code(code)
            # Stored as one text, the code fenced, so a resumed session grades it again the same way.
            text = (text.strip() + "\n\n" if text.strip() else "") + f"```python\n{code.rstrip()}\n```\n"
        elif not text.strip():
            raise WrongState("empty_answer", "The answer is empty. Type your answer, ask for a hint, or skip.")
        prose_only = not graded and (code is None or not code.strip())
        if prose_only and is_clarifying_question(text):
            await self._clarify(interview, text)
            return
        if prose_only and needs_confirmation(text) and not _confirmed(interview, text):
            # A short message ending in a question the detector cannot place: ask before grading it.
            await self._confirm(interview, text)
            return
        interview.submit_answer(text, now=time.time())
        turn = interview.state.turns[-1]
        index = len(interview.state.turns) - 1
        await self._save(interview, answer=(index, turn.number, turn.kind, text))
        await self._grade_and_continue(interview, turn, text)

    async def _ask_interviewer(self, interview: Interview, text: str) -> None:
        """The candidate asked the interviewer explicitly: answered, never graded, whatever it looks like."""
        if not text.strip():
            raise WrongState("empty_question", "The question is empty. Type what you want to ask the interviewer.")
        if len(text) > MAX_CLARIFY_CHARS:
            raise WrongState(
                "question_too_long",
                f"Questions for the interviewer are limited to {MAX_CLARIFY_CHARS} characters; yours has {len(text)}. "
                "To answer, use Send.",
            )
        await self._clarify(interview, text.strip(), detected=False)

    async def _confirm(self, interview: Interview, asked: str) -> None:
        if interview.current is None or interview.state.phase != "answering":
            raise WrongState("wrong_state", "There is no open question to answer.")
        interview.clarify(asked, CONFIRM_REPLY)
        await self._save(interview)
        await self.send(ClarificationGiven(asked=asked, text=CONFIRM_REPLY, detected=True))

    async def _clarify(self, interview: Interview, asked: str, *, detected: bool = True) -> None:
        """Answer a clarifying question; nothing is graded and the question stays open."""
        turn = interview.current
        if turn is None or interview.state.phase != "answering":
            raise WrongState("wrong_state", "There is no open question to clarify.")
        question = interview.question(turn)
        reply = offline_reply(turn.text, question.assume, asked)
        if self.services.llm is not None:
            messages = [
                {"role": "system", "content": render(self.services.settings.prompts_dir, "clarify_system")},
                {
                    "role": "user",
                    "content": render(
                        self.services.settings.prompts_dir,
                        "clarify_user",
                        question=turn.text,
                        assume=question.assume or "the usual case; the candidate should state their assumption",
                        asked=delimit(asked, "candidate_question"),
                    ),
                },
            ]
            try:
                reply = (await self.services.llm.chat(messages)).strip()[:MAX_FOLLOW_UP_CHARS] or reply
            except Exception as exc:  # the offline reply stands in; the interview goes on
                log.warning("clarification by the LLM failed: %s", exc)
        interview.clarify(asked, reply)
        await self._save(interview)
        await self.send(ClarificationGiven(asked=asked, text=reply, detected=detected))

    async def _grade_and_continue(self, interview: Interview, turn: Turn, text: str) -> None:
        await self.send(Status(state="grading"))
        rubric = interview.rubric(turn)
        try:
            grade = await self.services.grader.grade(rubric, text)
        except Exception:
            log.exception("grading failed")
            # Put the turn back so the candidate can send the answer again; the stored answer stays.
            interview.grading_failed()
            await self._save(interview)
            raise WrongState("grading_failed", "Grading failed unexpectedly; please send your answer again.") from None
        plan: list[tuple[int, list[int]]] = []
        if turn.kind == "main":
            missed = [i for i, kp in enumerate(rubric.key_points) if kp in grade.missed]
            plan = self.services.offline.rank_follow_ups(turn.number, missed)
        index = interview.state.turns.index(turn)
        next_turn = interview.record_grade(grade, plan, now=time.time())
        await self._save(interview, grade=(index, grade.model_dump(mode="json"), turn.score))
        feedback = feedback_of(interview, turn)
        assert feedback is not None, "the turn was graded just now"
        await self.send(feedback)
        await self._continue(interview, next_turn)

    async def _continue(self, interview: Interview, next_turn: Turn | None) -> None:
        if next_turn is None:
            await self._send_summary(interview)
            return
        if next_turn.kind == "follow_up" and self.services.follow_up_writer is not None:
            await self._phrase_follow_up(interview, next_turn)
        await self._ask(interview, next_turn)

    async def _phrase_follow_up(self, interview: Interview, turn: Turn) -> None:
        """With an LLM, phrase the follow-up from the candidate's own answer, streaming it as it comes."""
        writer = self.services.follow_up_writer
        assert writer is not None
        parent = next(t for t in reversed(interview.state.turns) if t.kind == "main")
        question = interview.question(turn)
        missed = parent.grade.missed if parent.grade else []
        await self.send(Status(state="thinking"))
        pieces: list[str] = []
        try:
            async for piece in writer.stream(question, parent.answer or "", missed, turn.text):
                pieces.append(piece)
                await self.send(Delta(text=piece))
        except Exception as exc:  # the authored follow-up stands in; the interview goes on
            log.warning("follow-up phrasing failed: %s", exc)
            return
        text = "".join(pieces).strip()
        if text:
            turn.text = text[:MAX_FOLLOW_UP_CHARS]
            await self._save(interview)

    async def _ask(self, interview: Interview, turn: Turn) -> None:
        question = interview.question(turn)
        task = question.task if turn.kind == "main" else None
        if turn.asked_at is None:  # stored before turns carried times: the timer starts now, and keeps to it
            turn.asked_at = time.time()
            await self._save(interview)
        await self.send(
            QuestionAsked(
                number=turn.number,
                text=turn.text,
                kind=turn.kind,
                index=interview.main_index(),
                total=interview.state.total,
                section=question.section,
                level=question.level,
                title=question.title,
                starter=task.starter if task else None,
                examples=list(task.examples) if task else None,
                follow_up_number=interview.follow_up_number(turn),
                max_follow_ups=MAX_FOLLOW_UPS,
                suggested_seconds=interview.suggested_seconds(turn),
                asked_at=turn.asked_at,
            )
        )

    async def _send_summary(self, interview: Interview) -> None:
        summary = interview.summary()
        assert self.session_id is not None
        await self.send(
            SummaryMessage(
                session_id=self.session_id,
                summary=summary.model_dump(mode="json"),
                markdown=summary_markdown(summary),
                filename=report_filename(summary),
            )
        )

    async def send_transcript(self, interview: Interview) -> None:
        """On resume, replay what happened so the page can rebuild the conversation."""
        for turn in interview.state.turns:
            if turn.answer is None and not turn.skipped:
                continue
            question = interview.question(turn)
            await self.send(
                TranscriptTurn(
                    number=turn.number,
                    kind=turn.kind,
                    text=turn.text,
                    answer=turn.answer,
                    skipped=turn.skipped,
                    score=turn.score,
                    hints=turn.hints,
                    clarifications=[c.model_dump() for c in turn.clarifications],
                    section=question.section,
                    level=question.level,
                    title=question.title,
                    follow_up_index=turn.follow_up_index,
                    asked_at=turn.asked_at,
                    answered_at=turn.answered_at,
                    feedback=feedback_of(interview, turn),
                )
            )

    # -- helpers ---------------------------------------------------------------------------------------------

    def _require_session(self) -> Interview:
        if self.interview is None and self.stale:
            raise WrongState("session_conflict", STALE_SESSION)
        if self.interview is None:
            raise WrongState("no_session", "Start an interview (or resume one) first.")
        return self.interview

    async def _save(
        self,
        interview: Interview,
        *,
        answer: tuple[int, int, str, str] | None = None,
        grade: tuple[int, dict[str, Any], float | None] | None = None,
    ) -> None:
        assert self.session_id is not None
        state = interview.state.model_dump(mode="json")
        session_id, version = self.session_id, self.version

        def write() -> int:
            return self.services.store.save(
                session_id, state, finished=interview.finished, answer=answer, grade=grade, version=version
            )

        try:
            self.version = await anyio.to_thread.run_sync(write)
        except SessionConflict:
            # Another connection wrote this session since this one read it: its write stands, this one is dropped,
            # and this connection lets go of its out-of-date copy.
            self.session_id, self.interview, self.version, self.stale = None, None, 0, True
            raise WrongState("session_conflict", STALE_SESSION) from None

    async def _error(self, code: str, message: str) -> None:
        await self.send(Error(code=code, message=message))


def feedback_of(interview: Interview, turn: Turn) -> Feedback | None:
    """The feedback card of a graded turn, the same live and on resume; None if skipped or not graded yet."""
    if turn.grade is None or turn.skipped:
        return None
    rubric = interview.rubric(turn)
    return Feedback(
        kind=turn.kind,
        grade=turn.grade,
        score=turn.score if turn.score is not None else turn.grade.score,
        hints_used=len(turn.hints),
        reference_answer=rubric.reference_answer,
        common_mistakes=rubric.mistakes,
    )


def _confirmed(interview: Interview, text: str) -> bool:
    """The same message sent again right after "is that your answer?": it is the answer."""
    turn = interview.current
    last = turn.clarifications[-1] if turn is not None and turn.clarifications else None
    return last is not None and last.reply == CONFIRM_REPLY and last.asked.strip() == text.strip()


def _explain(exc: ValidationError, data: object) -> str:
    if not isinstance(data, dict) or "type" not in data:
        return "Messages must be JSON objects with a 'type' field."
    first = exc.errors()[0]
    if first["type"] == "union_tag_invalid":
        kinds = "start, answer, clarify, run, hint, skip, undo_skip, repeat, end, resume"
        return f"Unknown message type {str(data.get('type'))[:40]!r}; expected one of: {kinds}."
    where = ".".join(str(p) for p in first["loc"][1:]) or "message"
    return f"Invalid '{data.get('type')}' message: {where}: {first['msg']}."
