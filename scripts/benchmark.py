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
import sys
import tempfile
from pathlib import Path

from booktools import extract_tests
from booktools.builds import build, copy_project, edit_one_code_cell
from booktools.readme import write_section

# Glue names under which chapters publish the test accuracy of the model they train.
ACCURACY_NAMES = ("test_accuracy", "scratch_accuracy", "cnn_accuracy", "accuracy")


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
    parser.add_argument(
        "--edit", default="book/mnist.md", help="the chapter to edit (default: %(default)s)"
    )
    parser.add_argument("--readme", action="store_true", help="write the tables into README.md")
    args = parser.parse_args(argv)
    if not os.environ.get("MNIST_NPZ"):
        print("note: MNIST_NPZ is not set, so the chapters use Keras's download", file=sys.stderr)

    chapters = [chapter.path for chapter in extract_tests.chapters()]
    with tempfile.TemporaryDirectory(prefix="book-benchmark-") as scratch:
        project = Path(scratch) / "book"
        copy_project(project)
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
