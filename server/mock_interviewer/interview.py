"""The interview as a pure state machine: which question comes next, follow-ups, hints, levels, the summary.

No I/O here. The edge (the WebSocket handler) grades answers and persists state; this module only decides.
A message that does not fit the current phase raises WrongState and leaves the state untouched.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from statistics import mean
from typing import Literal

from pydantic import BaseModel, Field

from .bank import LEVELS, SECTION_RANGES, SECTION_TITLES, Bank, Question, Section, level_span
from .grading.models import Band, CriterionScore, GradeResult, TestsSummary
from .grading.rubric import Rubric

STRONG = 8.0  # an answer at or above this would pass: no follow-ups, counts toward levelling up
WEAK = 4.0  # below this counts toward levelling down
HINT_PENALTY = 1.0  # points off a turn's score per hint taken
MAX_FOLLOW_UPS = 2
PlainLevel = Literal["junior", "mid", "senior"]
Phase = Literal["answering", "grading", "finished"]
# Pacing the page shows (a suggestion, never enforced): seconds for a main question at each level, and a follow-up.
PROSE_SECONDS: dict[str, int] = {"junior": 180, "mid": 300, "senior": 420}
CODING_SECONDS: dict[str, int] = {"junior": 900, "mid": 1200, "senior": 1500}
FOLLOW_UP_SECONDS = 180


class WrongState(Exception):
    """The message does not fit the interview's current phase; nothing changed."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class InterviewConfig(BaseModel):
    section: Section | None = None
    level: PlainLevel | None = None  # fixed by the candidate; None means adaptive
    topic: str | None = Field(None, max_length=200)
    count: int = Field(5, ge=1, le=20)
    # "Practise this question" / "Retry": exactly these main questions, in this order; filters are bypassed.
    numbers: list[int] | None = Field(None, min_length=1, max_length=20)


class ClarificationExchange(BaseModel):
    asked: str  # the candidate's clarifying question
    reply: str  # the interviewer's answer to it


class Turn(BaseModel):
    number: int
    kind: Literal["main", "follow_up"]
    text: str
    follow_up_index: int | None = None
    targets: list[int] = Field(default_factory=list)  # parent key points a follow-up aims at
    answer: str | None = None
    grade: GradeResult | None = None
    hints: list[str] = Field(default_factory=list)
    skipped: bool = False
    clarifications: list[ClarificationExchange] = Field(default_factory=list)  # asked before answering; not graded
    # Epoch seconds, stamped by the edge (None in states stored before turns carried times).
    asked_at: float | None = None
    answered_at: float | None = None  # when the answer (or the skip) was submitted

    @property
    def score(self) -> float | None:
        """The grade less the hint penalty; a skipped turn scores 0."""
        if self.skipped:
            return 0.0
        if self.grade is None:
            return None
        return max(0.0, round(self.grade.score - HINT_PENALTY * len(self.hints), 1))


class InterviewState(BaseModel):
    config: InterviewConfig
    level: PlainLevel
    candidates: list[int]
    total: int
    turns: list[Turn] = Field(default_factory=list)
    phase: Phase = "answering"
    queued_follow_ups: list[tuple[int, list[int]]] = Field(default_factory=list)
    strong_streak: int = 0
    weak_streak: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    # Candidates this browser answered or skipped in the last day: asked only when nothing else fits.
    recent: list[int] = Field(default_factory=list)


