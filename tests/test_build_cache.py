"""The execution cache is trusted, and cannot go stale.

Builds run in scratch copies of the project that start from this checkout's
execution cache and model store, as the Pages workflow starts from the ones it
restores (scripts/benchmark.py times such builds; these tests check what they
execute):

- with nothing changed, no chapter executes;
- after one code cell of book/mnist.md changes, exactly that chapter does;
- after a change to what chapters run besides their cells (a helper module,
  requirements.txt, the MNIST file), exactly the chapters that depend on it
  execute again (booktools/fingerprint.py). These run in a copy that builds
  three chapters only, so that they stay quick.
"""

import os
from pathlib import Path

import numpy as np
import pytest

from booktools import extract_tests, paths
from booktools.builds import build, copy_project, edit_one_code_cell
from booktools.optional import skip_or_fail

pytestmark = pytest.mark.slow

EDITED = "book/mnist.md"
#: The chapters of the small copy: one without MNIST, one that draws digits, one that loads MNIST but draws no digits.
SMALL_TOC = """\
format: jb-book
root: book/welcome
chapters:
  - file: book/mnist
  - file: book/compiling
"""


def _copy(tmp_path_factory, name):
    for folder in (paths.EXECUTION_CACHE, paths.MODELS):
        if not folder.is_dir():
            pytest.fail(f"{folder} is missing: build the book first (`make book`)")
    return copy_project(tmp_path_factory.mktemp(name) / "book", paths.EXECUTION_CACHE, paths.MODELS)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return _copy(tmp_path_factory, "cached")


@pytest.fixture
def small(tmp_path_factory):
    """A copy that builds three chapters, all cached: the first build executes nothing."""
    project = _copy(tmp_path_factory, "small")
    (project / "_toc.yml").write_text(SMALL_TOC)
    _, executed, _ = build(project, strict=False)
    assert executed == {}, f"the small copy's first build executed {sorted(executed)}"
    return project


def test_a_build_with_nothing_changed_executes_no_chapter(project):
    _, executed, log = build(project)
    assert executed == {}, f"executed {sorted(executed)}"
    assert log.count("Using cached notebook") == len(extract_tests.chapters())


def test_editing_one_chapter_executes_that_chapter_alone(project):
    edit_one_code_cell(project / EDITED)
    _, executed, _ = build(project)
    assert sorted(executed) == [EDITED]


def test_a_changed_helper_executes_the_chapters_that_import_it(small):
    with (small / "handwriting" / "figures.py").open("a") as helper:
        helper.write("\n# a change to a helper: every chapter that draws digits runs again\n")
    _, executed, _ = build(small, strict=False)
    # Of the three, only book/mnist.md draws digits with handwriting.figures.
    assert "handwriting.figures" in (small / "book" / "mnist.md").read_text()
    for other in ("welcome.md", "compiling.md"):
        assert "handwriting.figures" not in (small / "book" / other).read_text()
    assert sorted(executed) == ["book/mnist.md"]


def test_changed_requirements_execute_every_chapter(small):
    with (small / "requirements.txt").open("a") as requirements:
        requirements.write("# a new pin would change what every chapter runs\n")
    _, executed, _ = build(small, strict=False)
    assert sorted(executed) == ["book/compiling.md", "book/mnist.md", "book/welcome.md"]


def test_another_mnist_file_executes_the_chapters_that_load_it(small, tmp_path):
    # The same arrays, written again: a file with other bytes must be read again.
    source = Path(os.environ.get("MNIST_NPZ") or Path.home() / ".keras" / "datasets" / "mnist.npz")
    if not source.is_file():
        skip_or_fail(f"no MNIST file at {source} to copy: set MNIST_NPZ")
    with np.load(source) as npz:
        np.savez(tmp_path / "mnist.npz", **{name: npz[name] for name in npz.files})
    _, executed, _ = build(small, strict=False, MNIST_NPZ=str(tmp_path / "mnist.npz"))
    assert sorted(executed) == ["book/compiling.md", "book/mnist.md"]
