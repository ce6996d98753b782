"""Repairs to the HTML that docutils, myst-nb and sphinx-exercise write, found by axe-core.

The browser tests (tests/test_site_browser.py) audit every page with axe-core and
fail on any serious or critical violation; the EPUB's checker (tests/test_epub.py)
refuses duplicate ids. These came from the tools, not from the chapters, and are
repaired here, for the web site and the EPUB alike (booktools/sphinx/patches.py
lists each with the version it was checked against):

- myst-nb 1.4.0 labels the summary of every hidden cell "Toggle hidden content",
  which is not what it shows ("Show code cell source"): a screen reader and a
  speech-control user would disagree about its name. The summary is written
  without the label, so that its visible text is its name. In the EPUB a summary
  holds phrasing only (XHTML allows no paragraph there).
- docutils 0.21.2 marks the bibliography as a list (``role="list"``) whose entries
  carry the deprecated ``doc-biblioentry`` role, which a list may not hold. The
  entries become list items.
- sphinx-exercise 1.2.1 gives the body of every exercise the id
  "exercise-content" and of every solution "solution-content", so a page with
  several repeats them; each becomes "<label>-content", after its exercise's or
  solution's label.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx.application import Sphinx


def open_hidden_cell(self, node: HideCodeCellNode, phrasing_only: bool = False) -> None:
    """A hidden cell folds in a details element whose summary's name is its visible text."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    if phrasing_only:
        show = escape(node["prompt_show"])
        self.body.append(f'<summary><span class="admonition-title">{show}</span></summary>\n')
        return
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def visit_hidden_cell(self, node: HideCodeCellNode) -> None:
    open_hidden_cell(self, node)


def visit_hidden_cell_in_epub(self, node: HideCodeCellNode) -> None:
    open_hidden_cell(self, node, phrasing_only=True)


def depart_hidden_cell(self, node: HideCodeCellNode) -> None:
    self.body.append("</details>\n")


def repair_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The bibliography's entries as list items (docutils 0.21.2)."""
    body = context.get("body")
    if body and 'role="list" class="citation-list"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


SHARED_IDS = (["exercise-content"], ["solution-content"])


def unique_exercise_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each exercise's and solution's body named after its label (sphinx-exercise 1.2.1)."""
    for section in doctree.findall(nodes.section):
        if section["ids"] in SHARED_IDS and section.parent["ids"]:
            section["ids"] = [f"{section.parent['ids'][0]}-content"]


def setup(app: Sphinx) -> dict:
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_hidden_cell))
    app.connect("doctree-resolved", unique_exercise_ids)
    app.connect("html-page-context", repair_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
