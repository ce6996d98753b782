"""The figures a reader moves on the web (handwriting/explorables.py), in every edition.

- The kernels that run the chapters inherit ``HANDWRITING_BOOK_BUILD``, set when
  this extension is set up: only there does an explorable's cell write its HTML
  (the figure for the web, its data and its module) beside its picture for
  print. A notebook a reader runs elsewhere shows the picture, as any figure.
- In the PDF and the EPUB, such a figure is its picture (myst-nb picks the PDF
  for LaTeX and the PNG for the EPUB, ``nb_mime_priority_overrides``), followed
  by a note that gives the figure's web address: ``book_web_address`` of
  _config.yml (declared by booktools/sphinx/colophon.py), the page, the figure.

``web_note`` is also the EPUB's note for the drawing page's pad
(booktools/sphinx/epub.py).
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from handwriting.explorables import BUILD_VAR

#: What marks an explorable in a cell's HTML output (handwriting/explorables.py).
MARK = "data-explorable="


def web_note(app: Sphinx, docname: str, text: str, anchor: str = "") -> nodes.Element:
    """A note: ``text``, then "open it at" the page's web address (and ``anchor``)."""
    address = app.config.book_web_address.rstrip("/") + "/" + docname + ".html" + anchor
    note = nodes.note()
    note += nodes.paragraph(
        "",
        "",
        nodes.Text(f"{text}: open it at "),
        nodes.reference(address, address, refuri=address),
        nodes.Text("."),
    )
    return note


class InteractiveFigureNote(SphinxPostTransform):
    """After a figure that is interactive on the web, a note with its web address.

    myst-nb 1.4.0 keeps every form of a cell's output (a container whose
    ``nb_element`` is "mime_bundle", one child container per ``mime_type``) until
    its ``SelectMimeType`` post-transform (priority 4) picks the builder's; this
    runs before it, while the HTML is still there to be recognised
    (booktools/sphinx/patches.py).
    """

    default_priority = 3
    builders = ("latex", "epub")

    def run(self, **kwargs) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            forms = {child.get("mime_type"): child for child in bundle.children}
            html = forms.get("text/html")
            if html is None or not {"image/png", "application/pdf"} & set(forms):
                continue
            if not any(MARK in raw.astext() for raw in html.findall(nodes.raw)):
                continue
            figure = bundle.parent if isinstance(bundle.parent, nodes.figure) else bundle
            anchor = f"#{figure['ids'][0]}" if figure.get("ids") else ""
            # The PDF is one document, resolved as its root page: the figure's own
            # page is the file it came from.
            source = figure.source or bundle.source
            docname = (source and self.env.path2doc(source)) or self.env.docname
            note = web_note(self.app, docname, "This figure is interactive on the web", anchor)
            figure.parent.insert(figure.parent.index(figure) + 1, note)


def setup(app: Sphinx) -> dict:
    app.setup_extension("booktools.sphinx.colophon")
    os.environ[BUILD_VAR] = "1"
    app.add_post_transform(InteractiveFigureNote)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
