"""The code a reader sees is the code the library runs.

A chapter that teaches a helper shows its definition in a cell tagged
``library: <module>`` (for example ``library: handwriting.models`` on the
cell of book/first-classifier.md that defines ``build_mlp``). Later chapters
import the helper from that module instead of typing it again. These tests
fail when a shown definition and the module's differ, when a library cell
does more than define, and when a model's function is in the library but
shown in no chapter.
"""

import ast
import importlib
import inspect
import textwrap

import pytest

from booktools import extract_tests

pytestmark = pytest.mark.unit

TAG = "library:"
#: Modules whose every function a chapter must show: the models the book teaches, and
#: the numpy network of the from-scratch pages.
SHOWN_IN_FULL = ("handwriting.models", "handwriting.scratch", "handwriting.baselines")


def library_cells():
    """(cell, module name) for every cell tagged ``library: <module>``."""
    found = []
    for chapter in extract_tests.chapters():
        for cell in chapter.cells:
            for tag in cell.tags:
                if tag.startswith(TAG):
                    found.append((cell, tag[len(TAG) :].strip()))
    return found


CELLS = library_cells()


def definitions(source: str) -> dict[str, str]:
    """The top-level functions and classes of some code, name -> exact source."""
    tree = ast.parse(source)
    return {
        node.name: ast.get_source_segment(source, node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }


def test_the_chapters_show_library_code():
    modules = {module for _, module in CELLS}
    assert {"handwriting.models", "handwriting.data"} <= modules


@pytest.mark.parametrize("cell, module", CELLS, ids=[f"{c.where}" for c, _ in CELLS])
def test_a_library_cell_is_exactly_the_library_code(cell, module):
    tree = ast.parse(cell.source)
    extra = [
        type(node).__name__
        for node in tree.body
        if not isinstance(node, ast.FunctionDef | ast.ClassDef)
    ]
    assert not extra, f"{cell.where} is tagged {TAG} {module} but does more than define: {extra}"
    shown = definitions(cell.source)
    assert shown, f"{cell.where} is tagged {TAG} {module} but defines nothing"
    library_source = textwrap.dedent(inspect.getsource(importlib.import_module(module)))
    library = definitions(library_source)
    for name, source in shown.items():
        assert name in library, f"{cell.where} shows {name}, which {module} does not define"
        assert source == library[name], (
            f"{cell.where} shows a {name} that differs from {module}'s:\n"
            f"--- the chapter ---\n{source}\n--- {module} ---\n{library[name]}"
        )


@pytest.mark.parametrize("module", SHOWN_IN_FULL)
def test_every_model_function_is_shown_where_it_is_taught(module):
    shown = {
        name for cell, tagged in CELLS if tagged == module for name in definitions(cell.source)
    }
    defined = set(definitions(inspect.getsource(importlib.import_module(module))))
    assert defined <= shown, f"{module} defines {sorted(defined - shown)}, which no chapter shows"
