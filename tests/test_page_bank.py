"""The "study the bank" view (web/bank.js): browse, filter, search and read entries, in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.model]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def entries(server: str) -> dict[int, dict[str, Any]]:
    with httpx.Client(base_url=server) as client:
        listing = client.get("/api/questions").json()
        return {q["number"]: client.get(f"/api/questions/{q['number']}").json() for q in listing}


def open_page(browser: Browser, server: str, path: str = "/", viewport: dict[str, int] = DESKTOP) -> Page:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(server + path)
    return page


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    page = open_page(browser, server)
    yield page
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def items(page: Page) -> Any:
    return page.locator("#bank-list .bank-item")


def numbers(page: Page) -> list[int]:
    return [int(n) for n in items(page).evaluate_all("(links) => links.map((a) => a.dataset.number)")]


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


def test_open_the_bank_from_the_start_page_and_go_back(page: Page) -> None:
    expect(page.locator("#start-view")).to_be_visible()
    page.click("#open-bank")
    expect(page.locator("#bank-view")).to_be_visible()
    expect(page.locator("#start-view")).to_be_hidden()
    assert page.evaluate("location.hash") == "#bank"
    expect(items(page)).to_have_count(120)
    expect(page.locator("#bank-status")).to_contain_text("120 questions")
    expect(page.locator("#bank-title")).to_be_focused()
    # Every item shows its number, title and level, and is a link the keyboard reaches.
    first = items(page).first
    expect(first).to_have_attribute("href", "#bank/1")
    expect(first.locator(".bank-num")).to_have_text("Q1")
    expect(first.locator(".bank-level")).to_be_visible()

    page.click("#bank-back-start")
    expect(page.locator("#start-view")).to_be_visible()
    expect(page.locator("#bank-view")).to_be_hidden()
    assert page.evaluate("location.hash") == ""
    page.go_back()  # the browser's Back returns to the bank
    expect(page.locator("#bank-view")).to_be_visible()


def test_filter_by_section_and_level(page: Page, entries: dict[int, dict[str, Any]]) -> None:
    page.click("#open-bank")
    expect(items(page)).to_have_count(120)
    page.select_option("#bank-section", "deep_learning")
    expected = sorted(n for n, q in entries.items() if q["section"] == "deep_learning")
    expect(items(page)).to_have_count(len(expected))
    assert numbers(page) == expected
    sections = items(page).evaluate_all("(links) => links.map((a) => a.dataset.section)")
    assert set(sections) == {"deep_learning"}
    expect(page.locator("#bank-status")).to_contain_text("Deep learning")

    page.select_option("#bank-level", "senior")
    senior = [n for n in expected if "senior" in entries[n]["level"].split("-")]
    expect(items(page)).to_have_count(len(senior))
    assert numbers(page) == senior

    page.select_option("#bank-section", "")
    page.select_option("#bank-level", "")
    expect(items(page)).to_have_count(120)


def test_search_finds_attention_and_says_when_nothing_matches(page: Page) -> None:
    page.click("#open-bank")
    expect(items(page)).to_have_count(120)
    page.fill("#bank-search", "attention queries keys values")  # debounced: searches without Enter
    expect(page.locator("#bank-status")).to_contain_text("matching", timeout=15000)
    assert 58 in numbers(page)[:3], numbers(page)  # 58: How does the attention mechanism work?

    page.fill("#bank-search", "how to bake sourdough bread")
    page.press("#bank-search", "Enter")
    expect(page.locator("#bank-status")).to_contain_text("No questions match")
    expect(items(page)).to_have_count(0)

    page.fill("#bank-search", "")  # an empty box browses again
    expect(items(page)).to_have_count(120)

    page.route("**/api/search**", lambda route: route.abort())
    page.fill("#bank-search", "dropout")
    page.press("#bank-search", "Enter")
    expect(page.locator("#bank-status")).to_contain_text("The search failed")
    expect(page.locator("#bank-status")).to_have_attribute("data-kind", "error")


def test_read_an_entry(page: Page, entries: dict[int, dict[str, Any]]) -> None:
    q = entries[57]
    page.click("#open-bank")
    expect(items(page)).to_have_count(120)
    link = page.locator('#bank-list .bank-item[data-number="57"]')
    link.focus()
    page.keyboard.press("Enter")  # list items are links: the keyboard opens them
    entry = page.locator("#bank-entry")
    expect(entry.locator("#bank-entry-title")).to_have_text(q["title"])
    expect(entry.locator("#bank-entry-title")).to_be_focused()
    assert page.evaluate("location.hash") == "#bank/57"
    expect(link).to_have_attribute("aria-current", "true")
    expect(entry.locator(".bank-entry-meta")).to_contain_text("Deep learning")
    expect(entry.locator(".bank-entry-meta .bank-level")).to_have_text("mid")

    reference = entry.locator(".bank-reference")
    expect(reference).to_contain_text("Vanilla RNN")
    assert reference.locator("p").count() > 2 and reference.locator("table").count() == 1
    expect(entry.locator(".bank-points li")).to_have_count(len(q["key_points"]))
    expect(entry.locator(".bank-points li").first).to_contain_text("vanilla RNN")
    expect(entry.locator(".bank-follow-ups > li")).to_have_count(len(q["follow_ups"]))
    expect(entry.locator(".bank-fu-question").first).to_have_text(q["follow_ups"][0]["question"])
    expect(entry.locator(".bank-fu-expects").first).to_contain_text("A good answer covers")
    expect(entry.locator(".bank-mistakes > li")).to_have_count(len(q["mistakes"]))
    expect(entry.locator(".bank-claim").first).to_contain_text(q["mistakes"][0]["claim"])
    expect(entry.locator(".bank-correction").first).to_contain_text(q["mistakes"][0]["correction"])
    for heading in ("Reference answer", "Key points", "Follow-up questions", "Common mistakes"):
        expect(entry.get_by_role("heading", name=heading)).to_be_visible()
    # Desktop: the list stays beside the entry.
    expect(link).to_be_visible()

    entry.locator(".bank-back").click()
    expect(entry).to_be_hidden()
    assert page.evaluate("location.hash") == "#bank"
    expect(link).to_be_focused()


def test_a_coding_entry_shows_its_starter_and_examples(page: Page, entries: dict[int, dict[str, Any]]) -> None:
    q = entries[105]
    page.goto(page.url.split("#")[0] + "#bank/105")
    entry = page.locator("#bank-entry")
    expect(entry.locator("#bank-entry-title")).to_have_text(q["title"])
    expect(entry.locator("pre.bank-starter")).to_contain_text("class LogisticRegressionGD")
    expect(entry.locator("pre.bank-examples")).to_contain_text(q["task"]["examples"][0]["call"])
    expect(entry.locator(".bank-task-entry code")).to_have_count(len(q["task"]["entry"]))


def test_math_goes_through_the_markdown_renderer(page: Page, server: str, entries: dict[int, dict[str, Any]]) -> None:
    number = next(n for n, q in sorted(entries.items()) if "\\frac" in q["reference_answer"])
    page.goto(f"{server}/#bank/{number}")
    reference = page.locator("#bank-entry .bank-reference")
    expect(reference).to_be_visible()
    assert len(reference.inner_text().strip()) > 200
    if page.evaluate("typeof window.katex !== 'undefined'"):
        assert reference.locator(".katex").count() > 0
        assert "\\frac" not in reference.inner_text()  # typeset, not shown as source
    else:
        assert reference.locator(".math").count() > 0


def test_a_deep_link_survives_reload_and_back(page: Page, server: str) -> None:
    page.goto(f"{server}/#bank/57")
    title = page.locator("#bank-entry-title")
    expect(title).to_have_text(re.compile("RNN and an LSTM"))
    expect(page.locator("#start-view")).to_be_hidden()
    page.reload()
    expect(title).to_have_text(re.compile("RNN and an LSTM"))
    page.click('#bank-list .bank-item[data-number="58"]')
    expect(title).to_have_text(re.compile("attention mechanism"))
    page.go_back()
    expect(title).to_have_text(re.compile("RNN and an LSTM"))
    page.go_back()  # before the bank: the start screen
    expect(page.locator("#start-view")).to_be_visible()
    expect(page.locator("#bank-view")).to_be_hidden()


def test_practise_dispatches_the_event(page: Page, server: str) -> None:
    page.goto(f"{server}/#bank/57")
    expect(page.locator("#bank-entry-title")).to_have_text(re.compile("RNN"))
    page.evaluate(
        """() => { window.__practised = [];
        document.addEventListener("mi:practise", (e) => window.__practised.push(e.detail)); }"""
    )
    page.get_by_role("button", name="Practise this question").click()
    assert page.evaluate("window.__practised") == [{"numbers": [57]}]
    assert page.evaluate("location.hash") == ""


def test_phone_has_no_horizontal_scroll(browser: Browser, server: str) -> None:
    page = open_page(browser, server, "/#bank", PHONE)
    try:
        expect(items(page)).to_have_count(120)
        no_horizontal_scroll(page)
        items(page).first.click()
        expect(page.locator("#bank-entry-title")).to_be_visible()
        expect(page.locator("#bank-list")).to_be_hidden()  # stacked: the entry replaces the list
        page.goto(f"{server}/#bank/57")  # math and a table
        expect(page.locator("#bank-entry .bank-reference table")).to_be_attached()
        page.wait_for_timeout(200)
        no_horizontal_scroll(page)
        page.goto(f"{server}/#bank/105")  # long code lines scroll inside their own box
        starter = page.locator("pre.bank-starter")
        expect(starter).to_be_visible()
        no_horizontal_scroll(page)
        assert starter.evaluate("(pre) => pre.scrollWidth > pre.clientWidth")
        page.locator(".bank-back").click()
        expect(items(page)).to_have_count(120)
        expect(page.locator("#bank-list")).to_be_visible()
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


def test_filters_and_search_survive_a_reload(page: Page, server: str) -> None:
    page.goto(f"{server}/#bank")
    page.select_option("#bank-section", "deep_learning")
    page.fill("#bank-search", "dropout regularization")
    page.locator("#bank-search").press("Enter")
    expect(items(page).first).to_be_visible()
    before = numbers(page)
    page.reload()
    expect(page.locator("#bank-section")).to_have_value("deep_learning")
    expect(page.locator("#bank-search")).to_have_value("dropout regularization")
    expect(items(page).first).to_be_visible()
    assert numbers(page) == before and all(51 <= n <= 70 for n in before)
