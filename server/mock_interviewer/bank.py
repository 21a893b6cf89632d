"""The question bank: Markdown files with YAML front matter in knowledge/, validated on load."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Section(StrEnum):
    fundamentals = "fundamentals"
    algorithms = "algorithms"
    deep_learning = "deep_learning"
    system_design = "system_design"
    statistics = "statistics"
    coding = "coding"


SECTION_TITLES: dict[Section, str] = {
    Section.fundamentals: "ML fundamentals",
    Section.algorithms: "Algorithms",
    Section.deep_learning: "Deep learning",
    Section.system_design: "System design & production",
    Section.statistics: "Statistics & math",
    Section.coding: "Coding & implementation",
}

# The guide's numbering: each section owns a fixed range of question numbers.
SECTION_RANGES: dict[Section, range] = {
    Section.fundamentals: range(1, 21),
    Section.algorithms: range(21, 51),
    Section.deep_learning: range(51, 71),
    Section.system_design: range(71, 86),
    Section.statistics: range(86, 101),
    Section.coding: range(101, 121),
}

Level = Literal["junior", "junior-mid", "mid", "mid-senior", "senior"]
LEVELS: tuple[str, ...] = ("junior", "mid", "senior")


def level_span(level: str) -> tuple[int, int]:
    """'junior-mid' -> (0, 1): the range of plain levels a question suits."""
    parts = level.split("-")
    return LEVELS.index(parts[0]), LEVELS.index(parts[-1])


class FollowUp(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    question: NonEmpty
    expects: NonEmpty
    # The follow-up's own rubric: an answer to it is graded on these, never on the parent's key points.
    key_points: list[NonEmpty] = Field(default_factory=list, max_length=4)


class Example(BaseModel):
    """A visible example of a coding task: a Python expression over the candidate's names, and its value."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    call: NonEmpty
    expect: NonEmpty


class Task(BaseModel):
    """The contract of a coding question: what the candidate implements, how it is shown and how it is tested."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    entry: list[NonEmpty] = Field(min_length=1, max_length=4)  # names the candidate's code must define
    starter: NonEmpty  # signature(s) with docstrings, pre-filled in the editor
    examples: list[Example] = Field(min_length=2, max_length=4)
    tests: NonEmpty  # file name in knowledge/tasks/: hidden tests, each `def test_...(candidate)`


class Mistake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    claim: NonEmpty
    correction: NonEmpty


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=120)
    title: NonEmpty
    section: Section
    level: Level
    tags: list[NonEmpty] = Field(min_length=1)
    aliases: list[NonEmpty] = Field(default_factory=list, max_length=10)  # other ways to ask, for search
    key_points: list[NonEmpty] = Field(min_length=4, max_length=8)
    follow_ups: list[FollowUp] = Field(min_length=2, max_length=3)
    mistakes: list[Mistake] = Field(min_length=1)
    assume: str | None = None  # what to assume where the question's scope is ambiguous; told on a clarifying question
    solution: str | None = None
    task: Task | None = None
    reference_answer: NonEmpty
    reference_solution: str | None = None
    # The source of task.tests, read at load time; never serialised, so the API does not hand out the hidden tests.
    hidden_tests: str | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _fits_section(self) -> Question:
        if self.number not in SECTION_RANGES[self.section]:
            r = SECTION_RANGES[self.section]
            raise ValueError(f"number {self.number} is outside section {self.section.value} ({r.start}-{r.stop - 1})")
        if self.section is Section.coding and not self.solution:
            raise ValueError("coding questions need a 'solution' file")
        if self.task is not None and self.section is not Section.coding:
            raise ValueError("only coding questions have a 'task'")
        return self

    def suits(self, level: str) -> bool:
        lo, hi = level_span(self.level)
        want_lo, want_hi = level_span(level)
        return lo <= want_hi and want_lo <= hi


class BankError(Exception):
    """The bank is invalid; `problems` holds one line per problem, each naming the file and the field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid question bank:\n" + "\n".join(f"  - {p}" for p in self.problems))


