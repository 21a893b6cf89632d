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
    report_filename,
    summarize,
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


# -- times, pacing, practice, undo, the report (pure: every time is passed in) ---------------------------------


def timed_answer(interview: Interview, score: float, at: float, missed: int = 0, text: str = "my answer"):  # type: ignore[no-untyped-def]
    turn = interview.current
    assert turn is not None
    interview.submit_answer(text, now=at)
    return interview.record_grade(grade(turn.number, score, interview.bank, missed), PLAN, now=at + 5)


def test_turns_and_the_interview_carry_their_times(bank: Bank) -> None:
    interview = Interview.begin(InterviewConfig(count=2), bank, [1, 2], now=1000.0)
    assert interview.state.started_at == 1000.0 and interview.current.asked_at == 1000.0  # type: ignore[union-attr]
    follow_up = timed_answer(interview, 5, at=1100.0, missed=2)
    first = interview.state.turns[0]
    assert first.answered_at == 1100.0 and follow_up is not None and follow_up.asked_at == 1105.0
    interview.skip(now=1200.0)
    assert interview.state.turns[1].answered_at == 1200.0
    interview.end(now=1300.0)
    assert interview.state.finished_at == 1300.0
    summary = interview.summary()
    assert summary.started_at == 1000.0 and summary.finished_at == 1300.0 and summary.duration_seconds == 300.0
    assert [q.seconds for q in summary.questions] == [100.0, 95.0]


def test_a_state_stored_before_times_still_loads(bank: Bank) -> None:
    interview = begin(bank, count=2)
    answer(interview, 5, missed=2)
    old = interview.state.model_dump(mode="json")
    for key in ("started_at", "finished_at", "recent"):
        del old[key]
    for turn in old["turns"]:
        del turn["asked_at"], turn["answered_at"]
    restored = Interview(InterviewState.model_validate(old), bank)
    assert restored.state.started_at is None and restored.current.asked_at is None  # type: ignore[union-attr]
    summary = summarize(restored.state, bank, created_at=500.0)
    assert summary.started_at == 500.0 and summary.questions[0].seconds is None
    assert report_filename(summary) == "mock-interview-1970-01-01-mixed.md"


def test_grading_failure_reopens_the_turn_without_its_answer_time(bank: Bank) -> None:
    interview = begin(bank, count=1)
    interview.submit_answer("x", now=10.0)
    turn = interview.grading_failed()
    assert turn.answer is None and turn.answered_at is None and interview.state.phase == "answering"


def test_follow_ups_are_counted_and_paced(bank: Bank) -> None:
    interview = Interview.begin(InterviewConfig(count=2, level="junior"), bank, [1, 101])
    main = interview.current
    assert main is not None and interview.follow_up_number(main) is None
    assert interview.suggested_seconds(main) == 180
    fu1 = answer(interview, 5, missed=3)
    assert fu1 is not None and interview.follow_up_number(fu1) == 1 and interview.suggested_seconds(fu1) == 180
    fu2 = answer(interview, 5)
    assert fu2 is not None and interview.follow_up_number(fu2) == 2
    coding = answer(interview, 5)
    assert coding is not None and coding.number == 101 and interview.follow_up_number(coding) is None
    # junior asked for; a question that starts above it is paced at its own lowest level
    lowest = bank.get(101).level.split("-")[0]  # type: ignore[union-attr]
    assert interview.suggested_seconds(coding) == {"junior": 900, "mid": 1200, "senior": 1500}[lowest]


def test_suggested_seconds_follow_the_level_within_the_questions_span(bank: Bank) -> None:
    senior = [q.number for q in bank if q.section is Section.fundamentals and q.level == "senior"][:1]
    coding = [q.number for q in bank if q.section is Section.coding and q.level == "senior"][:1]
    for numbers, seconds in ((senior, 420), (coding, 1500)):
        if not numbers:
            continue
        interview = Interview.begin(InterviewConfig(count=1, level="senior"), bank, numbers)
        assert interview.suggested_seconds(interview.current) == seconds  # type: ignore[arg-type]
    mid = Interview.begin(InterviewConfig(count=1, level="mid"), bank, [q.number for q in bank.filter(level="mid")])
    assert mid.suggested_seconds(mid.current) in (300, 1200)  # type: ignore[arg-type]


def test_practice_numbers_are_asked_exactly_in_order(bank: Bank) -> None:
    numbers = [57, 3, 110]
    config = InterviewConfig(count=5, section=Section.statistics, topic="anything", numbers=numbers)
    interview = Interview.begin(config, bank, [99, 98], recent=[57, 3, 110])
    assert interview.state.total == 3 and interview.state.config.count == 3
    assert interview.state.config.section is None and interview.state.config.topic is None
    asked = []
    while not interview.finished:
        asked.append(interview.current.number)  # type: ignore[union-attr]
        answer(interview, 9)
    assert asked == numbers


def test_one_practice_question_is_asked_at_its_own_level(bank: Bank) -> None:
    for q in (bank.get(1), bank.get(120), next(q for q in bank if q.level == "junior-mid")):
        assert q is not None
        interview = Interview.begin(InterviewConfig(numbers=[q.number], level="senior"), bank, [])
        assert q.suits(interview.state.level) and interview.state.config.level == interview.state.level
        assert interview.state.config.section is q.section


def test_practice_numbers_must_be_in_the_bank(bank: Bank) -> None:
    with pytest.raises(WrongState) as info:
        Interview.begin(InterviewConfig(numbers=[1, 999]), bank, [])
    assert info.value.code == "unknown_question" and "999" in str(info.value)


