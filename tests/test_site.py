"""The built HTML book: every page of _toc.yml is there, and its outputs are clean.

`make test` builds the book (from the execution cache) before running pytest,
so these tests read the site the build just wrote.
"""

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from booktools import extract_tests, paths
from booktools.sphinx import moved_data

HTML = paths.HTML
PAGES = [path.with_suffix(".html") for path in extract_tests.toc_files()]

# What must never reach a reader: TensorFlow's C++ log lines (absl format, such
# as "I0000 00:00:17... port.cc:153] ..."), Python warnings, Keras's progress
# bars and the carriage returns that draw them, and terminal colour codes.
DEBRIS = {
    "an absl/TensorFlow log line": re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d", re.M),
    "an absl notice": re.compile(r"absl::|InitializeLog"),
    "a oneDNN notice": re.compile(r"oneDNN"),
    "a TensorFlow source path": re.compile(r"tensorflow/(core|compiler|tsl)/"),
    "a Python warning": re.compile(r"\w*Warning: "),
    # TensorFlow's Python logger writes to stdout in a notebook, so -W cannot catch it
    "a TensorFlow/absl log message": re.compile(
        r"^(WARNING|ERROR|INFO):(tensorflow|absl)", re.M | re.I
    ),
    # "12/938 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step" (not the box lines of model.summary())
    "a progress bar": re.compile(r"\d+/\d+ [━─]+|\[=+>?\.*\]"),
    "a carriage return": re.compile(r"\r"),
    "a terminal colour code": re.compile(r"\x1b\["),
}


@cache
def page(relative: Path) -> BeautifulSoup:
    """A built page, parsed once for all the tests that read it."""
    path = HTML / relative
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first (`make book`; `make test` does it)")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.built
@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_page_is_built_with_a_title(relative):
    soup = page(relative)
    assert soup.find("h1") is not None and soup.find("h1").get_text(strip=True)


@pytest.mark.built
@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_cell_outputs_are_clean(relative):
    soup = page(relative)
    assert not soup.select(".output.stderr"), "a cell wrote to stderr"
    assert not soup.select(".output.traceback"), "a cell's output is a traceback"
    for output in soup.select(".cell_output"):
        text = output.get_text()
        for what, pattern in DEBRIS.items():
            match = pattern.search(text)
            assert match is None, f"{relative}: {what} in a cell output: {text[:300]!r}"


@pytest.mark.built
@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_images_are_local_and_have_alt_text(relative):
    for image in page(relative).find_all("img"):
        source = image.get("src", "")
        assert not re.match(r"^(https?:)?//", source), f"{relative}: hot-linked image {source}"
        if source.startswith("data:"):
            continue
        assert (HTML / relative).parent.joinpath(source).resolve().is_file(), source
        assert image.get("alt", "").strip(), f"{relative}: image {source} has no alt text"


@pytest.mark.unit
def test_the_debris_patterns_catch_what_they_should():
    """The patterns above would catch the real thing (so the clean pass means something)."""
    samples = {
        "an absl/TensorFlow log line": "I0000 00:00:1795632997.308771    2107 port.cc:153] oneDNN custom",
        "a Python warning": "UserWarning: Do not pass an `input_shape`",
        "a progress bar": "938/938 ━━━━━━━━━━━━━━━━━━━━ 2s 2ms/step",
        "a carriage return": "Epoch 1/10\r 12/938",
        "a TensorFlow/absl log message": "WARNING:tensorflow:5 out of the last 5 calls to <function",
    }
    for what, sample in samples.items():
        assert DEBRIS[what].search(sample), what
    clean = [
        "938/938 - 2s - 2ms/step - accuracy: 0.9023",  # fit(..., verbose=2)
        "┏━━━━━━━━━━━━━━━┳━━━━━━━━━┓\n┃ Layer (type)  ┃ Param # ┃",  # model.summary()
    ]
    for sample in clean:
        assert not any(pattern.search(sample) for pattern in DEBRIS.values()), sample


