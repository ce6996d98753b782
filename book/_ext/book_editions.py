"""The book's two reading editions: a PDF for print and an EPUB for e-readers.

What both share:

- a cover figure drawn by the book's own code (``handwriting.diagrams``) when
  the book is built, so no picture is kept in the repository: the PDF's title
  page shows it as vector graphics, the EPUB shows it as its cover;
- a colophon: the edition, the build date, the git commit, the versions of
  Python, TensorFlow and Keras the outputs came from, and the licences.

The versions are read from the output of the welcome chapter's version cell
(``Python 3.11.7``, ``TensorFlow 2.21.0``, ``Keras 3.15.1 ...``), so they are
the versions of the kernel that executed the cached notebooks, not those of
the machine that assembles the book. Only if that output cannot be found are
the installed packages reported instead, and the colophon says so.

What the EPUB needs besides (``epub`` builder only):

- sphinx-book-theme's page handlers are for its own HTML pages: its launch
  buttons handler crashes on EPUB pages (whose theme is Sphinx's ``epub``),
  and the others, like the notebooks of the side bar (book_notebooks.py),
  have nothing to do there, so they are disconnected;
- mathematics as SVG pictures made by ``sphinx.ext.imgmath`` (e-readers run
  no JavaScript, so MathJax cannot typeset there), chosen by
  ``epub_math_renderer`` while the web pages keep MathJax;
- the drawing pad of ``book/draw-a-digit.md`` and any other raw HTML that
  needs a script is replaced by a note that gives the page's web address.

And both: a figure whose web form is interactive (an explorable,
``handwriting/explorables.py``: a cell output that offers its HTML beside a
picture) shows its picture, followed by a note with the address of the figure
on the web. (The extension also sets ``HANDWRITING_BOOK_BUILD`` for the kernels
that run the chapters: only there does such a cell write its HTML.)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from html import escape as html_escape
from importlib import metadata
from pathlib import Path
from platform import python_version

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.texescape import escape as tex_escape

logger = logging.getLogger(__name__)

COVER = "book-cover"
COLOPHON_XHTML = "colophon.xhtml"
LICENCES = [
    ("The code", "MIT licence"),
    ("The text and figures", "Creative Commons Attribution 4.0 (CC BY 4.0)"),
    (
        "The MNIST database, by Yann LeCun, Corinna Cortes and Christopher J. C. Burges",
        "Creative Commons Attribution-Share Alike 3.0 (CC BY-SA 3.0)",
    ),
]
# The welcome chapter prints one line for each: "Python     3.11.7".
VERSION_LINE = re.compile(r"^(Python|TensorFlow|Keras)\s+(\d+\.\d+\S*)", re.MULTILINE)
EDITION_LINK = re.compile(r'href="(?:\.\./)*(handwriting-recognition\.(?:pdf|epub))"')
SCRIPT = re.compile(r"<script\b.*?</script>", re.IGNORECASE | re.DOTALL)
WIDGET = re.compile(
    r"<(canvas|button|input|select|textarea|iframe)\b|\bdata-explorable=", re.IGNORECASE
)


# --- what the colophon says ---------------------------------------------------


def git_commit(srcdir: str) -> str:
    """The commit the book was built from ("from commit ..."), or where else."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=srcdir, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "outside a git checkout"
    return f"from commit {commit}" + (" with uncommitted changes" if changed else "")


def build_date() -> str:
    """Today (UTC), or SOURCE_DATE_EPOCH's day for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.strftime("%Y-%m-%d")


def versions_from_outputs(env) -> dict[str, str]:
    """Python, TensorFlow and Keras as the root page's executed cell printed them."""
    try:
        tree = env.get_doctree(env.config.root_doc)
    except FileNotFoundError:
        return {}
    found = {}
    for block in tree.findall(nodes.literal_block):
        if "output" in block.get("classes", []):
            found.update(VERSION_LINE.findall(block.astext()))
    return found


