"""The interview view, driven in Chromium: nothing lost on reload, pacing, Skip with undo, limits, shortcuts."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from .test_e2e import answer, current_number, next_question, start, strong_answer

pytestmark = [pytest.mark.e2e, pytest.mark.model]


def test_reload_restores_cards_hints_labels_and_the_draft(page: Page, server: str) -> None:
    start(page, "deep_learning", 3)
    first = current_number(page)
    expect(page.locator(".bubble.interviewer .who").first).to_contain_text(re.compile(r"Deep learning · (junior|mid|senior)"))
    page.click("#hint")
    expect(page.locator(".bubble.hint")).to_have_count(1)
    hint = page.locator(".bubble.hint .text").inner_text()
    answer(page, strong_answer(server, first))
    card = page.locator(".feedback").first
    expect(card).to_be_visible()
    score = card.locator(".score").inner_text()
    next_question(page)
    page.click("#hint")  # a hint on the open question comes back too
    expect(page.locator(".bubble.hint")).to_have_count(2)
    open_hint = page.locator(".bubble.hint .text").last.inner_text()
    page.fill("#answer-box", "A half-written thought about residual connections")

    page.reload()
    expect(page.locator("#conn")).to_have_text("connected")
    # The card comes back whole (score, criteria, reference), with the hint and the section/level label.
    restored = page.locator(".feedback").first
    expect(restored).to_be_visible()
    expect(restored.locator(".score")).to_have_text(score)
    expect(restored.locator(".criterion meter").first).to_have_attribute("aria-label", re.compile("out of 10"))
    assert (restored.locator(".reference-body").text_content() or "").strip()
    expect(page.locator(".bubble.hint .text").first).to_have_text(hint)
    expect(page.locator(".bubble.hint .text").last).to_have_text(open_hint)
    expect(page.locator(".bubble.hint .who").last).to_have_text("Hint 1 · −1 pt")
    expect(page.locator(".bubble.interviewer .who").first).to_contain_text("Deep learning")
    assert page.locator(".note", has_text="Scored").count() == 0
    # The half-written answer is still in the box, and it is gone from storage once sent.
    expect(page.locator("#answer-box")).to_have_value("A half-written thought about residual connections")
    answer(page, "Residual connections add the input back so gradients flow through the identity path.")
    expect(page.locator(".feedback")).to_have_count(2)
    drafts = page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('mi.draft.')).length")
    assert drafts == 0


def test_skip_asks_first_and_can_be_undone(page: Page, server: str) -> None:
    start(page, "statistics", 3)
    skipped = current_number(page)
    page.click("#skip")
    assert any("Skip this question" in d for d in page.dialogs)  # type: ignore[attr-defined]
    expect(page.locator("#progress")).to_have_text(re.compile("Question 2 of 3"))
    assert current_number(page) != skipped
    questions_before = page.locator(".bubble.interviewer").count()
    page.click(".undo-skip")
    # The skipped question is open again, in its own bubble: no duplicate, no "(skipped)".
    expect(page.locator("#progress")).to_have_text(re.compile("Question 1 of 3"))
    expect(page.locator(".bubble.candidate", has_text="(skipped)")).to_have_count(0)
    expect(page.locator(".bubble.interviewer")).to_have_count(questions_before - 1)
    assert current_number(page) == skipped
    # Once the next answer is sent, a later skip's undo is the only one offered.
    answer(page, strong_answer(server, skipped))
    expect(page.locator(".feedback")).to_have_count(1)


def test_a_long_answer_is_refused_with_a_reason_and_kept(page: Page) -> None:
    start(page, "fundamentals", 1)
    long_text = "word " * 1700  # 8,500 characters, over the 8,000 limit
    page.fill("#answer-box", long_text)
    expect(page.locator("#answer-count")).to_be_visible()
    expect(page.locator("#answer-count")).to_have_attribute("data-over", "1")
    page.locator("#answer-box").press("Control+Enter")
    expect(page.locator(".bubble.error")).to_contain_text("the limit is 8,000")
    expect(page.locator("#answer-box")).to_have_value(long_text)  # nothing cut, nothing sent
    expect(page.locator(".bubble.candidate")).to_have_count(0)


def test_pacing_follow_ups_and_timer(page: Page, server: str) -> None:
    expect(page.locator("#start-view")).to_contain_text("up to two follow-ups")
    page.check("#timer-wanted")
    start(page, "algorithms", 1)
    expect(page.locator("#timer")).to_be_visible()
    expect(page.locator("#timer-text")).to_contain_text(re.compile(r"This question 0:\d\d / \d+:00 suggested"))
    # A partial answer brings a follow-up: the progress says so and the bar is not full.
    entry = httpx.get(f"{server}/api/questions/{current_number(page)}").json()
    answer(page, entry["key_points"][0])
    next_question(page)
    expect(page.locator("#progress")).to_have_text(re.compile(r"Question 1 of 1 · follow-up 1 \(up to 2\)"))
    assert page.evaluate("document.getElementById('progress-bar').value") < 1


def test_keyboard_shortcuts_and_help(page: Page) -> None:
    start(page, "system_design", 2)
    page.locator("#answer-box").focus()
    page.keyboard.press("Alt+h")
    expect(page.locator(".bubble.hint")).to_have_count(1)
    page.locator("body").focus()
    page.locator("h1").click()
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    expect(page.locator("#shortcuts")).to_contain_text("Alt+S")
    page.keyboard.press("Escape")
    expect(page.locator("#shortcuts")).to_be_hidden()
    # Only short news is announced; the conversation itself is not a live region.
    expect(page.locator("#chat")).to_have_attribute("aria-live", "off")
    expect(page.locator("#announcer")).to_contain_text("Hint")


def test_practise_one_question(page: Page) -> None:
    page.evaluate("document.dispatchEvent(new CustomEvent('mi:practise', { detail: { numbers: [57] } }))")
    expect(page.locator("#progress")).to_have_text(re.compile("Question 1 of 1"))
    assert current_number(page) == 57


def test_ask_the_interviewer_and_grade_a_misread_answer(page: Page) -> None:
    start(page, "fundamentals", 2)
    page.fill("#answer-box", "Should I assume the classes are balanced here")
    page.click("#ask")
    expect(page.locator(".bubble.interviewer", has_text="clarification")).to_have_count(1)
    expect(page.locator(".feedback")).to_have_count(0)
    expect(page.locator("#progress")).to_have_text(re.compile("Question 1 of 2"))
    # A typed question is read as one; the candidate can still have it graded as the answer.
    page.fill("#answer-box", "Do you mean for classification or regression?")
    page.locator("#answer-box").press("Control+Enter")
    expect(page.locator(".grade-anyway")).to_have_count(1)
    page.click(".grade-anyway")
    expect(page.locator(".feedback")).to_have_count(1)


def test_practise_from_the_bank_during_an_interview_leaves_it_for_the_new_one(page: Page, server: str) -> None:
    start(page, "statistics", 3)
    page.goto(f"{server}/#bank/57")
    page.get_by_role("button", name=re.compile("Practise this question")).click()
    assert any("Leave your current interview" in d for d in page.dialogs)  # type: ignore[attr-defined]
    expect(page.locator("#progress")).to_have_text(re.compile("Question 1 of 1"))
    assert current_number(page) == 57


def test_retry_from_the_report_starts_that_question_again(page: Page, server: str) -> None:
    page.evaluate("document.dispatchEvent(new CustomEvent('mi:practise', { detail: { numbers: [13] } }))")
    expect(page.locator("#progress")).to_have_text(re.compile("Question 1 of 1"))
    answer(page, strong_answer(server, 13))
    next_question(page)
    expect(page.locator("#report-view")).to_be_visible()
    page.locator("#report-view button.retry").first.click()
    expect(page.locator("#interview-view")).to_be_visible()
    expect(page.locator("#progress")).to_have_text(re.compile("Question 1 of 1"))
    assert current_number(page) == 13
    expect(page.locator(".feedback")).to_have_count(0)  # a fresh interview, not the old transcript


def test_the_timer_choice_holds_for_practise_too(page: Page) -> None:
    page.check("#timer-wanted")  # remembered when ticked, not only when the form is sent
    page.evaluate("document.dispatchEvent(new CustomEvent('mi:practise', { detail: { numbers: [58] } }))")
    expect(page.locator("#timer")).to_be_visible()
    expect(page.locator("#timer-text")).to_contain_text("suggested")