@pytest.mark.built
@pytest.mark.parametrize("chapter", extract_tests.chapters(), ids=lambda c: c.name)
def test_each_chapter_offers_its_notebook_and_source(chapter):
    """The side bar links to the chapter as .ipynb (tests/test_notebooks.py reads it) and to its .md."""
    relative = chapter.path.with_suffix(".html")
    links = {a["href"] for a in page(relative).select(".sidebar-downloads a")}
    notebook_link = next(link for link in links if link.endswith(".ipynb"))
    assert (HTML / relative.parent / notebook_link).resolve() == (
        HTML / "_notebooks" / chapter.path.with_suffix(".ipynb")
    ).resolve()
    source_link = next(link for link in links if link.endswith(".md"))
    assert (HTML / relative.parent / source_link).read_text(encoding="utf-8") == (
        paths.ROOT / chapter.path
    ).read_text(encoding="utf-8")


def launch_settings():
    config = paths.config()
    url = config["repository"]["url"].rstrip("/")
    org_repo = url.removeprefix("https://github.com/")
    return url, org_repo, config["repository"]["branch"]


@pytest.mark.built
@pytest.mark.parametrize("chapter", extract_tests.chapters(), ids=lambda c: c.name)
def test_launch_buttons_open_the_chapter_as_a_notebook(chapter):
    """Colab and Binder open book/<chapter>.ipynb from the launch branch, the notebook this build made."""
    url, org_repo, branch = launch_settings()
    relative = chapter.path.with_suffix(".html")
    links = {a["href"] for a in page(relative).select(".dropdown-launch-buttons a")}
    notebook = chapter.path.with_suffix(".ipynb").as_posix()
    assert (
        f"https://colab.research.google.com/github/{org_repo}/blob/{branch}/{notebook}" in links
    ), links
    assert f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{notebook}" in links, (
        links
    )
    # booktools/publish_notebooks.py puts the site's _notebooks/<page>.ipynb at that path
    assert (HTML / "_notebooks" / notebook).is_file()


@pytest.mark.built
def test_previous_and_next_links_follow_the_table_of_contents():
    order = [path.with_suffix(".html").as_posix() for path in extract_tests.toc_files()]
    for index, relative in enumerate(order):
        area = page(Path(relative)).select_one(".prev-next-area")
        assert area is not None, f"{relative} has no previous/next links"
        folder = Path(relative).parent
        for selector, neighbour in (("a.left-prev", index - 1), ("a.right-next", index + 1)):
            link = area.select_one(selector)
            if 0 <= neighbour < len(order):
                assert link is not None, f"{relative} lacks {selector}"
                target = (folder / link["href"].split("#")[0]).as_posix()
                assert target == order[neighbour], f"{relative}: {selector} goes to {target}"
            else:
                assert link is None, f"{relative}: {selector} leads outside the book"


# Findable, light and dated: what booktools/sphinx/seo.py, icons.py and
# figures.py add to every page, and the files a search engine asks for.


def site_url() -> str:
    return paths.config()["html"]["baseurl"]


def front_matter(relative: Path) -> dict:
    import yaml

    source = (paths.ROOT / relative).with_suffix(".md").read_text(encoding="utf-8")
    return yaml.safe_load(source.split("---\n")[1]) if source.startswith("---\n") else {}


@pytest.mark.built
@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_page_has_its_description_canonical_url_and_social_tags(relative):
    soup = page(relative)
    description = soup.find("meta", attrs={"name": "description"})
    assert description is not None and len(description["content"]) >= 50, (
        f"{relative}: no description"
    )
    assert description["content"] == front_matter(relative)["description"], "not the front matter's"
    assert len(soup.find_all("meta", attrs={"name": "description"})) == 1
    canonical = soup.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == site_url() + relative.as_posix()
    tags = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=True)}
    assert tags.get("og:url") == canonical["href"]
    assert tags.get("og:description") == description["content"]
    assert tags.get("og:image", "").startswith(site_url()), tags
    assert (HTML / tags["og:image"].removeprefix(site_url())).is_file()
    twitter = soup.find("meta", attrs={"name": "twitter:card"})
    assert twitter is not None and twitter["content"] == "summary_large_image"
    icon = soup.find("link", rel="icon")
    assert icon is not None and (HTML / relative).parent.joinpath(icon["href"]).is_file()


@pytest.mark.built
@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_page_shows_the_date_it_last_changed(relative):
    footer = page(relative).select_one(".footer-item .last-updated, p.last-updated")
    assert footer is not None, f"{relative} does not say when it last changed"
    assert re.search(r"\d{1,2} \w+ 20\d\d", footer.get_text()), footer.get_text()


