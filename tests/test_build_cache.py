"""The execution cache is trusted: nothing changed runs nothing, one edited chapter runs alone.

Two builds run in a scratch copy of the project that starts from this
checkout's execution cache, as the Pages workflow starts from the cache it
restores: the first, with nothing changed, must execute no chapter; the
second, after one code cell of book/mnist.md changes, exactly that chapter.
(scripts/benchmark.py times such builds; this test checks what they execute.)
"""

import shutil

import pytest

import benchmark
import extract_tests

ROOT = extract_tests.ROOT
CACHE = ROOT / "_build" / ".jupyter_cache"
EDITED = "book/mnist.md"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if not CACHE.is_dir():
        pytest.fail(f"{CACHE} is missing: build the book first (`make book`; `make test` does it)")
    project = tmp_path_factory.mktemp("cached") / "book"
    shutil.copytree(ROOT, project, ignore=benchmark.COPY_IGNORE)
    shutil.copytree(CACHE, project / "_build" / ".jupyter_cache")
    return project


def test_a_build_with_nothing_changed_executes_no_chapter(project):
    _, executed, log = benchmark.build(project)
    assert executed == {}, f"executed {sorted(executed)}"
    assert log.count("Using cached notebook") == len(extract_tests.chapters())


def test_editing_one_chapter_executes_that_chapter_alone(project):
    benchmark.edit_one_code_cell(project / EDITED)
    _, executed, _ = benchmark.build(project)
    assert sorted(executed) == [EDITED]
