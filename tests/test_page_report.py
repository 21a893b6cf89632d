"""The report and the history on the page: the real server (offline grader, packaged model) in headless Chromium.

An interview run through the page ends on a report that opens at its top and shows every answer with its grade and
the reference answer; the Markdown download is named after the date and section; the history lists the session and
opens the same report; the history chart has axes, a title and labels a phone can read.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Route, ViewportSize, expect
from websockets.sync.client import connect

pytestmark = [pytest.mark.e2e, pytest.mark.model]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
FILENAME = re.compile(r"^mock-interview-\d{4}-\d{2}-\d{2}-fundamentals\.md$")




def open_page(browser: Browser, server: str, browser_id: str, viewport: ViewportSize) -> tuple[BrowserContext, Page]:
    """A page whose browser id (localStorage mi.browser) is `browser_id`: its history is that id's sessions."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 600, accept_downloads=True)
    context.add_init_script(f"localStorage.setItem('mi.browser', {json.dumps(browser_id)});")
    page = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        dialog.accept()

    page.on("dialog", on_dialog)
    page.goto(server)
    expect(page.locator("#conn")).to_have_text("connected")
    return context, page


def key_points(server: str, number: int) -> list[str]:
    return list(httpx.get(f"{server}/api/questions/{number}").json()["key_points"])


def current_number(page: Page) -> int:
    label = page.locator(".bubble.interviewer:not(.follow-up) .who").last.inner_text()
    return int(label.split("Q")[1].split(" ")[0])


