"""The extractor turns chapters into tests faithfully, and refuses what it cannot test."""

import textwrap

import pytest

from booktools import extract_tests
from booktools.extract_tests import CellFailure, ExtractionError
from booktools.toc import TocError

pytestmark = pytest.mark.unit

HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""


def write_book(root, chapters, toc=None):
    """A tiny book: chapters is {name: body}, listed in _toc.yml in that order."""
    (root / "book").mkdir(exist_ok=True)
    for name, body in chapters.items():
        (root / "book" / f"{name}.md").write_text(HEADER + textwrap.dedent(body))
    names = list(chapters)
    if toc is None:
        toc = f"format: jb-book\nroot: book/{names[0]}\n"
        if names[1:]:
            toc += "chapters:\n" + "".join(f"  - file: book/{name}\n" for name in names[1:])
    (root / "_toc.yml").write_text(toc)
    return root


def cell(source, tags=None):
    meta = f":tags: {tags}\n\n" if tags else ""
    return f"```{{code-cell}} ipython3\n{meta}{textwrap.dedent(source).strip()}\n```\n\n"


def test_chapters_follow_the_toc_and_pages_without_code_are_left_out(tmp_path):
    write_book(
        tmp_path,
        {
            "intro": "# Intro\n\nNo code here.\n",
            "second": "# Second\n\n" + cell("x = 2"),
            "first": "# First\n\n" + cell("x = 1") + cell("y = x + 1"),
        },
    )
    found = extract_tests.chapters(tmp_path)
    assert [chapter.name for chapter in found] == ["book/second.md", "book/first.md"]
    assert [c.source for c in found[1].cells] == ["x = 1", "y = x + 1"]


def test_a_page_named_in_the_toc_must_exist(tmp_path):
    write_book(
        tmp_path,
        {"intro": "# Intro\n"},
        toc="format: jb-book\nroot: book/intro\nchapters:\n  - file: book/gone\n",
    )
    with pytest.raises(TocError, match="book/gone"):
        extract_tests.chapters(tmp_path)


def test_cells_share_one_namespace_and_magics_work(tmp_path):
    write_book(tmp_path, {"c": "# C\n\n" + cell("%time x = 21") + cell("y = 2 * x")})
    (chapter,) = extract_tests.chapters(tmp_path)
    namespace = extract_tests.run_chapter(chapter, tmp_path)
    assert namespace["y"] == 42


def test_cells_run_in_the_chapters_folder_as_in_the_build(tmp_path):
    write_book(tmp_path, {"c": "# C\n\n" + cell("import os\nhere = os.getcwd()")})
    (chapter,) = extract_tests.chapters(tmp_path)
    assert extract_tests.run_chapter(chapter, tmp_path)["here"] == str(tmp_path / "book")


def test_a_failing_claim_names_the_chapter_and_the_cell(tmp_path):
    body = (
        "# C\n\nSome text.\n\n"
        + cell("accuracy = 0.5")
        + cell("assert accuracy >= 0.97, 'too low'")
    )
    write_book(tmp_path, {"c": body})
    (chapter,) = extract_tests.chapters(tmp_path)
    with pytest.raises(CellFailure) as failure:
        extract_tests.run_chapter(chapter, tmp_path)
    message = str(failure.value)
    assert "book/c.md, code cell 2 (line 21)" in message
    assert "AssertionError: too low" in message
    assert "assert accuracy >= 0.97" in message


def test_the_namespace_does_not_leak_between_chapters(tmp_path):
    write_book(tmp_path, {"a": "# A\n\n" + cell("secret = 1"), "b": "# B\n\n" + cell("secret")})
    first, second = extract_tests.chapters(tmp_path)
    extract_tests.run_chapter(first, tmp_path)
    with pytest.raises(CellFailure, match="NameError"):
        extract_tests.run_chapter(second, tmp_path)


def test_a_cell_is_left_out_only_with_a_reason(tmp_path):
    write_book(
        tmp_path,
        {
            "c": "# C\n\n"
            + cell("raise SystemExit('must not run')", tags='["no-test: opens a window"]')
            + cell("ok = True")
        },
    )
    (chapter,) = extract_tests.chapters(tmp_path)
    assert chapter.cells[0].skip_reason == "opens a window"
    assert extract_tests.run_chapter(chapter, tmp_path)["ok"] is True


@pytest.mark.parametrize("tags", ['["no-test"]', '["no-test:  "]', '["skip-execution"]'])
def test_a_cell_left_out_without_a_reason_is_an_error(tmp_path, tags):
    write_book(tmp_path, {"c": "# C\n\n" + cell("x = 1", tags=tags)})
    with pytest.raises(ExtractionError, match="no-test: "):
        extract_tests.chapters(tmp_path)


def test_a_cell_tagged_raises_exception_must_raise(tmp_path):
    write_book(
        tmp_path,
        {
            "good": "# G\n\n" + cell("1 / 0", tags='["raises-exception"]') + cell("after = 1"),
            "bad": "# B\n\n" + cell("fine = 1", tags='["raises-exception"]'),
        },
    )
    good, bad = extract_tests.chapters(tmp_path)
    assert extract_tests.run_chapter(good, tmp_path)["after"] == 1
    with pytest.raises(CellFailure, match="raised nothing"):
        extract_tests.run_chapter(bad, tmp_path)


def test_the_script_lists_the_books_chapters(capsys):
    assert extract_tests.main([]) == 0
    out = capsys.readouterr().out
    assert "book/first-classifier.md:" in out and "code cell 1" in out
