"""The EPUB edition (`make epub`): a valid EPUB 3 that holds the whole book and needs no script.

CI builds the EPUB before the tests, and there a missing EPUB fails. On a
reader's machine these tests are skipped until `make epub` has been run.
"""

import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from booktools import extract_tests, paths
from booktools.explorables import interactive_figures, web_address
from booktools.optional import skip_or_fail

ROOT = paths.ROOT
EPUB = paths.EPUB
HTML = paths.HTML
OPF = "{http://www.idpf.org/2007/opf}"
# TeX that MathJax would typeset on the web; in the EPUB it must have become pictures.
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{")


@pytest.fixture(scope="module")
def epub() -> Path:
    if not EPUB.is_file():
        skip_or_fail(f"{EPUB} is missing: build the EPUB first (`make epub`)")
    return EPUB


@pytest.fixture(scope="module")
def book(epub) -> zipfile.ZipFile:
    with zipfile.ZipFile(epub) as archive:
        yield archive


def spine(book: zipfile.ZipFile) -> list[str]:
    """The reading order: the documents' paths inside the archive."""
    container = ET.fromstring(book.read("META-INF/container.xml"))
    opf_path = container.find(".//{*}rootfile").get("full-path")
    opf = ET.fromstring(book.read(opf_path))
    folder = posixpath.dirname(opf_path)
    hrefs = {item.get("id"): item.get("href") for item in opf.iter(f"{OPF}item")}
    return [posixpath.join(folder, hrefs[ref.get("idref")]) for ref in opf.iter(f"{OPF}itemref")]


def chapter_documents(book: zipfile.ZipFile) -> dict[Path, str]:
    """Each chapter of _toc.yml and the path of its document in the archive."""
    found = {}
    for document in spine(book):
        for path in extract_tests.toc_files():
            if document.endswith(path.with_suffix(".xhtml").as_posix()):
                found[path] = document
    return found


@cache
def site_page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(
        (HTML / path.with_suffix(".html")).read_text(encoding="utf-8"), "html.parser"
    )


def parse(book: zipfile.ZipFile, document: str) -> BeautifulSoup:
    return BeautifulSoup(book.read(document).decode("utf-8"), "html.parser")


def caption_text(figure) -> str:
    """A figure's caption without its number (nor the web page's anchor link)."""
    caption = BeautifulSoup(str(figure.find("figcaption")), "html.parser")
    for number in caption.select(".caption-number, a.headerlink"):
        number.decompose()
    return caption.get_text(" ", strip=True)


@pytest.mark.built
def test_it_is_a_zip_whose_first_entry_is_the_epub_mimetype(epub):
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        assert archive.testzip() is None


@pytest.mark.slow
def test_epubcheck_reports_no_error(epub):
    tool = shutil.which("epubcheck")
    if not tool:
        skip_or_fail("epubcheck is missing: `make epub` installs it")
    # Debian's /usr/bin/epubcheck is the jar itself, which runs directly only
    # where the kernel hands jars to Java (binfmt_misc, absent in containers).
    jar = Path(tool).resolve()
    command = ["java", "-jar", str(jar)] if jar.suffix == ".jar" else [tool]
    result = subprocess.run([*command, str(epub)], check=False, capture_output=True, text=True)
    report = result.stdout + result.stderr
    problems = [line for line in report.splitlines() if line.startswith(("ERROR", "FATAL"))]
    assert result.returncode == 0 and not problems, report[-5000:]


@pytest.mark.built
def test_every_chapter_is_there_in_toc_order(book):
    documents = chapter_documents(book)
    assert list(documents) == list(extract_tests.toc_files()), (
        "chapters missing from the EPUB's spine, or out of order"
    )
    order = spine(book)
    positions = [order.index(document) for document in documents.values()]
    assert positions == sorted(positions)


@pytest.mark.built
def test_every_figure_caption_code_cell_and_output_of_the_site_is_there(book):
    documents = chapter_documents(book)
    figures = 0
    for path, document in documents.items():
        site, page = site_page(path), parse(book, document)
        folder = posixpath.dirname(document)
        for figure in site.select("figure[id]"):
            copy = page.find("figure", id=figure["id"])
            assert copy is not None, f"{path}: figure #{figure['id']} is missing"
            caption = figure.find("figcaption")
            if caption:
                assert copy.find("figcaption"), f"{path}: figure #{figure['id']} has no caption"
                assert caption_text(copy) == caption_text(figure), (
                    f"{path}: figure #{figure['id']}'s caption differs"
                )
            images = copy.find_all("img")
            assert images, f"{path}: figure #{figure['id']} has no picture"
            for image in images:
                source = posixpath.normpath(posixpath.join(folder, image["src"]))
                assert source in book.namelist(), f"{path}: {image['src']} is not in the EPUB"
            figures += 1
        for kind in ("div.cell_input", "div.cell_output"):
            assert len(page.select(kind)) == len(site.select(kind)), (
                f"{path}: not every {kind} of the site"
            )
    assert figures > 0


@pytest.mark.built
def test_mathematics_is_pictures_and_no_page_has_a_script(book):
    math_pictures = 0
    for document in spine(book):
        page = parse(book, document)
        assert not page.find("script"), f"{document} has a script, which e-readers do not run"
        assert not page.find("canvas"), f"{document} has a canvas, which needs a script"
        for code in page.find_all(["pre", "code"]):
            code.decompose()
        raw = RAW_TEX.search(page.get_text())
        assert not raw, (
            f"{document} shows TeX for MathJax: {page.get_text()[max(0, raw.start() - 80) : raw.end() + 80]!r}"
        )
        # imgmath: inline mathematics is an img.math, a displayed formula an img in a div.math.
        for picture in page.select("img.math, div.math img"):
            assert picture["src"].endswith(".svg") and picture.get("alt"), picture
            math_pictures += 1
    assert math_pictures > 0, "no mathematics as SVG pictures (sphinx.ext.imgmath)"


@pytest.mark.built
def test_code_wraps_rather_than_running_off_the_page(book):
    for document in chapter_documents(book).values():
        links = parse(book, document).select('link[rel="stylesheet"]')
        assert any(link["href"].endswith("_static/epub-book.css") for link in links), document
    css = book.read(next(name for name in book.namelist() if name.endswith("epub-book.css")))
    assert re.search(r"pre\s*\{[^}]*white-space:\s*pre-wrap", css.decode("utf-8"))


@pytest.mark.built
def test_the_drawing_page_points_to_the_web(book):
    documents = chapter_documents(book)
    page = parse(book, documents[Path("book/draw-a-digit.md")])
    links = [a["href"] for a in page.select("div.admonition.note a[href]")]
    assert any(
        link.startswith("https://") and link.endswith("book/draw-a-digit.html") for link in links
    ), links


@pytest.mark.built
def test_an_interactive_figure_is_its_picture_and_its_web_address(book):
    """A figure a reader moves on the web (handwriting/explorables.py) is a picture in the
    EPUB, with a note after it that gives the figure's web address."""
    documents = chapter_documents(book)
    figures = interactive_figures()
    assert len(figures) >= 3, figures
    for page, name in figures:
        figure = parse(book, documents[Path(page + ".md")]).find("figure", id=name)
        assert figure is not None and figure.find("img"), f"{page}: #{name} has no picture"
        note = figure.find_next_sibling()
        assert note is not None and "admonition" in note.get("class", []), f"{page}: #{name}"
        links = [a["href"] for a in note.select("a[href]")]
        assert web_address(page, name) in links, (page, name, links)


@pytest.mark.built
def test_the_colophon_and_the_cover_are_there(book):
    colophon = next(document for document in spine(book) if document.endswith("colophon.xhtml"))
    text = parse(book, colophon).get_text(" ", strip=True)
    assert paths.release() in text and "TensorFlow" in text and "CC BY-SA 3.0" in text
    assert any(name.endswith("book-cover.png") for name in book.namelist())


@pytest.mark.built
def test_the_site_links_to_the_epub(epub):
    copy = HTML / EPUB.name
    assert copy.is_file() and copy.read_bytes() == epub.read_bytes(), (
        "make epub copies the EPUB into the site"
    )
    page = HTML / "book" / "welcome.html"
    links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
        "a[href$='.epub']"
    )
    assert links, "the welcome page has no link to the EPUB"
    for link in links:
        assert (page.parent / link["href"]).resolve() == copy.resolve(), link["href"]
