"""Build the book in a scratch copy of the project and see what the build executed.

The build benchmark (scripts/benchmark.py) and the cache tests
(tests/test_build_cache.py) both copy the project, build it as `make book`
does, and read from the build's log which chapters jupyter-cache executed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from booktools.cells import code_cells, line_offsets
from booktools.paths import BUILD, ROOT

#: What a scratch copy of the project leaves out: built output, environments, notebooks.
COPY_IGNORE = shutil.ignore_patterns(
    "_build", ".venv", "node_modules", ".git", "__pycache__", "*.ipynb"
)
#: myst-nb 1.4.0's log line for a chapter it executed (booktools/sphinx/patches.py): a
#: rewording would make the builds that expect no execution pass vacuously.
EXECUTED = re.compile(r"(\S+\.md): Executed notebook in ([\d.]+) seconds")


class BuildFailed(RuntimeError):
    """A scratch build failed; the message ends with the end of its log."""


def copy_project(target: Path, *built: Path) -> Path:
    """Copy the project's sources to ``target``, with the given folders of ``_build``.

    For example ``copy_project(target, paths.EXECUTION_CACHE, paths.MODELS)``
    starts the copy from this checkout's execution cache and model store.
    """
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    for folder in built:
        shutil.copytree(folder, target / "_build" / folder.relative_to(BUILD))
    return target


def copy_environment(project: Path) -> dict[str, str]:
    """Environment variables that make Python run a copy's own code and model store.

    The book's packages are installed from this checkout; ``PYTHONPATH`` puts
    the copy's ``handwriting`` and ``booktools`` first, and the copy's model
    store is its own (the store of this checkout is never read or written).
    """
    return {"PYTHONPATH": str(project), "HANDWRITING_MODELS": str(project / "_build" / "models")}


def build(
    project: Path, strict: bool = True, **environment: str
) -> tuple[float, dict[str, float], str]:
    """One HTML build; its seconds, the chapters it executed with their seconds, its log.

    The build runs the copy's own code (:func:`copy_environment`), keeps its
    trained models in the copy's ``_build/models``, and runs with the
    environment variables given, such as ``MNIST_NPZ``. ``strict=False`` lets
    warnings pass, for a copy that builds only some of the chapters (their
    links to the others cannot resolve).
    """
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", ".", "--keep-going"]
    if strict:
        command += ["--warningiserror", "--nitpick"]
    env = {**os.environ, **copy_environment(project), **environment}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise BuildFailed(f"the build of {project} failed:\n{log[-3000:]}")
    executed = {
        Path(path).relative_to(project).as_posix(): float(secs)
        for path, secs in EXECUTED.findall(log)
    }
    return seconds, executed, log


def edit_one_code_cell(chapter: Path) -> None:
    """Add a comment line to the chapter's last code cell: its code hash changes."""
    text = chapter.read_text(encoding="utf-8")
    last = code_cells(text)[-1]
    at = line_offsets(text)[last.end]  # the start of the cell's closing fence
    chapter.write_text(text[:at] + "# edited by a scratch build\n" + text[at:], encoding="utf-8")
