"""Offer every chapter as a Jupyter notebook (.ipynb) that reads like its page.

The conversion itself is booktools/notebooks.py: the page's resolved doctree
as Markdown (glue filled in, references as links to the published site,
exercises headed, solutions folded), with the chapter's code cells as the
build ran them. This extension feeds it and places its result:

- ``source-read``: keeps the text myst-nb parses (after booktools.fingerprint
  has marked its first cell), so that the notebook's cells and the doctree's
  cell numbers and lines are the same ones;
- ``html-page-context``: writes ``_notebooks/<page>.ipynb`` into the site,
  and the same notebook over ``_sources/<page>.ipynb``, where the theme copies
  the executed MyST notebook; tells the side bar where it is
  (``chapter_notebook``, book/_templates/downloads.html); points the theme's
  launch buttons (Colab, Binder) at ``<page>.ipynb``, which the Pages workflow
  commits to the launch branch (booktools/publish_notebooks.py);
- ``build-finished``: gives every chapter's notebook, written in this build or
  an earlier one, the set-up cell of this build (the commit it pins).

Links go to ``html.baseurl`` in _config.yml; the helpers install from
``repository.url``.
"""

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ConfigError, ExtensionError

from booktools import notebooks

FOLDER = "_notebooks"


def is_chapter(app: Sphinx, pagename: str) -> bool:
    """Whether a page is a chapter with code cells (a MyST notebook)."""
    source = Path(app.env.doc2path(pagename))
    return source.suffix == ".md" and "kernelspec" in app.env.metadata.get(pagename, {})


def _texts(env) -> dict[str, str]:
    if not hasattr(env, "book_notebook_texts"):
        env.book_notebook_texts = {}
    return env.book_notebook_texts


def keep_text(app: Sphinx, docname: str, source: list[str]) -> None:
    _texts(app.env)[docname] = source[0]


def purge(app: Sphinx, env, docname: str) -> None:
    _texts(env).pop(docname, None)


def merge(app: Sphinx, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _texts(other):
            _texts(env)[docname] = _texts(other)[docname]


def site(app: Sphinx) -> str:
    baseurl = app.config.html_baseurl
    if not baseurl:
        raise ConfigError(
            "book_notebooks needs html.baseurl in _config.yml (the notebooks link to the site)"
        )
    return baseurl.rstrip("/") + "/"


def page_notebook(app: Sphinx, pagename: str, doctree):
    from myst_nb.core.read import create_nb_reader

    env = app.env
    text = _texts(env).get(pagename)
    if text is None:
        raise ExtensionError(f"book_notebooks: {pagename} was not read in this environment")
    reader = create_nb_reader(env.doc2path(pagename), env.myst_config, env.mystnb_config, text)
    cells_of = reader.read(text)
    page = notebooks.Page(
        docname=pagename,
        url=site(app) + app.builder.get_target_uri(pagename),
        numbers=env.toc_fignumbers.get(pagename, {}),
        formats=app.config.numfig_format,
        images=app.builder.images,
        site=site(app),
    )
    try:
        return notebooks.notebook(
            page,
            doctree,
            cells_of.cells,
            cells_of.metadata["source_map"],
            env.metadata[pagename]["kernelspec"],
        )
    except notebooks.NotebookError as error:
        raise ExtensionError(f"book_notebooks: {error}") from error


def write_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or app.builder.name != "html" or not is_chapter(app, pagename):
        return
    book = page_notebook(app, pagename, doctree)
    notebooks.with_setup(book, *set_up(app))
    for folder in (FOLDER, "_sources"):
        notebooks.write(book, Path(app.outdir, folder, pagename).with_suffix(".ipynb"))
    context["chapter_notebook"] = f"{FOLDER}/{pagename}.ipynb"
    launch_notebook(context, pagename)


def set_up(app: Sphinx) -> tuple:
    """The set-up cell of this build, and what the notebook records it was made from."""
    repository = app.config.html_theme_options.get("repository_url")
    if not repository:
        raise ConfigError(
            "book_notebooks needs repository.url in _config.yml (the notebooks install from it)"
        )
    root = Path(app.confdir)
    commit = notebooks.helpers_commit(root)
    digest = notebooks.helpers_digest(root / "handwriting")
    myst_nb = notebooks.requirement(root / "requirements.txt", "myst-nb")
    cell = notebooks.setup_cell(repository.rstrip("/"), commit, digest, myst_nb)
    return cell, {"commit": commit, "helpers_sha256": digest, "repository": repository}


def refresh_setup_cells(app: Sphinx, exception) -> None:
    """Every chapter's notebook pins this build's commit, also those Sphinx did not write again."""
    if exception is not None or app.builder.name != "html":
        return
    cell, made_from = set_up(app)
    for folder in (FOLDER, "_sources"):
        for path in notebooks.walk_notebooks(Path(app.outdir, folder)):
            book = notebooks.read(path)
            if notebooks.METADATA_KEY in book.metadata:
                notebooks.with_setup(book, cell, made_from)
                notebooks.write(book, path)


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
    # After booktools.fingerprint (priority 500) has marked the chapter's first cell.
    app.connect("source-read", keep_text, priority=900)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    # After the theme (priority 501) has made the launch buttons and copied the
    # executed notebook into _sources.
    app.connect("html-page-context", write_notebook, priority=600)
    app.connect("build-finished", refresh_setup_cells)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
