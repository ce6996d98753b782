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
from booktools.explorables import interactive_figures, web_address
from booktools.optional import skip_or_fail
from booktools.parts import part_name

pytestmark = pytest.mark.built

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
        match = re.search(r"^# (.+)$", (ROOT / path).read_text(encoding="utf-8"), re.MULTILINE)
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

    captions = [
        part["caption"] for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]
    ]
    numerals = ["I", "II", "III", "IV", "V", "VI"]
    parts = [
        c for c in captions if c != "Back matter"
    ]  # booktools/sphinx/pdf.py makes no part of it
    assert parts
    position = 0
    for numeral, caption in zip(numerals, parts):
        name = part_name(caption)
        heading = f"Part {numeral} {name[:1].upper()}{name[1:]}"
        found = text.find(heading, position)
        assert found >= 0, f"{heading!r} is missing from the PDF, or out of order"
        position = found


def test_the_page_count_is_plausible(pdf):
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.MULTILINE).group(1))
    chapters = len(chapter_titles())
    assert 4 * chapters <= pages <= 40 * chapters, f"{pages} pages for {chapters} chapters"


def test_no_unresolved_reference(text):
    assert "??" not in text, text[max(0, text.find("??") - 200) : text.find("??") + 50]


def test_every_font_is_embedded(pdf):
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


def test_no_glyph_is_missing(pdf):
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
    assert len(captions) >= site_figures, (
        f"{len(captions)} figure captions in the PDF, {site_figures} figures on the site"
    )
    pictures = placed_pictures(pdf)
    assert pictures >= site_figures, f"{pictures} pictures in the PDF for {site_figures} figures"


def placed_pictures(pdf: Path) -> int:
    """How many pictures the pages place: the figures' PDFs (form XObjects, vector
    graphics) and raster images, each counted once."""
    from pypdf import PdfReader

    found = set()
    for page in PdfReader(pdf).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for reference in xobjects.values():
            if reference.get_object().get("/Subtype") in ("/Form", "/Image"):
                found.add(reference.idnum)
    return len(found)


def test_the_site_links_to_the_pdf(pdf):
    copy = HTML / PDF.name
    assert copy.is_file() and copy.read_bytes() == PDF.read_bytes(), (
        "make pdf copies the PDF into the site"
    )
    page = HTML / "book" / "welcome.html"
    links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href$='.pdf']")
    assert links, "the welcome page has no link to the PDF"
    for link in links:
        assert (page.parent / link["href"]).resolve() == copy.resolve(), link["href"]


# --- print quality: vector plots, sharp pixels ---------------------------------------

TEX = LATEX / "handwriting-recognition.tex"
# Every plot is vector graphics (matplotlib's PDF output), the pictures of the
# figures that are interactive on the web too (handwriting/explorables.py). Images that are pixels by nature (a digit, a feature map, a confusion matrix)
# are embedded at their own size; a rasterised plot is hundreds of pixels wide
# and high. matplotlib draws a colour bar's gradient as a narrow raster strip
# (deliberately: as vector bands it would show seams), a few pixels across.
PIXEL_IMAGE_MAX_SIDE = 256
PIXEL_IMAGE_MAX_AREA = 64 * 64
STRIP_MAX_WIDTH = 32
STRIP_MAX_LENGTH = 600


def is_pixel_image(width: int, height: int) -> bool:
    small = max(width, height) <= PIXEL_IMAGE_MAX_SIDE and width * height <= PIXEL_IMAGE_MAX_AREA
    strip = min(width, height) <= STRIP_MAX_WIDTH and max(width, height) <= STRIP_MAX_LENGTH
    return small or strip


def included_graphics(tex: str) -> list[tuple[str, str]]:
    """(file, figure label) for every picture the LaTeX sources include."""
    found = []
    for match in re.finditer(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex):
        end = tex.find(r"\end{figure}", match.end())
        label = re.search(
            r"\\label\{\\detokenize\{([^}]+)\}\}", tex[match.end() : end if end >= 0 else None]
        )
        found.append((match.group(1) + match.group(2), label.group(1) if label else ""))
    return found


def test_every_plot_is_included_as_vector_graphics(pdf):
    pictures = included_graphics(TEX.read_text(encoding="utf-8"))
    assert pictures, "the LaTeX sources include no pictures"
    raster = [(name, label) for name, label in pictures if not name.endswith(".pdf")]
    assert not raster, (
        f"figures included as raster images, not as vector PDF: {raster} "
        "(an execution cache from before the figures were PDF too? `make clean`, then build again)"
    )


def test_every_embedded_image_is_a_small_unsmoothed_pixel_image(pdf):
    rows = [row.split() for row in run("pdfimages", "-list", str(pdf)).splitlines()[2:]]
    assert rows, "the PDF embeds no image at all: no digit figure reached it?"
    large, smoothed = [], []
    for row in rows:
        page, kind, width, height, interpolate = row[0], row[2], int(row[3]), int(row[4]), row[9]
        if interpolate != "no":
            smoothed.append(f"page {page}: {width}x{height}")
        if not is_pixel_image(width, height):
            large.append(f"page {page}: {kind} {width}x{height}")
    assert not large, f"raster images larger than a pixel image (a plot as pixels?): {large}"
    assert not smoothed, f"images a PDF viewer is told to smooth: {smoothed}"


