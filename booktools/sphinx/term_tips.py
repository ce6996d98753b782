"""Glossary links on the web site that read as words with a definition, shown on hover and focus.

A Sphinx extension (``_config.yml`` loads it). On the web site only (the HTML
builder; not the EPUB, whose readers run no script, nor the PDF):

- every ``{term}`` link gets the class ``term-link``, which ``book/_static/book.css``
  draws in the text's own colour with a dotted underline, so that a paragraph
  with six glossary words does not read as six links;
- the glossary's definitions are written to ``_static/glossary-terms.json``,
  keyed by each term's anchor on the glossary page (``term-weight``), as plain
  text;
- each page with a term link loads ``book/_static/term-tips.js``, an ES module
  (deferred by nature), which fetches that file at the first hover or focus on
  a term link and shows the definition beside the link; the site's one
  page-context handler (booktools/sphinx/web.py) adds it where
  :func:`has_term_links` finds one.

Why not a maintained extension (each checked against Sphinx 7.4, Jupyter Book
1.0.4, sphinx-book-theme 1.3 and pydata-sphinx-theme 0.17.1, and the site's
rules: no request outside the site, scripts deferred, pages under 600 kB):

- sphinx-hoverxref 1.4.2 asks Read the Docs' embed API for each tooltip when the
  reader hovers (a request outside the site, to a host this site is not on)
  and needs jQuery, which Sphinx 7 no longer ships;
- sphinx-tippy 0.4.3 (tried on a two-page project) loads Popper and tippy.js
  from unpkg unless both libraries are copied into the site, and tippy.js is in
  maintenance mode upstream; it writes a tip for every link of every page
  (section and page links too), filtered only by URL patterns; its page scripts
  replace ``window.onload`` and log to the console; it fetches Wikipedia and DOI
  data over the network unless told not to; it runs for the EPUB builder as
  well; and on a rebuild it leaves the old script of every page in a subfolder
  (``_static/tippy/book/``), since it deletes old files by the wrong name.

This module and its script are about 200 lines with no dependency.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

#: The builders that make the web site. The EPUB builder is an HTML builder too:
#: it is left out on purpose.
WEB_BUILDERS = {"html", "dirhtml"}
CLASS = "term-link"
SCRIPT = "term-tips.js"
DEFINITIONS = "glossary-terms.json"


def _is_term_reference(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.reference)
        and len(node.children) == 1
        and isinstance(node.children[0], nodes.inline)
        and "std-term" in node.children[0]["classes"]
    )


def mark_term_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give every resolved ``{term}`` link of a web page the class ``term-link``."""
    if app.builder.name not in WEB_BUILDERS:
        return
    for reference in doctree.findall(_is_term_reference):
        reference["classes"].append(CLASS)


def has_term_links(doctree) -> bool:
    """Whether a page's doctree holds a ``{term}`` link (and so needs the definitions' script)."""
    return doctree is not None and next(doctree.findall(_is_term_reference), None) is not None


def definitions(app: Sphinx) -> dict[str, dict[str, str]]:
    """Each glossary term's anchor, with the term and its definition as plain text."""
    found: dict[str, dict[str, str]] = {}
    std = app.env.get_domain("std")
    docnames = sorted(
        {docname for (kind, _), (docname, _) in std.objects.items() if kind == "term"}
    )
    for docname in docnames:
        for glossary in app.env.get_doctree(docname).findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                text = " ".join(
                    " ".join(child.astext().split())
                    for child in item.children
                    if isinstance(child, nodes.definition)
                )
                for term in item.findall(nodes.term):
                    for anchor in term["ids"]:
                        found[anchor] = {"term": term.astext(), "definition": text}
    return found


def write_definitions(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    path = Path(app.outdir, "_static", DEFINITIONS)
    content = json.dumps(
        definitions(app), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    if not path.is_file() or path.read_text(encoding="utf-8") != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", mark_term_links)
    app.connect("build-finished", write_definitions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
