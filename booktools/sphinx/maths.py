"""Mathematics typeset when the site is built, so that pages need no math script.

MathJax in the browser costs a page with mathematics about 380 kB (its script and
fonts) and, on a phone, seconds before the formulas settle. This step of the
finishing pass runs the site's own MathJax (the copy sphinx-mathjax-offline ships)
once in Node.js over every formula of every page (``maths.cjs``), and writes each
formula as SVG with its MathML beside it for screen readers. The SVG output's
small style sheet (2.5 kB) goes inline into the pages with mathematics, so it costs
them no request. Since every page is typeset here, the page-context handler of
booktools/sphinx/web.py leaves MathJax's scripts out of every page.

Without Node.js (``node`` not on the PATH) the pages stay as Sphinx wrote them, and
MathJax typesets them in the browser, offline, as before.

A patch of sphinx-mathjax-offline 0.0.2 (booktools/sphinx/patches.py): it runs the
``node-main.js`` inside the MathJax copy that package ships for the browser.
"""

from __future__ import annotations

import functools
import html
import json
import shutil
import subprocess
from pathlib import Path

from sphinx.util import logging

from booktools.sphinx import markup

logger = logging.getLogger(__name__)

RENDERER = Path(__file__).with_name("maths.cjs")
#: How Sphinx's MathJax support marks a formula: an inline span, a displayed div.
FORMULA_CLASS = "math notranslate nohighlight"
DELIMITERS = {"\\(": "\\)", "\\[": "\\]"}


@functools.cache
def mathjax() -> Path | None:
    """The MathJax that sphinx-mathjax-offline ships, if Node.js can run it here."""
    from importlib import util

    spec = util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None or shutil.which("node") is None:
        return None
    folder = Path(spec.origin).parent / "static" / "mathjax"
    return folder if (folder / "node-main.js").is_file() else None


def tex_of(source: str) -> tuple[str, bool | None]:
    """The TeX of a formula and whether it is displayed (None: as its element says)."""
    tex = html.unescape(source).strip()
    for opening, closing in DELIMITERS.items():
        if tex.startswith(opening) and tex.endswith(closing):
            return tex[len(opening) : -len(closing)].strip(), opening == "\\["
    return tex, None


def formulas(text: str) -> list[markup.Element]:
    """The elements that hold a formula's TeX for MathJax (a typeset one holds markup)."""
    return [
        element
        for element in markup.elements(text, "span", "div")
        if element.attrs.get("class") == FORMULA_CLASS and "<" not in element.content(text)
    ]


def typeset(pages: list[list[dict]], folder: Path) -> dict:
    request = json.dumps({"mathjax": str(folder), "pages": pages})
    finished = subprocess.run(
        ["node", str(RENDERER)], input=request, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise RuntimeError(f"MathJax in Node.js failed:\n{finished.stderr[-3000:]}")
    return json.loads(finished.stdout)


def with_typeset(text: str, found: list[markup.Element], typeset_page: dict, css: str) -> str:
    """The page with each formula's TeX replaced by its SVG, its glyphs and the style sheet."""
    edits = [
        (element.open_end, element.close_start, svg)
        for element, svg in zip(found, typeset_page["html"], strict=True)
    ]
    tags = markup.elements(text, "head", "body")
    head = next(element for element in tags if element.tag == "head")
    body = next(element for element in tags if element.tag == "body")
    edits.append((head.close_start, head.close_start, f'<style id="book-math">{css}</style>\n'))
    edits.append((body.open_end, body.open_end, typeset_page["glyphs"]))
    return markup.splice(text, edits)


def finish(site) -> None:
    """The finishing pass's step: every formula of every page, typeset in one run of Node.js."""
    folder = mathjax()
    if folder is None:
        logger.info("maths: no Node.js, so MathJax typesets the mathematics in the browser")
        return
    found = {page: formulas(text) for page, text in site.pages.items()}
    found = {page: elements for page, elements in found.items() if elements}
    if not found:
        return
    requests = []
    for page, elements in found.items():
        requests.append([formula(site.pages[page], element) for element in elements])
    result = typeset(requests, folder)
    for tex in result["errors"]:
        logger.warning("MathJax cannot typeset %r", tex, type="maths")
    for (page, elements), typeset_page in zip(found.items(), result["pages"], strict=True):
        site.pages[page] = with_typeset(site.pages[page], elements, typeset_page, result["css"])


def formula(text: str, element: markup.Element) -> dict:
    tex, display = tex_of(element.content(text))
    return {"tex": tex, "display": element.tag == "div" if display is None else display}