class Interview:
    def __init__(self, state: InterviewState, bank: Bank) -> None:
        self.state = state
        self.bank = bank

    # -- starting --------------------------------------------------------------------------------------------

    @classmethod
    def begin(
        cls,
        config: InterviewConfig,
        bank: Bank,
        candidates: list[int],
        *,
        now: float | None = None,
        recent: Collection[int] = (),
    ) -> Interview:
        """Start with `candidates` (question numbers, best first) already filtered and ordered by the caller.

        `recent`: numbers answered lately, asked only when no other candidate is left. With `config.numbers`
        exactly those questions are asked, in order, and `candidates` and `recent` are not used.
        """
        if config.numbers:
            config = _practice_config(config, bank)
            pool = list(config.numbers or [])
            recent = ()
        else:
            pool = [n for n in dict.fromkeys(candidates) if n in bank]
        if not pool:
            raise WrongState("no_questions", "No questions match that section, level and topic.")
        first = bank.get(pool[0])
        assert first is not None
        state = InterviewState(
            config=config,
            # Practising given questions starts at the first one's level (the default "mid" clamped into its span).
            level=config.level or (plain_level("mid", first.level) if config.numbers else "mid"),
            candidates=pool,
            total=min(config.count, len(pool)),
            started_at=now,
            recent=[n for n in pool if n in set(recent)],
        )
        interview = cls(state, bank)
        interview._ask_next_main(now)
        return interview

    # -- reading ---------------------------------------------------------------------------------------------

    @property
    def current(self) -> Turn | None:
        return self.state.turns[-1] if self.state.turns and self.state.phase != "finished" else None

    @property
    def finished(self) -> bool:
        return self.state.phase == "finished"

    def question(self, turn: Turn) -> Question:
        question = self.bank.get(turn.number)
        assert question is not None, "turns only ever hold numbers from the bank"
        return question

    def main_index(self) -> int:
        """1-based position of the current main question."""
        return sum(t.kind == "main" for t in self.state.turns)

    def rubric(self, turn: Turn) -> Rubric:
        question = self.question(turn)
        if turn.kind == "main" or turn.follow_up_index is None:
            return Rubric.of(question)
        return Rubric.for_follow_up(question, turn.follow_up_index)

    def follow_up_number(self, turn: Turn) -> int | None:
        """For a follow-up, how many follow-ups of its main question have been asked up to and including it."""
        return _follow_up_numbers(self.state.turns).get(id(turn))

    def suggested_seconds(self, turn: Turn) -> int:
        """A pace to show, not a limit: by kind, section, and the interview's level within the question's span."""
        if turn.kind == "follow_up":
            return FOLLOW_UP_SECONDS
        question = self.question(turn)
        table = CODING_SECONDS if question.section is Section.coding else PROSE_SECONDS
        return table[plain_level(self.state.level, question.level)]

    # -- the candidate's moves -------------------------------------------------------------------------------

    def clarify(self, asked: str, reply: str) -> Turn:
        """A clarifying question and its answer: recorded on the open turn, which stays open for the answer."""
        turn = self._require_answering("ask a clarifying question")
        turn.clarifications.append(ClarificationExchange(asked=asked, reply=reply))
        return turn

    def submit_answer(self, text: str, now: float | None = None) -> Rubric:
        """Record the answer and return what to grade it against; the caller then calls record_grade."""
        turn = self._require_answering("answer")
        turn.answer = text
        turn.answered_at = now
        self.state.phase = "grading"
        return self.rubric(turn)

    def grading_failed(self) -> Turn:
        """Reopen the answered turn after its grading failed, so the candidate can send the answer again."""
        if self.state.phase != "grading":
            raise WrongState("wrong_state", "There is no answer waiting for a grade.")
        turn = self.state.turns[-1]
        turn.answer = None
        turn.answered_at = None
        self.state.phase = "answering"
        return turn

    def record_grade(
        self, grade: GradeResult, follow_up_plan: list[tuple[int, list[int]]], now: float | None = None
    ) -> Turn | None:
        """Store the grade, decide on follow-ups and move on. Returns the next turn, or None when finished.

        `follow_up_plan` is the bank's follow-ups ranked by how well they aim at what this answer missed.
        `now` stamps the next question's asked_at (or the interview's end).
        """
        if self.state.phase != "grading":
            raise WrongState("wrong_state", "There is no answer waiting for a grade.")
        turn = self.state.turns[-1]
        turn.grade = grade
        self.state.phase = "answering"
        if turn.kind == "main":
            self._update_level(turn.score or 0.0)
            self.state.queued_follow_ups = self._follow_ups_due(grade, follow_up_plan)
        return self._advance(now)

    def hint(self) -> str:
        """Reveal one key point the candidate has not been shown yet; each costs HINT_PENALTY points."""
        turn = self._require_answering("hint")
        rubric = self.rubric(turn)
        for point in rubric.key_points:
            if point not in turn.hints:
                turn.hints.append(point)
                return point
        raise WrongState("no_more_hints", "There are no more hints for this question.")

    def skip(self, now: float | None = None) -> Turn | None:
        turn = self._require_answering("skip")
        turn.skipped = True
        turn.answered_at = now
        if turn.kind == "main":
            self.state.queued_follow_ups = []
        return self._advance(now)

    def undo_skip(self) -> Turn:
        """Take back the last skip while the question it led to is untouched; returns the reopened turn.

        The question that came after the skip is withdrawn: a main question goes back to the front of the
        candidates, a follow-up back to the front of the queue, so answering the reopened turn leads to it again.
        """
        s = self.state
        current = s.turns[-1] if s.phase == "answering" and len(s.turns) >= 2 else None
        previous = s.turns[-2] if current is not None else None
        if (
            current is None
            or previous is None
            or not previous.skipped
            or current.skipped
            or current.answer is not None
            or current.hints
            or current.clarifications
        ):
            raise WrongState(
                "nothing_to_undo",
                "There is no skip to undo: a skip can be taken back only before the next question is answered, "
                "hinted at or clarified.",
            )
        s.turns.pop()
        if current.kind == "main":
            s.candidates = [current.number, *(n for n in s.candidates if n != current.number)]
        elif current.follow_up_index is not None:
            s.queued_follow_ups.insert(0, (current.follow_up_index, current.targets))
        previous.skipped = False
        previous.answered_at = None
        return previous

    def end(self, now: float | None = None) -> None:
        if self.finished:
            raise WrongState("finished", "The interview has already ended.")
        if self.state.phase == "answering" and self.state.turns and self.state.turns[-1].answer is None:
            self.state.turns.pop()  # the unanswered question was never attempted; leave it out of the report
        self.state.phase = "finished"
        self.state.finished_at = now

    # -- internals -------------------------------------------------------------------------------------------

    def _require_answering(self, what: str) -> Turn:
        if self.state.phase == "finished":
            raise WrongState("finished", f"The interview has ended; '{what}' no longer applies. Start a new one.")
        if self.state.phase == "grading":
            raise WrongState("grading", f"Your last answer is still being graded; '{what}' must wait.")
        return self.state.turns[-1]

    def _follow_ups_due(self, grade: GradeResult, plan: list[tuple[int, list[int]]]) -> list[tuple[int, list[int]]]:
        # A strong answer moves on; so does a non-answer (probing an "I don't know" helps nobody).
        if grade.score >= STRONG or grade.score <= 0 or not grade.missed:
            return []
        return plan[:MAX_FOLLOW_UPS]

    def _update_level(self, score: float) -> None:
        s = self.state
        s.strong_streak = s.strong_streak + 1 if score >= STRONG else 0
        s.weak_streak = s.weak_streak + 1 if score < WEAK else 0
        if s.config.level is not None:
            return
        step = 1 if s.strong_streak >= 2 else -1 if s.weak_streak >= 2 else 0
        if step:
            s.level = LEVELS[min(2, max(0, LEVELS.index(s.level) + step))]  # type: ignore[assignment]
            s.strong_streak = s.weak_streak = 0

    def _advance(self, now: float | None) -> Turn | None:
        if self.state.queued_follow_ups:
            index, targets = self.state.queued_follow_ups.pop(0)
            parent = self._last_main()
            question = self.question(parent)
            turn = Turn(
                number=parent.number,
                kind="follow_up",
                text=question.follow_ups[index].question,
                follow_up_index=index,
                targets=targets,
                asked_at=now,
            )
            self.state.turns.append(turn)
            return turn
        return self._ask_next_main(now)

    def _last_main(self) -> Turn:
        return next(t for t in reversed(self.state.turns) if t.kind == "main")

    def _ask_next_main(self, now: float | None) -> Turn | None:
        asked = {t.number for t in self.state.turns}
        remaining = [n for n in self.state.candidates if n not in asked]
        if self.main_index() >= self.state.total or not remaining:
            self.state.phase = "finished"
            self.state.finished_at = now
            return None
        if self.state.config.numbers:
            number = remaining[0]  # the candidate chose these questions and their order
        else:
            want = LEVELS.index(self.state.level)
            recent = set(self.state.recent)

            def distance(number: int) -> int:
                lo, hi = level_span(self.bank.get(number).level)  # type: ignore[union-attr]
                return 0 if lo <= want <= hi else min(abs(lo - want), abs(hi - want))

            # Candidates are in preference order; among them take the first at the closest level, and a question
            # answered in the last day only when nothing else is left.
            number = min(remaining, key=lambda n: (n in recent, distance(n), remaining.index(n)))
        turn = Turn(number=number, kind="main", text=self.bank.get(number).title, asked_at=now)  # type: ignore[union-attr]
        self.state.turns.append(turn)
        self.state.phase = "answering"
        return turn

    # -- the report ------------------------------------------------------------------------------------------

    def summary(self, created_at: float | None = None) -> Summary:
        return summarize(self.state, self.bank, created_at)


