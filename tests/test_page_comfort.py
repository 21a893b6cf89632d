"""The page's comfort: dark mode (system and toggle), a phone layout, and math typeset by KaTeX.

The real server in headless Chromium (Playwright), like test_e2e.py.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.model]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


def open_page(context: BrowserContext, server: str) -> Page:
    page = context.new_page()
    page.goto(server)
    expect(page.locator("#conn")).to_have_text("connected")
    return page


def luminance(css_colour: str) -> float:
    """Relative luminance (0 black, 1 white) of an `rgb(...)`/`rgba(...)` computed colour."""
    channels = [float(c) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def body_colours(page: Page) -> tuple[str, str]:
    bg, ink = page.evaluate("() => { const s = getComputedStyle(document.body); return [s.backgroundColor, s.color]; }")
    return bg, ink


def test_dark_mode_follows_the_system_and_the_toggle_persists(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = open_page(context, server)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        bg, ink = body_colours(page)
        assert luminance(bg) < 0.05, bg  # a dark background
        assert contrast(bg, ink) >= 7
        # The cards, badges and fields are dark too, with readable text.
        for selector in (".card", "#conn", "#grader-badge", "select[name=section]"):
            colours = page.locator(selector).first.evaluate(
                "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color]; }"
            )
            assert luminance(colours[0]) < 0.1, (selector, colours)
            assert contrast(*colours) >= 4.5, (selector, colours)

        toggle = page.locator("#theme-toggle")
        expect(toggle).to_have_attribute("aria-label", "Switch to light theme")
        toggle.click()
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        assert luminance(body_colours(page)[0]) > 0.8
        assert page.evaluate("localStorage.getItem('mi.theme')") == "light"
        page.reload()
        expect(page.locator("#conn")).to_have_text("connected")
        assert page.evaluate("document.documentElement.dataset.theme") == "light"  # the choice outlives a reload
        assert luminance(body_colours(page)[0]) > 0.8
        expect(page.locator("#theme-toggle")).to_have_attribute("aria-label", "Switch to dark theme")
        # Back to what the system says: the page follows the system again.
        page.locator("#theme-toggle").click()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.evaluate("localStorage.getItem('mi.theme')") is None
    finally:
        context.close()


def test_the_theme_is_set_before_the_first_paint(browser: Browser, server: str) -> None:
    context = browser.new_context(color_scheme="light")
    # A stored choice, and a note of the theme at the moment <body> first exists (before anything is painted).
    context.add_init_script(
        """localStorage.setItem('mi.theme', 'dark');
        new MutationObserver((_, observer) => {
          if (!document.body) return;
          window.themeAtBody = document.documentElement.dataset.theme || null;
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });"""
    )
    try:
        page = context.new_page()
        page.goto(server)
        assert page.evaluate("window.themeAtBody") == "dark"
        assert luminance(body_colours(page)[0]) < 0.05
    finally:
        context.close()


def test_a_phone_has_a_one_line_header_no_sideways_scroll_and_no_shortcut_labels(browser: Browser, server: str) -> None:
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    try:
        page = open_page(context, server)
        assert page.evaluate("matchMedia('(hover: none) and (pointer: coarse)').matches")
        header = page.locator("header.topbar").bounding_box()
        assert header is not None and header["height"] < 60, header
        # Title, badges and the theme toggle sit on one row.
        tops = page.evaluate(
            """() => [...document.querySelectorAll('.topbar h1, .topbar .badge, #theme-toggle')]
                   .map(e => e.getBoundingClientRect()).map(r => r.top + r.height / 2)"""
        )
        assert max(tops) - min(tops) < 12, tops
        # The connection badge keeps its text as its accessible name while it shows as a dot.
        expect(page.locator("#conn")).to_match_aria_snapshot("- status: connected")
        expect(page.locator("#theme-toggle")).to_have_accessible_name("Switch to dark theme")

        def no_sideways_scroll() -> None:
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
            )
            assert max(widths[:2]) <= widths[2], widths

        no_sideways_scroll()
        page.select_option("select[name=section]", "fundamentals")
        page.fill("input[name=count]", "1")
        page.click("#start-button")
        expect(page.locator(".bubble.interviewer").first).to_be_visible()
        no_sideways_scroll()
        assert page.locator("kbd").count() >= 1
        for kbd in page.locator("kbd").all():
            expect(kbd).to_be_hidden()  # no keyboard shortcuts on a touch screen
        page.fill("#answer-box", "Bias is error from wrong assumptions; variance is sensitivity to the sample.")
        page.click("#send")
        card = page.locator(".feedback").first
        expect(card).to_be_visible()
        card.locator("details summary").click()
        expect(card.locator(".reference-body")).to_be_visible()
        no_sideways_scroll()
        # On to the report (skipping any follow-ups): its chart text is at least 12px on screen.
        page.on("dialog", lambda dialog: dialog.accept())
        report = page.locator("#report-view")
        for _ in range(20):
            if report.is_visible():
                break
            next_button = page.locator(".feedback .next:visible, .feedback .next-end button:visible")
            if next_button.count():
                next_button.first.click()
            elif page.locator("#skip").is_enabled():
                page.locator("#skip").click()
            page.wait_for_timeout(300)
        expect(report).to_be_visible()
        expect(page.locator("#section-chart svg text.chart-label")).not_to_have_count(0)
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('#section-chart svg text')].map(t => {
                 const svg = t.ownerSVGElement;
                 const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                 return parseFloat(getComputedStyle(t).fontSize) * scale;
               })"""
        )
        assert min(sizes) >= 12, sizes
        no_sideways_scroll()
    finally:
        context.close()


