"""A chapter as a Jupyter notebook that reads like its page.

The chapters are MyST Markdown; a reader on Colab, JupyterLab or VS Code sees
plain Markdown, where a role such as ``{term}`loss``` or a glued number would
show as raw text. This module writes the notebook from what the page shows:
the *resolved* doctree of the HTML build (glue filled in, references resolved
and numbered), rendered as CommonMark with ``$...$`` maths, and the code cells
of the chapter exactly as the build ran them, hidden ones included:

- glued values are the text the page shows;
- glossary terms, references to pages, sections, figures and exercises, and
  citations are ordinary links to the published site (``html.baseurl``);
- exercises are headed Markdown, numbered as on the page, and each solution is
  folded in a ``<details>`` element (a solution's own code cells follow it,
  their source collapsed in JupyterLab, Notebook and VS Code);
- a code cell whose figure has a caption is followed by that caption;
- cells the page hides stay, so that the notebook runs as the page did, each
  with a first comment line that says why it is there;
- the first cell installs the book's helpers at the commit the notebook was
  made from, and does nothing where exactly those helpers are installed.

The Sphinx side (booktools/sphinx/notebooks.py) only collects what this needs.
"""

from __future__ import annotations

import ast
import bisect
import html
import inspect
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin

import nbformat
from docutils import nodes
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from booktools.fingerprint import MARK

#: Where a notebook says what it was made from (read by booktools/publish_notebooks.py).
METADATA_KEY = "handwriting_book"


class NotebookError(ValueError):
    """The page holds something the converter cannot render; the message names it and the fix."""


# --- the helpers the first cell installs ----------------------------------------------------