def plain_level(want: str, span: str) -> PlainLevel:
    """`want` (a plain level) moved into the span of a question's level: ("senior", "junior-mid") -> "mid"."""
    lo, hi = level_span(span)
    return LEVELS[min(hi, max(lo, LEVELS.index(want)))]  # type: ignore[return-value]


def _practice_config(config: InterviewConfig, bank: Bank) -> InterviewConfig:
    """The config for asking exactly `config.numbers`: checked against the bank, the count fitted to them."""
    numbers = list(dict.fromkeys(config.numbers or []))
    unknown = [n for n in numbers if n not in bank]
    if unknown:
        listed = ", ".join(str(n) for n in unknown[:5])
        raise WrongState("unknown_question", f"Not in the question bank: {listed}. Pick numbers the bank has.")
    questions = [q for q in (bank.get(n) for n in numbers) if q is not None]
    sections = {q.section for q in questions}
    level = config.level
    if len(questions) == 1:  # one question is asked at its own level
        level = plain_level(level or "mid", questions[0].level)
    return config.model_copy(
        update={
            "numbers": numbers,
            "count": len(numbers),
            "section": sections.pop() if len(sections) == 1 else None,  # for the report's heading and file name
            "topic": None,
            "level": level,
        }
    )


def _follow_up_numbers(turns: list[Turn]) -> dict[int, int]:
    """id(turn) -> 1-based position of each follow-up among its main question's follow-ups."""
    numbers: dict[int, int] = {}
    count = 0
    for turn in turns:
        count = count + 1 if turn.kind == "follow_up" else 0
        if turn.kind == "follow_up":
            numbers[id(turn)] = count
    return numbers


