"""Offer every chapter as a Jupyter notebook (.ipynb), made from its MyST source.

The chapters are MyST Markdown files; readers who want to run one in Jupyter
or Colab want an .ipynb. While the HTML builder writes a chapter's page, this
extension converts the chapter with jupytext into
``_notebooks/<page>.ipynb`` in the site (code and text, no outputs: running it
makes them) and tells the page template where it is (``chapter_notebook``),
so that the side bar can link to it (book/_templates/downloads.html).
"""

from pathlib import Path

import jupytext
from sphinx.application import Sphinx

FOLDER = "_notebooks"


def write_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or app.builder.format != "html":
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md" or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return  # a page without code cells
    notebook = jupytext.read(source, fmt="md:myst")
    target = Path(app.outdir, FOLDER, pagename).with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target, fmt="ipynb")
    context["chapter_notebook"] = f"{FOLDER}/{pagename}.ipynb"


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", write_notebook)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