def installed_versions() -> dict[str, str]:
    versions = {"Python": python_version()}
    for name, package in (("TensorFlow", "tensorflow-cpu"), ("Keras", "keras")):
        try:
            versions[name] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def colophon(app: Sphinx) -> dict:
    """Everything the colophon says, computed once per build."""
    versions = versions_from_outputs(app.env)
    if len(versions) == 3:
        source = "the executed notebooks"
    else:
        # The version cell's output was not found (the welcome chapter changed):
        # report what is installed where the book is assembled, and say so.
        logger.info(
            "book_editions: no version output in the root page; reporting installed packages"
        )
        versions, source = (
            installed_versions(),
            "the packages installed when the book was assembled",
        )
    return {
        # Jupyter Book gives Sphinx the book's title as html_title.
        "title": app.config.html_title or app.config.project,
        "author": app.config.author,
        "edition": app.config.release,
        "date": build_date(),
        "commit": git_commit(app.srcdir),
        "versions": versions,
        "versions_source": source,
        "web": app.config.book_web_address,
    }


# --- the cover figure -------------------------------------------------------------


def draw_cover(path: Path, title: str = "", edition: str = "") -> None:
    """The network of the first classifier, drawn by the chapters' own diagram code,
    under the title for an e-reader's cover (the PDF's title page sets its own)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from handwriting.diagrams import draw_network
    from handwriting.style import use_book_style

    use_book_style()
    fig = draw_network()
    if title:
        fig.suptitle(f"{title}\n{edition}", fontsize=17, fontweight="bold", color="#1a3366")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight", dpi=200)
    plt.close(fig)


# --- the PDF ------------------------------------------------------------------------


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


def setup_latex(app: Sphinx) -> None:
    draw_cover(Path(app.outdir) / f"{COVER}.pdf")

    def on_env_updated(app: Sphinx, env) -> None:
        # The doctrees are read by now, the LaTeX writer not yet created: it
        # copies the builder's context, where the title page goes.
        app.builder.context["maketitle"] = latex_front_matter(colophon(app))

    app.connect("env-updated", on_env_updated)


# --- the EPUB -----------------------------------------------------------------------


#: Handlers that serve the web site only: the theme's page handlers (launch
#: buttons, header, side bar), the notebooks offered in its side bar, and the
#: copy of MathJax into the site's files once a build has finished (left in the
#: EPUB's folder, it would be in the next EPUB).
WEB_ONLY_HANDLERS = {
    "html-page-context": ("sphinx_book_theme", "pydata_sphinx_theme", "book_notebooks"),
    "build-finished": ("sphinx-mathjax-offline",),
}


def disconnect_web_only_handlers(app: Sphinx) -> None:
    for event, modules in WEB_ONLY_HANDLERS.items():
        for listener in list(app.events.listeners[event]):
            module = getattr(listener.handler, "__module__", "") or ""
            if module.split(".")[0] in modules:
                app.disconnect(listener.id)


def visit_hidden_cell(self, node) -> None:
    """A hidden cell folds in a details element, as on the web page; its summary
    holds phrasing only (EPUB's XHTML allows no paragraph there)."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append(
        f'<summary><span class="admonition-title">{html_escape(node["prompt_show"])}</span></summary>\n'
    )


def depart_hidden_cell(self, node) -> None:
    self.body.append("</details>\n")


#: Style sheets of the web site that an EPUB leaves out (name prefixes).
WEB_ONLY_CSS = ("mystnb.", "book-icons.", "exercise.")


def drop_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Pages carry no script: e-readers run none, and the web extensions' scripts
    (copy buttons, toggles, Thebe) have nothing to work on in an EPUB. myst-nb's
    style sheet goes too: it nests CSS rules, which EPUB's CSS does not allow
    (and myst-nb writes it only after the EPUB has been packed); so does the
    site's icon style sheet, which book_icons writes for the web site only."""
    if "script_files" in context:
        context["script_files"] = []
    if "css_files" in context:
        context["css_files"] = [
            css
            for css in context["css_files"]
            if not Path(str(getattr(css, "filename", css))).name.startswith(WEB_ONLY_CSS)
        ]


def epub_note(
    app: Sphinx,
    docname: str,
    text: str = "This part of the page is interactive and needs a web browser",
    anchor: str = "",
) -> nodes.Element:
    address = app.config.book_web_address.rstrip("/") + "/" + docname + ".html" + anchor
    note = nodes.note()
    note += nodes.paragraph(
        "",
        "",
        nodes.Text(f"{text}: open it at "),
        nodes.reference(address, address, refuri=address),
        nodes.Text("."),
    )
    return note


