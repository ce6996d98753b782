"""A first paint that waits for nothing but the page and its style sheets.

The scripts that Sphinx and the extensions register reach the page through its
context, where booktools/sphinx/web.py defers them. The themes' templates write a
few more straight into the page, which only the written page shows; this step of
the finishing pass, for every page:

- marks every external script of the ``<head>`` ``defer`` (the search page's
  search scripts, among them): it still runs before the page is ready
  (DOMContentLoaded), in the same order, after the inline scripts that set its
  options;
- removes the theme's ``<link rel="preload" as="script">`` for scripts that are
  loaded, deferred, at the end of the page anyway, so that they no longer compete
  with the style sheets for the link;
- leaves out Sphinx's search scripts and the search index (27 kB compressed) on
  every page but the search page: the theme loads them everywhere for its
  search-as-you-type, which the book does not turn on (its search box opens
  search.html, which loads them itself; web.py refuses the option at
  ``config-inited``);
- lets the launch buttons' logos, hidden in their menu, load only when the menu
  opens (``loading="lazy"``).

A patch of pydata-sphinx-theme 0.17.1's layout.html and sphinx-book-theme 1.3.0's
launch buttons (booktools/sphinx/patches.py): upstream loads the search tools on
every page for search-as-you-type
(https://github.com/pydata/pydata-sphinx-theme/issues/1977).
"""

from __future__ import annotations

import re
from pathlib import Path

from booktools.sphinx import markup

SEARCH_SCRIPTS = re.compile(
    r"(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"
)
HIDDEN_LOGO = re.compile(r"_static/images/logo_[a-z]+\.(?:png|svg)")


def _deferred(element: markup.Element) -> bool:
    attrs = element.attrs
    return "defer" in attrs or "async" in attrs or attrs.get("type") == "module"


def rewrite(text: str, search_page: bool = False) -> str:
    """One page with its head's scripts deferred or left out, and its hidden logos lazy."""
    found = markup.elements(text, "head", "script", "link", "img")
    head = next((element for element in found if element.tag == "head"), None)
    if head is None:
        return text
    edits = []
    for element in found:
        in_head = element.start < head.close_start
        source = element.attrs.get("src") or ""
        if element.tag == "script" and in_head and source:
            if not search_page and SEARCH_SCRIPTS.search(source):
                edits.append((*markup.with_leading_space(text, element), ""))
            elif not _deferred(element):
                edits.append((element.start, element.start + len("<script "), "<script defer "))
        elif (
            element.tag == "link"
            and in_head
            and element.attrs.get("rel") == "preload"
            and element.attrs.get("as") == "script"
        ):
            edits.append((*markup.with_leading_space(text, element), ""))
        elif (
            element.tag == "img"
            and not in_head
            and HIDDEN_LOGO.search(source)
            and "loading" not in element.attrs
        ):
            edits.append((element.start, element.start + len("<img "), '<img loading="lazy" '))
    return markup.splice(text, edits)


def finish(site) -> None:
    """The finishing pass's step: every page's head."""
    for page, text in site.pages.items():
        site.pages[page] = rewrite(text, search_page=is_search_page(site.outdir, page))


def is_search_page(outdir: Path, page: Path) -> bool:
    return page.relative_to(outdir).as_posix() == "search.html"
