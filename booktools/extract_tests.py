"""Turn the book's chapters into tests: one test per chapter, its code cells in order.

The chapters are MyST-markdown notebooks listed in ``_toc.yml``. This module
reads the table of contents with ``sphinx-external-toc`` (the parser Jupyter
Book itself uses; booktools/toc.py) and each chapter with ``jupytext`` (the
cells and their lines: booktools/cells.py), and runs a chapter's code
cells in order, in one namespace, in an IPython shell (so magics such as
``%timeit`` work) with matplotlib's non-interactive Agg backend. The tests in
``tests/test_chapters.py`` call it at collection time, so they can never drift
from the chapters.

Cell tags that change what a test does:

``no-test: <reason>``
    The cell is not run by the tests. The reason is required: a bare
    ``no-test`` tag is an error, so nothing is left out silently.
``skip-execution``
    Jupyter Book does not run the cell, so the tests cannot either; such a
    cell must also carry a ``no-test: <reason>`` tag.
``raises-exception``
    The cell must raise an exception; the test fails if it does not.

Run it as a script to see what the tests will run::

    python -m booktools.extract_tests            # chapters and their cells
    python -m booktools.extract_tests --source   # ... with each cell's code
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from booktools.cells import code_cells
from booktools.paths import ROOT
from booktools.toc import toc_files

__all__ = ["CellFailure", "Chapter", "ExtractionError", "chapters", "read_chapter", "toc_files"]

NO_TEST = "no-test"


class ExtractionError(ValueError):
    """A chapter or one of its cells cannot be turned into a test."""


class CellFailure(AssertionError):
    """A chapter's code cell failed; the message names the chapter and the cell."""


@dataclass(frozen=True)
class Cell:
    """One code cell of a chapter, as the tests will run it."""

    chapter: Path
    number: int  # 1-based, counting code cells only
    line: int | None  # line of the cell's first line of code in the chapter file
    source: str
    tags: tuple[str, ...]
    skip_reason: str | None = None

    @property
    def expects_error(self) -> bool:
        return "raises-exception" in self.tags

    @property
    def where(self) -> str:
        place = f"code cell {self.number}"
        if self.line is not None:
            place += f" (line {self.line})"
        return f"{self.chapter.as_posix()}, {place}"


@dataclass
class Chapter:
    path: Path  # relative to the book's root
    cells: list[Cell] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.as_posix()


def _skip_reason(tags: list[str], where: str) -> str | None:
    reason = None
    for tag in tags:
        name, _, text = tag.partition(":")
        if name.strip() != NO_TEST:
            continue
        if not text.strip():
            raise ExtractionError(
                f"{where}: the tag {tag!r} must give a reason, as in '{NO_TEST}: needs a display'"
            )
        reason = text.strip()
    if "skip-execution" in tags and reason is None:
        raise ExtractionError(
            f"{where}: a cell tagged skip-execution is not run by the build, so the "
            f"tests skip it too; add a '{NO_TEST}: <reason>' tag that says why"
        )
    return reason


def read_chapter(path: Path, root: Path = ROOT) -> Chapter:
    """Read a chapter's code cells with jupytext, checking their test tags."""
    import jupytext

    text = (root / path).read_text(encoding="utf-8")
    notebook = jupytext.reads(text, fmt="md:myst" if path.suffix == ".md" else path.suffix[1:])
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    # The line of each cell's first line of code, in a MyST chapter (1-based).
    lines = [cell.start + 1 for cell in code_cells(text)] if path.suffix == ".md" else []
    chapter = Chapter(path)
    for index, cell in enumerate(code):
        number = index + 1
        source = cell.source
        line = lines[index] if index < len(lines) else None
        tags = list(cell.metadata.get("tags", []))
        where = f"{path.as_posix()}, code cell {number}"
        reason = _skip_reason(tags, where)
        chapter.cells.append(Cell(path, number, line, source, tuple(tags), reason))
    return chapter


def chapters(root: Path = ROOT) -> list[Chapter]:
    """Every chapter of the book that has code cells, in reading order."""
    found = [read_chapter(path, root) for path in toc_files(root)]
    return [chapter for chapter in found if chapter.cells]


def _shell():
    """One IPython shell for all chapters; each chapter starts with a clean namespace."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib

    matplotlib.use("Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor")
    shell.reset(new_session=False)
    if "keras" in sys.modules:  # layer names and counters start afresh, as in a new kernel
        sys.modules["keras"].backend.clear_session()
    return shell


def run_chapter(chapter: Chapter, root: Path = ROOT) -> dict:
    """Run a chapter's cells in order in one namespace; return that namespace.

    Cells run with the chapter's folder as the working directory, as in the
    build. A failing cell raises :class:`CellFailure` naming the chapter and cell.
    """
    import matplotlib.pyplot as plt

    shell = _shell()
    previous = Path.cwd()
    os.chdir(root / chapter.path.parent)
    try:
        for cell in chapter.cells:
            if cell.skip_reason is not None:
                continue
            result = shell.run_cell(cell.source, silent=True, store_history=False)
            error = result.error_before_exec or result.error_in_exec
            if cell.expects_error:
                if error is None:
                    raise CellFailure(
                        f"{cell.where} is tagged raises-exception but raised nothing:\n"
                        f"{cell.source}"
                    )
                continue
            if error is not None:
                raise CellFailure(
                    f"{cell.where} failed with {type(error).__name__}: {error}\n"
                    f"--- the cell ---\n{cell.source}"
                ) from error
        return dict(shell.user_ns)
    finally:
        os.chdir(previous)
        plt.close("all")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", action="store_true", help="print each cell's code too")
    args = parser.parse_args(argv)
    for chapter in chapters():
        print(f"{chapter.name}: {len(chapter.cells)} code cells")
        for cell in chapter.cells:
            note = f"  [not tested: {cell.skip_reason}]" if cell.skip_reason else ""
            note += "  [must raise]" if cell.expects_error else ""
            print(f"  {cell.where}{note}")
            if args.source:
                print("    " + cell.source.replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
