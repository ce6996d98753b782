"""A first paint that waits for nothing but the page and its style sheets.

Sphinx and the theme's extensions load about ten scripts in every page's
``<head>`` without ``defer`` (the search index, 63 kB, among them), so the
browser stops drawing until each has arrived and run, and the theme preloads
two more scripts that only run after the page has loaded. On a phone on a slow
link that is a second or more before the first word shows (Lighthouse's
"render-blocking resources"). After the build, in every page, this extension:

- marks every external script of the ``<head>`` ``defer``: it still runs
  before the page is ready (DOMContentLoaded), in the same order, after the
  inline scripts that set its options;
- removes the theme's ``<link rel="preload" as="script">`` for scripts that are
  loaded, deferred, at the end of the page anyway, so that they no longer
  compete with the style sheets for the link;
- leaves out Sphinx's search scripts and the search index (27 kB compressed)
  on every page but the search page: the theme loads them everywhere for its
  search-as-you-type, which the book does not turn on (its search box opens
  search.html, which loads them itself);
- lets the launch buttons' logos, hidden in their menu, load only when the
  menu opens (``loading="lazy"``).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"[^\"]+\"[^>]*>")
PRELOAD = re.compile(r"\s*<link rel=\"preload\" as=\"script\" href=\"[^\"]+\" ?/>")
SEARCH_SCRIPTS = re.compile(
    r"\s*<script[^>]*src=\"[^\"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)\"[^>]*></script>"
)
HIDDEN_LOGO = re.compile(
    r"<img (?![^>]*loading=)([^>]*src=\"[^\"]*_static/images/logo_[a-z]+\.(?:png|svg)\")"
)


def defer(match: re.Match) -> str:
    tag = match.group(0)
    if re.search(r"\b(defer|async)\b|type=\"module\"", tag):
        return tag
    return tag.replace("<script ", "<script defer ", 1)


def rewrite_head(text: str, search_page: bool = False) -> str:
    end = text.find("</head>")
    if end < 0:
        return text
    head = PRELOAD.sub("", SCRIPT.sub(defer, text[:end]))
    if not search_page:
        head = SEARCH_SCRIPTS.sub("", head)
    return head + HIDDEN_LOGO.sub(r'<img loading="lazy" \1', text[end:])


def rewrite_site(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if app.config.html_theme_options.get("search_as_you_type"):
        raise RuntimeError(
            "book_speed removes the search index from pages: turn search_as_you_type off"
        )
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        rewritten = rewrite_head(text, search_page=page.name == "search.html")
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", rewrite_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
