"""The interview state machine on its own: no socket, no model."""

from __future__ import annotations

import pytest

from mock_interviewer.bank import Bank, Section
from mock_interviewer.grading.models import Criterion, CriterionScore, GradeResult, band_for
from mock_interviewer.interview import (
    HINT_PENALTY,
    Interview,
    InterviewConfig,
    InterviewState,
    WrongState,
    summary_markdown,
)


def grade(number: int, score: float, bank: Bank, missed: int = 0) -> GradeResult:
    q = bank.get(number)
    assert q is not None
    kps = list(q.key_points)
    return GradeResult(
        number=number,
        score=score,
        band=band_for(score),
        criteria=[CriterionScore(criterion=c, score=int(score), reason="r") for c in Criterion],
        covered=kps[missed:],
        missed=kps[:missed],
        misconceptions=[],
        feedback="f",
        follow_up=q.follow_ups[0].question,
        grader="offline",
    )


PLAN = [(0, [0]), (1, [1]), (2, [2])]


def begin(bank: Bank, **config: object) -> Interview:
    numbers = [q.number for q in bank.filter(Section.fundamentals)]
    return Interview.begin(InterviewConfig(**config), bank, numbers)  # type: ignore[arg-type]


def answer(interview: Interview, score: float, missed: int = 0, plan: list[tuple[int, list[int]]] = PLAN):  # type: ignore[no-untyped-def]
    turn = interview.current
    assert turn is not None
    interview.submit_answer("my answer")
    return interview.record_grade(grade(turn.number, score, interview.bank, missed), plan)


def test_a_strong_answer_moves_to_the_next_main_question(bank: Bank) -> None:
    interview = begin(bank, count=3)
    first = interview.current
    assert first is not None and first.kind == "main"
    nxt = answer(interview, 9)
    assert nxt is not None and nxt.kind == "main" and nxt.number != first.number


def test_a_partial_answer_gets_up_to_two_follow_ups_aimed_at_the_gaps(bank: Bank) -> None:
    interview = begin(bank, count=2)
    first = interview.current
    assert first is not None
    fu1 = answer(interview, 5, missed=3)
    q = bank.get(first.number)
    assert fu1 is not None and fu1.kind == "follow_up" and fu1.number == first.number
    assert fu1.text == q.follow_ups[0].question and fu1.targets == [0]  # type: ignore[union-attr]
    fu2 = answer(interview, 6)
    assert fu2 is not None and fu2.kind == "follow_up" and fu2.follow_up_index == 1
    nxt = answer(interview, 6)
    assert nxt is not None and nxt.kind == "main"


def test_i_dont_know_is_graded_and_moves_on_without_follow_ups(bank: Bank) -> None:
    interview = begin(bank, count=2)
    nxt = answer(interview, 0, missed=4)
    assert nxt is not None and nxt.kind == "main"
    assert interview.state.turns[0].grade is not None


def test_hints_reveal_key_points_in_turn_and_cost_points(bank: Bank) -> None:
    interview = begin(bank, count=1)
    turn = interview.current
    assert turn is not None
    q = bank.get(turn.number)
    assert interview.hint() == q.key_points[0]  # type: ignore[union-attr]
    assert interview.hint() == q.key_points[1]  # type: ignore[union-attr]
    answer(interview, 9)
    assert interview.state.turns[0].score == 9 - 2 * HINT_PENALTY
    assert interview.finished


def test_hints_run_out(bank: Bank) -> None:
    interview = begin(bank, count=1)
    for _ in range(len(bank.get(interview.current.number).key_points)):  # type: ignore[union-attr]
        interview.hint()
    with pytest.raises(WrongState) as info:
        interview.hint()
    assert info.value.code == "no_more_hints"


def test_skip_scores_zero_and_drops_pending_follow_ups(bank: Bank) -> None:
    interview = begin(bank, count=2)
    answer(interview, 5, missed=2)  # follow-up now pending
    assert interview.current.kind == "follow_up"  # type: ignore[union-attr]
    nxt = interview.skip()
    assert nxt is not None and nxt.kind == "follow_up"  # the second follow-up is still queued
    nxt = interview.skip()
    assert nxt is not None and nxt.kind == "main"
    interview.skip()  # skip the second main question: interview over
    assert interview.finished
    summary = interview.summary()
    assert [r.skipped for r in summary.questions if r.kind == "main"] == [False, True]
    assert any(r.skipped for r in summary.revisit)