def test_a_desktop_shows_the_shortcut_labels(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = open_page(context, server)
        page.select_option("select[name=section]", "fundamentals")
        page.fill("input[name=count]", "1")
        page.click("#start-button")
        expect(page.locator("#send kbd")).to_be_visible()
        header = page.locator("header.topbar").bounding_box()
        assert header is not None and header["height"] < 60
    finally:
        context.close()


RENDER = """async ([source]) => {
  const md = await import('/static/markdown.js');
  const div = document.createElement('div');
  div.className = 'reference-body';
  document.querySelector('main').prepend(div);
  md.renderMarkdown(source, div);
  return { katex: div.querySelectorAll('.katex').length, display: div.querySelectorAll('.katex-display').length,
           text: div.innerText, html: div.innerHTML.includes('<img') };
}"""


def test_math_in_a_reference_answer_is_typeset(browser: Browser, server: str) -> None:
    number = next(
        n for n in range(1, 121) if "\\frac" in httpx.get(f"{server}/api/questions/{n}").json()["reference_answer"]
    )
    source = httpx.get(f"{server}/api/questions/{number}").json()["reference_answer"]
    context = browser.new_context()
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        page = open_page(context, server)
        page.wait_for_function("() => window.katex && typeof window.katex.render === 'function'")
        out = page.evaluate(RENDER, [source])
        assert out["katex"] >= 1
        assert "\\frac" not in out["text"]  # no raw TeX left on the page
        # KaTeX's fonts load, from /static/vendor/katex/fonts: nothing comes from another host.
        page.wait_for_function(
            "() => [...document.fonts].some(f => f.family.includes('KaTeX') && f.status === 'loaded')"
        )
        assert any("/static/vendor/katex/fonts/" in url for url in requested), requested
        assert all(url.startswith(server) or url.startswith("data:") for url in requested), requested
        font = httpx.get(f"{server}/static/vendor/katex/fonts/KaTeX_Main-Regular.woff2")
        assert font.status_code == 200
        # Display math ($$...$$ and \\[...\\]) is a block; \\(...\\) is inline.
        out = page.evaluate(RENDER, ["Loss:\n\n$$L = \\frac{1}{n}\\sum_i \\ell_i$$\n\nand \\(a^2\\) or \\[b^2\\]."])
        assert out["display"] == 2 and out["katex"] == 3, out
        # A `|` inside math does not split a table cell.
        page.evaluate(RENDER, ["| name | formula |\n|---|---|\n| MAE | $\\frac1n\\sum |e_i|$ |"])
        cells = page.locator(".reference-body").first.locator("tbody td")
        expect(cells).to_have_count(2)
        expect(cells.nth(1).locator(".katex")).to_have_count(1)
    finally:
        context.close()


def test_a_lone_dollar_stays_text_and_nothing_is_parsed_as_html(browser: Browser, server: str) -> None:
    context = browser.new_context()
    try:
        page = open_page(context, server)
        page.wait_for_function("() => window.katex !== undefined")
        out = page.evaluate(RENDER, ["It costs $5 a month, $10 with support, or $5-$10 a seat."])
        assert out["katex"] == 0
        assert out["text"].strip() == "It costs $5 a month, $10 with support, or $5-$10 a seat."
        out = page.evaluate(RENDER, ["A <img src=x onerror=alert(1)> and $\\href{javascript:alert(1)}{x}$ and `$x$`."])
        assert not out["html"]
        assert "<img src=x onerror=alert(1)>" in out["text"]
        assert page.locator(".reference-body a[href^='javascript']").count() == 0  # \\href stays untrusted
        assert "$x$" in out["text"]  # math inside inline code is code
        out = page.evaluate(RENDER, ["| a bar that starts no table\nand more"])  # used to loop for ever
        assert "a bar that starts no table" in out["text"]
    finally:
        context.close()


def test_math_without_katex_shows_its_source(browser: Browser, server: str) -> None:
    context = browser.new_context()
    context.route("**/vendor/katex/katex.min.js", lambda route: route.abort())
    try:
        page = open_page(context, server)
        out = page.evaluate(RENDER, ["Precision $= \\frac{TP}{TP+FP}$."])
        assert out["katex"] == 0
        assert "\\frac{TP}{TP+FP}" in out["text"]
    finally:
        context.close()


def test_candidate_prose_is_in_the_text_font_and_code_in_monospace(browser: Browser, server: str) -> None:
    context = browser.new_context()
    try:
        page = open_page(context, server)
        fonts = page.evaluate(
            """async () => {
              const md = await import('/static/markdown.js');
              const div = document.createElement('div');
              div.className = 'bubble candidate';
              document.querySelector('main').prepend(div);
              md.renderPlain('I would use `np.mean`.\\n\\n```python\\nx = 1\\n```\\nDone <b>.', div);
              const font = (sel) => getComputedStyle(div.querySelector(sel)).fontFamily;
              return { prose: font('.prose'), inline: font('.prose code'), block: font('pre code'),
                       text: div.innerText, bold: div.querySelectorAll('b').length };
            }"""
        )
        assert "mono" not in fonts["prose"].lower(), fonts
        assert "mono" in fonts["inline"].lower() and "mono" in fonts["block"].lower(), fonts
        assert "Done <b>." in fonts["text"] and fonts["bold"] == 0
    finally:
        context.close()


def test_an_empty_missed_list_is_neutral(browser: Browser, server: str) -> None:
    context = browser.new_context()
    try:
        page = open_page(context, server)
        colours = page.evaluate(
            """() => {
              const card = document.getElementById('feedback-template').content.firstElementChild.cloneNode(true);
              document.querySelector('main').prepend(card);
              const missed = card.querySelector('.missed');
              missed.innerHTML = '<li class="empty">nothing missed</li><li>a real miss</li>';
              const [empty, real] = missed.querySelectorAll('li');
              return [getComputedStyle(empty).color, getComputedStyle(real).color,
                      getComputedStyle(document.querySelector('.hint-text')).color];
            }"""
        )
        empty, real, muted = colours
        assert empty == muted and empty != real, colours
    finally:
        context.close()
