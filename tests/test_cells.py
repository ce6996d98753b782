"""booktools/cells.py: one parser's cells, their lines, and ruff fixing them in place.

The fingerprint (booktools/fingerprint.py), the tests made from the chapters
(booktools/extract_tests.py) and ruff over the chapters all locate a chapter's
cells with :func:`booktools.cells.code_cells`, jupytext's MyST parser.
"""

import textwrap

import jupytext
import pytest

from booktools import cells, extract_tests, paths

pytestmark = pytest.mark.unit

CHAPTER = textwrap.dedent(
    """\
    ---
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---
    # A chapter

    ```{code-cell} ipython3
    :tags: [remove-cell]

    import os
    ```

    Some prose, with a fence that is not a cell:

    ```python
    not = a cell
    ```

    ```{code-cell} ipython3
    ---
    mystnb:
      figure:
        caption: A caption.
    ---
    x=[1,2]
    ```

    - a list item holding a fence, which jupytext does not read as a cell:

      ```{code-cell} ipython3
      y = 3
      ```
    """
)


def test_the_cells_and_their_lines_are_jupytext_s():
    found = cells.code_cells(CHAPTER)
    notebook = jupytext.reads(CHAPTER, fmt="md:myst")
    assert [c.source for c in found] == [c.source for c in notebook.cells if c.cell_type == "code"]
    lines = CHAPTER.splitlines()
    first, second = found
    assert first.tags == ["remove-cell"] and lines[first.start] == "import os"
    assert lines[first.end] == "```" and lines[first.fence].startswith("```{code-cell}")
    assert second.options["mystnb"]["figure"]["caption"] == "A caption."
    assert lines[second.start : second.end] == ["x=[1,2]"]


@pytest.mark.parametrize("chapter", extract_tests.toc_files(), ids=str)
def test_every_chapter_reads_the_same_through_jupytext_and_back(chapter):
    text = (paths.ROOT / chapter).read_text(encoding="utf-8")
    found = cells.code_cells(text)
    notebook = jupytext.reads(text, fmt="md:myst")
    assert [c.source for c in found] == [c.source for c in notebook.cells if c.cell_type == "code"]
    assert cells.with_code(text, [c.source for c in found]) == text, "the same code, the same text"


def test_new_code_replaces_only_the_code():
    rewritten = cells.with_code(CHAPTER, ["import os", "x = [1, 2]"])
    assert rewritten == CHAPTER.replace("x=[1,2]", "x = [1, 2]")
    with pytest.raises(ValueError, match="2 code cells, but 1"):
        cells.with_code(CHAPTER, ["import os"])


def test_fix_rewrites_the_chapters_it_is_given_and_no_other(tmp_path):
    messy, other = tmp_path / "messy.md", tmp_path / "other.md"
    messy.write_text(CHAPTER, encoding="utf-8")
    other.write_text(CHAPTER, encoding="utf-8")
    assert cells.main([str(messy), "--fix"]) == 0, "fixed, then clean"
    assert "x = [1, 2]" in messy.read_text(encoding="utf-8")
    assert other.read_text(encoding="utf-8") == CHAPTER
    assert "other.md" in cells.check([other])