def helpers_digest(folder):
    """The sha256 of the modules of the `handwriting` package in ``folder``."""
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256()
    for module in sorted(Path(folder).glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()


def helpers_commit(root: Path) -> str | None:
    """The commit checked out at ``root``, if it holds the helpers as they are on disk.

    None outside git, or when ``handwriting/`` or ``pyproject.toml`` differ from
    that commit (changed, added or deleted files): then no commit holds them.
    """
    try:
        head = _git(root, "rev-parse", "--verify", "HEAD")
        changed = _git(root, "status", "--porcelain", "--", "handwriting", "pyproject.toml")
    except (OSError, subprocess.CalledProcessError):
        return None
    return None if changed else head


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()


def install_helpers(requirement, helpers, glue):
    """Install the helpers from ``requirement`` unless those installed hash to ``helpers``.

    A checkout of the book (an editable install, as in Binder or the book's .venv) is
    left as it is, with a warning if it differs; with no ``requirement`` (a notebook that
    no commit can serve) a difference is an error. myst-nb (``glue``) is installed where
    it is missing: the chapters glue their numbers into the text with it.
    """
    import importlib.util
    import subprocess
    import sys
    from pathlib import Path

    spec = importlib.util.find_spec("handwriting")
    folder = Path(spec.origin).parent if spec else None
    if folder is None or helpers_digest(folder) != helpers:
        if folder is not None and (folder.parent / "_toc.yml").is_file():
            print(f"The helpers in {folder} differ from this notebook's.")
        elif requirement is None:
            raise RuntimeError(
                "This notebook was made from helpers that no commit holds (a build from a "
                "changed work tree, or outside git): run it where they are installed."
            )
        else:
            pip = [sys.executable, "-m", "pip", "install", "--quiet"]
            subprocess.run([*pip, "--no-deps", "--force-reinstall", requirement], check=True)
    if importlib.util.find_spec("myst_nb") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", glue], check=True)
    importlib.invalidate_caches()


SETUP_INTRO = """\
# Set-up, not part of the page. The chapter runs on the book's helpers (the
# `handwriting` package) as they were at {made_from}.
# Where exactly those helpers are installed (Binder, a checkout), it installs nothing."""


def setup_source(repository: str, commit: str | None, digest: str, myst_nb_requirement: str) -> str:
    """The first cell: install the helpers at ``commit`` unless they are there already."""
    if commit:
        made_from = f"commit {commit[:12]} of\n# {repository}"
        pinned = f'"handwriting @ git+{repository}@{commit}"'
    else:
        made_from = "the build that made this notebook, which no commit holds"
        pinned = "None"
    return "\n".join(
        [
            SETUP_INTRO.format(made_from=made_from),
            "",
            "",
            inspect.getsource(helpers_digest).rstrip(),
            "",
            "",
            inspect.getsource(install_helpers).rstrip(),
            "",
            "",
            "install_helpers(",
            f"    {pinned},",
            f'    helpers="{digest}",',
            f'    glue="{myst_nb_requirement}",',
            ")",
        ]
    )


def setup_cell(repository: str, commit: str | None, digest: str, myst_nb_requirement: str):
    cell = new_code_cell(setup_source(repository, commit, digest, myst_nb_requirement))
    cell.metadata["tags"] = ["setup"]
    return cell


def requirement(requirements: Path, name: str) -> str:
    """The pinned line for ``name`` in requirements.txt (``myst-nb==1.4.0``)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    for line in requirements.read_text(encoding="utf-8").splitlines():
        try:
            parsed = Requirement(line.split("#", 1)[0].strip())
        except InvalidRequirement:
            continue
        if canonicalize_name(parsed.name) == canonicalize_name(name):
            return str(parsed)
    raise NotebookError(f"{requirements} pins no {name}: add it (the notebooks install it)")


def with_setup(notebook, cell, made_from: dict) -> None:
    """Put ``cell`` first in ``notebook`` (replacing an older set-up cell) and record ``made_from``."""
    if notebook.cells and "setup" in notebook.cells[0].metadata.get("tags", []):
        notebook.cells[0] = cell
    else:
        notebook.cells.insert(0, cell)
    notebook.metadata[METADATA_KEY] = made_from


# --- hidden cells ---------------------------------------------------------------------------

HIDDEN = "# Hidden on the page:"


def hidden_comment(source: str) -> str:
    """One comment line that says why a cell the page hides is in the notebook."""
    try:
        tree = ast.parse("\n".join(_python_lines(source)))
    except SyntaxError:
        return f"{HIDDEN} code the page runs without showing it."
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assigned = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    what = []
    if "use_book_style" in called:
        what.append("sets the book's figure style")
    if "glue" in called:
        what.append("hands the text its numbers (glue)")
    elif "glue" in imported:
        what.append("imports glue, which hands the text its numbers")
    if any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
        what.append("checks what the text claims")
    if "published" in assigned:
        what.append("names the values the book's tests check again")
    if not what:
        what.append("code the page runs without showing it")
    listed = what[0] if len(what) == 1 else ", ".join(what[:-1]) + " and " + what[-1]
    return f"{HIDDEN} {listed}."


def _python_lines(source: str) -> Iterator[str]:
    for line in source.splitlines():
        yield "" if line.lstrip().startswith(("%", "!")) else line


def without_fingerprint(source: str) -> str:
    """A first cell as the chapter has it, without the line the build adds (booktools.fingerprint)."""
    return "\n".join(line for line in source.splitlines() if not line.startswith(MARK)).rstrip()


# --- the page's doctree as Markdown -----------------------------------------------------------


@dataclass
class Page:
    """What the converter needs besides the doctree: where the page lives and its numbers."""

    docname: str
    url: str  # the page's published address
    numbers: dict = field(default_factory=dict)  # env.toc_fignumbers[docname]
    formats: dict = field(default_factory=dict)  # numfig_format
    images: dict = field(default_factory=dict)  # builder.images: source path -> file name
    site: str = ""  # the site's address, for images

    def link(self, node: nodes.Element) -> str:
        if node.get("refuri"):
            return urljoin(self.url, node["refuri"])
        if node.get("refid"):
            return f"{self.url}#{node['refid']}"
        raise NotebookError(f"{self.docname}: a link without a target: {node.astext()!r}")

    def number(self, kind: str, node: nodes.Element) -> str | None:
        """'Exercise 3', 'Fig. 2': the number the page shows before a numbered node's title."""
        for node_id in node.get("ids", []):
            if node_id in self.numbers.get(kind, {}):
                number = ".".join(map(str, self.numbers[kind][node_id]))
                return self.formats.get(kind, kind + " %s") % number
        return None


ESCAPED = re.compile(r"([\\`*_\[\]<>$|~])")
#: What would make a paragraph's first characters a heading, quote, list item or comment.
LINE_START = re.compile(r"^(\s*\d*)([#>+=.)-](?=\s|$)|%)")


def escape(text: str) -> str:
    """Text as Markdown that shows it literally (no emphasis, link, HTML, maths or role)."""
    return ESCAPED.sub(r"\\\1", text)


def code_span(text: str) -> str:
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{ticks if not pad else pad + ticks}"


def fence(text: str, language: str = "") -> str:
    ticks = "`" * max(3, max((len(run) for run in re.findall(r"^`+", text, re.M)), default=0) + 1)
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


class Inline:
    """Renders the inline content of a node as one line of Markdown."""

    def __init__(self, page: Page):
        self.page = page

    def __call__(self, node: nodes.Node) -> str:
        return "".join(self.render(child) for child in node.children)

    def render(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return escape(" ".join(str(node).split("\n")))
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is not None:
            return method(node)
        if isinstance(node, (nodes.inline, nodes.TextElement)) and not isinstance(
            node, nodes.FixedTextElement
        ):
            return self(node)
        raise NotebookError(
            f"{self.page.docname}: no Markdown for the inline {type(node).__name__} "
            f"{node.astext()[:60]!r}; teach booktools/notebooks.py to render it"
        )

    def visit_emphasis(self, node):
        return f"*{self(node)}*"

    def visit_strong(self, node):
        return f"**{self(node)}**"

    def visit_literal(self, node):
        if "xref" in node.get("classes", []):  # a cross-reference's text, set as on the page
            return self(node)
        return code_span(node.astext())

    def visit_math(self, node):
        return f"${node.astext().strip()}$"

    def visit_reference(self, node):
        url = quote(self.page.link(node), safe=":/#?&=%~+,;@!*'")
        return f"[{self(node)}]({url})"

    def visit_subscript(self, node):
        return f"<sub>{self(node)}</sub>"

    def visit_superscript(self, node):
        return f"<sup>{self(node)}</sup>"

    def visit_image(self, node):
        return f"![{escape(node.get('alt', ''))}]({self.page.site}_images/{self.page.images.get(node['uri'], node['uri'])})"

    def visit_target(self, node):
        return self(node) if node.children else ""

    def visit_footnote_reference(self, node):
        return f"<sup>{escape(node.astext())}</sup>"

    def visit_index(self, node):
        return ""

    visit_raw = visit_index  # inline raw HTML or LaTeX: neither is the page's text


@dataclass
class _Details:
    summary: str
    opened: int = 0  # how many Markdown cells of it were written


class Converter:
    """The doctree of one page, with its notebook's cells, as the cells of a new notebook."""

    def __init__(self, page: Page, cells: list, source_map: list[int]):
        self.page = page
        self.inline = Inline(page)
        self.cells = cells
        self.source_map = source_map
        self.removed = [
            index
            for index, cell in enumerate(cells)
            if cell.cell_type == "code" and _removed(cell) and cell.source.strip()
        ]
        self.out: list = []
        self.blocks: list[str] = []
        self.details: list[_Details] = []
        self.solution_depth = 0

    # -- cells --

    def convert(self, document: nodes.document) -> list:
        self.children(document, level=0)
        self.catch_up(len(self.cells))
        self.flush()
        return self.out

    def flush(self) -> None:
        text = "\n\n".join(block for block in self.blocks if block.strip())
        self.blocks = []
        if not text:
            return
        if self.details:
            details = self.details[-1]
            summary = details.summary + (" (continued)" if details.opened else "")
            details.opened += 1
            text = f"<details>\n<summary>{summary}</summary>\n\n{text}\n\n</details>"
        self.out.append(new_markdown_cell(text))

    def catch_up(self, upto: int) -> None:
        """Write the hidden cells that come before cell ``upto``, where the page had them."""
        while self.removed and self.removed[0] < upto:
            index = self.removed.pop(0)
            self.flush()
            cell = self.cells[index]
            source = without_fingerprint(cell.source) if index == self.first_code() else cell.source
            self.out.append(self.code(f"{hidden_comment(source)}\n{source}", cell))

    def first_code(self) -> int:
        return next(i for i, cell in enumerate(self.cells) if cell.cell_type == "code")

    def code(self, source: str, cell, collapsed: bool = False):
        new = new_code_cell(source.rstrip())
        tags = list(cell.metadata.get("tags", []))
        if tags:
            new.metadata["tags"] = tags
        if collapsed or "hide-input" in tags:
            new.metadata["jupyter"] = {"source_hidden": True}
        return new

    def block(self, text: str, node: nodes.Node) -> None:
        line = _line(node)
        if line is not None:
            self.catch_up(bisect.bisect_right(self.source_map, line - 1) - 1)
        self.blocks.append(text)

    # -- the tree --

    def children(self, node: nodes.Element, level: int) -> None:
        for child in node.children:
            self.visit(child, level)

    def visit(self, node: nodes.Node, level: int) -> None:
        if isinstance(node, nodes.container) and node.get("nb_element") == "cell_code":
            self.visit_code_cell(node)
            return
        name = type(node).__name__
        method = getattr(self, f"visit_{name}", None)
        if method is not None:
            method(node, level)
        elif isinstance(node, (nodes.Invisible, nodes.comment)) or name in SILENT:
            pass
        elif isinstance(node, nodes.Admonition):
            self.visit_admonition(node, level)
        elif isinstance(node, (nodes.container, nodes.compound)) or name in TRANSPARENT:
            self.children(node, level)
        else:
            raise NotebookError(
                f"{self.page.docname}: no Markdown for a {name} "
                f"({node.astext()[:60]!r}); teach booktools/notebooks.py to render it"
            )

    def visit_section(self, node, level):
        self.children(node, level + 1)

    def visit_title(self, node, level):
        self.block(f"{'#' * max(level, 1)} {self.inline(node)}", node)

    def visit_paragraph(self, node, level):
        text = self.inline(node)
        self.block(LINE_START.sub(r"\1\\\2", text, count=1), node)

    def visit_literal_block(self, node, level):
        self.block(fence(node.astext(), node.get("language", "")), node)

    def visit_math_block(self, node, level):
        self.block(f"$$\n{node.astext().strip()}\n$$", node)

    def visit_bullet_list(self, node, level):
        self.block(self.list_markdown(node), node)

    visit_enumerated_list = visit_bullet_list

    def list_markdown(self, node: nodes.Element) -> str:
        items = []
        for number, item in enumerate(node.children, start=node.get("start", 1)):
            marker = f"{number}. " if isinstance(node, nodes.enumerated_list) else "- "
            body = "\n\n".join(self.markdown(child) for child in item.children)
            indented = body.replace("\n", "\n" + " " * len(marker))
            items.append(marker + indented.replace("\n" + " " * len(marker) + "\n", "\n\n"))
        return "\n".join(items)

    def markdown(self, node: nodes.Node) -> str:
        """A block node as Markdown, on its own (in lists, tables, admonitions)."""
        if isinstance(node, nodes.paragraph):
            return LINE_START.sub(r"\1\\\2", self.inline(node), count=1)
        if isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
            return self.list_markdown(node)
        if isinstance(node, nodes.literal_block):
            return fence(node.astext(), node.get("language", ""))
        if isinstance(node, nodes.math_block):
            return f"$$\n{node.astext().strip()}\n$$"
        if isinstance(node, (nodes.Invisible, nodes.comment)):
            return ""
        if isinstance(node, (nodes.container, nodes.compound, nodes.block_quote)) and not (
            node.get("nb_element")
        ):
            return "\n\n".join(self.markdown(child) for child in node.children)
        raise NotebookError(
            f"{self.page.docname}: no Markdown for a {type(node).__name__} inside a list or box "
            f"({node.astext()[:60]!r}); teach booktools/notebooks.py to render it"
        )

    def visit_definition_list(self, node, level):
        items = []
        for item in node.children:
            term = next(child for child in item.children if isinstance(child, nodes.term))
            definition = next(
                child for child in item.children if isinstance(child, nodes.definition)
            )
            body = "\n\n".join(self.markdown(child) for child in definition.children)
            items.append(f"- **{self.inline(term)}**\n\n  " + body.replace("\n", "\n  "))
        self.block("\n".join(items), node)

    def visit_block_quote(self, node, level):
        self.block(_quoted(self.markdown(node)), node)

    def visit_admonition(self, node, level):
        title = next((child for child in node.children if isinstance(child, nodes.title)), None)
        name = self.inline(title) if title else type(node).__name__.capitalize()
        body = "\n\n".join(
            self.markdown(child) for child in node.children if not isinstance(child, nodes.title)
        )
        self.block(_quoted(f"**{name}**\n\n{body}"), node)

    def visit_table(self, node, level):
        rows = [
            [self.inline(entry.children[0]) if entry.children else "" for entry in row.children]
            for row in node.findall(nodes.row)
        ]
        if not rows:
            return
        lines = [rows[0], ["---"] * len(rows[0]), *rows[1:]]
        self.block("\n".join("| " + " | ".join(row) + " |" for row in lines), node)

    def visit_figure(self, node, level):
        """A figure made by a Markdown directive: its image, then its numbered caption."""
        parts = [self.inline.render(image) for image in node.findall(nodes.image)]
        caption = self.caption(node)
        self.block("\n\n".join(parts + ([caption] if caption else [])), node)

    def caption(self, figure: nodes.Element) -> str:
        caption = next(figure.findall(nodes.caption), None)
        if caption is None:
            return ""
        number = self.page.number("figure", figure)
        return f"*{escape(number) + ' ' if number else ''}{self.inline(caption)}*"

    def visit_image(self, node, level):
        self.block(self.inline.render(node), node)

    def visit_raw(self, node, level):
        """Raw HTML (the drawing page's pad) needs the page's scripts: a link to the page instead."""
        if node.get("format") == "html" and _shows_something(node.astext()):
            self.block(
                f"*This part of the page is interactive and works on the book's web site: "
                f"<{self.page.url}>.*",
                node,
            )

    # -- notebook cells, exercises, solutions --

    def visit_code_cell(self, node: nodes.container) -> None:
        index = node["cell_index"]
        self.catch_up(index)
        self.flush()
        cell = self.cells[index]
        self.out.append(self.code(cell.source, cell, collapsed=self.solution_depth > 0))
        figure = next(node.findall(nodes.figure), None)
        caption = self.caption(figure) if figure is not None else ""
        if caption:
            self.blocks.append(caption)
            self.flush()

    def visit_exercise_enumerable_node(self, node, level):
        title = node.children[0]
        number = self.page.number("exercise", node) or "Exercise"
        subtitle = self.inline(title).strip()
        heading = f"{escape(number)}{' ' + subtitle if subtitle else ''}"
        self.block(f"{'#' * (level + 1)} {heading}", node)
        for child in node.children[1:]:
            self.visit(child, level + 1)

    visit_exercise_node = visit_exercise_enumerable_node

    def visit_solution_node(self, node, level):
        self.flush()
        self.details.append(_Details(summary=html.escape(node.children[0].astext().strip())))
        self.solution_depth += 1
        for child in node.children[1:]:
            self.visit(child, level + 1)
        self.flush()
        self.solution_depth -= 1
        self.details.pop()


#: Nodes that carry nothing a reader of the notebook needs (anchors, index entries).
SILENT = {"target", "index", "substitution_definition", "only", "pending_xref_condition"}
#: Nodes whose children are the content.
TRANSPARENT = {"HideCodeCellNode", "glossary", "div", "inline"}


def _removed(cell) -> bool:
    tags = cell.metadata.get("tags", [])
    return "remove-cell" in tags or "remove_cell" in tags


def _line(node: nodes.Node) -> int | None:
    for candidate in node.findall(include_self=True):
        if getattr(candidate, "line", None):
            return candidate.line
    return None


def _shows_something(html_text: str) -> bool:
    """Whether raw HTML shows anything: not only scripts and styles (such as sphinx-thebe's)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    for element in soup(["script", "style"]):
        element.decompose()
    return bool(soup.get_text(strip=True) or soup.find(True))


def _quoted(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def notebook(
    page: Page,
    document: nodes.document,
    cells: list,
    source_map: list[int],
    kernelspec: dict,
) -> nbformat.NotebookNode:
    """The page's notebook, with no set-up cell yet (:func:`with_setup` adds it)."""
    book = new_notebook(cells=Converter(page, cells, source_map).convert(document))
    book.metadata["kernelspec"] = kernelspec
    book.metadata["language_info"] = {"name": "python"}
    return book


def write(book: nbformat.NotebookNode, path: Path) -> None:
    nbformat.validate(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(book, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def walk_notebooks(folder: Path) -> Iterator[Path]:
    yield from sorted(folder.rglob("*.ipynb"))


Renderer = Callable[[nodes.Node], str]