def test_recent_questions_are_asked_only_when_nothing_else_fits(bank: Bank) -> None:
    pool = [q.number for q in bank.filter(Section.fundamentals)]
    interview = Interview.begin(InterviewConfig(count=len(pool)), bank, pool, recent=pool[:3])
    asked = []
    while not interview.finished:
        asked.append(interview.current.number)  # type: ignore[union-attr]
        answer(interview, 9, plan=[])
    assert set(asked[-3:]) == set(pool[:3]) and len(asked) == len(pool)


def test_undo_skip_reopens_the_skipped_main_question(bank: Bank) -> None:
    interview = Interview.begin(InterviewConfig(count=3), bank, [1, 2, 3, 4], now=0.0)
    interview.skip(now=30.0)
    first, nxt = interview.state.turns[0], interview.current
    assert nxt is not None and nxt.number != first.number
    reopened = interview.undo_skip()
    assert reopened is interview.current and reopened is first and not reopened.skipped
    assert reopened.answered_at is None and reopened.asked_at == 0.0
    assert interview.state.candidates[0] == nxt.number and len(interview.state.turns) == 1
    assert answer(interview, 9).number == nxt.number  # type: ignore[union-attr]  # the withdrawn question is next


def test_undo_skip_of_a_follow_up_puts_the_next_follow_up_back(bank: Bank) -> None:
    interview = begin(bank, count=2)
    answer(interview, 5, missed=3)
    fu1 = interview.current
    assert fu1 is not None and fu1.kind == "follow_up"
    fu2 = interview.skip()
    assert fu2 is not None and fu2.kind == "follow_up"
    assert interview.undo_skip() is fu1 and interview.current is fu1
    nxt = answer(interview, 6)
    assert nxt is not None and nxt.kind == "follow_up" and nxt.follow_up_index == fu2.follow_up_index


def test_undo_skip_is_refused_when_there_is_nothing_to_undo(bank: Bank) -> None:
    interview = begin(bank, count=3)
    with pytest.raises(WrongState) as info:  # no skip yet
        interview.undo_skip()
    assert info.value.code == "nothing_to_undo"
    answer(interview, 9)  # answered, then the next: the turn before is not skipped
    with pytest.raises(WrongState):
        interview.undo_skip()
    interview.skip()
    interview.hint()  # touched the question after the skip
    before = interview.state.model_dump()
    with pytest.raises(WrongState) as info:
        interview.undo_skip()
    assert info.value.code == "nothing_to_undo" and interview.state.model_dump() == before
    skipping = begin(bank, count=3)
    skipping.skip()
    skipping.clarify("Should I assume a linear model?", "Yes.")
    with pytest.raises(WrongState):
        skipping.undo_skip()
    last = begin(bank, count=1)
    last.skip()  # the interview ended with the skip
    with pytest.raises(WrongState):
        last.undo_skip()
    grading = begin(bank, count=3)
    grading.skip()
    grading.submit_answer("an answer")
    with pytest.raises(WrongState):
        grading.undo_skip()


def test_the_summary_reports_each_answer_with_its_grade(bank: Bank) -> None:
    config = InterviewConfig(count=2, section=Section.fundamentals, topic="bias")
    interview = Interview.begin(config, bank, [1, 2], now=1_700_000_000.0)
    text = "It has `code` and | pipes |\n```\nunclosed fence\n\n# not a heading"
    timed_answer(interview, 5, at=1_700_000_060.0, missed=2, text=text)
    fu = interview.current
    assert fu is not None and fu.kind == "follow_up"
    interview.skip(now=1_700_000_100.0)
    interview.end(now=1_700_000_200.0)
    summary = interview.summary()
    assert (summary.section, summary.section_title, summary.level, summary.topic) == (
        Section.fundamentals, "ML fundamentals", "adaptive", "bias")
    main, skipped = summary.questions
    q1 = bank.get(1)
    assert q1 is not None
    assert main.question == q1.title and main.answer == text and main.band == "partial" and main.grader == "offline"
    assert [c.criterion.value for c in main.criteria] == ["correctness", "completeness", "depth", "clarity"]
    assert main.missed == list(q1.key_points[:2]) and main.covered == list(q1.key_points[2:])
    assert main.reference_answer == q1.reference_answer and main.level == q1.level and main.seconds == 60.0
    assert skipped.skipped and skipped.kind == "follow_up" and skipped.follow_up_number == 1
    assert skipped.reference_answer == q1.follow_ups[skipped.follow_up_index or 0].expects
    assert skipped.answer is None and skipped.criteria == [] and skipped.band is None
    assert report_filename(summary) == "mock-interview-2023-11-14-fundamentals.md"
    markdown = summary_markdown(summary)
    assert "**Date:** 2023-11-14 22:13 UTC" in markdown and "**Duration:** 3 min 20 s" in markdown
    assert "### Q1 · ML fundamentals · " + q1.level in markdown
    assert "· follow-up 1" in markdown and "**Your answer:** skipped" in markdown
    quoted = [line for line in markdown.splitlines() if line.startswith(">")]
    assert quoted == ["> It has `code` and | pipes |", "> ```", "> unclosed fence", ">", "> # not a heading"]
    assert "**Time taken:** 1 min 00 s" in markdown and q1.reference_answer.strip() in markdown
    assert markdown.index("## Questions") < markdown.index("## Sections") < markdown.index("## Study plan")


def test_the_file_name_says_mixed_without_a_section(bank: Bank) -> None:
    interview = Interview.begin(InterviewConfig(count=1), bank, [54], now=86400.0 * 365)
    interview.end(now=86400.0 * 365 + 1)
    assert report_filename(interview.summary()) == "mock-interview-1971-01-01-mixed.md"
    practice = Interview.begin(InterviewConfig(numbers=[54]), bank, [], now=0.0)
    assert report_filename(practice.summary()) == "mock-interview-1970-01-01-deep-learning.md"
