"""The figures that are interactive on the web, as the built site has them.

An explorable (handwriting/explorables.py) is a figure whose web form the
reader moves; the PDF and the EPUB show its picture with a note that gives
its web address (booktools/sphinx/explorables.py). The tests of both editions ask
this module which figures those are, so that a new explorable is checked
without being listed anywhere.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from booktools import extract_tests, paths


def interactive_figures(html=None) -> list[tuple[str, str]]:
    """(page, figure id) of every figure of the site that holds an explorable, in book order.

    The page is its docname (``book/training``); the id the figure's name
    (``fig-gradient-descent``).
    """
    html = paths.HTML if html is None else html
    found = []
    for path in extract_tests.toc_files():
        page = html / path.with_suffix(".html")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("figure[id]"):
            if figure.select_one("[data-explorable]"):
                found.append((path.with_suffix("").as_posix(), figure["id"]))
    return found


def web_address(page: str, figure: str) -> str:
    """Where the figure is on the web: ``book_web_address`` of _config.yml, the page, the figure."""
    base = paths.config()["sphinx"]["config"]["book_web_address"].rstrip("/")
    return f"{base}/{page}.html#{figure}"