@pytest.mark.built
@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_page_carries_no_icon_library_and_sizes_its_figures(relative):
    soup = page(relative)
    scripts = [tag.get("src", "") for tag in soup.find_all("script")]
    assert not [src for src in scripts if "fontawesome" in src], (
        "the page loads Font Awesome's script"
    )
    assert not soup.select("i[class*=fa-]"), "an icon was left for Font Awesome to draw"
    figures = [img for img in soup.select("article img") if not img["src"].startswith("data:")]
    for index, img in enumerate(figures):
        assert img.get("width") and img.get("height"), f"{relative}: {img['src']} has no size"
        assert (img.get("loading") == "lazy") == (index > 0), f"{relative}: {img['src']} loading"


@pytest.mark.built
@pytest.mark.parametrize("relative", PAGES, ids=[p.as_posix() for p in PAGES])
def test_page_keeps_its_large_data_in_files_of_their_own(relative):
    """The moved-data step moved every base64 PNG and every large JSON element out of the page."""
    text = (HTML / relative).read_text(encoding="utf-8")
    assert "data:image/png;base64," not in text, f"{relative}: a PNG is still written in"
    for element in page(relative).select('script[type="application/json"]'):
        assert len(element.get_text()) <= moved_data.MIN_MOVED, f"{relative}: {element.get('id')}"
        if element.get("src"):
            assert (HTML / relative).parent.joinpath(element["src"]).resolve().is_file()


@pytest.mark.built
def test_sitemap_robots_and_404_page():
    from xml.etree import ElementTree

    sitemap = ElementTree.parse(HTML / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in sitemap.findall("s:url/s:loc", namespace)}
    assert {site_url() + p.as_posix() for p in PAGES} <= listed, listed
    assert not [url for url in listed if url.endswith(("404.html", "search.html", "genindex.html"))]
    robots = (HTML / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots and f"Sitemap: {site_url()}sitemap.xml" in robots
    missing = BeautifulSoup((HTML / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert "not found" in missing.get_text().lower()
    prefix = urlsplit(site_url()).path
    stylesheets = [link["href"] for link in missing.find_all("link", rel="stylesheet")]
    assert stylesheets and all(href.startswith(prefix) for href in stylesheets), stylesheets
    assert (HTML / "favicon.ico").is_file()


@pytest.mark.unit
def test_citation_file_is_valid_cff():
    """CITATION.cff has what Citation File Format 1.2.0 requires, and names this book."""
    import yaml

    citation = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert citation.get(key), f"CITATION.cff lacks {key}"
    assert citation["type"] in ("software", "dataset")
    for author in citation["authors"] + citation["preferred-citation"]["authors"]:
        assert author.get("name") or author.get("family-names"), author
    assert set(citation) <= CFF_KEYS, set(citation) - CFF_KEYS
    config = paths.config()
    assert citation["title"] == config["title"]
    # One edition everywhere: the build's version, the citation file and the BibTeX.
    edition = config["sphinx"]["config"]["version"]
    assert citation["version"] == citation["preferred-citation"]["edition"] == edition
    assert citation["url"] == site_url()
    assert citation["repository-code"] == config["repository"]["url"]
    assert citation["preferred-citation"]["type"] == "book"
    welcome = (paths.BOOK / "welcome.md").read_text(encoding="utf-8")
    assert "## How to cite" in welcome and "@book{" in welcome and site_url() in welcome
    ordinal = paths.release().split()[0]  # "Third", as BibTeX styles print it
    assert re.search(rf"edition\s*=\s*\{{{ordinal}\}}", welcome), "welcome.md's BibTeX edition"


#: The keys Citation File Format 1.2.0 allows at the top level.
CFF_KEYS = {
    "abstract",
    "authors",
    "cff-version",
    "commit",
    "contact",
    "date-released",
    "doi",
    "identifiers",
    "keywords",
    "license",
    "license-url",
    "message",
    "preferred-citation",
    "references",
    "repository",
    "repository-artifact",
    "repository-code",
    "title",
    "type",
    "url",
    "version",
}


@pytest.mark.unit
def test_the_changelog_closes_the_back_matter():
    from booktools.extract_tests import toc_files

    order = [path.as_posix() for path in toc_files()]
    assert order[-2:] == ["book/references.md", "book/changelog.md"], order[-3:]
    text = (paths.BOOK / "changelog.md").read_text(encoding="utf-8")
    assert "## First edition" in text and "## Second edition" in text
    assert f"## {paths.release()}" in text, "the edition being built has its entry"
