"""Commit the chapters' notebooks to the branch the launch buttons open.

Colab opens notebooks from a GitHub repository, and Binder starts from one;
neither reads MyST Markdown. The build writes every chapter as a notebook
(``_build/html/_notebooks/book/<chapter>.ipynb``, booktools/sphinx/notebooks.py).
It makes one commit whose tree is the current commit's tree plus
those notebooks at ``book/<chapter>.ipynb``, with the current commit as its
parent, and points the launch branch (``notebooks`` by default, as
``repository.branch`` in _config.yml says) at it; ``--push REMOTE`` also
force-pushes the branch. The work tree and the index are left untouched.

Each notebook's first cell installs the book's helpers at the commit it was
made from (booktools/notebooks.py); a notebook made from another commit, or
from helpers no commit holds (a changed work tree), is refused, since the
branch would then offer helpers that do not match its chapters.

    python3 -m booktools.publish_notebooks _build/html/_notebooks --push origin

The Pages workflow runs it after every push to main.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: The branch the launch buttons open (repository.branch in _config.yml).
BRANCH = "notebooks"


def git(*args: str, env: dict | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=False, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


def notebooks_in(folder: Path) -> list[Path]:
    """The chapter notebooks the build wrote under ``folder``, relative to it."""
    if not folder.is_dir():
        sys.exit(f"{folder} does not exist: build the book first (make book)")
    found = sorted(path.relative_to(folder) for path in folder.rglob("*.ipynb"))
    if not found:
        sys.exit(f"{folder} holds no notebooks: build the book first (make book)")
    return found


def check_made_from(folder: Path, notebooks: list[Path], head: str) -> None:
    """Every notebook installs the helpers of ``head``, the commit the branch grows from."""
    from booktools.notebooks import METADATA_KEY

    for relative in notebooks:
        metadata = json.loads((folder / relative).read_text(encoding="utf-8")).get("metadata", {})
        commit = metadata.get(METADATA_KEY, {}).get("commit")
        if commit != head:
            made = f"commit {commit}" if commit else "helpers that no commit holds"
            sys.exit(
                f"{folder / relative} was made from {made}, not from HEAD ({head}): "
                "commit the helpers and build the book again (make book) before publishing"
            )


def publish(folder: Path, branch: str, repo: Path) -> str:
    """Commit the notebooks in ``folder`` on top of HEAD as ``branch``; returns the commit."""
    head = git("rev-parse", "HEAD", cwd=repo)
    check_made_from(folder, notebooks_in(folder), head)
    with tempfile.TemporaryDirectory() as scratch:
        # A private index, so that the reader's staged changes are not touched.
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git("read-tree", head, env=env, cwd=repo)
        for relative in notebooks_in(folder):
            blob = git("hash-object", "-w", str((folder / relative).resolve()), cwd=repo)
            git(
                "update-index",
                "--add",
                "--cacheinfo",
                f"100644,{blob},{relative.as_posix()}",
                env=env,
                cwd=repo,
            )
        tree = git("write-tree", env=env, cwd=repo)
    message = f"Chapters as notebooks, for Colab and Binder, made from {head[:12]}"
    commit = git("commit-tree", tree, "-p", head, "-m", message, cwd=repo)
    git("update-ref", f"refs/heads/{branch}", commit, cwd=repo)
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", type=Path, help="where the build wrote the notebooks (_build/html/_notebooks)"
    )
    parser.add_argument("--branch", default=BRANCH, help="the launch branch (default: %(default)s)")
    parser.add_argument("--push", metavar="REMOTE", help="force-push the branch to this remote")
    parser.add_argument(
        "--repo", type=Path, default=Path.cwd(), help="the git repository (default: here)"
    )
    args = parser.parse_args(argv)
    commit = publish(args.folder, args.branch, args.repo)
    print(f"{args.branch} is now {commit}")
    if args.push:
        git("push", "--force", args.push, f"refs/heads/{args.branch}", cwd=args.repo)
        print(f"pushed {args.branch} to {args.push}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
