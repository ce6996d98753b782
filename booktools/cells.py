"""The code cells of a MyST-markdown chapter: where their code is, and ruff over it.

Other tools read a chapter through jupytext; this module also knows where in
the chapter's text each cell's code stands, so that the code can be checked
and rewritten in place (by ruff), leaving the prose and cell options alone.

    python -m booktools.cells            # ruff check and format --check of every chapter's cells
    python -m booktools.cells --fix      # let ruff fix and format them, in the chapters
    python -m booktools.cells --extract DIR  # write each chapter's cells to DIR/<chapter>.py

The extracted files leave out the cells tagged ``library: <module>``, whose
code is, on purpose, the library's own (tests/test_library.py); they are for
looking for repeated code across chapters, for example with `duplicates`.

ruff reads a chapter as a notebook (jupytext writes one to a scratch folder),
so that an import in one cell counts as used by the next, and IPython magics
are understood.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from booktools.paths import ROOT

CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n", re.M)
FENCE = re.compile(r"^```\s*$", re.M)


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code cell's code in ``text``, its options left out."""
    spans = []
    for opening in CODE_CELL.finditer(text):
        closing = FENCE.search(text, opening.end())
        if closing is None:
            break
        start = opening.end()
        if text.startswith("---\n", start):  # a YAML block of options
            start = text.index("\n---\n", start + 3) + len("\n---\n")
        else:
            while text.startswith(":", start):  # short options, such as :tags:
                start = text.index("\n", start) + 1
        while text.startswith("\n", start) and start < closing.start():
            start += 1
        spans.append((start, closing.start()))
    return spans


def code_cells(text: str) -> list[str]:
    """The code of each code cell, in order."""
    return [text[start:end].rstrip("\n") for start, end in code_spans(text)]


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


def fix(chapters: list[Path]) -> None:
    """Let ruff fix and format the chapters' code cells, in place."""
    import jupytext

    with tempfile.TemporaryDirectory() as scratch:
        for chapter, notebook in as_notebooks(chapters, Path(scratch)).items():
            _ruff("check", "--fix", "--no-cache", str(notebook))
            _ruff("format", str(notebook))
            fixed = [c.source for c in jupytext.read(notebook).cells if c.cell_type == "code"]
            text = chapter.read_text(encoding="utf-8")
            spans = code_spans(text)
            if len(spans) != len(fixed):
                raise RuntimeError(
                    f"{chapter}: {len(spans)} code cells, jupytext read {len(fixed)}"
                )
            for (start, end), code in reversed(list(zip(spans, fixed))):
                text = text[:start] + code.rstrip("\n") + "\n" + text[end:]
            chapter.write_text(text, encoding="utf-8")


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
    parser.add_argument("--fix", action="store_true", help="fix and format the cells in place")
    parser.add_argument("--extract", type=Path, metavar="DIR", help="write the cells to DIR/*.py")
    args = parser.parse_args(argv)
    chapters = [ROOT / path for path in toc_files()]
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