class QuestionScore(BaseModel):
    number: int
    title: str  # the question as asked (kept for older pages; the same as `question`)
    section: Section
    kind: Literal["main", "follow_up"]
    score: float | None  # after hint penalties; 0 for a skip; None for an answer not graded yet
    hints: int
    skipped: bool
    question: str = ""  # the turn's text as asked
    answer: str | None = None  # the candidate's text; a coding answer holds its code in a fenced block
    criteria: list[CriterionScore] = Field(default_factory=list)
    covered: list[str] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list)
    misconceptions: list[str] = Field(default_factory=list)
    band: Band | None = None
    feedback: str = ""
    reference_answer: str = ""  # for a follow-up, what its own rubric expects
    seconds: float | None = None  # from asked to answered (or skipped)
    level: str = ""  # the bank question's level
    follow_up_index: int | None = None  # the follow-up's index in the bank entry
    follow_up_number: int | None = None  # 1-based among this main question's follow-ups
    grader: Literal["llm", "offline"] | None = None
    tests: TestsSummary | None = None  # a coding answer's hidden-test results


class SectionScore(BaseModel):
    section: Section
    title: str
    average: float
    answered: int


class StudyStep(BaseModel):
    section: Section
    title: str
    average: float | None
    questions: str
    advice: str


class Summary(BaseModel):
    overall: float | None
    level_reached: str
    questions: list[QuestionScore]
    sections: list[SectionScore]
    strongest_points: list[str]
    weakest_points: list[str]
    revisit: list[QuestionScore]
    study_plan: list[StudyStep]
    started_at: float | None = None
    finished_at: float | None = None
    duration_seconds: float | None = None  # unfinished: up to the last answer
    section: Section | None = None  # the section asked for; None: any
    section_title: str = "Any section"
    level: str = "adaptive"  # the level asked for, or "adaptive"
    topic: str | None = None


# How to practise each section, after the guide's week-by-week plan (our wording).
STUDY_ADVICE: dict[Section, str] = {
    Section.fundamentals: "Re-derive bias-variance, overfitting and the metrics; explain each aloud in two minutes "
    "with a concrete example.",
    Section.algorithms: "Implement the core algorithms from scratch and build a comparison table: assumptions, "
    "complexity, when each fails.",
    Section.deep_learning: "Train small networks yourself; trace a forward and backward pass by hand and explain "
    "each architectural choice.",
    Section.system_design: "Practise drawing end-to-end designs: goals and metrics, data, models, serving, "
    "evaluation, monitoring.",
    Section.statistics: "Work problems on paper: distributions, tests, estimators; say what each assumption buys you.",
    Section.coding: "Code the implementations under a timer, then test them on tiny cases you can check by hand.",
}


