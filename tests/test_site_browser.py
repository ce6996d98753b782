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
- the page keeps the budget that makes it fast on a phone on a slow link, as
  the browser reports it while the page loads (booktools/page_budget.py): the
  bytes it transfers on a first visit, its requests, its render-blocking
  resources (style sheets only, and few bytes of them), the elements of its
  document, and the image, if any, that is its largest paint. These depend on
  the page, not on how busy the machine is; Lighthouse's timings are a
  benchmark (tests/test_lighthouse.py). The figures are written to
  _build/page-weights.md, the table the README quotes
  (``python -m booktools.readme page-weights _build/page-weights.md``);
- in the dark theme (the reader's system set to dark), text still meets
  axe-core's contrast rules, and every figure is shown on its own light paper
  (its most common shade, as the browser draws it) rather than melting into
  the dark page, so its dark ink and labels stay legible.

Full-text search is checked once, on a word every chapter uses, and the copy
buttons on one chapter's code cells. Two regressions planted in copies of two
pages, a render-blocking script of 1 MB and an image of 2 MB, show that the
budget catches what would make a page slow.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
from pathlib import Path

import pytest

from booktools import extract_tests, page_budget, paths
from booktools.browser import axe_violations, opened_page, serve, site_in_chromium

pytestmark = pytest.mark.browser

HTML = paths.HTML
PAGES = [path.with_suffix(".html").as_posix() for path in extract_tests.toc_files()] + [
    "genindex.html",
    "search.html",
]
#: How light a figure's paper must look on the dark theme (out of 255). The dark
#: page itself is about 18; the theme dims a white figure to about 220.
MIN_PAPER = 160
FACTS: dict[str, page_budget.PageFacts] = {}


@pytest.fixture(scope="module")
def site():
    with site_in_chromium(HTML) as (browser, base_url):
        yield browser, base_url
    write_weights()


def load_problems(opened) -> list[str]:
    """What went wrong while a page loaded: console errors, failed loads, outside requests."""
    return opened.errors + [f"request outside the site: {url}" for url in opened.requests.outside]


def untypeset_math(page) -> list[str]:
    """Whether every formula of the page was typeset; returns a problem if some was left as TeX.

    The build typesets the mathematics as SVG when Node.js is there
    (booktools/sphinx/maths.py); otherwise the site's MathJax does it in the browser,
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
        FACTS[relative] = page_budget.measure(page)
        problems += page_budget.problems(FACTS[relative])
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


def planted_site(folder: Path, page: str, edit) -> Path:
    """A copy of the built site in ``folder`` (links, not copies) whose ``page`` is edited.

    ``edit(html, folder)`` returns the page's new text and may write files beside it.
    """
    for entry in HTML.iterdir():
        if entry.name != Path(page).parts[0]:
            (folder / entry.name).symlink_to(entry)
    section = folder / Path(page).parts[0]
    section.mkdir()
    for entry in (HTML / section.name).iterdir():
        (section / entry.name).symlink_to(entry)
    (folder / page).unlink()
    (folder / page).write_text(edit((HTML / page).read_text(encoding="utf-8"), folder))
    return folder


def heavy_script(html: str, folder: Path) -> str:
    """A 1 MB script (random, so that compression cannot shrink it much) loaded the blocking way."""
    noise = base64.b64encode(os.urandom(750_000)).decode("ascii")
    (folder / "book" / "planted.js").write_text(f'const planted = "{noise}";\n')
    return html.replace("</head>", '<script src="planted.js"></script>\n</head>', 1)


def heavy_image(html: str, folder: Path) -> str:
    """A 2 MB picture at the top of the page's article."""
    from PIL import Image

    noise = Image.frombytes("RGB", (820, 820), os.urandom(820 * 820 * 3))
    noise.save(folder / "book" / "planted.png")
    picture = '<img src="planted.png" alt="A planted picture" width="820" height="820">'
    return html.replace('<article class="bd-article">', f'<article class="bd-article">{picture}', 1)


@pytest.mark.parametrize(
    "page, plant, caught",
    [
        ("book/mnist.html", heavy_script, "render-blocking resource that is not a style sheet"),
        ("book/neurons.html", heavy_image, "its largest paint is an image"),
    ],
    ids=["render-blocking-script", "heavy-image"],
)
def test_the_budget_catches_a_planted_regression(site, tmp_path, page, plant, caught):
    """The gate is not a timing, yet it fails a page made slow on purpose."""
    browser, base_url = site
    with opened_page(browser, base_url + page) as opened:
        assert not page_budget.problems(page_budget.measure(opened.page)), "the page as built"
    planted = planted_site(tmp_path, page, plant)
    with serve(planted) as planted_url, opened_page(browser, planted_url + page) as opened:
        problems = page_budget.problems(page_budget.measure(opened.page))
    print(f"\n{page} with {plant.__name__}:\n  " + "\n  ".join(problems))
    assert any(caught in problem for problem in problems), problems
    assert any("bytes, over" in problem for problem in problems), problems


def write_weights() -> None:
    if not FACTS:
        return
    limits = page_budget.LIMITS
    lines = [
        (
            f"Measured on {dt.date.today().isoformat()} by `tests/test_site_browser.py`, in Chromium,"
            " from localhost, on a first visit, text gzip-compressed as a web host serves it: what"
            " each page transfers (headers and bodies), its requests, the bytes of its"
            " render-blocking style sheets, the elements of its document and its largest paint"
            " (the element, and its bytes when it is an image). The limits (booktools/page_budget.py):"
            f" {limits['bytes'] / 1000:,.0f} kB, {limits['requests']} requests,"
            f" {limits['blocking_bytes'] / 1000:,.0f} kB render-blocking and no blocking script,"
            f" {limits['elements']:,} elements, an image as largest paint of at most"
            f" {limits['largest_paint_image_bytes'] / 1000:,.0f} kB. They hold whatever the machine"
            " is doing."
        ),
        "",
        "| page | kB | requests | render-blocking kB | elements | largest paint |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, facts in sorted(FACTS.items(), key=lambda item: -item[1].bytes):
        paint = facts.largest_paint or {}
        shown = paint.get("element") or "-"
        if paint.get("url"):
            shown += f" ({paint['bytes'] / 1000:,.0f} kB)"
        lines.append(
            f"| `{name}` | {facts.bytes / 1000:,.0f} | {facts.requests} |"
            f" {facts.blocking_bytes / 1000:,.1f} | {facts.elements:,} | {shown} |"
        )
    (paths.BUILD / "page-weights.md").write_text("\n".join(lines) + "\n")
