"""ruff keeps the Python one style: the project's files and the chapters' code cells.

The settings are in pyproject.toml. To fix what these tests find:
``ruff check --fix . && ruff format .`` for the files, and
``python -m booktools.cells --fix`` for the chapters' cells.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from booktools import cells, extract_tests, paths

pytestmark = pytest.mark.unit

RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.parametrize("command", [["check", "--no-cache"], ["format", "--check", "--diff"]])
def test_the_python_files_pass_ruff(command):
    result = subprocess.run(
        [str(RUFF), *command, "."], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, f"ruff {' '.join(command)}:\n{result.stdout}{result.stderr}"


def test_the_chapters_code_cells_pass_ruff():
    report = cells.check([paths.ROOT / path for path in extract_tests.toc_files()])
    assert not report, f"ruff on the chapters' code cells:\n{report}"