def _row(interview: Interview, turn: Turn, follow_up_number: int | None) -> QuestionScore:
    question = interview.question(turn)
    grade = turn.grade
    seconds = None
    if turn.asked_at is not None and turn.answered_at is not None:
        seconds = round(max(0.0, turn.answered_at - turn.asked_at), 1)
    return QuestionScore(
        number=turn.number,
        title=turn.text,
        section=question.section,
        kind=turn.kind,
        score=turn.score,
        hints=len(turn.hints),
        skipped=turn.skipped,
        question=turn.text,
        answer=turn.answer,
        criteria=list(grade.criteria) if grade else [],
        covered=list(grade.covered) if grade else [],
        missed=list(grade.missed) if grade else [],
        misconceptions=list(grade.misconceptions) if grade else [],
        band=grade.band if grade else None,
        feedback=grade.feedback if grade else "",
        reference_answer=interview.rubric(turn).reference_answer,
        seconds=seconds,
        level=question.level,
        follow_up_index=turn.follow_up_index,
        follow_up_number=follow_up_number,
        grader=grade.grader if grade else None,
        tests=grade.tests if grade else None,
    )


def summarize(state: InterviewState, bank: Bank, created_at: float | None = None) -> Summary:
    """The report on what was answered so far. `created_at` stands in for `started_at` in older stored states."""
    interview = Interview(state, bank)
    follow_up_numbers = _follow_up_numbers(state.turns)
    rows = [
        _row(interview, turn, follow_up_numbers.get(id(turn)))
        for turn in state.turns
        if turn.answer is not None or turn.skipped  # asked but never answered: not in the report
    ]
    mains = [r for r in rows if r.kind == "main" and r.score is not None]
    by_section: dict[Section, list[float]] = {}
    for r in mains:
        by_section.setdefault(r.section, []).append(r.score or 0.0)
    sections = [
        SectionScore(section=s, title=SECTION_TITLES[s], average=round(mean(v), 1), answered=len(v))
        for s, v in sorted(by_section.items(), key=lambda kv: mean(kv[1]))
    ]
    graded = sorted(
        (t for t in state.turns if t.grade is not None and t.kind == "main"),
        key=lambda t: t.score or 0.0,
    )
    strongest = [p for t in reversed(graded) for p in (t.grade.covered if t.grade else [])][:3]
    weakest = [p for t in graded for p in (t.grade.missed if t.grade else [])][:3]
    revisit = [r for r in mains if r.skipped or (r.score is not None and r.score < 6)]
    averages = {s.section: s.average for s in sections}
    plan_sections = sorted(by_section, key=lambda s: averages[s])
    study_plan = [
        StudyStep(
            section=s,
            title=SECTION_TITLES[s],
            average=averages.get(s),
            questions=f"Questions {SECTION_RANGES[s].start}-{SECTION_RANGES[s].stop - 1}",
            advice=STUDY_ADVICE[s],
        )
        for s in plan_sections
    ]
    started = state.started_at if state.started_at is not None else created_at
    answered = [t.answered_at for t in state.turns if t.answered_at is not None]
    end = state.finished_at if state.finished_at is not None else max(answered, default=None)
    config = state.config
    return Summary(
        overall=round(mean(r.score or 0.0 for r in mains), 1) if mains else None,
        level_reached=state.level,
        questions=rows,
        sections=sections,
        strongest_points=strongest,
        weakest_points=weakest,
        revisit=revisit,
        study_plan=study_plan,
        started_at=started,
        finished_at=state.finished_at,
        duration_seconds=round(max(0.0, end - started), 1) if started is not None and end is not None else None,
        section=config.section,
        section_title=SECTION_TITLES[config.section] if config.section else "Any section",
        level=config.level or "adaptive",
        topic=config.topic,
    )


def report_filename(summary: Summary) -> str:
    """mock-interview-2025-01-31-deep-learning.md: the start date (UTC) and the section ("mixed" for any)."""
    slug = summary.section.value.replace("_", "-") if summary.section else "mixed"
    if summary.started_at is None:
        return f"mock-interview-{slug}.md"
    return f"mock-interview-{datetime.fromtimestamp(summary.started_at, UTC):%Y-%m-%d}-{slug}.md"


def _when(epoch: float) -> str:
    return f"{datetime.fromtimestamp(epoch, UTC):%Y-%m-%d %H:%M} UTC"


def _duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quoted(text: str) -> list[str]:
    """The candidate's text as a blockquote: whatever it holds (fences, pipes, headings) stays inside the quote."""
    return [f"> {line}" if line.strip() else ">" for line in text.rstrip().splitlines()] or [">"]


