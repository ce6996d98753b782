"""The PDF edition (`make pdf`): complete, in order, with embedded fonts and no broken references.

CI builds the PDF before the tests, and there a missing PDF fails. On a
reader's machine these tests are skipped until `make pdf` has been run.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from booktools import extract_tests, paths
from booktools.optional import skip_or_fail

ROOT = paths.ROOT
LATEX = paths.LATEX
PDF = paths.PDF
HTML = paths.HTML


@pytest.fixture(scope="module")
def pdf() -> Path:
    if not PDF.is_file():
        skip_or_fail(f"{PDF} is missing: build the PDF first (`make pdf`)")
    for tool in ("pdftotext", "pdffonts", "pdfinfo"):
        assert shutil.which(tool), f"{tool} is missing: `make pdf` installs poppler-utils"
    return PDF


def run(*command) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def text(pdf) -> str:
    # Join words hyphenated across lines and fold white space, so titles match.
    raw = run("pdftotext", "-layout", str(pdf), "-")
    raw = re.sub(r"-\n\s*", "", raw)
    return re.sub(r"\s+", " ", raw)


def chapter_titles() -> list[str]:
    titles = []
    for path in extract_tests.toc_files():
        match = re.search(r"^# (.+)$", (ROOT / path).read_text(encoding="utf-8"), re.M)
        assert match, f"{path} has no title"
        titles.append(match.group(1).strip())
    return titles


def test_every_chapter_title_appears_in_order(text):
    titles = chapter_titles()
    # The root page is the PDF's title page and its first chapter, "Welcome".
    assert text.find(titles[0]) >= 0 and "Welcome" in text
    contents_end = text.find("Welcome", text.find("Welcome") + 1)  # after the table of contents
    position = contents_end
    for title in titles[1:]:
        found = text.find(title, position)
        assert found >= 0, f"chapter {title!r} is missing from the PDF, or out of order"
        position = found


def test_the_parts_of_the_toc_are_parts_of_the_pdf(text):
    import yaml

    captions = [part["caption"] for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]]
    numerals = ["I", "II", "III", "IV", "V", "VI"]
    parts = [c for c in captions if c != "Back matter"]  # book/_ext/book_latex.py makes no part of it
    assert parts
    position = 0
    for numeral, caption in zip(numerals, parts):
        name = re.sub(r"^Part [IVX]+:\s*", "", caption)
        heading = f"Part {numeral} {name[:1].upper()}{name[1:]}"
        found = text.find(heading, position)
        assert found >= 0, f"{heading!r} is missing from the PDF, or out of order"
        position = found


def test_the_page_count_is_plausible(pdf):
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))
    chapters = len(chapter_titles())
    assert 4 * chapters <= pages <= 40 * chapters, f"{pages} pages for {chapters} chapters"


def test_no_unresolved_reference(text):
    assert "??" not in text, text[max(0, text.find("??") - 200): text.find("??") + 50]


def test_every_font_is_embedded(pdf):
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


def test_no_glyph_is_missing():
    log = (LATEX / "handwriting-recognition.log").read_text(encoding="utf-8", errors="replace")
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    assert not missing, f"characters the PDF's fonts lack: {missing}"


def test_every_figure_of_the_site_is_in_the_pdf(text, pdf):
    site_figures = 0
    for path in extract_tests.toc_files():
        page = HTML / path.with_suffix(".html")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        site_figures += len(soup.select("figure.align-default, figure.numbered, div.figure"))
    captions = re.findall(r"Fig\. \d+\.\d+:", text)
    assert site_figures > 0
    assert len(captions) >= site_figures, f"{len(captions)} figure captions in the PDF, {site_figures} figures on the site"
    images = run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert len(images) >= site_figures, f"{len(images)} images in the PDF for {site_figures} figures"


def test_the_site_links_to_the_pdf(pdf):
    copy = HTML / PDF.name
    assert copy.is_file() and copy.read_bytes() == PDF.read_bytes(), "make pdf copies the PDF into the site"
    page = HTML / "book" / "welcome.html"
    links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href$='.pdf']")
    assert links, "the welcome page has no link to the PDF"
    for link in links:
        assert (page.parent / link["href"]).resolve() == copy.resolve(), link["href"]