def test_an_interactive_figure_is_a_vector_picture_with_its_web_address(pdf):
    """The figures a reader moves on the web: in print, their picture (vector, as every
    plot) and a note after it with the figure's web address (booktools/sphinx/explorables.py)."""
    tex = TEX.read_text(encoding="utf-8")
    pictures = dict((label, name) for name, label in included_graphics(tex))
    figures = interactive_figures()
    assert len(figures) >= 3, figures
    for page, figure in figures:
        label = f"{page}:{figure}"
        assert pictures.get(label, "").endswith(".pdf"), f"{label}: {pictures.get(label)}"
        after = tex[tex.find(f"\\label{{\\detokenize{{{label}}}}}") :]
        start, next_figure = (
            after.find("\\begin{sphinxadmonition}{note}"),
            after.find("\\begin{figure}"),
        )
        assert 0 <= start and (next_figure < 0 or start < next_figure), f"{label}: no note after it"
        note = after[start : after.find("\\end{sphinxadmonition}", start)]
        assert "This figure is interactive on the web" in note, f"{label}: no note after it"
        href = web_address(page, figure).replace("#", "\\#")
        assert href in note, f"{label}: the note does not give {web_address(page, figure)}"


# --- front matter and metadata ----------------------------------------------------------


def page_text(pdf: Path, page: int) -> str:
    return re.sub(
        r"\s+", " ", run("pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-")
    )


def welcome_versions() -> dict[str, str]:
    """Python, TensorFlow and Keras as the welcome chapter's output shows them on the site."""
    soup = BeautifulSoup(
        (HTML / "book" / "welcome.html").read_text(encoding="utf-8"), "html.parser"
    )
    text = "\n".join(block.get_text() for block in soup.select("div.cell_output pre"))
    return dict(re.findall(r"^(Python|TensorFlow|Keras)\s+(\d+\.\d+\S*)", text, re.MULTILINE))


def test_the_title_page_has_the_title_the_edition_and_a_drawn_figure(pdf):
    first = page_text(pdf, 1)
    # The title first, then the edition (the authors' line names the book too).
    title = rf"\s*Handwriting Recognition with Neural Networks\s+{paths.release()}"
    assert re.match(title, first), first
    # The cover figure is the network diagram of handwriting/diagrams.py, as vector graphics: its labels are text.
    assert "Dense 128, ReLU" in first, first
    assert not run("pdfimages", "-f", "1", "-l", "1", "-list", str(pdf)).splitlines()[2:], (
        "a raster cover"
    )


def test_the_colophon_names_edition_date_commit_versions_and_licences(pdf):
    colophon = page_text(pdf, 2)
    assert re.search(
        rf"{paths.release()}, built on \d{{4}}-\d{{2}}-\d{{2}} (?:from commit [0-9a-f]{{12}}|outside a git checkout)",
        colophon,
    ), colophon
    versions = welcome_versions()
    assert set(versions) == {"Python", "TensorFlow", "Keras"}, versions
    for name, version in versions.items():
        assert f"{name} {version}" in colophon, (
            f"{name} {version} (the welcome chapter's output) not in {colophon!r}"
        )
    assert "executed notebooks" in colophon
    for licence in ("MIT", "CC BY 4.0", "CC BY-SA 3.0"):
        assert licence in colophon, licence


def test_the_metadata_names_the_book(pdf):
    from pypdf import PdfReader

    info = PdfReader(pdf).metadata
    assert info.title == "Handwriting Recognition with Neural Networks"
    assert info.author == "The authors of Handwriting Recognition with Neural Networks"
    assert "handwritten digit" in (info.subject or "")
    assert {"MNIST", "Keras", "neural networks"} <= {
        word.strip() for word in (info.get("/Keywords") or "").split(",")
    }


def outline_titles(pdf: Path) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, in order; numbers like "3.1" taken off."""
    from pypdf import PdfReader

    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                title = re.sub(r"^[\dIVX]+(\.\d+)*\s+", "", item.title).replace("\u2019", "'")
                found.append((depth, title.strip()))

    walk(PdfReader(pdf).outline, 0)
    return found


def section_titles(path: Path) -> list[str]:
    """The ## headings of a chapter (outside code), in the words a reader sees."""
    text = re.sub(
        r"^(```|~~~).*?^\1",
        "",
        (ROOT / path).read_text(encoding="utf-8"),
        flags=re.MULTILINE | re.DOTALL,
    )
    return [
        re.sub(r"[`*]", "", title).strip() for title in re.findall(r"^## (.+)$", text, re.MULTILINE)
    ]


def test_every_chapter_and_section_has_a_bookmark(pdf):
    bookmarks = [title for _, title in outline_titles(pdf)]
    assert "Colophon" in bookmarks and "Welcome" in bookmarks
    position = 0
    for path, title in zip(extract_tests.toc_files()[1:], chapter_titles()[1:]):
        assert title in bookmarks[position:], (
            f"no bookmark for the chapter {title!r}, or out of order"
        )
        position = bookmarks.index(title, position)
        for section in section_titles(path):
            assert section in bookmarks[position:], f"no bookmark for {section!r} in {title!r}"