class Bank:
    def __init__(self, questions: Sequence[Question], fingerprint: str) -> None:
        self._by_number = {q.number: q for q in sorted(questions, key=lambda q: q.number)}
        self.fingerprint = fingerprint

    def __len__(self) -> int:
        return len(self._by_number)

    def __iter__(self) -> Iterator[Question]:
        return iter(self._by_number.values())

    def __contains__(self, number: object) -> bool:
        return number in self._by_number

    def get(self, number: int) -> Question | None:
        return self._by_number.get(number)

    def filter(self, section: Section | None = None, level: str | None = None) -> list[Question]:
        return [q for q in self if (section is None or q.section == section) and (level is None or q.suits(level))]

    def sections(self) -> list[Section]:
        return sorted({q.section for q in self}, key=list(Section).index)

    def missing_numbers(self) -> list[int]:
        return [n for n in range(1, 121) if n not in self._by_number]


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (yaml, body) of a '---' fenced front matter document."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file must start with '---' and YAML front matter")
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    raise ValueError("the front matter has no closing '---'")


def _describe(error: ValidationError) -> list[str]:
    out = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"]) or "front matter"
        out.append(f"field '{where}': {e['msg']}")
    return out


def load_question(path: Path) -> Question:
    """Parse one question file; raises BankError naming the file and the field."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        front, body = split_front_matter(text)
        meta = yaml.safe_load(front)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        detail = str(exc).replace("\n", " ")
        raise BankError([f"{name}: cannot parse: {detail}"]) from exc
    if not isinstance(meta, dict):
        raise BankError([f"{name}: front matter must be a YAML mapping"])
    if {"reference_answer", "reference_solution", "hidden_tests"} & set(meta):
        raise BankError([f"{name}: the reference answer is the file body, not a front-matter field"])
    data = {**meta, "reference_answer": body.strip()}
    solution = meta.get("solution")
    if isinstance(solution, str) and solution.strip():
        solution_path = path.parent / "solutions" / solution
        if not solution_path.is_file():
            raise BankError([f"{name}: field 'solution': no file knowledge/solutions/{solution}"])
        data["reference_solution"] = solution_path.read_text(encoding="utf-8")
    task = meta.get("task")
    if isinstance(task, dict) and isinstance(task.get("tests"), str):
        tests_path = path.parent / "tasks" / task["tests"]
        if not tests_path.is_file():
            raise BankError([f"{name}: field 'task.tests': no file knowledge/tasks/{task['tests']}"])
        data["hidden_tests"] = tests_path.read_text(encoding="utf-8")
    try:
        return Question.model_validate(data)
    except ValidationError as exc:
        raise BankError([f"{name}: {d}" for d in _describe(exc)]) from exc


def question_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.md") if p.name[:3].isdigit())


def fingerprint(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_bank(directory: Path) -> Bank:
    """Load and validate every question file; collect all problems before failing."""
    if not directory.is_dir():
        raise BankError([f"{directory}: the knowledge directory does not exist"])
    files = question_files(directory)
    if not files:
        raise BankError([f"{directory}: no question files (NNN-slug.md) found"])
    problems: list[str] = []
    questions: list[Question] = []
    seen: dict[int, str] = {}
    for path in files:
        try:
            q = load_question(path)
        except BankError as exc:
            problems.extend(exc.problems)
            continue
        if q.number in seen:
            problems.append(f"{path.name}: field 'number': {q.number} is already used by {seen[q.number]}")
            continue
        seen[q.number] = path.name
        questions.append(q)
    if problems:
        raise BankError(problems)
    solutions = sorted((directory / "solutions").glob("*.py")) + sorted((directory / "tasks").glob("*.py"))
    return Bank(questions, fingerprint([*files, *solutions]))