def _question_block(q: QuestionScore) -> list[str]:
    heading = f"### Q{q.number} · {SECTION_TITLES[q.section]} · {q.level}"
    if q.kind == "follow_up":
        heading += f" · follow-up {q.follow_up_number or ''}".rstrip()
    lines = [heading, "", f"**Question:** {_one_line(q.question)}", ""]
    if q.skipped:
        lines += ["**Your answer:** skipped", ""]
    else:
        lines += ["**Your answer:**", "", *_quoted(q.answer or ""), ""]
    if q.skipped:
        lines += ["**Score:** 0/10 (skipped)", ""]
    elif q.score is None:
        lines += ["**Score:** not graded yet", ""]
    else:
        band = f" ({q.band})" if q.band else ""
        hints = f" · {q.hints} hint{'s' if q.hints != 1 else ''} taken" if q.hints else ""
        grader = f" · graded {q.grader}" if q.grader else ""
        lines += [f"**Score:** {q.score}/10{band}{hints}{grader}", ""]
        lines += [f"- {c.criterion.value}: {c.score}/10. {_one_line(c.reason)}" for c in q.criteria]
        if q.criteria:
            lines.append("")
    if q.tests is not None:
        ran = "" if q.tests.ran else " (not run)"
        lines += [f"**Hidden tests:** passed {q.tests.passed} of {q.tests.total}{ran}", ""]
    if q.feedback:
        lines += [f"**Feedback:** {_one_line(q.feedback)}", ""]
    # The offline grader matches by meaning and can miss a point made in other words: it says what it found.
    where = "your explanation" if q.tests is not None else "your answer"
    found, not_found = ("Covered", "Missed") if q.grader == "llm" else (f"Found in {where}", f"Not found in {where}")
    for label, points in ((found, q.covered), (not_found, q.missed), ("Misconceptions", q.misconceptions)):
        if points:
            lines += [f"**{label}:**", "", *[f"- {_one_line(p)}" for p in points], ""]
    if q.seconds is not None:
        lines += [f"**Time taken:** {_duration(q.seconds)}", ""]
    lines += ["**Reference answer:**", "", q.reference_answer.strip(), ""]
    return lines


def summary_markdown(summary: Summary, title: str = "Mock interview report") -> str:
    lines = [f"# {title}", ""]
    facts = [f"**Date:** {_when(summary.started_at)}"] if summary.started_at is not None else []
    facts += [f"**Section:** {summary.section_title}", f"**Level:** {summary.level}"]
    if summary.topic:
        facts.append(f"**Topic:** {_one_line(summary.topic)}")
    if summary.duration_seconds is not None:
        facts.append(f"**Duration:** {_duration(summary.duration_seconds)}")
    lines += [" · ".join(facts), ""]
    overall = "n/a" if summary.overall is None else f"{summary.overall}/10"
    lines += [f"**Overall:** {overall} · **Level reached:** {summary.level_reached}", ""]
    lines += ["## Scores", "", "| # | Question | Kind | Score | Hints |", "|---|---|---|---|---|"]
    for q in summary.questions:
        score = "skipped" if q.skipped else ("-" if q.score is None else f"{q.score}")
        title = _one_line(q.title).replace("|", "\\|")
        lines.append(f"| {q.number} | {title} | {q.kind.replace('_', '-')} | {score} | {q.hints} |")
    lines += ["", "## Questions", ""]
    for q in summary.questions:
        lines += _question_block(q)
    if not summary.questions:
        lines += ["No question was answered.", ""]
    lines += ["## Sections", ""]
    lines += [f"- {s.title}: {s.average}/10 over {s.answered} question(s)" for s in summary.sections] or ["- none"]
    if summary.strongest_points:
        lines += ["", "## Strongest points", "", *[f"- {_one_line(p)}" for p in summary.strongest_points]]
    if summary.weakest_points:
        lines += ["", "## Weakest points", "", *[f"- {_one_line(p)}" for p in summary.weakest_points]]
    lines += ["", "## Revisit", ""]
    lines += [f"- Q{q.number}: {_one_line(q.title)}" for q in summary.revisit] or ["- nothing: well done"]
    lines += ["", "## Study plan", ""]
    for i, step in enumerate(summary.study_plan, start=1):
        avg = "" if step.average is None else f" (you averaged {step.average}/10)"
        lines.append(f"{i}. **{step.title}**{avg}: {step.questions}. {step.advice}")
    return "\n".join(lines) + "\n"
