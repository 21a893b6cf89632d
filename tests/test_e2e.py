"""End to end: the real server (offline grader, packaged model) driven in headless Chromium by Playwright."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.model]




def strong_answer(server: str, number: int) -> str:
    q = httpx.get(f"{server}/api/questions/{number}").json()
    return " ".join(q["key_points"])


def start(page: Page, section: str, count: int) -> None:
    page.select_option("select[name=section]", section)
    page.fill("input[name=count]", str(count))
    page.click("#start-button")
    expect(page.locator(".bubble.interviewer").first).to_be_visible()


def current_number(page: Page) -> int:
    label = page.locator(".bubble.interviewer .who").last.inner_text()
    return int(label.split("Q")[1].split(" ")[0])


def answer(page: Page, text: str) -> None:
    page.fill("#answer-box", text)
    page.locator("#answer-box").press("Control+Enter")  # the keyboard path


def next_question(page: Page) -> None:
    """Press Next on the newest feedback card: the page holds the next question back until then."""
    page.locator(".feedback .next:visible").click()


def test_a_whole_offline_interview_to_the_report(page: Page, server: str, shots: Path) -> None:
    expect(page.locator("#grader-badge")).to_have_text("Offline grader")
    # The candidate is told what an offline score cannot vouch for.
    expect(page.locator("#grader-badge")).to_have_attribute("title", re.compile("can miss a wrong claim"))
    start(page, "fundamentals", 2)
    expect(page.locator("#progress")).to_have_text("Question 1 of 2")
    answer(page, strong_answer(server, current_number(page)))
    card = page.locator(".feedback").first
    expect(card).to_be_visible()
    expect(card.locator(".grader")).to_have_attribute("title", re.compile("Configure an LLM"))
    expect(card.locator(".criterion")).to_have_count(4)
    expect(card.locator(".criterion meter")).to_have_count(4)
    assert float(card.locator(".score").inner_text().split("/")[0]) >= 8
    assert card.locator(".covered li").count() >= 4
    expect(card.locator(".reference-body")).to_be_hidden()
    expect(card.locator(".follow-up")).not_to_be_empty()
    page.add_style_tag(content=".topbar { position: static !important; }")  # keep the header out of the shots
    card.screenshot(path=str(shots / "feedback-card.png"))
    card.locator("details summary").click()
    expect(card.locator(".reference-body")).to_be_visible()
    expect(card.locator(".common-mistakes li").first).to_be_visible()
    assert card.locator(".common-mistakes li .correction").count() >= 4

    next_question(page)
    expect(page.locator("#progress")).to_have_text("Question 2 of 2")
    expect(page.locator("#hint")).to_contain_text("Hint (−1 pt)")  # the cost is said before use
    page.click("#hint")
    expect(page.locator(".bubble.hint")).to_have_count(1)
    expect(page.locator(".bubble.hint .who")).to_have_text("Hint 1 · −1 pt")
    assert not page.locator(".bubble.hint .text").inner_text().lower().startswith("hint")  # "Hint" said once
    second = httpx.get(f"{server}/api/questions/{current_number(page)}").json()
    answer(page, second["key_points"][0])
    # a partial answer usually earns follow-ups; skip them to reach the report
    report = page.locator("#report-view")
    follow_ups = 0
    expect(page.locator(".feedback")).to_have_count(2)
    page.locator(".feedback .next-end button:visible").click()  # the Next at the foot of the card
    while not report.is_visible() and follow_ups < 3:
        expect(page.locator("#skip")).to_be_enabled()
        follow_ups = page.locator(".bubble.follow-up").count()
        page.click("#skip")
        page.wait_for_timeout(300)
    expect(report).to_be_visible()
    expect(page.locator("#report-table tbody tr")).to_have_count(2 + follow_ups)
    expect(page.locator("#section-chart svg rect")).to_have_count(1)
    expect(page.locator("#study-plan li")).to_have_count(1)
    assert (
        "Fundamentals" in page.locator("#study-plan").inner_text()
        or "fundamentals" in page.locator("#study-plan").inner_text()
    )
    with page.expect_download() as download:
        page.click("#download")
    assert Path(download.value.path()).read_text().startswith("# Mock interview report")
    report.screenshot(path=str(shots / "report.png"))
    page.click("#new-interview")
    expect(page.locator("#history-list li")).to_have_count(1)


def test_reload_mid_interview_resumes_and_continues(page: Page, server: str) -> None:
    start(page, "statistics", 2)
    first = current_number(page)
    answer(page, strong_answer(server, first))
    expect(page.locator(".feedback")).to_have_count(1)
    next_question(page)
    expect(page.locator("#progress")).to_have_text("Question 2 of 2")
    second = current_number(page)
    page.reload()
    expect(page.locator(".note").first).to_contain_text("resuming")
    expect(page.locator("#progress")).to_have_text("Question 2 of 2")
    assert current_number(page) == second
    expect(page.locator(".bubble.candidate")).to_have_count(1)  # the first answer is back in the transcript
    expect(page.locator(".feedback")).to_have_count(1)  # with its whole card
    answer(page, strong_answer(server, second))
    expect(page.locator(".feedback")).to_have_count(2)
    next_question(page)
    expect(page.locator("#report-view")).to_be_visible()


def card_top(page: Page) -> float:
    return page.locator(".feedback").last.evaluate("c => c.getBoundingClientRect().top")


def test_the_card_waits_for_next_and_the_last_card_comes_before_the_report(
    page: Page, server: str, shots: Path
) -> None:
    start(page, "fundamentals", 2)
    first = current_number(page)
    answer(page, strong_answer(server, first))
    card = page.locator(".feedback").first
    expect(card).to_be_visible()
    # The card scrolls into view with its score on screen, below the sticky header.
    page.wait_for_function(
        """() => { const c = document.querySelector('.feedback').getBoundingClientRect();
                   const h = document.querySelector('.topbar').getBoundingClientRect().bottom;
                   return c.top >= h - 1 && c.top < innerHeight - 100; }"""
    )
    expect(card.locator(".score")).to_be_in_viewport()
    # The next question has arrived but is held back until Next.
    page.wait_for_timeout(600)
    expect(page.locator(".bubble.interviewer")).to_have_count(1)
    expect(page.locator("#progress")).to_have_text("Question 1 of 2")
    expect(page.locator("#answer-box")).to_be_disabled()
    expect(card.locator(".next")).to_be_visible()
    expect(card.locator(".next")).to_contain_text("Next")
    page.screenshot(path=str(shots / "feedback-card-next.png"))
    page.keyboard.press("n")  # the key works when focus is not in a text box
    expect(page.locator(".bubble.interviewer")).to_have_count(2)
    expect(page.locator("#progress")).to_have_text("Question 2 of 2")
    expect(card.locator(".next")).to_be_hidden()
    expect(card.locator(".next-end")).to_be_hidden()
    expect(page.locator("#answer-box")).to_be_enabled()
    # In the answer box, N is just a letter.
    page.fill("#answer-box", "")
    page.locator("#answer-box").press("n")
    expect(page.locator("#answer-box")).to_have_value("n")

    # Repeat re-shows the question in place, without a second bubble.
    page.click("#repeat")
    page.wait_for_timeout(400)
    expect(page.locator(".bubble.interviewer")).to_have_count(2)
    expect(page.locator(".bubble.interviewer").last).to_have_class(re.compile("flash"))

    answer(page, strong_answer(server, current_number(page)))
    last = page.locator(".feedback").nth(1)
    expect(last).to_be_visible()
    expect(last.locator(".next")).to_have_text(re.compile("See the report"))
    expect(last.locator(".next-end button")).to_have_text(re.compile("See the report"))
    expect(page.locator("#report-view")).to_be_hidden()  # the last card comes first
    expect(last.locator(".score")).to_be_in_viewport()
    assert page.evaluate("scrollY") > 0
    last.locator(".next").click()
    expect(page.locator("#report-view")).to_be_visible()
    page.wait_for_function("window.scrollY === 0", timeout=5000)  # a smooth scroll may still be settling
    page.wait_for_timeout(300)
    assert page.evaluate("scrollY") == 0  # and it stays at the top


def test_script_injection_renders_as_text(page: Page, server: str) -> None:
    start(page, "coding", 1)
    payload = "<img src=x onerror=alert(1)> <script>alert(2)</script> **bold?**"
    answer(page, payload)
    expect(page.locator(".feedback")).to_have_count(1)
    bubble = page.locator(".bubble.candidate").first
    expect(bubble).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("#chat img").count() == 0 and page.locator("#chat script").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_readable_on_a_phone(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(server)
    expect(page.locator("#start-button")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no horizontal scrolling
    context.close()
