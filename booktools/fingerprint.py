"""Re-execute a chapter when anything it runs changes, not only its cells.

jupyter-cache, which myst-nb uses to execute the chapters once and keep their
outputs, keys a notebook by the text of its code cells alone (jupyter-cache 1.0.1,
the version this was checked against: booktools/sphinx/patches.py). A change to a
helper in ``handwriting/``, to a pinned version in ``requirements.txt`` or to
the MNIST file would leave every page showing outputs of the old code. This
Sphinx extension closes that gap. Before myst-nb reads a chapter (Sphinx's
``source-read`` event), it appends to the chapter's first code cell, which
every chapter hides (``remove-cell``), one comment line with a sha256 of what
else the chapter runs:

- every module of ``handwriting/`` that the chapter imports, and the modules
  those import in turn (the model store and the models among them);
- ``requirements.txt``, which pins every package, and Python's version;
- the MNIST file that ``MNIST_NPZ`` names (or Keras's downloaded copy), for
  chapters that load MNIST.

A change to any of them changes the chapter's code as jupyter-cache sees it,
so exactly the chapters that depend on it execute again. Only the copy of the
text that Sphinx hands to myst-nb changes; the chapter's file does not.

Sphinx reads a page again only when its file changes; the extension also
tells it to read again every chapter whose fingerprint changed since the
last build (``env-get-outdated``), so that a build that keeps its doctrees
re-executes them as well as one that starts afresh.

The extension also has Sphinx read the chapters in the order of ``_toc.yml``
(Sphinx reads them alphabetically), so that the chapter that trains and
keeps a model (book/first-classifier.md, book/convnets-training.md) runs
before the chapters that load it from the model store.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import platform
from pathlib import Path

from booktools.cells import code_cells, line_offsets
from booktools.paths import HELPERS, REQUIREMENTS, ROOT

PACKAGE = "handwriting"
MARK = "# build inputs:"


class FingerprintError(ValueError):
    """A chapter cannot carry its fingerprint; the message names the chapter and the fix."""


def _imported(tree: ast.AST, module: str | None, helpers: Path) -> set[str]:
    """The ``handwriting`` modules an AST imports (``module`` resolves relative imports)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from .data import y
                base = PACKAGE + (f".{base}" if base else "")
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                parts = name.split(".")
                # "handwriting.data.load_mnist" -> the module handwriting.data
                while len(parts) > 1 and not _module_file(".".join(parts), helpers).is_file():
                    parts.pop()
                found.add(".".join(parts))
    found.discard(module)
    return found


def _module_file(module: str, helpers: Path = HELPERS) -> Path:
    parts = module.split(".")[1:]
    if not parts:
        return helpers / "__init__.py"
    return helpers.joinpath(*parts).with_suffix(".py")


def _parse(code: str) -> ast.AST:
    # IPython's magics and shell escapes are not Python; they import nothing.
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()]
    return ast.parse("\n".join(lines))


def helper_modules(text: str, helpers: Path = HELPERS) -> list[Path]:
    """The files of ``handwriting`` that a chapter runs: what it imports, and what they import."""
    pending = set()
    for cell in code_cells(text):
        try:
            pending |= _imported(_parse(cell.source), None, helpers)
        except SyntaxError:  # a cell that must fail to parse imports nothing that runs
            continue
    if pending:
        pending.add(PACKAGE)  # importing a module runs the package's __init__ first
    seen: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _module_file(module, helpers)
        pending |= _imported(ast.parse(path.read_text(encoding="utf-8")), module, helpers) - seen
    return sorted(_module_file(module, helpers) for module in seen)


@functools.cache
def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mnist_source() -> str:
    """What names the MNIST a build reads: the file MNIST_NPZ names, or Keras's download."""
    named = os.environ.get("MNIST_NPZ")
    path = Path(named).expanduser() if named else Path.home() / ".keras" / "datasets" / "mnist.npz"
    if path.is_file():
        return f"{'MNIST_NPZ' if named else 'keras'}:{_file_digest(path.resolve())}"
    return f"missing:{path}"  # loading fails with its own message; any later file differs


def fingerprint(text: str, root: Path = ROOT) -> str:
    """A sha256 of everything a chapter runs besides its own cells."""
    helpers = root / PACKAGE
    digest = hashlib.sha256(f"python {platform.python_version()}\n".encode())
    requirements = root / REQUIREMENTS.name
    digest.update(requirements.read_bytes() if requirements.is_file() else b"")
    files = helper_modules(text, helpers)
    for path in files:
        digest.update(f"\n{path.relative_to(root).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    if helpers / "data.py" in files:
        digest.update(mnist_source().encode())
    return digest.hexdigest()


def with_fingerprint(text: str, docname: str, digest: str) -> str:
    """The chapter's text with ``digest`` at the end of its first, hidden, code cell."""
    cells = code_cells(text)
    if not cells:
        return text  # no code: nothing executes, nothing to key
    first = cells[0]
    if not first.closed or "remove-cell" not in first.tags:
        raise FingerprintError(
            f"{docname}: the first code cell must be the hidden set-up cell "
            "(tags: [remove-cell]), which carries the chapter's build fingerprint; "
            "see CONTRIBUTING.md"
        )
    at = line_offsets(text)[first.end]  # the start of the cell's closing fence
    return text[:at] + f"{MARK} {digest}\n" + text[at:]


def _is_chapter(app, docname: str, text: str) -> bool:
    return Path(app.env.doc2path(docname)).suffix == ".md" and "kernelspec:" in text[:1000]


def _mark_chapter(app, docname: str, source: list[str]) -> None:
    if _is_chapter(app, docname, source[0]):
        digest = fingerprint(source[0], Path(app.confdir))
        source[0] = with_fingerprint(source[0], docname, digest)
        _fingerprints(app.env)[docname] = digest


def _fingerprints(env) -> dict[str, str]:
    """docname -> the fingerprint the chapter had when Sphinx last read it."""
    if not hasattr(env, "book_fingerprints"):
        env.book_fingerprints = {}
    return env.book_fingerprints


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Chapters whose own file is unchanged but whose fingerprint is not: read them again.

    Sphinx reads a page again only when its file changes; a changed helper
    must send the chapters that run it back through myst-nb, and so to
    jupyter-cache, which then finds no match and executes them.
    """
    stale = []
    for docname, known in _fingerprints(env).items():
        if docname in added | changed | removed:
            continue
        path = Path(env.doc2path(docname))
        if (
            path.is_file()
            and fingerprint(path.read_text(encoding="utf-8"), Path(app.confdir)) != known
        ):
            stale.append(docname)
    return stale


def _purge(app, env, docname: str) -> None:
    _fingerprints(env).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _fingerprints(other):
            _fingerprints(env)[docname] = _fingerprints(other)[docname]


def _read_in_book_order(app, env, docnames: list[str]) -> None:
    from booktools.toc import toc_files

    order = {
        path.with_suffix("").as_posix(): i for i, path in enumerate(toc_files(Path(app.confdir)))
    }
    docnames.sort(key=lambda name: (order.get(name, len(order)), name))


def setup(app):
    app.connect("source-read", _mark_chapter)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-before-read-docs", _read_in_book_order)
    return {
        "version": "1",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
