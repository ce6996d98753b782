"""Offer every chapter as a Jupyter notebook (.ipynb), made from its MyST source.

The chapters are MyST Markdown files; readers who want to run one in Jupyter,
Colab or Binder want an .ipynb. While the HTML builder writes a chapter's
page, this extension

- converts the chapter with jupytext into ``_notebooks/<page>.ipynb`` in the
  site (code and text, no outputs: running it makes them), with a first cell
  that installs the book's ``handwriting`` helpers where they are missing
  (on Colab; a local build and Binder have them already, so it does nothing);
- tells the page template where that notebook is (``chapter_notebook``), so
  that the side bar links to it (book/_templates/downloads.html);
- points the theme's launch buttons (Colab, Binder) at ``<page>.ipynb``
  instead of the ``.md`` source, which Colab cannot open. The Pages workflow
  commits these notebooks to the repository's launch branch
  (booktools/publish_notebooks.py), where the buttons find them.
"""

from pathlib import Path

import jupytext
from nbformat.v4 import new_code_cell
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

FOLDER = "_notebooks"

SETUP_CELL = """\
# The chapter imports the book's helpers, the `handwriting` package. On Colab,
# install them first; where they are installed already, this cell does nothing.
import importlib.util

if importlib.util.find_spec("handwriting") is None:
    %pip install --quiet "handwriting @ git+{repository}@{branch}"
"""


def is_chapter(app: Sphinx, pagename: str) -> bool:
    """Whether a page is a chapter with code cells (a MyST notebook)."""
    source = Path(app.env.doc2path(pagename))
    return source.suffix == ".md" and "kernelspec" in app.env.metadata.get(pagename, {})


def setup_cell(app: Sphinx):
    options = app.config.html_theme_options
    repository, branch = options.get("repository_url"), options.get("repository_branch", "main")
    if not repository:
        raise ConfigError(
            "book_notebooks needs repository.url in _config.yml (the notebooks install from it)"
        )
    cell = new_code_cell(SETUP_CELL.format(repository=repository.rstrip("/"), branch=branch))
    cell.metadata["tags"] = ["setup"]
    return cell


def write_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or app.builder.format != "html" or not is_chapter(app, pagename):
        return
    notebook = jupytext.read(app.env.doc2path(pagename), fmt="md:myst")
    notebook.cells.insert(0, setup_cell(app))
    target = Path(app.outdir, FOLDER, pagename).with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target, fmt="ipynb")
    context["chapter_notebook"] = f"{FOLDER}/{pagename}.ipynb"
    launch_notebook(context, pagename)


def launch_notebook(context: dict, pagename: str) -> None:
    """Make the launch buttons open ``<page>.ipynb`` where the theme wrote ``<page>.md``."""
    # A patch of sphinx-book-theme 1.3.0's page context (booktools/sphinx/patches.py).
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group["buttons"]:
            if "url" in button:
                button["url"] = button["url"].replace(f"{pagename}.md", f"{pagename}.ipynb")


def setup(app: Sphinx) -> dict:
    # After the theme (priority 501) has made the launch buttons.
    app.connect("html-page-context", write_notebook, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
