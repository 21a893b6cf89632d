"""End to end, a coding question in headless Chromium: the editor, Run examples, Submit, the hidden-test table."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.model]


def test_a_coding_question_end_to_end(page: Page, server: str, shots: Path) -> None:
    reference = httpx.get(f"{server}/api/questions/114").json()
    page.select_option("select[name=section]", "coding")
    page.fill("input[name=topic]", "reservoir sampling: k random items from a stream of unknown length")
    page.fill("input[name=count]", "1")
    page.click("#start-button")
    expect(page.locator(".bubble.interviewer .who").last).to_contain_text("Q114")
    editor = page.locator("#editor .cm-content")
    expect(editor).to_contain_text("def reservoir_sample(stream, k, rng=None):")  # the starter, pre-filled
    expect(page.locator("#editor .cm-lineNumbers")).to_be_visible()

    # The prose box: Tab indents and keeps the focus, so a following space cannot press Send.
    box = page.locator("#answer-box")
    box.fill("O(n)")
    box.press("Tab")
    page.keyboard.press("Space")
    assert box.evaluate("b => b.value") == "O(n)     " and box.evaluate("b => document.activeElement === b")
    expect(page.locator(".bubble.candidate")).to_have_count(0)

    # Edit in the editor: Tab indents (the focus stays in the editor), and nothing is sent.
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("x = 1")
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    expect(page.locator("#editor .cm-line").first).to_have_text("    x = 1")
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    expect(page.locator(".bubble.candidate")).to_have_count(0)

    # A wrong implementation: Run examples shows a row per example, with what failed.
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("def reservoir_sample(stream, k, rng=None):\n    return list(stream)[:k]\n")
    page.click("#run-examples")
    rows = page.locator("#run-table tbody tr")
    expect(rows).to_have_count(len(reference["task"]["examples"]))
    expect(page.locator("#run-status")).to_contain_text("examples pass")

    # The reference: every example passes; then Submit with a short explanation.
    page.keyboard.press("Control+a")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(reference["reference_solution"])
    page.click("#run-examples")
    expect(page.locator("#run-status")).to_contain_text(f"{len(rows.all())} of {len(rows.all())} examples pass")
    expect(page.locator("#run-table tbody tr.fail")).to_have_count(0)
    page.screenshot(path=str(shots / "coding-editor.png"), full_page=True)
    box.fill("Algorithm R: O(n) time, O(k) memory, one pass; k > n returns everything; k < 0 raises.")
    page.click("#send")

    card = page.locator(".feedback").first
    expect(card).to_be_visible(timeout=30_000)
    heading = card.locator(".tests-block h4")
    expect(heading).to_contain_text("Hidden tests:")
    table = card.locator(".hidden-tests tbody tr")
    assert table.count() >= 5 and card.locator(".hidden-tests tbody tr.fail").count() == 0
    assert float(card.locator(".score").inner_text().split("/")[0]) >= 7
    page.add_style_tag(content=".topbar { position: static !important; }")
    card.screenshot(path=str(shots / "coding-feedback-card.png"))
