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
  menu opens (``loading="lazy"``);
- moves large data a code cell wrote into its page out into files of their own,
  named by their content, so that the page's own document stays small and paints
  first: a ``<script type="application/json">`` of more than 20 kB (the drawing
  page's weights) goes to ``_static/data/`` and keeps its element, empty, with a
  ``src`` that its page's script fetches; a PNG image written in as base64 (an
  animation's frames) goes to ``_images/``, and its ``data:`` address becomes the
  file's. Files left over from earlier builds that no page names are deleted.
"""

from __future__ import annotations

import base64
import hashlib
import os
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


#: Inline data of more characters than this leaves the page for a file of its own.
MIN_MOVED = 20_000
INLINE_JSON = re.compile(
    r'<script type="application/json"((?:\s+[a-z-]+="[^"]*")*)>(.*?)</script>', re.DOTALL
)
INLINE_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
DATA = ("_static", "data")
FRAMES = ("_images",)
FRAME_PREFIX = "inline-"


def _write_once(path: Path, content: bytes) -> None:
    if not path.is_file() or path.read_bytes() != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def move_data_out(text: str, page: Path, outdir: Path) -> str:
    """The page with its large inline JSON and its base64 PNG images moved into files."""

    def address(path: Path) -> str:
        return Path(os.path.relpath(path, page.parent)).as_posix()

    def json_file(match: re.Match) -> str:
        attributes, content = match.group(1), match.group(2)
        if len(content) <= MIN_MOVED or " src=" in attributes:
            return match.group(0)
        name = re.search(r'\sid="([^"]+)"', attributes)
        stem = name.group(1) if name else "data"
        data = content.encode("utf-8")
        path = outdir.joinpath(*DATA, f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}.json")
        _write_once(path, data)
        return f'<script type="application/json"{attributes} src="{address(path)}"></script>'

    def png_file(match: re.Match) -> str:
        data = base64.b64decode(match.group(1))
        digest = hashlib.sha256(data).hexdigest()[:16]
        path = outdir.joinpath(*FRAMES, f"{FRAME_PREFIX}{digest}.png")
        _write_once(path, data)
        return address(path)

    return INLINE_PNG.sub(png_file, INLINE_JSON.sub(json_file, text))


def delete_unnamed_files(outdir: Path, pages: list[str]) -> None:
    """Delete the moved-out files of earlier builds that no page names any more."""
    named = {name for text in pages for name in re.findall(r"[\w.-]+\.(?:json|png)", text)}
    moved = list(outdir.joinpath(*DATA).glob("*.json"))
    moved += outdir.joinpath(*FRAMES).glob(f"{FRAME_PREFIX}*.png")
    for path in moved:
        if path.name not in named:
            path.unlink()


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


def move_site_data(app: Sphinx, exception) -> None:
    """Large inline data out of every page of the web site (not the EPUB, which packs files)."""
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    texts = []
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        rewritten = move_data_out(text, page, outdir)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")
        texts.append(rewritten)
    delete_unnamed_files(outdir, texts)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", rewrite_site)
    # Before book_figures (priority 500), which then sizes and compresses the moved frames.
    app.connect("build-finished", move_site_data, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
