"""The README's screenshots: start page, bank entry, feedback card and report; desktop and phone, light and dark.

`MOCK_INTERVIEWER_SCREENSHOTS=docs/screenshots make test` (or pytest on this file) regenerates docs/screenshots;
otherwise they go to a temporary folder. Each view is also checked for what a screenshot would show wrong:
horizontal scroll, a wrapped header on a phone, the wrong theme.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_e2e import answer, next_question, start, strong_answer

pytestmark = [pytest.mark.e2e, pytest.mark.model]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def check(page: Page, size: str, theme: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "horizontal scroll"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in dark[dark.index("(") + 1 : dark.index(")")].split(",")[:3]]
    assert (sum(channels) / 3 < 80) == (theme == "dark"), f"{theme} theme shows background {dark}"
    if size == "phone":
        assert page.locator("header.topbar").bounding_box()["height"] < 60  # type: ignore[index]


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots(browser: Browser, server: str, shots: Path, size: str, theme: str) -> None:
    phone = size == "phone"
    context = browser.new_context(
        viewport=SIZES[size], color_scheme=theme, is_mobile=phone, has_touch=phone, device_scale_factor=1
    )
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(server)
    expect(page.locator("#conn")).to_have_text("connected")
    name = f"{size}-{theme}"

    check(page, size, theme)
    page.screenshot(path=str(shots / f"start-{name}.png"))

    page.goto(f"{server}/#bank/57")  # attention: math in the reference answer
    expect(page.locator("#bank-view .katex").first).to_be_visible()
    check(page, size, theme)
    page.screenshot(path=str(shots / f"bank-{name}.png"))

    page.goto(server)
    expect(page.locator("#conn")).to_have_text("connected")
    start(page, "deep_learning", 1)
    label = page.locator(".bubble.interviewer .who").last.inner_text()
    number = int(label.split("Q")[1].split(" ")[0])
    answer(page, strong_answer(server, number))
    card = page.locator(".feedback").last
    expect(card).to_be_visible()
    page.add_style_tag(content=".topbar { position: static !important; }")  # keep the header off the card
    card.scroll_into_view_if_needed()
    check(page, size, theme)
    card.screenshot(path=str(shots / f"feedback-{name}.png"))

    next_question(page)
    expect(page.locator("#report-view")).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    check(page, size, theme)
    page.screenshot(path=str(shots / f"report-{name}.png"), full_page=not phone)
    context.close()
