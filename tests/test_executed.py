"""The executed notebooks hold no stderr, not even in the cells the pages hide.

The build turns a stderr output into an error only for the cells it shows;
a warning in a hidden cell (``remove-cell``) would pass unseen, and would
show up in a reader's own run of the chapter. This reads the notebooks as
the last build executed them.
"""

import json

import pytest

from booktools import extract_tests, paths

pytestmark = pytest.mark.built

# The pages that are notebooks (the bibliography has no code).
CHAPTERS = [chapter.path for chapter in extract_tests.chapters()]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.as_posix() for path in CHAPTERS])
def test_no_cell_wrote_to_stderr(chapter):
    executed = paths.EXECUTED / chapter.with_suffix(".ipynb")
    if not executed.is_file():
        pytest.fail(f"{executed} is missing: build the book first (`make book`)")
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    written = [
        (number, "".join(output.get("text", "")))
        for number, cell in enumerate(notebook["cells"], start=1)
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]
    assert not written, f"{chapter}: cells wrote to stderr: {written}"
