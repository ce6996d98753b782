"""Glossary links that read as definitions, not as navigation.

On the web site every ``{term}`` link is drawn in the text's own colour with a
dotted underline, and its definition shows beside it on hover and on keyboard
focus (booktools/sphinx/term_tips.py, book/_static/term-tips.js). These tests check
the build's output (every term link marked, the module on exactly the pages that
need it, every definition written as on the glossary page), then a chapter in
Chromium, in the light and the dark theme, and finally that neither the PDF nor
the EPUB carries the definitions' script or data.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from bs4 import BeautifulSoup

from booktools import extract_tests, glossary, paths
from booktools.browser import axe_violations, opened_page, site_in_chromium
from booktools.optional import skip_or_fail
from booktools.sphinx import term_tips

HTML = paths.HTML
DEFINITIONS = HTML / "_static" / term_tips.DEFINITIONS
#: A chapter with glossary links and ordinary links to other pages in its prose.
CHAPTER = "book/neurons.html"


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built():
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML} holds no built site: run `make book` first")
    if not DEFINITIONS.is_file():
        pytest.fail(
            f"{DEFINITIONS} is missing: booktools.sphinx.term_tips did not run in the build"
        )
    return json.loads(DEFINITIONS.read_text(encoding="utf-8"))


def soup(relative: str) -> BeautifulSoup:
    return BeautifulSoup((HTML / relative).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.built
def test_every_definition_is_written_as_the_glossary_page_gives_it(built):
    page = soup("book/glossary.html")
    for anchor in page.select("a.headerlink"):
        anchor.decompose()
    shown = {}
    for term in page.select("dl.glossary > dt[id]"):
        definition = term.find_next_sibling("dd")
        shown[term["id"]] = (words(term.get_text()), words(definition.get_text()))
    assert {anchor: (e["term"], e["definition"]) for anchor, e in built.items()} == shown
    assert sorted(entry["term"] for entry in built.values()) == sorted(glossary.terms())


@pytest.mark.built
@pytest.mark.parametrize(
    "relative", [path.with_suffix(".html").as_posix() for path in extract_tests.toc_files()]
)
def test_term_links_are_marked_and_load_the_module(built, relative):
    page = soup(relative)
    terms = [span.parent for span in page.select("a.reference > span.std-term")]
    marked = page.select("a.term-link")
    assert marked == terms, f"{relative}: every term link, and only those, has class term-link"
    for link in marked:
        anchor = link["href"].partition("#")[2]
        assert anchor in built, f"{relative}: no definition for {link['href']}"
    modules = [
        script
        for script in page.find_all("script", src=True)
        if script["src"].partition("?")[0].endswith("_static/" + term_tips.SCRIPT)
    ]
    assert len(modules) == (1 if terms else 0), (
        f"{relative}: {len(terms)} term links, {len(modules)} scripts"
    )
    assert all(script.get("type") == "module" for script in modules), "the module is deferred"


@pytest.fixture(scope="module")
def browser(built):
    with site_in_chromium(HTML) as (chromium, base_url):
        yield chromium, base_url


STYLE = """element => {
    const style = getComputedStyle(element);
    return {color: style.color, line: style.textDecorationLine, style: style.textDecorationStyle};
}"""


def shown_tip(page) -> str:
    tip = page.locator("#term-tip")
    tip.wait_for(state="visible", timeout=10_000)
    return words(tip.inner_text())


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_term_link_is_quiet_and_shows_its_definition_on_hover_and_focus(built, browser, theme):
    chromium, base_url = browser
    with opened_page(chromium, base_url + CHAPTER, color_scheme=theme) as opened:
        page = opened.page
        assert page.evaluate("() => document.documentElement.dataset.theme") == theme
        link = page.locator("article p a.term-link").first
        ordinary = page.locator("article p a.reference.internal:not(.term-link)").first
        text = link.locator("xpath=ancestor::p[1]")
        looks = link.evaluate(STYLE)
        assert looks["color"] == text.evaluate(STYLE)["color"], "a term link has the text's colour"
        assert looks["color"] != ordinary.evaluate(STYLE)["color"], "not an ordinary link's colour"
        assert (looks["line"], looks["style"]) == ("underline", "dotted"), looks
        assert page.locator("#term-tip").is_hidden()

        entry = built[link.get_attribute("href").partition("#")[2]]
        link.hover()
        assert shown_tip(page) == words(f"{entry['term']}: {entry['definition']}")
        assert link.get_attribute("aria-describedby") == "term-tip"
        assert page.locator("#term-tip").get_attribute("role") == "tooltip"
        assert link.evaluate(STYLE)["color"] != looks["color"], "the link colour on hover"
        problems = axe_violations(page)
        page.mouse.move(0, 0)
        page.locator("#term-tip").wait_for(state="hidden", timeout=10_000)
        assert link.get_attribute("aria-describedby") is None

        # The keyboard: Tab from the top of the page to the first term link.
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        for _ in range(400):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('a.term-link')"):
                break
        else:
            pytest.fail("no term link is reached with the Tab key")
        focused = page.evaluate(
            "() => [document.activeElement.getAttribute('href'), document.activeElement.textContent]"
        )
        entry = built[focused[0].partition("#")[2]]
        assert shown_tip(page) == words(f"{entry['term']}: {entry['definition']}")
        problems += axe_violations(page, rules=["color-contrast"])
        page.keyboard.press("Escape")
        page.locator("#term-tip").wait_for(state="hidden", timeout=10_000)
        problems += opened.errors + opened.requests.outside
        assert not problems, f"{CHAPTER} ({theme} theme):\n" + "\n".join(problems)


@pytest.mark.built
def test_the_epub_has_no_definitions_but_the_glossary(built):
    """E-readers run no script: the EPUB carries neither the module nor its data,
    and each definition is in the glossary chapter only."""
    if not paths.EPUB.is_file():
        skip_or_fail(f"{paths.EPUB} is missing: build the EPUB first (`make epub`)")
    with zipfile.ZipFile(paths.EPUB) as book:
        names = book.namelist()
        assert not [
            name for name in names if name.endswith((term_tips.SCRIPT, term_tips.DEFINITIONS))
        ]
        texts = {
            name: book.read(name).decode("utf-8")
            for name in names
            if name.endswith((".xhtml", ".html"))
        }
    assert not [name for name, text in texts.items() if re.search(r"term-(link|tip)", text)]
    plain = {
        name: words(BeautifulSoup(text, "html.parser").get_text()) for name, text in texts.items()
    }
    for entry in built.values():
        holding = [name for name, text in plain.items() if entry["definition"] in text]
        assert len(holding) == 1 and "glossary" in holding[0], (entry["term"], holding)


@pytest.mark.built
def test_the_pdf_build_has_no_definitions_but_the_glossary():
    if not paths.PDF.is_file():
        skip_or_fail(f"{paths.PDF} is missing: build the PDF first (`make pdf`)")
    written = [
        path.name
        for path in paths.LATEX.rglob("*")
        if path.name in (term_tips.SCRIPT, term_tips.DEFINITIONS)
    ]
    assert not written
    tex = (paths.LATEX / "handwriting-recognition.tex").read_text(encoding="utf-8")
    assert "term-link" not in tex and "term-tip" not in tex
