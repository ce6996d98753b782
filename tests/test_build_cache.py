"""The execution cache is trusted: nothing changed runs nothing, one edited chapter runs alone.

Two builds run in a scratch copy of the project that starts from this
checkout's execution cache, as the Pages workflow starts from the cache it
restores: the first, with nothing changed, must execute no chapter; the
second, after one code cell of book/mnist.md changes, exactly that chapter.
(scripts/benchmark.py times such builds; this test checks what they execute.)
"""

import pytest

from booktools import extract_tests, paths
from booktools.builds import build, copy_project, edit_one_code_cell

CACHE = paths.EXECUTION_CACHE
EDITED = "book/mnist.md"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if not CACHE.is_dir():
        pytest.fail(f"{CACHE} is missing: build the book first (`make book`; `make test` does it)")
    project = tmp_path_factory.mktemp("cached") / "book"
    return copy_project(project, cache=CACHE)


def test_a_build_with_nothing_changed_executes_no_chapter(project):
    _, executed, log = build(project)
    assert executed == {}, f"executed {sorted(executed)}"
    assert log.count("Using cached notebook") == len(extract_tests.chapters())


def test_editing_one_chapter_executes_that_chapter_alone(project):
    edit_one_code_cell(project / EDITED)
    _, executed, _ = build(project)
    assert sorted(executed) == [EDITED]