def test_messages_in_the_wrong_state_raise_and_change_nothing(bank: Bank) -> None:
    interview = begin(bank, count=1)
    turn = interview.current
    assert turn is not None
    with pytest.raises(WrongState):
        interview.record_grade(grade(turn.number, 5, bank), PLAN)  # nothing to grade yet
    interview.submit_answer("x")
    before = interview.state.model_dump()
    for move in (interview.hint, interview.skip, lambda: interview.submit_answer("again")):
        with pytest.raises(WrongState) as info:
            move()
        assert info.value.code == "grading"
    assert interview.state.model_dump() == before
    interview.record_grade(grade(turn.number, 9, bank), PLAN)
    assert interview.finished
    with pytest.raises(WrongState) as info:
        interview.submit_answer("late")
    assert info.value.code == "finished"
    with pytest.raises(WrongState):
        interview.end()


def test_level_rises_after_two_strong_answers_and_falls_after_two_weak(bank: Bank) -> None:
    interview = Interview.begin(InterviewConfig(count=8), bank, [q.number for q in bank])
    assert interview.state.level == "mid"
    answer(interview, 9)
    answer(interview, 9)
    assert interview.state.level == "senior"
    nxt = interview.current
    assert nxt is not None and bank.get(nxt.number).suits("senior")  # type: ignore[union-attr]
    answer(interview, 2, plan=[])
    answer(interview, 1, plan=[])
    assert interview.state.level == "mid"


def test_a_fixed_level_never_changes(bank: Bank) -> None:
    interview = Interview.begin(InterviewConfig(count=4, level="junior"), bank, [q.number for q in bank])
    answer(interview, 10)
    answer(interview, 10)
    assert interview.state.level == "junior"


def test_no_question_is_asked_twice(bank: Bank) -> None:
    interview = begin(bank, count=20)
    while not interview.finished:
        answer(interview, 9)
    numbers = [t.number for t in interview.state.turns if t.kind == "main"]
    assert len(numbers) == 20 == len(set(numbers))


def test_end_leaves_the_unanswered_question_out_and_reports(bank: Bank) -> None:
    interview = begin(bank, count=5)
    answer(interview, 9)
    answer(interview, 3, missed=3, plan=[])
    interview.end()
    summary = interview.summary()
    assert [q.score for q in summary.questions] == [9, 3]
    assert summary.overall == 6.0
    assert summary.sections[0].section is Section.fundamentals and summary.sections[0].average == 6.0
    assert [q.score for q in summary.revisit] == [3]
    assert summary.study_plan[0].section is Section.fundamentals
    assert summary.weakest_points and summary.strongest_points
    markdown = summary_markdown(summary)
    assert "| 9.0 |" in markdown and "## Study plan" in markdown


def test_study_plan_starts_with_the_weakest_section(bank: Bank) -> None:
    numbers = [1, 21, 51]
    interview = Interview.begin(InterviewConfig(count=3, level="senior"), bank, numbers)
    scores = {1: 9, 21: 2, 51: 6}
    while not interview.finished:
        answer(interview, scores[interview.current.number], plan=[])  # type: ignore[union-attr]
    plan = [s.section for s in interview.summary().study_plan]
    assert plan == [Section.algorithms, Section.deep_learning, Section.fundamentals]


def test_state_round_trips_through_json(bank: Bank) -> None:
    interview = begin(bank, count=3)
    answer(interview, 5, missed=2)
    interview.hint()
    restored = Interview(InterviewState.model_validate_json(interview.state.model_dump_json()), bank)
    assert restored.state == interview.state
    assert restored.current == interview.current


def test_no_matching_questions_is_a_clear_error(bank: Bank) -> None:
    with pytest.raises(WrongState) as info:
        Interview.begin(InterviewConfig(), bank, [])
    assert info.value.code == "no_questions"
