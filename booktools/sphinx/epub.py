"""The EPUB edition: what Sphinx's ``epub`` builder needs besides the web site's pages.

- The themes' page handlers are for their own HTML pages: sphinx-book-theme's
  launch-button handler fails on EPUB pages (whose theme is Sphinx's ``epub``),
  and the others, like the chapter notebooks of the side bar
  (booktools/sphinx/notebooks.py), have nothing to do there; they are
  disconnected from this builder, as is sphinx-mathjax-offline's copy of MathJax
  into the output folder once a build has finished (left in the EPUB's folder, it
  would be in the next EPUB).
- Pages carry no script (e-readers run none) and no style sheet of the web site's.
- Mathematics as SVG pictures made by ``sphinx.ext.imgmath`` (e-readers run no
  JavaScript, so MathJax cannot typeset there), chosen by ``epub_math_renderer``
  while the web pages keep MathJax.
- The drawing pad of ``book/draw-a-digit.md``, and any other raw HTML that is a
  widget, is replaced by a note that gives the page's web address (a figure that is
  interactive on the web keeps its picture: booktools/sphinx/explorables.py).
- A cover drawn by the book's code, and the colophon as a page of its own
  (booktools/sphinx/colophon.py).
- Hidden cells fold as on the site, and sphinx-exercise's exercises and solutions
  read as on the site, in boxes.

The web site's finishing pass (booktools/sphinx/web.py) does not run for this
builder: Sphinx 7.4 packs the EPUB before ``build-finished``, so nothing written
into its folder after that would reach the file anyway.

The patches of other packages' internals here (the event listeners, sphinx-book-theme's
handlers, myst-nb's and sphinx-exercise's visitors, Sphinx 7.4.7's per-builder
visitors) are listed with their versions in booktools/sphinx/patches.py.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from booktools.sphinx import accessibility
from booktools.sphinx.colophon import COVER, LICENCES, colophon, draw_cover
from booktools.sphinx.explorables import web_note

COLOPHON_XHTML = "colophon.xhtml"
EDITION_LINK = re.compile(r'href="(?:\.\./)*(handwriting-recognition\.(?:pdf|epub))"')
SCRIPT = re.compile(r"<script\b.*?</script>", re.IGNORECASE | re.DOTALL)
WIDGET = re.compile(r"<(canvas|button|input|select|textarea|iframe)\b", re.IGNORECASE)

#: Handlers that serve the web site only, by the module that connected them: the
#: themes' page handlers (launch buttons, header, side bar), the notebooks offered
#: in the side bar, and the copy of MathJax into the output folder.
WEB_ONLY_HANDLERS = {
    "html-page-context": (
        "sphinx_book_theme",
        "pydata_sphinx_theme",
        "booktools.sphinx.notebooks",
    ),
    "build-finished": ("sphinx-mathjax-offline",),
}


def _from_module(handler, modules: tuple[str, ...]) -> bool:
    module = getattr(handler, "__module__", "") or ""
    return any(module == name or module.startswith(name + ".") for name in modules)


def disconnect_web_only_handlers(app: Sphinx) -> None:
    """Patch (Sphinx 7.4.7, sphinx-book-theme 1.3.0): app.events.listeners is not public API."""
    for event, modules in WEB_ONLY_HANDLERS.items():
        for listener in list(app.events.listeners[event]):
            if _from_module(listener.handler, modules):
                app.disconnect(listener.id)


#: Style sheets of the web site that an EPUB leaves out (name prefixes).
WEB_ONLY_CSS = ("mystnb.", "book-icons.", "exercise.")


def drop_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Pages carry no script: e-readers run none, and the web extensions' scripts
    (copy buttons, toggles) have nothing to work on in an EPUB. myst-nb's style
    sheet goes too: it nests CSS rules, which EPUB's CSS does not allow (and
    myst-nb 1.4.0 writes it only after the EPUB has been packed); so does the
    site's icon style sheet, which the web site's finishing pass writes."""
    if "script_files" in context:
        context["script_files"] = []
    if "css_files" in context:
        context["css_files"] = [
            css
            for css in context["css_files"]
            if not Path(str(getattr(css, "filename", css))).name.startswith(WEB_ONLY_CSS)
        ]


def epub_note(app: Sphinx, docname: str) -> nodes.Element:
    return web_note(app, docname, "This part of the page is interactive and needs a web browser")


