"""The PDF edition: the shape of a book, a title page and a colophon.

Sphinx's LaTeX builder takes the root page's title as the document's title and
promotes the root page's sections to chapters; the parts of ``_toc.yml``
(captions of the root page's toctrees) are lost, and the first caption even
renames the table of contents. This extension hands the LaTeX builder a root page
reshaped for print, and keeps the name "Contents":

- the root page's content becomes a chapter titled "Welcome";
- each toctree caption becomes a ``\\part`` before the chapters it lists (LaTeX
  numbers the parts, so "Part I: the quick tour" becomes "The quick tour"),
  except "Back matter", which gets a line in the table of contents but no part
  page of its own;
- the code of cells tagged ``hide-input`` is left out, as the web page folds it
  away (their outputs, the figures, stay).

Only the copy of the page that the LaTeX builder reads while it assembles the
book is changed, so the HTML site and the cached doctrees are untouched. This is
a patch of Sphinx 7.4.7's LaTeX builder (booktools/sphinx/patches.py): it replaces
the builder's ``assemble_doctree``, ``env.get_doctree`` while the book is
assembled, and ``get_contentsname``; upstream, toctree captions never become
parts (https://github.com/sphinx-doc/sphinx/issues/4977).

The book also gets a title page with the cover figure and, on its back, the
colophon (booktools/sphinx/colophon.py).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.texescape import escape as tex_escape

from booktools.parts import part_name
from booktools.sphinx.colophon import COVER, LICENCES, colophon, draw_cover

WELCOME = "Welcome"
NO_PART = {"Back matter"}


# --- the shape of a book ------------------------------------------------------------


def reshape_root(tree: nodes.document, book_title: str) -> None:
    top = next(iter(tree.findall(nodes.section)), None)
    if top is None or not isinstance(top[0], nodes.title):
        return
    wrappers = [
        node for node in top.findall(nodes.compound) if "toctree-wrapper" in node["classes"]
    ]
    for wrapper in wrappers:
        wrapper.parent.remove(wrapper)
    top[0].children = [nodes.Text(WELCOME)]
    # The book becomes one section, titled with the book's title, that holds the
    # welcome chapter (the root page's own section) and then the parts.
    book = nodes.section(ids=["book-for-latex"])
    book += nodes.title(book_title, book_title)
    tree.replace(top, book)
    book += top
    for wrapper in wrappers:
        for toctree in wrapper.findall(addnodes.toctree):
            caption = toctree.get("caption")
            if caption in NO_PART:
                # no part page, but the chapters after it leave the last part
                book += nodes.raw(
                    "",
                    "\\cleardoublepage\\phantomsection"
                    f"\\addcontentsline{{toc}}{{part}}{{{tex_escape(caption)}}}\n",
                    format="latex",
                )
            elif caption:
                # LaTeX numbers the parts itself: "Part I: the quick tour" -> "The quick tour"
                name = part_name(caption)
                name = name[:1].upper() + name[1:]
                book += nodes.raw("", f"\\part{{{tex_escape(name)}}}\n", format="latex")
            toctree["caption"] = None
        book += wrapper


def drop_hidden_inputs(tree: nodes.document) -> None:
    """Leave out the code of cells tagged hide-input (drawing code, mostly): the
    web page folds it away behind a button, which paper cannot do."""
    for cell in tree.findall(nodes.container):
        if "tag_hide-input" in cell["classes"]:
            for part in list(cell.children):
                if isinstance(part, nodes.Element) and "cell_input" in part["classes"]:
                    cell.remove(part)


def reshape_for_print(app: Sphinx) -> None:
    """Patch (Sphinx 7.4.7): the LaTeX builder reads the reshaped pages while it assembles the book."""
    builder = app.builder
    assemble = builder.assemble_doctree

    def assemble_doctree(indexfile, toctree_only, appendices):
        # The environment is pickled between builds, so it is patched only
        # while the builder assembles the book, and restored straight after.
        env = builder.env
        read = env.get_doctree

        def get_doctree(docname: str) -> nodes.document:
            tree = read(docname)
            drop_hidden_inputs(tree)
            if docname == app.config.root_doc:
                reshape_root(tree, app.config.project)
            return tree

        env.get_doctree = get_doctree
        try:
            return assemble(indexfile, toctree_only, appendices)
        finally:
            del env.get_doctree

    builder.assemble_doctree = assemble_doctree
    # The table of contents keeps its own name, not the first part's caption.
    builder.get_contentsname = lambda indexfile: "Contents"


# --- the title page and the colophon --------------------------------------------------


def latex_front_matter(info: dict) -> str:
    """A title page with the cover figure, and the colophon on its back."""
    t = {key: tex_escape(value) for key, value in info.items() if isinstance(value, str)}
    versions = ", ".join(f"{tex_escape(k)} {tex_escape(v)}" for k, v in info["versions"].items())
    licences = "\n".join(
        f"\\item {tex_escape(what)}: {tex_escape(licence)}." for what, licence in LICENCES
    )
    # No page anchors on these two unnumbered pages: the first pages of the book
    # proper would reuse their names (as Sphinx's own title page avoids too).
    return rf"""
\hypersetup{{pageanchor=false}}
\begin{{titlepage}}
\centering
\vspace*{{2cm}}
{{\sffamily\bfseries\fontsize{{30}}{{36}}\selectfont\color{{TitleColor}}{t["title"]}\par}}
\vspace{{1.2cm}}
{{\sffamily\Large {t["edition"]}\par}}
\vfill
\includegraphics[width=0.85\linewidth]{{{COVER}.pdf}}
\vfill
{{\sffamily\large {t["author"]}\par}}
\vspace{{1cm}}
\end{{titlepage}}
\clearpage
\thispagestyle{{empty}}
\phantomsection\pdfbookmark[0]{{Colophon}}{{colophon}}
\vspace*{{\fill}}
{{\small\raggedright
\textbf{{{t["title"]}}}\\
{t["edition"]}, built on {t["date"]} {t["commit"]}.\par
\medskip
Every output, figure and number in this book comes from its code, run when
the book was built, with {versions} (as reported by {t["versions_source"]}).\par
\medskip
The web edition, with the interactive pages: \url{{{info["web"]}}}\par
\medskip
Licences:
\begin{{itemize}}
{licences}
\end{{itemize}}
}}
\clearpage
\hypersetup{{pageanchor=true}}
"""


def add_front_matter(app: Sphinx) -> None:
    draw_cover(Path(app.outdir) / f"{COVER}.pdf")

    def on_env_updated(app: Sphinx, env) -> None:
        # The doctrees are read by now, the LaTeX writer not yet created: it
        # copies the builder's context, where the title page goes.
        app.builder.context["maketitle"] = latex_front_matter(colophon(app))

    app.connect("env-updated", on_env_updated)


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.name == "latex":
        reshape_for_print(app)
        add_front_matter(app)


def setup(app: Sphinx) -> dict:
    app.setup_extension("booktools.sphinx.colophon")
    app.connect("builder-inited", on_builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
