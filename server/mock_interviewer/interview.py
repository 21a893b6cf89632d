"""The interview as a pure state machine: which question comes next, follow-ups, hints, levels, the summary.

No I/O here. The edge (the WebSocket handler) grades answers and persists state; this module only decides.
A message that does not fit the current phase raises WrongState and leaves the state untouched.
"""

from __future__ import annotations

from statistics import mean
from typing import Literal

from pydantic import BaseModel, Field

from .bank import LEVELS, SECTION_RANGES, SECTION_TITLES, Bank, Question, Section, level_span
from .grading.models import GradeResult
from .grading.rubric import Rubric

STRONG = 8.0  # an answer at or above this would pass: no follow-ups, counts toward levelling up
WEAK = 4.0  # below this counts toward levelling down
HINT_PENALTY = 1.0  # points off a turn's score per hint taken
MAX_FOLLOW_UPS = 2
PlainLevel = Literal["junior", "mid", "senior"]
Phase = Literal["answering", "grading", "finished"]


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


class Interview:
    def __init__(self, state: InterviewState, bank: Bank) -> None:
        self.state = state
        self.bank = bank

    # -- starting --------------------------------------------------------------------------------------------

    @classmethod
    def begin(cls, config: InterviewConfig, bank: Bank, candidates: list[int]) -> Interview:
        """Start with `candidates` (question numbers, best first) already filtered and ordered by the caller."""
        pool = [n for n in dict.fromkeys(candidates) if n in bank]
        if not pool:
            raise WrongState("no_questions", "No questions match that section, level and topic.")
        state = InterviewState(
            config=config,
            level=config.level or "mid",
            candidates=pool,
            total=min(config.count, len(pool)),
        )
        interview = cls(state, bank)
        interview._ask_next_main()
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

    # -- the candidate's moves -------------------------------------------------------------------------------

    def clarify(self, asked: str, reply: str) -> Turn:
        """A clarifying question and its answer: recorded on the open turn, which stays open for the answer."""
        turn = self._require_answering("ask a clarifying question")
        turn.clarifications.append(ClarificationExchange(asked=asked, reply=reply))
        return turn

    def submit_answer(self, text: str) -> Rubric:
        """Record the answer and return what to grade it against; the caller then calls record_grade."""
        turn = self._require_answering("answer")
        turn.answer = text
        self.state.phase = "grading"
        return self.rubric(turn)

    def record_grade(self, grade: GradeResult, follow_up_plan: list[tuple[int, list[int]]]) -> Turn | None:
        """Store the grade, decide on follow-ups and move on. Returns the next turn, or None when finished.

        `follow_up_plan` is the bank's follow-ups ranked by how well they aim at what this answer missed.
        """
        if self.state.phase != "grading":
            raise WrongState("wrong_state", "There is no answer waiting for a grade.")
        turn = self.state.turns[-1]
        turn.grade = grade
        self.state.phase = "answering"
        if turn.kind == "main":
            self._update_level(turn.score or 0.0)
            self.state.queued_follow_ups = self._follow_ups_due(grade, follow_up_plan)
        return self._advance()

    def hint(self) -> str:
        """Reveal one key point the candidate has not been shown yet; each costs HINT_PENALTY points."""
        turn = self._require_answering("hint")
        rubric = self.rubric(turn)
        for point in rubric.key_points:
            if point not in turn.hints:
                turn.hints.append(point)
                return point
        raise WrongState("no_more_hints", "There are no more hints for this question.")

    def skip(self) -> Turn | None:
        turn = self._require_answering("skip")
        turn.skipped = True
        if turn.kind == "main":
            self.state.queued_follow_ups = []
        return self._advance()

    def end(self) -> None:
        if self.finished:
            raise WrongState("finished", "The interview has already ended.")
        if self.state.phase == "answering" and self.state.turns and self.state.turns[-1].answer is None:
            self.state.turns.pop()  # the unanswered question was never attempted; leave it out of the report
        self.state.phase = "finished"

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

    def _advance(self) -> Turn | None:
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
            )
            self.state.turns.append(turn)
            return turn
        return self._ask_next_main()

    def _last_main(self) -> Turn:
        return next(t for t in reversed(self.state.turns) if t.kind == "main")

    def _ask_next_main(self) -> Turn | None:
        asked = {t.number for t in self.state.turns}
        remaining = [n for n in self.state.candidates if n not in asked]
        if self.main_index() >= self.state.total or not remaining:
            self.state.phase = "finished"
            return None
        want = LEVELS.index(self.state.level)

        def distance(number: int) -> int:
            lo, hi = level_span(self.bank.get(number).level)  # type: ignore[union-attr]
            return 0 if lo <= want <= hi else min(abs(lo - want), abs(hi - want))

        # Candidates are in preference order; among them take the first at the closest level.
        number = min(remaining, key=lambda n: (distance(n), remaining.index(n)))
        turn = Turn(number=number, kind="main", text=self.bank.get(number).title)  # type: ignore[union-attr]
        self.state.turns.append(turn)
        self.state.phase = "answering"
        return turn

    # -- the report ------------------------------------------------------------------------------------------

    def summary(self) -> Summary:
        return summarize(self.state, self.bank)