def replace_interactive_html(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """E-readers run no scripts. Raw HTML loses its scripts; raw HTML that is a
    widget, such as the drawing pad, becomes a note with the web page's address.
    Links from raw HTML to the other edition's file point to the web site, since
    the EPUB does not hold it."""
    if app.builder.name != "epub":
        return
    web = app.config.book_web_address.rstrip("/") + "/"
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split():
            continue
        html = raw.astext()
        if WIDGET.search(html):
            raw.replace_self(epub_note(app, docname))
            continue
        html = EDITION_LINK.sub(lambda found: f'href="{web}{found.group(1)}"', SCRIPT.sub("", html))
        if not html.strip():
            raw.parent.remove(raw)
        elif html != raw.astext():
            raw.replace_self(nodes.raw("", html, format="html"))


def write_colophon_xhtml(app: Sphinx, env) -> None:
    info = colophon(app)
    e = {key: html_escape(value) for key, value in info.items() if isinstance(value, str)}
    versions = ", ".join(f"{html_escape(k)} {html_escape(v)}" for k, v in info["versions"].items())
    licences = "\n".join(
        f"<li>{html_escape(what)}: {html_escape(licence)}.</li>" for what, licence in LICENCES
    )
    page = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">
<head>
<meta charset="utf-8" />
<title>Colophon</title>
<link rel="stylesheet" href="_static/epub.css" type="text/css" />
</head>
<body>
<section epub:type="colophon" id="colophon">
<h1>{e["title"]}</h1>
<p><img src="_static/{COVER}.png" alt="The cover: a diagram of the book's first classifier, 784 input pixels, 128 hidden neurons and 10 outputs, joined by connections." style="max-width: 100%" /></p>
<p>{e["edition"]}, built on {e["date"]} {e["commit"]}.</p>
<p>Every output, figure and number in this book comes from its code, run when the book was built,
with {versions} (as reported by {e["versions_source"]}).</p>
<p>The web edition, with the interactive pages: <a href="{e["web"]}">{e["web"]}</a></p>
<p>Licences:</p>
<ul>
{licences}
</ul>
</section>
</body>
</html>
"""
    Path(app.outdir, COLOPHON_XHTML).write_text(page, encoding="utf-8")


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.name != "epub":
        return
    disconnect_web_only_handlers(app)
    # Sphinx copies the static files after this, and keeps files it does not know.
    draw_cover(
        Path(app.outdir) / "_static" / f"{COVER}.png", app.config.epub_title, app.config.release
    )
    app.connect("env-updated", write_colophon_xhtml)
    app.connect("html-page-context", drop_scripts, priority=950)


def set_epub_files(app: Sphinx, config) -> None:
    """The cover and the colophon are made here, so they are named here too."""
    config.epub_cover = (f"_static/{COVER}.png", "")
    config.epub_pre_files = [(COLOPHON_XHTML, "Colophon")]


def setup(app: Sphinx) -> dict:
    from myst_nb.sphinx_ import HideCodeCellNode
    from sphinx_exercise import nodes as exercise

    app.setup_extension("booktools.sphinx.colophon")
    # Read by Sphinx 7.4.7's HTML builders as "<builder>_math_renderer"
    # (Builder.get_builder_config), before html_math_renderer.
    app.add_config_value("epub_math_renderer", None, "env")
    app.setup_extension("sphinx.ext.imgmath")
    # Before the themes' own builder-inited handlers would matter to the EPUB.
    app.connect("builder-inited", on_builder_inited, priority=100)
    # Late, after the other extensions have added their raw HTML to the page.
    app.connect("doctree-resolved", replace_interactive_html, priority=900)
    app.connect("config-inited", set_epub_files)
    app.add_node(
        HideCodeCellNode,
        override=True,
        epub=(accessibility.visit_hidden_cell_in_epub, accessibility.depart_hidden_cell),
    )
    # Registering a node for "epub" above means that Sphinx 7.4.7 no longer falls
    # back to the "html" visitors of other extensions for the EPUB builder:
    # sphinx-exercise 1.2.1's are given to it here, by name.
    for node, name in (
        (exercise.exercise_node, "exercise_node"),
        (exercise.exercise_enumerable_node, "exercise_enumerable_node"),
        (exercise.solution_node, "solution_node"),
    ):
        visit, depart = getattr(exercise, f"visit_{name}"), getattr(exercise, f"depart_{name}")
        app.add_node(node, override=True, epub=(visit, depart))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
