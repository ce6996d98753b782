"""Run the chapters' notebooks as a reader would: on their own, outside the checkout.

Each notebook the build wrote (``_build/html/_notebooks/book/<chapter>.ipynb``)
runs top to bottom in a fresh kernel, in a scratch folder, with a fresh model
store (so a chapter trains what it needs, as on Colab). The kernel's Python is
a scratch environment that sees the book's pinned packages (those of the
running Python) but not its ``handwriting`` helpers: the notebook's first cell
installs them, as it does on Colab. CI has no access to GitHub, so git is told
to fetch the repository the cell names from this checkout instead
(``url.<checkout>.insteadOf``); the cell itself runs unchanged. A notebook made
from helpers that no commit holds (a build from a changed work tree) cannot be
installed that way: the helpers of the work tree are installed first, which is
what that cell asks of its reader.

    python -m booktools.run_notebooks [chapter ...]   # all chapters by default

prints how long each took.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from booktools import paths
from booktools.notebooks import METADATA_KEY

KERNEL = "handwriting-scratch"
#: A chapter run alone may train a model (about three minutes for the largest here).
TIMEOUT = 1800


def notebook_path(chapter: str) -> Path:
    path = paths.HTML / "_notebooks" / "book" / f"{chapter}.ipynb"
    if not path.is_file():
        sys.exit(f"{path} is missing: build the book first (make book)")
    return path


class Scratch:
    """A folder outside the checkout with a Python that lacks the helpers, and a kernel for it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.python = folder / "env" / "bin" / "python"
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(folder / "env")], check=True
        )
        purelib = subprocess.run(
            [str(self.python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        # The book's packages (pip and ipykernel among them) as a plain path: the
        # .pth files there, such as the editable install of the helpers, are not run.
        Path(purelib, "book-packages.pth").write_text(sysconfig.get_path("purelib") + "\n")
        kernel = folder / "jupyter" / "kernels" / KERNEL
        kernel.mkdir(parents=True)
        (kernel / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [
                        str(self.python),
                        "-m",
                        "ipykernel_launcher",
                        "-f",
                        "{connection_file}",
                    ],
                    "display_name": "scratch",
                    "language": "python",
                }
            )
        )
        gitconfig = folder / "gitconfig"
        repository = paths.config()["repository"]["url"]
        gitconfig.write_text(
            f'[url "{paths.ROOT.as_uri()}"]\n\tinsteadOf = {repository.rstrip("/")}\n'
        )
        self.env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
            "HANDWRITING_MODELS": str(folder / "models"),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        for name in ("PYTHONPATH", "VIRTUAL_ENV", "BOOK_HTML"):
            self.env.pop(name, None)

    def install_work_tree_helpers(self) -> None:
        subprocess.run(
            [str(self.python), "-m", "pip", "install", "--quiet", "--no-deps", str(paths.ROOT)],
            check=True,
            env=self.env,
        )

    def run(self, path: Path) -> float:
        """Run the notebook at ``path`` top to bottom; returns the seconds it took."""
        book = nbformat.read(path, as_version=4)
        if not book.metadata.get(METADATA_KEY, {}).get("commit"):
            self.install_work_tree_helpers()
        work = self.folder / "work" / path.stem
        work.mkdir(parents=True)
        kernels = KernelSpecManager(kernel_dirs=[str(self.folder / "jupyter" / "kernels")])
        client = NotebookClient(
            book,
            timeout=TIMEOUT,
            km=KernelManager(kernel_name=KERNEL, kernel_spec_manager=kernels),
            resources={"metadata": {"path": str(work)}},
        )
        start = time.perf_counter()
        # The client shuts down only kernels of a manager it made itself; this one it
        # is given, so it is told to (nbclient 0.11: cleanup_kc defaults to owns_km).
        client.execute(env=self.env, cleanup_kc=True)
        return time.perf_counter() - start


def run(chapters: list[str]) -> dict[str, float]:
    seconds = {}
    with tempfile.TemporaryDirectory(prefix="notebooks-") as scratch:
        for chapter in chapters:
            # A fresh environment each: one notebook's installs do not serve the next.
            folder = Path(scratch, chapter)
            folder.mkdir()
            seconds[chapter] = Scratch(folder).run(notebook_path(chapter))
    return seconds


def main(argv: list[str] | None = None) -> int:
    from booktools.extract_tests import toc_files

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter names (default: every chapter)")
    args = parser.parse_args(argv)
    chapters = args.chapters or [
        path.stem
        for path in toc_files()
        if (paths.HTML / "_notebooks" / path.with_suffix(".ipynb")).is_file()
    ]
    for chapter in chapters:
        took = run([chapter])[chapter]
        print(f"{chapter}\t{took:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
