"""Measure what building the book costs, chapter by chapter and build by build.

In a scratch copy of the project (the working tree is never touched), it runs
three HTML builds with the execution cache, as `make book` does:

1. cold: no _build folder, so every chapter executes;
2. warm: nothing changed, so no chapter should execute;
3. one chapter edited: a comment is added to one code cell of one chapter,
   so exactly that chapter should execute again.

It reports each build's seconds and how many notebooks it executed, and, from
the cold build, each chapter's execution time and the test accuracy it glues
(the glue names listed in ACCURACY_NAMES), as Markdown tables. With
--readme it also writes the tables into README.md between the markers
``<!-- benchmark:start -->`` and ``<!-- benchmark:end -->``.

    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python scripts/benchmark.py --readme
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import extract_tests  # noqa: E402
from readme_section import write_section  # noqa: E402

# Glue names under which chapters publish the test accuracy of the model they train.
ACCURACY_NAMES = ("test_accuracy", "scratch_accuracy", "cnn_accuracy", "accuracy")
COPY_IGNORE = shutil.ignore_patterns("_build", ".venv", "node_modules", ".git", "__pycache__", "*.ipynb")
EXECUTED = re.compile(r"(\S+\.md): Executed notebook in ([\d.]+) seconds")


def build(project: Path) -> tuple[float, dict[str, float], str]:
    """One HTML build; its seconds, the chapters it executed with their seconds, its log."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", ".", "--warningiserror", "--nitpick", "--keep-going"]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"the build failed:\n{log[-3000:]}")
    executed = {
        Path(path).relative_to(project).as_posix(): float(secs)
        for path, secs in EXECUTED.findall(log)
    }
    return seconds, executed, log


def glued_accuracy(project: Path, chapter: Path) -> float | None:
    """The test accuracy a chapter glues, from the glue file myst-nb writes beside its notebook."""
    glue_file = project / "_build" / "jupyter_execute" / chapter.with_suffix(".glue.json")
    if not glue_file.is_file():
        return None
    glued = json.loads(glue_file.read_text())
    for name in ACCURACY_NAMES:
        if name in glued:
            return float(glued[name]["data"]["text/plain"].strip("'\""))
    return None


def edit_one_code_cell(chapter: Path) -> None:
    """Add a comment line to the chapter's last code cell: its code hash changes."""
    text = chapter.read_text(encoding="utf-8")
    fence = text.rfind("```{code-cell}")
    closing = text.index("\n```", fence + 3)  # the cell's closing fence
    chapter.write_text(text[:closing] + "\n# edited by scripts/benchmark.py" + text[closing:], encoding="utf-8")


def tables(cold, warm, edited, edited_chapter, chapters, project) -> str:
    today = dt.date.today().isoformat()
    machine = f"{os.cpu_count()} CPU cores, Python {platform.python_version()}"
    lines = [
        f"Measured on {today} ({machine}, no GPU) by `scripts/benchmark.py`.",
        "",
        "| build | seconds | notebooks executed |",
        "| --- | ---: | ---: |",
        f"| cold (empty `_build`) | {cold[0]:.0f} | {len(cold[1])} |",
        f"| warm (nothing changed) | {warm[0]:.0f} | {len(warm[1])} |",
        f"| one chapter edited (`{edited_chapter}`) | {edited[0]:.0f} | {len(edited[1])} |",
        "",
        "| chapter | execution (s) | test accuracy |",
        "| --- | ---: | ---: |",
    ]
    total = 0.0
    for chapter in chapters:
        seconds = cold[1].get(chapter.as_posix())
        total += seconds or 0.0
        accuracy = glued_accuracy(project, chapter)
        lines.append(
            f"| `{chapter.as_posix()}` | {seconds:.0f} | {f'{accuracy:.2%}' if accuracy is not None else '-'} |"
            if seconds is not None
            else f"| `{chapter.as_posix()}` | - | - |"
        )
    lines.append(f"| **all chapters** | **{total:.0f}** | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edit", default="book/mnist.md", help="the chapter to edit (default: %(default)s)")
    parser.add_argument("--readme", action="store_true", help="write the tables into README.md")
    args = parser.parse_args(argv)
    if not os.environ.get("MNIST_NPZ"):
        print("note: MNIST_NPZ is not set, so the chapters use Keras's download", file=sys.stderr)

    chapters = [chapter.path for chapter in extract_tests.chapters()]
    with tempfile.TemporaryDirectory(prefix="book-benchmark-") as scratch:
        project = Path(scratch) / "book"
        shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
        print("cold build ...", file=sys.stderr)
        cold = build(project)
        print("warm build ...", file=sys.stderr)
        warm = build(project)
        edit_one_code_cell(project / args.edit)
        print(f"build after editing {args.edit} ...", file=sys.stderr)
        edited = build(project)
        table = tables(cold, warm, edited, args.edit, chapters, project)

    print(table)
    if warm[1]:
        print(f"\nunexpected: the warm build executed {sorted(warm[1])}", file=sys.stderr)
    if sorted(edited[1]) != [args.edit]:
        print(f"\nunexpected: the edited build executed {sorted(edited[1])}", file=sys.stderr)
    if args.readme:
        write_section("benchmark", table)
    return 0 if not warm[1] and sorted(edited[1]) == [args.edit] else 1


if __name__ == "__main__":
    sys.exit(main())
