"""Every internal link, anchor and image of the built site resolves.

Links that leave the site (http, https, mailto) are not followed here: the
browser tests check that pages load nothing from outside.
"""

import os
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from booktools import paths

pytestmark = pytest.mark.built

HTML = paths.HTML
# The site's pages; _static holds theme files, among them Jinja macros named *.html.
PAGES = (
    sorted(path for path in HTML.rglob("*.html") if "_static" not in path.relative_to(HTML).parts)
    if HTML.is_dir()
    else []
)
# `make pdf` and `make epub` copy the editions into the site; before that, only their
# links may dangle (never in CI).
EDITIONS = {paths.PDF.name, paths.EPUB.name}
EDITIONS_OPTIONAL = not os.environ.get("CI")
ATTRIBUTES = {"a": "href", "img": "src", "link": "href", "script": "src", "source": "src"}


def site_prefix() -> str:
    """The published site's path (html.baseurl in _config.yml): the 404 page's links start with it."""
    return urlsplit(paths.config()["html"]["baseurl"]).path


SITE_PREFIX = site_prefix()


@cache
def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def anchors(path: Path) -> frozenset[str]:
    soup = parse(path)
    return frozenset(
        [tag["id"] for tag in soup.find_all(id=True)]
        + [tag["name"] for tag in soup.find_all("a", attrs={"name": True})]
    )


def local_targets(page: Path):
    """(tag, reference, file, fragment) for every reference that stays inside the site."""
    for tag_name, attribute in ATTRIBUTES.items():
        for tag in parse(page).find_all(tag_name):
            reference = tag.get(attribute)
            if not reference or reference.startswith(("data:", "javascript:")):
                continue
            parts = urlsplit(reference)
            if parts.scheme or parts.netloc:
                continue  # leaves the site
            if parts.path.startswith("/"):  # the 404 page, served at any depth, links from the root
                target = (HTML / unquote(parts.path.removeprefix(SITE_PREFIX))).resolve()
            else:
                target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            yield tag_name, reference, target, unquote(parts.fragment)


def test_the_site_is_built():
    assert PAGES, f"no pages under {HTML}: build the book first (`make book`)"
    assert (HTML / "index.html").is_file()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(HTML)) for p in PAGES])
def test_every_local_link_and_image_resolves(page):
    broken = []
    for tag, reference, target, fragment in local_targets(page):
        if not target.is_file():
            if target.name in EDITIONS and EDITIONS_OPTIONAL:
                continue
            broken.append(f"<{tag}> {reference}: no file {target}")
        elif fragment and target.suffix == ".html" and fragment not in anchors(target):
            broken.append(f"<{tag}> {reference}: no anchor #{fragment} in {target.name}")
    assert not broken, "\n".join(broken)


def test_the_checker_sees_a_broken_link(tmp_path):
    """A page with a missing file and a missing anchor is caught."""
    (tmp_path / "a.html").write_text(
        '<a href="b.html#here">b</a><a href="gone.html">x</a><img src="pic.png">'
    )
    (tmp_path / "b.html").write_text('<h1 id="there">b</h1>')
    found = {
        (reference, target.is_file(), fragment)
        for _, reference, target, fragment in local_targets(tmp_path / "a.html")
    }
    assert ("b.html#here", True, "here") in found
    assert ("gone.html", False, "") in found and ("pic.png", False, "") in found
    assert "here" not in anchors(tmp_path / "b.html") and "there" in anchors(tmp_path / "b.html")
