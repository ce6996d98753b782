"""Give the PDF the shape of a book: a welcome chapter, then parts and chapters.

Sphinx's LaTeX builder takes the root page's title as the document's title
and promotes the root page's sections to chapters; the parts of ``_toc.yml``
(captions of the root page's toctrees) are lost, and the first caption even
renames the table of contents. This extension hands the LaTeX builder a root
page reshaped for print, and keeps the name "Contents":

- the root page's content becomes a chapter titled "Welcome";
- each toctree caption becomes a ``\\part`` before the chapters it lists (LaTeX
  numbers the parts, so "Part I: the quick tour" becomes "The quick tour"),
  except "Back matter", which gets a line in the table of contents but no
  part page of its own;
- the code of cells tagged ``hide-input`` is left out, as the web page folds it
  away (their outputs, the figures, stay).

Only the copy of the page that the LaTeX builder reads while it assembles the
book is changed, so the HTML site and the cached doctrees are untouched.
"""

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.texescape import escape

from booktools.parts import part_name

WELCOME = "Welcome"
NO_PART = {"Back matter"}


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
                    f"\\addcontentsline{{toc}}{{part}}{{{escape(caption)}}}\n",
                    format="latex",
                )
            elif caption:
                # LaTeX numbers the parts itself: "Part I: the quick tour" -> "The quick tour"
                name = part_name(caption)
                name = name[:1].upper() + name[1:]
                book += nodes.raw("", f"\\part{{{escape(name)}}}\n", format="latex")
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


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.name != "latex":
        return
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


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", on_builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
