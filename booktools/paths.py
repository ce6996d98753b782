"""Every path the tooling uses, in one place.

The built site is ``_build/html`` unless the environment variable
``BOOK_HTML`` names another folder (a site built elsewhere, for example);
every test and script that reads the site asks :data:`HTML`.
"""

import os
from functools import cache
from pathlib import Path

import yaml

#: The project's top folder (this package lives in it).
ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
TOC = ROOT / "_toc.yml"
CONFIG = ROOT / "_config.yml"
README = ROOT / "README.md"
REQUIREMENTS = ROOT / "requirements.txt"
HELPERS = ROOT / "handwriting"
NODE_MODULES = ROOT / "node_modules"

BUILD = ROOT / "_build"
#: jupyter-cache's store of executed notebooks.
EXECUTION_CACHE = BUILD / ".jupyter_cache"
#: The model store (handwriting/store.py): the book's models, trained once per build.
MODELS = BUILD / "models"
#: The notebooks as the last build executed them, with the glue files myst-nb writes.
EXECUTED = BUILD / "jupyter_execute"
HTML = Path(os.environ.get("BOOK_HTML") or BUILD / "html")
LATEX = BUILD / "latex"
PDF = LATEX / "handwriting-recognition.pdf"
EPUB = BUILD / "epub" / "handwriting-recognition.epub"


@cache
def config() -> dict:
    """The book's ``_config.yml``, parsed."""
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def release() -> str:
    """The edition, as ``_config.yml`` names it ("Third edition")."""
    return config()["sphinx"]["config"]["release"]
