"""Every page of the built site in a real browser, with the network cut off.

Each page is served from localhost (gzip-compressed, as a web host serves it)
and opened in Debian's headless Chromium, with every request for another host
aborted. For every page the tests check:

- nothing was requested from outside the site, and nothing failed to load;
- no console error and no uncaught exception;
- the mathematics was typeset (as SVG by the build, or else by the MathJax the
  site serves itself);
- an axe-core audit (from npm, run in the page) finds no serious or critical
  accessibility violation;
- the page's weight, every byte it transferred on a first visit, stays under
  600 kB, light enough for a phone on a slow link (tests/test_lighthouse.py
  checks the speed that buys). The weights
  are written to _build/page-weights.md, the table the README quotes
  (``python -m booktools.readme page-weights _build/page-weights.md``);
- in the dark theme (the reader's system set to dark), text still meets
  axe-core's contrast rules, and every figure is shown on its own light paper
  (its most common shade, as the browser draws it) rather than melting into
  the dark page, so its dark ink and labels stay legible.

Full-text search is checked once, on a word every chapter uses, and the copy
buttons on one chapter's code cells.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from booktools import extract_tests, paths
from booktools.browser import (
    AXE,
    axe_violations,
    chromium_or_skip,
    launch_chromium,
    opened_page,
    serve,
)

pytestmark = pytest.mark.browser

HTML = paths.HTML
PAGES = [path.with_suffix(".html").as_posix() for path in extract_tests.toc_files()] + [
    "genindex.html",
    "search.html",
]
MAX_PAGE_BYTES = 600_000
#: How light a figure's paper must look on the dark theme (out of 255). The dark
#: page itself is about 18; the theme dims a white figure to about 220.
MIN_PAPER = 160
WEIGHTS: dict[str, int] = {}


@pytest.fixture(scope="module")
def site():
    chromium_or_skip()
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML} holds no built site: run `make book` first")
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    from playwright.sync_api import sync_playwright

    with serve(HTML) as base_url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser, base_url
        finally:
            browser.close()
    write_weights()


def load_problems(opened) -> list[str]:
    """What went wrong while a page loaded: console errors, failed loads, outside requests."""
    return opened.errors + [f"request outside the site: {url}" for url in opened.requests.outside]


def transferred_bytes(page) -> int:
    """Every byte the page loaded (headers and compressed bodies), as the browser counts it."""
    return page.evaluate(
        """() => performance.getEntriesByType("navigation")
                   .concat(performance.getEntriesByType("resource"))
                   .reduce((sum, entry) => sum + (entry.transferSize || entry.encodedBodySize || 0), 0)"""
    )


def untypeset_math(page) -> list[str]:
    """Whether every formula of the page was typeset; returns a problem if some was left as TeX.

    The build typesets the mathematics as SVG when Node.js is there
    (book/_ext/book_math.py); otherwise the site's MathJax does it in the browser,
    and this waits for it.
    """
    math = page.locator(".math").count()
    if not math:
        return []
    if page.locator(".math > mjx-container").count() < math:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")
    typeset = page.locator(".math > mjx-container").evaluate_all(
        "nodes => nodes.filter(n => n.querySelector('svg, mjx-math')).length"
    )
    return [] if typeset >= math else [f"only {typeset} of {math} formulas were typeset"]


@pytest.mark.parametrize("relative", PAGES)
def test_page_loads_offline_cleanly_and_accessibly(site, relative):
    browser, base_url = site
    with opened_page(browser, base_url + relative) as opened:
        page = opened.page
        assert opened.requests.seen, "the page made no request at all"
        problems = load_problems(opened)
        problems += untypeset_math(page)
        problems += axe_violations(page)
        WEIGHTS[relative] = transferred_bytes(page)
        if WEIGHTS[relative] >= MAX_PAGE_BYTES:
            problems.append(
                f"the page transfers {WEIGHTS[relative]:,} bytes, over {MAX_PAGE_BYTES:,}"
            )
        assert not problems, f"{relative}:\n" + "\n".join(problems)


@pytest.mark.parametrize("relative", PAGES)
def test_page_reads_in_the_dark_theme(site, relative):
    from PIL import Image

    browser, base_url = site
    with opened_page(browser, base_url + relative, color_scheme="dark") as opened:
        page = opened.page
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert theme == "dark", f"the theme did not follow the system's dark mode (it is {theme!r})"
        problems = load_problems(opened)
        problems += axe_violations(page, rules=["color-contrast"])
        figures = page.locator("article img")
        for index in range(figures.count()):
            figure = figures.nth(index)
            if not figure.is_visible() or figure.bounding_box()["width"] < 40:
                continue
            # The figure's paper is its most common shade, as the reader sees it.
            histogram = Image.open(io.BytesIO(figure.screenshot())).convert("L").histogram()
            paper = max(range(256), key=histogram.__getitem__)
            if paper < MIN_PAPER:
                name = (
                    figure.get_attribute("alt") or figure.get_attribute("src") or f"image {index}"
                )
                problems.append(
                    f"a figure shown on dark paper (brightness {paper} of 255): {name[:80]}"
                )
        assert not problems, f"{relative} (dark theme):\n" + "\n".join(problems)


def test_search_finds_the_chapters(site):
    browser, base_url = site
    with opened_page(browser, base_url + "search.html?q=neuron") as opened:
        opened.page.wait_for_selector("#search-results li", timeout=20_000)
        found = opened.page.locator("#search-results li a").evaluate_all(
            "links => links.map(a => a.href)"
        )
        assert any("neurons.html" in link for link in found), found
        assert not load_problems(opened)


def test_every_code_cell_has_a_copy_button_that_copies_it(site):
    browser, base_url = site
    with opened_page(browser, base_url + "book/first-classifier.html") as opened:
        page = opened.page
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        cells = page.locator("div.cell_input div.highlight")
        assert cells.count() > 5
        assert page.locator("div.cell_input button.copybtn").count() == cells.count()
        first = cells.first
        first.hover()
        first.locator("button.copybtn").click()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.strip() == first.locator("pre").inner_text().strip()
        assert not load_problems(opened)


def test_figures_have_an_opaque_background():
    """Transparent figures vanish on the dark theme: every figure the book draws is opaque."""
    from PIL import Image

    images = sorted((HTML / "_images").glob("*.png"))
    assert images, "no figures in the site"
    for path in images:
        with Image.open(path) as image:
            if "A" in image.getbands():
                assert image.getchannel("A").getextrema()[0] == 255, (
                    f"{path.name} is partly transparent"
                )
            else:
                assert image.mode in ("RGB", "L", "P"), f"{path.name} has mode {image.mode}"


def write_weights() -> None:
    if not WEIGHTS:
        return
    lines = [
        (
            f"Measured on {dt.date.today().isoformat()} by `tests/test_site_browser.py`: every byte"
            " a page transfers on a first visit (headers and bodies, text gzip-compressed as a web"
            f" host serves it), in Chromium, from localhost. The limit is {MAX_PAGE_BYTES / 1000:,.0f} kB."
        ),
        "",
        "| page | kB |",
        "| --- | ---: |",
    ]
    for name, size in sorted(WEIGHTS.items(), key=lambda item: -item[1]):
        lines.append(f"| `{name}` | {size / 1000:,.0f} |")
    (paths.BUILD / "page-weights.md").write_text("\n".join(lines) + "\n")
