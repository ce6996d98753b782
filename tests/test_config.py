"""_config.yml loads every extension from one list, and the book's own by module name.

_config.yml lists the extensions under ``sphinx.config.extensions``, which replaces
Jupyter Book's default list (to leave sphinx-thebe out): once that list is set,
Jupyter Book ignores ``extra_extensions`` and ``local_extensions``, so an extension
added there would silently not load. Jupyter Book's own reading of the file
(``jupyter_book.config.get_final_config``) says what Sphinx gets.
"""

import importlib
import pkgutil

import pytest

from booktools import paths

pytestmark = pytest.mark.unit


def final_extensions() -> list[str]:
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=paths.CONFIG, cli_config={"latex_individualpages": False}, sourcedir=paths.ROOT
    )
    return config["extensions"]


def test_the_extensions_are_listed_in_one_place():
    sphinx = paths.config()["sphinx"]
    for ignored in ("extra_extensions", "local_extensions"):
        assert ignored not in sphinx, (
            f"_config.yml: sphinx.{ignored} is ignored while sphinx.config.extensions is set; "
            "list the extension there"
        )
    assert (
        sphinx["config"]["extensions"] == final_extensions()[: len(sphinx["config"]["extensions"])]
    )


def test_sphinx_gets_the_book_s_extensions_and_not_sphinx_thebe():
    extensions = final_extensions()
    assert "sphinx_thebe" not in extensions
    import booktools.sphinx

    own = {
        f"booktools.sphinx.{module.name}"
        for module in pkgutil.iter_modules(booktools.sphinx.__path__)
        if hasattr(importlib.import_module(f"booktools.sphinx.{module.name}"), "setup")
    }
    # colophon is set up by pdf and epub, which need it; every other is listed.
    assert own - {"booktools.sphinx.colophon"} <= set(extensions), own - set(extensions)
    for extension in extensions:
        importlib.import_module(extension)
