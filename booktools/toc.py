"""The book's pages in reading order, as _toc.yml lists them.

``_toc.yml`` is read with sphinx-external-toc, the parser Jupyter Book itself uses.
The fingerprint's reading order, the tests made from the chapters, the style
checks of the chapters' cells, the glossary check and the browser tests all ask
:func:`toc_files`.
"""

from __future__ import annotations

from pathlib import Path

from booktools.paths import ROOT, TOC


class TocError(ValueError):
    """_toc.yml names a page that does not exist."""


def toc_files(root: Path = ROOT) -> list[Path]:
    """The source files named in ``_toc.yml``, in reading order, relative to ``root``."""
    from sphinx_external_toc.api import Document, FileItem
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(root / TOC.name)
    order: list[str] = []

    def visit(docname: str) -> None:
        order.append(docname)
        document = site_map[docname]
        assert isinstance(document, Document)
        for subtree in document.subtrees:
            for item in subtree.items:
                if isinstance(item, FileItem):  # a page; URL and glob items are not pages
                    visit(item)

    visit(site_map.root.docname)
    files = []
    for docname in order:
        matches = [root / f"{docname}{suffix}" for suffix in (".md", ".ipynb")]
        found = [path for path in matches if path.is_file()]
        if not found:
            raise TocError(
                f"{root / TOC.name} names {docname}, but no {docname}.md exists: "
                "add the page or remove it from _toc.yml"
            )
        files.append(found[0].relative_to(root))
    return files
