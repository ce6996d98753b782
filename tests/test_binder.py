"""Binder builds the environment the launch buttons open from binder/: the pinned
requirements, the book's Python, and the `handwriting` helpers."""

import os
import re
import subprocess

import pytest

from booktools import paths

pytestmark = pytest.mark.unit

ROOT = paths.ROOT
BINDER = ROOT / "binder"


def test_binder_installs_the_pinned_requirements():
    lines = [
        line for line in (BINDER / "requirements.txt").read_text().splitlines() if line.strip()
    ]
    installs = [line for line in lines if not line.startswith("#")]
    assert len(installs) == 1 and installs[0].startswith("-r "), (
        "Binder installs one requirements file, the one `make setup` installs"
    )
    binder_file = (BINDER / installs[0].removeprefix("-r ").strip()).resolve()
    setup = re.search(r"pip install .*-r (\S+)", (ROOT / "Makefile").read_text())
    assert setup, "the Makefile's setup no longer installs a requirements file"
    assert binder_file == (ROOT / setup.group(1)).resolve() and binder_file.is_file(), (
        f"Binder installs {binder_file}, make setup {setup.group(1)}"
    )


def test_binder_uses_the_books_python():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    required = re.search(r'requires-python = ">=3\.(\d+)"', (ROOT / "pyproject.toml").read_text())
    assert int(runtime.split(".")[1]) >= int(required.group(1))


def test_binder_installs_the_helpers_with_an_executable_script():
    post_build = BINDER / "postBuild"
    assert "--editable ." in post_build.read_text()
    mode = subprocess.run(
        ["git", "ls-files", "--stage", "binder/postBuild"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert mode.startswith("100755") or (not mode and os.access(post_build, os.X_OK)), (
        "binder/postBuild must be executable (git update-index --chmod=+x binder/postBuild)"
    )
