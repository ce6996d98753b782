"""booktools/publish_notebooks.py: the launch branch is HEAD's tree plus the chapters' notebooks."""

import json
import subprocess

import pytest

from booktools import publish_notebooks
from booktools.notebooks import METADATA_KEY

pytestmark = pytest.mark.unit


def git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for name, value in [("NAME", "Test"), ("EMAIL", "test@example.org")]:
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    repo = tmp_path / "repo"
    (repo / "book").mkdir(parents=True)
    (repo / "book" / "mnist.md").write_text("# MNIST\n")
    (repo / "requirements.txt").write_text("numpy\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a chapter")
    return repo


def notebook(commit: str | None, cells: list | None = None) -> str:
    return json.dumps({"cells": cells or [], "metadata": {METADATA_KEY: {"commit": commit}}})


@pytest.fixture
def notebooks(tmp_path, repo):
    """A chapter's notebook made from HEAD, as a build of HEAD writes it."""
    folder = tmp_path / "_notebooks"
    (folder / "book").mkdir(parents=True)
    (folder / "book" / "mnist.ipynb").write_text(notebook(git(repo, "rev-parse", "HEAD")))
    return folder


def test_the_branch_holds_the_tree_and_the_notebooks(repo, notebooks):
    head = git(repo, "rev-parse", "HEAD")
    (repo / "book" / "mnist.md").write_text("# MNIST, edited but not committed\n")
    git(repo, "add", "book/mnist.md")
    staged = git(repo, "diff", "--cached", "--name-only")

    commit = publish_notebooks.publish(notebooks, "notebooks", repo)

    assert git(repo, "rev-parse", "notebooks") == commit
    assert git(repo, "rev-parse", "notebooks^") == head, "the branch grows from the current commit"
    files = git(repo, "ls-tree", "-r", "--name-only", "notebooks").splitlines()
    assert files == ["book/mnist.ipynb", "book/mnist.md", "requirements.txt"]
    assert git(repo, "show", "notebooks:book/mnist.ipynb") == notebook(head)
    assert git(repo, "show", "notebooks:book/mnist.md") == "# MNIST", (
        "the committed chapter, not the edit"
    )
    assert git(repo, "diff", "--cached", "--name-only") == staged, "the reader's index is untouched"
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_publishing_again_replaces_the_branch(repo, notebooks):
    first = publish_notebooks.publish(notebooks, "notebooks", repo)
    head = git(repo, "rev-parse", "HEAD")
    (notebooks / "book" / "mnist.ipynb").write_text(notebook(head, cells=[1]))
    second = publish_notebooks.publish(notebooks, "notebooks", repo)
    assert first != second and git(repo, "rev-parse", "notebooks^") == git(
        repo, "rev-parse", "HEAD"
    )


def test_an_unbuilt_book_gets_a_clear_error(repo, tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(
        SystemExit, match=r"nowhere does not exist: build the book first \(make book\)"
    ):
        publish_notebooks.publish(missing, "notebooks", repo)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SystemExit, match="holds no notebooks"):
        publish_notebooks.publish(empty, "notebooks", repo)


@pytest.mark.parametrize("commit", ["0" * 40, None], ids=["another commit", "no commit"])
def test_notebooks_made_from_other_helpers_are_refused(repo, notebooks, commit):
    """The branch grows from HEAD: its notebooks must install HEAD's helpers."""
    (notebooks / "book" / "mnist.ipynb").write_text(notebook(commit))
    made = f"commit {commit}" if commit else "helpers that no commit holds"
    with pytest.raises(SystemExit, match=f"mnist.ipynb was made from {made}, not from HEAD"):
        publish_notebooks.publish(notebooks, "notebooks", repo)
    assert "notebooks" not in git(repo, "branch", "--list", "notebooks")