class QuestionScore(BaseModel):
    number: int
    title: str
    section: Section
    kind: Literal["main", "follow_up"]
    score: float | None
    hints: int
    skipped: bool


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


def summarize(state: InterviewState, bank: Bank) -> Summary:
    rows: list[QuestionScore] = []
    for turn in state.turns:
        question = bank.get(turn.number)
        assert question is not None
        if turn.grade is None and not turn.skipped:
            continue  # asked but never answered
        rows.append(
            QuestionScore(
                number=turn.number,
                title=turn.text,
                section=question.section,
                kind=turn.kind,
                score=turn.score,
                hints=len(turn.hints),
                skipped=turn.skipped,
            )
        )
    mains = [r for r in rows if r.kind == "main"]
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
    return Summary(
        overall=round(mean(r.score or 0.0 for r in mains), 1) if mains else None,
        level_reached=state.level,
        questions=rows,
        sections=sections,
        strongest_points=strongest,
        weakest_points=weakest,
        revisit=revisit,
        study_plan=study_plan,
    )


def summary_markdown(summary: Summary, title: str = "Mock interview report") -> str:
    lines = [f"# {title}", ""]
    overall = "n/a" if summary.overall is None else f"{summary.overall}/10"
    lines += [f"**Overall:** {overall} · **Level reached:** {summary.level_reached}", ""]
    lines += ["## Questions", "", "| # | Question | Kind | Score | Hints |", "|---|---|---|---|---|"]
    for q in summary.questions:
        score = "skipped" if q.skipped else ("-" if q.score is None else f"{q.score}")
        title = q.title.replace("|", "\\|")
        lines.append(f"| {q.number} | {title} | {q.kind.replace('_', '-')} | {score} | {q.hints} |")
    lines += ["", "## Sections", ""]
    lines += [f"- {s.title}: {s.average}/10 over {s.answered} question(s)" for s in summary.sections] or ["- none"]
    if summary.strongest_points:
        lines += ["", "## Strongest points", "", *[f"- {p}" for p in summary.strongest_points]]
    if summary.weakest_points:
        lines += ["", "## Weakest points", "", *[f"- {p}" for p in summary.weakest_points]]
    lines += ["", "## Revisit", ""]
    lines += [f"- Q{q.number}: {q.title}" for q in summary.revisit] or ["- nothing: well done"]
    lines += ["", "## Study plan", ""]
    for i, step in enumerate(summary.study_plan, start=1):
        avg = "" if step.average is None else f" (you averaged {step.average}/10)"
        lines.append(f"{i}. **{step.title}**{avg}: {step.questions}. {step.advice}")
    return "\n".join(lines) + "\n"
