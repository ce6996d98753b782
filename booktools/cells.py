"""The code cells of a MyST-markdown chapter, where their code stands, and ruff over them.

Every tool that reads a chapter's cells reads them with jupytext's MyST parser
(markdown-it-py with MyST's block syntax), the parser myst-nb's own notebooks
go through: the tests (booktools/extract_tests.py), the fingerprint
(booktools/fingerprint.py) and ruff below. :func:`code_cells` adds to
each cell the lines of the chapter it occupies, so that its code can be checked,
marked and rewritten in place, leaving the prose and the cell options alone.

    python -m booktools.cells                    # ruff check and format --check of every chapter's cells
    python -m booktools.cells --fix              # let ruff fix and format them, in every chapter
    python -m booktools.cells --fix book/mnist.md   # ... in one chapter
    python -m booktools.cells --extract DIR      # write each chapter's cells to DIR/<chapter>.py

The extracted files leave out the cells tagged ``library: <module>``, whose code
is, on purpose, the library's own (tests/test_library.py); they are for looking
for repeated code across chapters, for example with `duplicates`.

ruff reads a chapter as a notebook (jupytext writes one to a scratch folder), so
that an import in one cell counts as used by the next, and IPython magics are
understood. (``jupytext --pipe`` would write the whole chapter back in its own
layout, which differs from the chapters' in their front matter and long options:
only the code is rewritten here.)

The MyST parser and its option reader are jupytext 1.19.6's ``jupytext.myst``
(``get_parser``, ``read_fenced_cell``), the functions jupytext reads notebooks with.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from booktools.paths import ROOT

CODE_DIRECTIVE = "{code-cell}"


@dataclass(frozen=True)
class CodeCell:
    """One code cell of a chapter: its code, its options and the lines it occupies."""

    source: str  # the code, as jupytext reads it
    options: dict = field(hash=False)  # the cell's options: tags, mystnb, ...
    fence: int  # the line of its opening ```{code-cell}, from 0
    start: int  # the line its code starts on
    end: int  # the line of its closing fence (the code ends before it)
    closed: bool = True  # whether the cell has a closing fence

    @property
    def tags(self) -> list[str]:
        return list(self.options.get("tags") or [])


def code_cells(text: str) -> list[CodeCell]:
    """The chapter's code cells in order, as jupytext reads them, with their lines."""
    from jupytext.myst import get_parser, read_fenced_cell

    lines = text.splitlines()
    cells, nesting = [], 0
    for token in get_parser().parse(text + "\n"):
        nesting += token.nesting
        # Only top-level fences are cells, as for jupytext (not a fence in a list).
        if nesting or token.type != "fence" or not token.info.startswith(CODE_DIRECTIVE):
            continue
        options, body = read_fenced_cell(token, len(cells), "Code")
        last = min(token.map[1], len(lines)) - 1
        closed = last > token.map[0] and lines[last].strip().startswith(token.markup)
        end = last if closed else last + 1
        cells.append(CodeCell("\n".join(body), options, token.map[0], end - len(body), end, closed))
    return cells


def line_offsets(text: str) -> list[int]:
    """The offset in ``text`` where each line starts (and one past the last)."""
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _ruff(*args: str) -> subprocess.CompletedProcess:
    ruff = Path(sys.executable).with_name("ruff")
    config = ("--config", str(ROOT / "pyproject.toml"))
    return subprocess.run([str(ruff), *args, *config], capture_output=True, text=True)


def as_notebooks(chapters: list[Path], folder: Path) -> dict[Path, Path]:
    """Write each chapter as an .ipynb in ``folder``; chapter -> notebook."""
    import jupytext

    notebooks = {}
    for chapter in chapters:
        notebook = folder / chapter.with_suffix(".ipynb").name
        jupytext.write(jupytext.read(chapter, fmt="md:myst"), notebook, fmt="ipynb")
        notebooks[chapter] = notebook
    return notebooks


def check(chapters: list[Path]) -> str:
    """ruff's complaints about the chapters' code cells, or "" when there are none."""
    with tempfile.TemporaryDirectory() as scratch:
        notebooks = as_notebooks(chapters, Path(scratch))
        found = []
        for command in (
            ("check", "--no-cache", "--output-format", "concise"),
            ("format", "--check", "--diff"),
        ):
            result = _ruff(*command, *map(str, notebooks.values()))
            if result.returncode != 0:
                found.append(result.stdout + result.stderr)
    report = "\n".join(found)
    for chapter, notebook in notebooks.items():
        report = report.replace(str(notebook), chapter.as_posix())
    return report


def with_code(text: str, new_code: list[str]) -> str:
    """The chapter with each code cell's code replaced by the next of ``new_code``."""
    cells = code_cells(text)
    if len(cells) != len(new_code):
        raise ValueError(f"{len(cells)} code cells, but {len(new_code)} new ones")
    offsets = line_offsets(text)
    for cell, code in reversed(list(zip(cells, new_code))):
        start, end = offsets[cell.start], offsets[cell.end]
        text = text[:start] + code.rstrip("\n") + "\n" + text[end:]
    return text


def fix(chapters: list[Path]) -> None:
    """Let ruff fix and format the chapters' code cells, in place."""
    import jupytext

    with tempfile.TemporaryDirectory() as scratch:
        for chapter, notebook in as_notebooks(chapters, Path(scratch)).items():
            _ruff("check", "--fix", "--no-cache", str(notebook))
            _ruff("format", str(notebook))
            fixed = [c.source for c in jupytext.read(notebook).cells if c.cell_type == "code"]
            text = chapter.read_text(encoding="utf-8")
            rewritten = with_code(text, fixed)
            if rewritten != text:
                chapter.write_text(rewritten, encoding="utf-8")


def extract(chapters: list[Path], folder: Path) -> list[Path]:
    """Write each chapter's code cells, library cells left out, to ``folder/<chapter>.py``."""
    from booktools.extract_tests import read_chapter

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in chapters:
        cells = read_chapter(chapter.relative_to(ROOT)).cells
        kept = [c.source for c in cells if not any(t.startswith("library:") for t in c.tags)]
        target = folder / chapter.with_suffix(".py").name
        target.write_text("\n\n\n".join(f"# %%\n{code}" for code in kept) + "\n", encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    from booktools.extract_tests import toc_files

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path, help="chapters (default: every one)")
    parser.add_argument("--fix", action="store_true", help="fix and format the cells in place")
    parser.add_argument("--extract", type=Path, metavar="DIR", help="write the cells to DIR/*.py")
    args = parser.parse_args(argv)
    chapters = [path.resolve() for path in args.chapters] or [ROOT / p for p in toc_files()]
    missing = [path for path in chapters if not path.is_file()]
    if missing:
        parser.error(f"no such chapter: {', '.join(map(str, missing))}")
    if args.extract:
        for path in extract(chapters, args.extract):
            print(path)
        return 0
    if args.fix:
        fix(chapters)
    report = check(chapters)
    print(report or "ruff: every chapter's code cells are clean")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
