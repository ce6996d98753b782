"""Mathematics typeset when the site is built, so that pages need no math script.

MathJax in the browser costs a page with mathematics about 380 kB (its script
and fonts) and, on a phone, seconds before the formulas settle. After the
build, this extension runs the site's own MathJax (sphinx-mathjax-offline's
copy, in ``_static/mathjax``) once in Node.js over every formula of every
page (``render_math.cjs``), writes each formula as SVG with its MathML beside
it for screen readers, and removes MathJax's scripts from those pages. The
SVG output's small style sheet (2.5 kB) goes inline into the pages with
mathematics, so it costs them no request.

Without Node.js (``node`` not on the PATH) the pages stay as Sphinx wrote them,
and MathJax typesets them in the browser, offline, as before.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

RENDERER = Path(__file__).with_name("render_math.cjs")
#: A formula as Sphinx writes it for MathJax: inline in a span, displayed in a div.
FORMULA = re.compile(
    r"<(span|div) class=\"math notranslate nohighlight\"([^>]*)>(.*?)</\1>", re.DOTALL
)
MATHJAX_SCRIPT = re.compile(
    r"\s*<script>window\.MathJax = [^<]*</script>|\s*<script[^>]*src=\"[^\"]*_static/mathjax/[^\"]*\"[^>]*></script>"
)
DELIMITERS = {"\\(": "\\)", "\\[": "\\]"}


def tex_of(source: str) -> tuple[str, bool | None]:
    """The TeX of a formula and whether it is displayed (None: as its element says)."""
    tex = html.unescape(source).strip()
    for opening, closing in DELIMITERS.items():
        if tex.startswith(opening) and tex.endswith(closing):
            return tex[len(opening) : -len(closing)].strip(), opening == "\\["
    return tex, None


def typeset(pages: list[list[dict]], mathjax: Path) -> dict:
    request = json.dumps({"mathjax": str(mathjax), "pages": pages})
    finished = subprocess.run(
        ["node", str(RENDERER)], input=request, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise RuntimeError(f"MathJax in Node.js failed:\n{finished.stderr[-3000:]}")
    return json.loads(finished.stdout)


def rewrite_site(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    mathjax = outdir / "_static" / "mathjax"
    pages = [
        page
        for page in sorted(outdir.rglob("*.html"))
        if "_static" not in page.relative_to(outdir).parts
    ]
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    if shutil.which("node") is None or not (mathjax / "node-main.js").is_file():
        logger.info("book_math: no Node.js, so MathJax typesets the mathematics in the browser")
        return
    # A page Sphinx did not write again in this build was typeset by an earlier one.
    per_page = {
        page: [formula(match) for match in FORMULA.finditer(text)]
        for page, text in texts.items()
        if 'id="MJX-SVG-global-cache"' not in text
    }
    per_page = {page: formulas for page, formulas in per_page.items() if formulas}
    if not per_page:
        return
    result = typeset(list(per_page.values()), mathjax)
    for tex in result["errors"]:
        logger.warning("MathJax cannot typeset %r", tex, type="book_math")
    style = f'<style id="book-math">{result["css"]}</style>\n</head>'
    for page, typeset_page in zip(per_page, result["pages"]):
        text = MATHJAX_SCRIPT.sub("", substitute(texts[page], typeset_page["html"]))
        text = text.replace("</head>", style, 1)
        glyphs = typeset_page["glyphs"]
        text = re.sub(r"(<body[^>]*>)", lambda m, glyphs=glyphs: m.group(1) + glyphs, text, count=1)
        page.write_text(text, encoding="utf-8")


def substitute(text: str, rendered: list[str]) -> str:
    """The page with each formula's TeX replaced by its typeset SVG, in order."""
    formulas = iter(rendered)

    def replace(match: re.Match) -> str:
        element, attributes = match.group(1), match.group(2)
        return f'<{element} class="math notranslate nohighlight"{attributes}>{next(formulas)}</{element}>'

    return FORMULA.sub(replace, text)


def formula(match: re.Match) -> dict:
    tex, display = tex_of(match.group(3))
    return {"tex": tex, "display": match.group(1) == "div" if display is None else display}


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", rewrite_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