class InteractiveFigureNote(SphinxPostTransform):
    """After a figure that is interactive on the web, a note with its web address.

    In the PDF and the EPUB, an explorable's cell output shows its picture;
    the note says where to move the figure. It runs before myst-nb picks each
    output's form for the builder (``SelectMimeType``, priority 4), while the
    output still offers its HTML.
    """

    default_priority = 3
    builders = ("latex", "epub")

    def run(self, **kwargs) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            forms = {child.get("mime_type"): child for child in bundle.children}
            html = forms.get("text/html")
            if html is None or not {"image/png", "application/pdf"} & set(forms):
                continue
            if not any(WIDGET.search(raw.astext()) for raw in html.findall(nodes.raw)):
                continue
            figure = bundle.parent if isinstance(bundle.parent, nodes.figure) else bundle
            anchor = f"#{figure['ids'][0]}" if figure.get("ids") else ""
            # The PDF is one document, resolved as its root page: the figure's own page
            # is the file it came from.
            source = figure.source or bundle.source
            docname = (source and self.env.path2doc(source)) or self.env.docname
            note = epub_note(self.app, docname, "This figure is interactive on the web", anchor)
            figure.parent.insert(figure.parent.index(figure) + 1, note)


def replace_interactive_html(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """E-readers run no scripts. Raw HTML loses its scripts (sphinx-thebe adds
    two to every page); raw HTML that is a widget, such as the drawing pad,
    becomes a note with the web page's address. Links from raw HTML to the
    other edition's file point to the web site, since the EPUB does not hold it."""
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


def setup_epub(app: Sphinx) -> None:
    disconnect_web_only_handlers(app)
    # Sphinx copies the static files after this, and keeps files it does not know.
    draw_cover(
        Path(app.outdir) / "_static" / f"{COVER}.png", app.config.epub_title, app.config.release
    )
    app.connect("env-updated", write_colophon_xhtml)
    app.connect("html-page-context", drop_scripts, priority=950)


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.name == "latex":
        setup_latex(app)
    elif app.builder.name == "epub":
        setup_epub(app)


def set_epub_files(app: Sphinx, config) -> None:
    """The cover and the colophon are made here, so they are named here too."""
    config.epub_cover = (f"_static/{COVER}.png", "")
    config.epub_pre_files = [(COLOPHON_XHTML, "Colophon")]


def setup(app: Sphinx) -> dict:
    from myst_nb.sphinx_ import HideCodeCellNode

    from handwriting.explorables import BUILD_VAR

    # The kernels that run the chapters inherit this: there an interactive figure's
    # cell writes the figure for the web beside its picture for print.
    os.environ[BUILD_VAR] = "1"

    app.add_config_value("book_web_address", "", "env")
    # Read by the HTML builders' math_renderer_name as "<builder>_math_renderer".
    app.add_config_value("epub_math_renderer", None, "env")
    app.setup_extension("sphinx.ext.imgmath")
    # Before the theme's own builder-inited handlers would matter to the EPUB.
    app.connect("builder-inited", on_builder_inited, priority=100)
    # After sphinx-thebe has added its scripts to the page (priority 500).
    app.connect("doctree-resolved", replace_interactive_html, priority=900)
    app.add_post_transform(InteractiveFigureNote)
    app.connect("config-inited", set_epub_files)
    app.add_node(HideCodeCellNode, override=True, epub=(visit_hidden_cell, depart_hidden_cell))
    # Registering a node for "epub" above means the EPUB builder no longer falls
    # back to the "html" visitors of other extensions: sphinx-exercise's are given
    # to it here (exercises and solutions read as on the site, in boxes).
    from sphinx_exercise import nodes as exercise

    for node, name in (
        (exercise.exercise_node, "exercise_node"),
        (exercise.exercise_enumerable_node, "exercise_enumerable_node"),
        (exercise.solution_node, "solution_node"),
    ):
        visit, depart = getattr(exercise, f"visit_{name}"), getattr(exercise, f"depart_{name}")
        app.add_node(node, override=True, epub=(visit, depart))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
