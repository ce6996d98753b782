"""Measure what building and testing the book costs, as ratios that travel between machines.

In a scratch copy of the project (the working tree and its _build are never
touched), it runs, as `make book` and `make test` do:

1. a cold build: no _build folder, so every chapter executes and the model
   store trains each model once;
2. a warm build: nothing changed, so no chapter may execute;
3. the tests that execute the chapters' cells (tests/test_chapters.py) on the
   built book, all of them, then those of book/first-classifier.md alone;
4. a build after a comment is added to one code cell of one chapter: exactly
   that chapter may execute.

book/first-classifier.md trains the Part I classifier for 10 epochs in
batches of 64 in every run, so its time is the yardstick: the cold build is
reported as a multiple of that chapter's execution time, and the chapter
tests as a multiple of that chapter's test, both measured in the same run.
It prints Markdown tables (with each chapter's execution time and the test
accuracy it glues), writes them to _build/benchmark.md and, with --readme, into
README.md between ``<!-- benchmark:start -->`` and ``<!-- benchmark:end -->``
(``python -m booktools.readme`` copies them there later too). It exits non-zero
when a build executes what it should not.

    MNIST_NPZ=../shared/data/mnist.npz .venv/bin/python scripts/benchmark.py --readme
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from booktools import extract_tests
from booktools.builds import build, copy_environment, copy_project, edit_one_code_cell
from booktools.readme import TABLES, write_section

YARDSTICK = "book/first-classifier.md"
# Glue names under which chapters publish the test accuracy of the model they train or load.
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


def chapter_tests(project: Path, *select: str) -> float:
    """Seconds that tests/test_chapters.py takes in the copy (optionally ``-k`` one chapter)."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/test_chapters.py",
    ]
    command += ["-k", select[0]] if select else []
    start = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **copy_environment(project)},
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"the chapter tests failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return seconds


def tables(runs: dict, edited_chapter: str, chapters: list[Path], project: Path) -> str:
    cold, warm, edited = runs["cold"], runs["warm"], runs["edited"]
    yardstick = cold[1][YARDSTICK]
    today = dt.date.today().isoformat()
    machine = f"{os.cpu_count()} CPU cores, Python {platform.python_version()}"
    tests_all, tests_one = runs["tests"], runs["tests_yardstick"]
    lines = [
        f"Measured on {today} ({machine}, no GPU) by `scripts/benchmark.py`. The yardstick is "
        f"the execution of `{YARDSTICK}` in the same cold build ({yardstick:.0f} s), which "
        "trains the Part I classifier for 10 epochs in batches of 64.",
        "",
        "| what | seconds | ratio | notebooks executed |",
        "| --- | ---: | ---: | ---: |",
        f"| cold build (empty `_build`) | {cold[0]:.0f} "
        f"| {cold[0] / yardstick:.1f} × the yardstick | {len(cold[1])} |",
        f"| warm build (nothing changed) | {warm[0]:.0f} | | {len(warm[1])} |",
        f"| one chapter edited (`{edited_chapter}`) | {edited[0]:.0f} | | {len(edited[1])} |",
        f"| chapter tests on the built book (`tests/test_chapters.py`) | {tests_all:.0f} "
        f"| {tests_all / tests_one:.1f} × its `first-classifier` test ({tests_one:.0f} s) | |",
        "",
        "| chapter | execution (s) | test accuracy |",
        "| --- | ---: | ---: |",
    ]
    total = 0.0
    for chapter in chapters:
        seconds = cold[1].get(chapter.as_posix())
        total += seconds or 0.0
        accuracy = glued_accuracy(project, chapter)
        shown = f"{accuracy:.2%}" if accuracy is not None else "-"
        seconds_shown = f"{seconds:.0f}" if seconds is not None else "-"
        lines.append(f"| `{chapter.as_posix()}` | {seconds_shown} | {shown} |")
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
    runs = {}
    with tempfile.TemporaryDirectory(prefix="book-benchmark-") as scratch:
        project = copy_project(Path(scratch) / "book")
        print("cold build ...", file=sys.stderr)
        runs["cold"] = build(project)
        print("warm build ...", file=sys.stderr)
        runs["warm"] = build(project)
        print("chapter tests ...", file=sys.stderr)
        runs["tests"] = chapter_tests(project)
        runs["tests_yardstick"] = chapter_tests(project, "first-classifier")
        edit_one_code_cell(project / args.edit)
        print(f"build after editing {args.edit} ...", file=sys.stderr)
        runs["edited"] = build(project)
        table = tables(runs, args.edit, chapters, project)

    print(table)
    TABLES["benchmark"].parent.mkdir(parents=True, exist_ok=True)
    TABLES["benchmark"].write_text(table + "\n", encoding="utf-8")
    problems = []
    if runs["warm"][1]:
        problems.append(f"the warm build executed {sorted(runs['warm'][1])}")
    if sorted(runs["edited"][1]) != [args.edit]:
        problems.append(f"the edited build executed {sorted(runs['edited'][1])}")
    for problem in problems:
        print(f"\nunexpected: {problem}", file=sys.stderr)
    if args.readme:
        write_section("benchmark", table)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
