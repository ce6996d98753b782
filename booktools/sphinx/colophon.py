"""What the two reading editions, the PDF and the EPUB, say about themselves.

- A cover figure drawn by the book's own code (``handwriting.diagrams``) when the
  book is built, so no picture is kept in the repository: the PDF's title page
  shows it as vector graphics (booktools/sphinx/pdf.py), the EPUB shows it as its
  cover (booktools/sphinx/epub.py).
- A colophon: the edition, the build date, the git commit, the versions of Python,
  TensorFlow and Keras the outputs came from, and the licences.

The versions are read from the output of the welcome chapter's version cell
(``Python 3.11.7``, ``TensorFlow 2.21.0``, ``Keras 3.15.1 ...``), so they are the
versions of the kernel that executed the cached notebooks, not those of the machine
that assembles the book. Only if that output cannot be found are the installed
packages reported instead, and the colophon says so.

The web edition's address, which both colophons give, is ``book_web_address`` in
_config.yml; this module declares it, and pdf.py and epub.py load it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from importlib import metadata
from pathlib import Path
from platform import python_version

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

COVER = "book-cover"
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
        logger.info("colophon: no version output in the root page; reporting installed packages")
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


def setup(app: Sphinx) -> dict:
    app.add_config_value("book_web_address", "", "env")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