def effective_font_sizes(page: Page, selector: str) -> list[float]:
    """The on-screen size (CSS px) of every SVG text under `selector`: font size times the SVG's scale."""
    return list(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector + ' svg text')].map((t) => {
             const m = t.ownerSVGElement.getScreenCTM();
             return parseFloat(getComputedStyle(t).fontSize) * (m ? m.a : 1);
           })""",
            selector,
        )
    )


def overlapping(page: Page, selector: str) -> list[str]:
    """Pairs of elements matching `selector` whose boxes overlap horizontally (on the same line)."""
    return list(
        page.evaluate(
            """(selector) => {
             const boxes = [...document.querySelectorAll(selector)].map((t) => [t.textContent, t.getBoundingClientRect()]);
             const out = [];
             for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
               const [a, p] = boxes[i], [b, q] = boxes[j];
               if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) out.push(`${a} / ${b}`);
             }
             return out;
           }""",
            selector,
        )
    )


# ---------------------------------------------------------------------------------------------- the whole path


def run_interview_in_page(page: Page, server: str) -> dict[int, str]:
    """Fundamentals, 2 questions: a strong answer, then a partial one; follow-ups skipped. Returns number -> marker."""
    page.select_option("select[name=section]", "fundamentals")
    page.fill("input[name=count]", "2")
    page.click("#start-button")
    report = page.locator("#report-view")
    questions = page.locator(".bubble.interviewer")
    expect(questions.first).to_be_visible()
    markers: dict[int, str] = {}
    for _ in range(10):
        asked = questions.count()
        if "follow-up" in page.locator("#progress").inner_text():
            expect(page.locator("#skip")).to_be_enabled()
            page.click("#skip")
        else:
            number = current_number(page)
            points = key_points(server, number)
            marker = f"answer-marker-{len(markers) + 1}"
            markers[number] = marker
            # A few sentences: all key points for the first question, one for the second (it earns follow-ups).
            text = " ".join(points if len(markers) == 1 else points[:1])
            page.fill("#answer-box", f"{text}\n\nIn short: {marker}.")
            cards = page.locator(".feedback").count()
            page.locator("#answer-box").press("Control+Enter")
            expect(page.locator(".feedback")).to_have_count(cards + 1, timeout=60_000)
            page.locator(".feedback .next:visible").click()
        page.wait_for_function(
            "(asked) => !document.getElementById('report-view').hidden"
            " || document.querySelectorAll('.bubble.interviewer').length > asked",
            arg=asked,
            timeout=60_000,
        )
        if report.is_visible():
            return markers
    raise AssertionError("the interview did not end in a report")


def check_report(page: Page, markers: dict[int, str]) -> None:
    report = page.locator("#report-view")
    expect(report).to_be_visible()
    cards = page.locator("#report-questions .q-card")
    expect(cards).to_have_count(2)  # two main questions, follow-ups inside their cards
    for number, marker in markers.items():
        card = page.locator(f"#report-questions .q-card[data-number='{number}']")
        expect(card.locator(".q-label").first).to_contain_text(f"Q{number}")
        expect(card.locator(".q-label").first).to_contain_text("ML fundamentals")
        expect(card.locator(".q-answer").first).to_contain_text(marker)
        expect(card.locator(".q-answer .plain").first).to_have_css("font-family", re.compile(r"^(?!.*mono)"))
        expect(card.locator(":scope > .q-head .q-score")).to_contain_text(re.compile(r"\d+(\.\d)?/10"))
        expect(card.locator(":scope > .q-body .covered").first).to_be_attached()
        expect(card.locator(":scope > .q-body .missed").first).to_be_attached()
        assert card.locator(":scope > .q-body .criterion").count() >= 1
        reference = card.locator(":scope > .q-body details.reference").first
        expect(reference.locator("summary")).to_have_text("Reference answer")
        expect(reference.locator(".reference-body")).to_be_hidden()  # collapsed until asked for
        reference.locator("summary").click()
        expect(reference.locator(".reference-body")).to_be_visible()
        assert reference.locator(".reference-body").inner_text().strip()
        expect(card.locator("button.retry")).to_have_count(1)
    # Skipped follow-ups say "skipped", never a score of 0.
    for follow_up in page.locator(".q-follow-up").all():
        score = follow_up.locator(".q-score").inner_text()
        if "skipped" in score:
            assert "0/10" not in score
    assert "0/10 scored" not in report.inner_text()
    meta = page.locator("#report-meta").inner_text()
    for fact in ("Date", "Section", "ML fundamentals", "Level", "Adaptive", "Duration", "Level reached"):
        assert fact in meta, (fact, meta)
    expect(page.locator("#overall")).to_have_text(re.compile(r"^\d+(\.\d)?/10$"))
    expect(page.locator("#section-chart svg[role=img]")).to_have_attribute("aria-label", re.compile("ML fundamentals"))


def test_an_interview_in_the_page_ends_on_a_full_report_and_in_the_history(
    browser: Browser, server: str, shots: Path
) -> None:
    context, page = open_page(browser, server, f"report-{uuid.uuid4().hex}", DESKTOP)
    try:
        markers = run_interview_in_page(page, server)
        assert len(markers) == 2
        page.wait_for_timeout(300)  # any smooth scrolling would have moved the page by now
        assert page.evaluate("window.scrollY") == 0  # the report opens at its top
        check_report(page, markers)
        expect(page.locator("#report-back")).to_be_hidden()  # only a report opened from the history has Back

        with page.expect_download() as download:
            page.click("#download")
        assert FILENAME.match(download.value.suggested_filename), download.value.suggested_filename
        markdown = Path(download.value.path()).read_text()
        assert markdown.startswith("# Mock interview report")
        assert "Reference answer" in markdown
        for marker in markers.values():
            assert marker in markdown

        page.evaluate("window.scrollTo(0, 0)")
        page.add_style_tag(content=".topbar { position: static !important; }")
        page.locator("#report-view").screenshot(path=str(shots / "report-desktop.png"))

        # The history on the start page: this session, which opens the same report.
        overall = page.locator("#overall").inner_text()
        page.click("#new-interview")
        expect(page.locator("#start-view")).to_be_visible()
        entries = page.locator("#history-list li button.history-entry")
        expect(entries).to_have_count(1)
        expect(entries.first).to_contain_text(overall)
        chart = page.locator("#history-chart svg[role=img]")
        expect(chart).to_have_attribute("aria-label", re.compile("Overall score per session"))
        ticks = page.locator("#history-chart text.tick").all_text_contents()
        assert {"0", "5", "10"} <= set(ticks), ticks
        expect(page.locator("#history-chart text.x-tick")).to_have_count(1)  # the session's date
        expect(page.locator("#history-chart text.chart-title")).to_contain_text("Overall score")
        page.locator(".history-card").screenshot(path=str(shots / "history-one-session-desktop.png"))

        entries.first.click()
        expect(page.locator("#report-view")).to_be_visible()
        assert page.evaluate("window.scrollY") == 0
        expect(page.locator("#report-back")).to_be_visible()
        check_report(page, markers)
        with page.expect_download() as download:
            page.click("#download")
        assert FILENAME.match(download.value.suggested_filename), download.value.suggested_filename
        page.click("#report-back")
        expect(page.locator("#start-view")).to_be_visible()
        expect(entries.first).to_be_focused()
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------- a finished session


def until(ws: Any, *kinds: str) -> dict[str, Any]:
    while True:
        frame = json.loads(ws.recv(timeout=60))
        if frame["type"] in kinds:
            return dict(frame)


@pytest.fixture(scope="module")
def finished(server: str) -> dict[str, Any]:
    """A fundamentals interview over the WebSocket: a strong answer, a partial one, the first follow-up answered,
    then ended while a second follow-up (if any) is still open. Returns the browser id and the summary frame."""
    browser_id = f"report-ws-{uuid.uuid4().hex}"
    answered: list[dict[str, Any]] = []
    with connect(server.replace("http", "ws") + "/ws") as ws:
        ws.send(json.dumps({"type": "start", "section": "fundamentals", "count": 2, "browser_id": browser_id}))
        frame = until(ws, "question")
        mains = follow_ups = 0
        while True:
            if frame["type"] == "summary":
                break
            if frame["kind"] == "follow_up":
                follow_ups += 1
                if follow_ups > 1:
                    ws.send(json.dumps({"type": "end"}))  # this follow-up stays unanswered
                    frame = until(ws, "summary")
                    break
                ws.send(json.dumps({"type": "answer", "text": "I would check it on a held-out set and say why."}))
            else:
                mains += 1
                points = key_points(server, frame["number"])
                text = " ".join(points if mains == 1 else points[:1])
                ws.send(json.dumps({"type": "answer", "text": f"{text} Marker q{mains}."}))
            answered.append(frame)
            until(ws, "feedback")
            frame = until(ws, "question", "summary")
    return {"browser_id": browser_id, "summary": frame, "answered": answered}


def test_the_summary_frame_and_history_follow_the_contract(server: str, finished: dict[str, Any]) -> None:
    frame = finished["summary"]
    assert FILENAME.match(frame["filename"])
    summary = frame["summary"]
    assert summary["section"] == "fundamentals" and summary["level"] == "adaptive"
    assert summary["started_at"] and summary["duration_seconds"] is not None
    rows = summary["questions"]
    assert len(rows) == len(finished["answered"])  # an unanswered follow-up is not in the report
    for row in rows:
        assert row["reference_answer"] and row["question"]
    history = httpx.get(f"{server}/api/history/{finished['browser_id']}").json()
    assert [h["session_id"] for h in history] == [frame["session_id"]]
    assert set(history[0]["section_averages"]) == {"fundamentals"}
    report = httpx.get(f"{server}/api/history/{finished['browser_id']}/{frame['session_id']}").json()
    assert report["filename"] == frame["filename"]
    assert report["summary"]["questions"] == rows


@pytest.mark.parametrize("name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_past_report_reads_well(
    browser: Browser, server: str, finished: dict[str, Any], shots: Path, name: str, viewport: ViewportSize
) -> None:
    context, page = open_page(browser, server, finished["browser_id"], viewport)
    try:
        page.locator("#history-list button.history-entry").first.click()
        expect(page.locator("#report-view")).to_be_visible()
        assert page.evaluate("window.scrollY") == 0
        rows = finished["summary"]["summary"]["questions"]
        mains = [r for r in rows if r["kind"] == "main"]
        expect(page.locator("#report-questions .q-card")).to_have_count(len(mains))
        # Follow-ups sit under their main question; the one left open when the interview ended is not listed.
        expect(page.locator("#report-questions .q-follow-up")).to_have_count(len(rows) - len(mains))
        expect(page.locator("#report-table tbody tr")).to_have_count(len(rows))
        expect(page.locator(".q-answer").first).to_contain_text("Marker q1.")
        # Retry asks the page for a one-question interview on that question.
        detail = page.evaluate(
            """() => new Promise((resolve) => {
                 window.addEventListener("mi:practise", (e) => { e.stopImmediatePropagation(); resolve(e.detail); },
                                         { capture: true, once: true });
                 document.querySelector("#report-questions .q-card button.retry").click();
               })"""
        )
        assert detail == {"numbers": [mains[0]["number"]]}
        expect(page.locator("#report-view")).to_be_visible()  # the test kept the interview from starting

        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scrolling
        sizes = effective_font_sizes(page, "#section-chart")
        assert sizes and min(sizes) >= 12, sizes
        page.add_style_tag(content=".topbar { position: static !important; }")
        page.screenshot(path=str(shots / f"report-top-{name}.png"))
        page.locator("#report-view").screenshot(path=str(shots / f"report-past-{name}.png"))
        page.click("#report-back")
        expect(page.locator("#history-list")).to_be_visible()
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------- the history chart


def fake_history(count: int) -> list[dict[str, Any]]:
    """`count` sessions a day apart, newest first as the server sends them; statistics in every third one."""
    start = 1_735_000_000
    out = []
    for i in range(count):
        overall = round(3 + 6 * i / max(1, count - 1), 1)
        averages = {"fundamentals": overall}
        if i % 3 == 0:
            averages["statistics"] = round(10 - overall / 2, 1)
        out.append(
            {
                "session_id": f"s{i}",
                "created_at": start + i * 86_400,
                "finished": True,
                "overall": overall,
                "answered": 2,
                "sections": sorted(averages),
                "section_averages": averages,
            }
        )
    return out[::-1]


@pytest.mark.parametrize("name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_history_chart_has_axes_and_readable_labels(
    browser: Browser, server: str, shots: Path, name: str, viewport: ViewportSize
) -> None:
    browser_id = f"chart-{uuid.uuid4().hex}"
    sessions = fake_history(30)

    def history(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(sessions))

    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 600)
    context.add_init_script(f"localStorage.setItem('mi.browser', {json.dumps(browser_id)});")
    context.route(f"{server}/api/history/{browser_id}", history)
    page = context.new_page()
    try:
        page.goto(server)
        entries = page.locator("#history-list button.history-entry")
        expect(entries).to_have_count(10)  # the newest ten, then the rest on demand
        expect(entries.first).to_contain_text("9/10")  # newest first
        expect(page.locator("#history-order")).to_contain_text("Newest first")
        svg = page.locator("#history-chart svg[role=img]")
        expect(svg).to_have_attribute("aria-label", re.compile(r"30 sessions .* oldest to newest: from 3 to 9 .*up 6"))
        assert {"0", "5", "10"} <= set(page.locator("#history-chart text.tick").all_text_contents())
        expect(page.locator("#history-chart .grid")).to_have_count(2)  # gridlines at 5 and 10 (0 is the axis)
        dates = page.locator("#history-chart text.x-tick")
        assert 2 <= dates.count() < 30  # thinned out
        assert overlapping(page, "#history-chart text.x-tick") == []
        sizes = effective_font_sizes(page, "#history-chart")
        assert min(sizes) >= 12, sizes
        # Oldest on the left: the first dot is the lowest score, the last the highest.
        cys = page.eval_on_selector_all("#history-chart circle.dot", "(dots) => dots.map((d) => +d.getAttribute('cy'))")
        assert len(cys) == 30 and cys[0] > cys[-1]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.add_style_tag(content=".topbar { position: static !important; }")
        page.locator(".history-card").screenshot(path=str(shots / f"history-{name}.png"))
        page.click("#history-more")
        expect(entries).to_have_count(30)
        expect(entries.nth(10)).to_be_focused()

        # One section: only the sessions that have it.
        page.select_option("#history-section", "statistics")
        expect(page.locator("#history-chart circle.dot")).to_have_count(10)
        expect(svg).to_have_attribute("aria-label", re.compile("Statistics"))
        expect(page.locator("#history-chart text.chart-title")).to_contain_text("Statistics")
        page.select_option("#history-section", "")
        expect(page.locator("#history-chart circle.dot")).to_have_count(30)
    finally:
        context.close()


def test_a_sparse_or_older_summary_still_renders(browser: Browser, server: str) -> None:
    """Fields the server does not send render as nothing; a skipped question says "skipped", never 0/10."""
    context, page = open_page(browser, server, f"sparse-{uuid.uuid4().hex}", DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.evaluate(
            """() => import("/static/report.js").then((r) => r.showReport({ summary: {
                 overall: 0, level_reached: "junior",
                 questions: [
                   { number: 3, title: "Old-style row", section: "fundamentals", kind: "main", score: 0, hints: 0, skipped: true },
                   { number: 3, title: "A follow-up nobody answered", section: "fundamentals", kind: "follow_up",
                     score: null, hints: 0, skipped: false },
                 ],
               } }))"""
        )
        expect(page.locator("#report-view")).to_be_visible()
        card = page.locator("#report-questions .q-card")
        expect(card).to_have_count(1)
        expect(card.locator(".q-score")).to_have_text("skipped")
        expect(page.locator("#report-table tbody tr")).to_have_count(1)  # the unanswered follow-up is not listed
        expect(page.locator("#report-table tbody tr td").nth(3)).to_have_text("skipped")
        assert "0/10" not in page.locator("#report-questions").inner_text()
        expect(page.locator("#section-chart")).to_have_text("No answered questions.")
        expect(page.locator("#download")).to_be_disabled()  # nothing to download without the Markdown
        page.evaluate("() => import('/static/report.js').then((r) => r.showReport({}))")
        expect(page.locator("#report-questions")).to_contain_text("No questions were answered.")
        assert errors == []
    finally:
        context.close()
